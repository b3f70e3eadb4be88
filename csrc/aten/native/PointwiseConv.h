// 1x1 convolutions (unit kernel, no padding, any stride, one group, not transposed) as GEMMs over
// the tensors' own layouts: channels_last tensors as one (N * spatial) x C matrix, NCHW ones as N
// matrices C x spatial; no column buffer and no layout round trip.
#pragma once

#include <ATen/core/Tensor.h>

#include <tuple>

namespace at::native::ocl {

// (N, C, spatial...) as an (N * spatial) x C matrix: a view of a dense channels-last tensor (a
// copy of any other).
Tensor rows_of(const Tensor& x);

bool is_pointwise_conv(const Tensor& weight, IntArrayRef padding, bool transposed, int64_t groups);

// The output, channels_last when the input is.
Tensor pointwise_conv(const Tensor& input, const Tensor& weight, const Tensor* bias, IntArrayRef stride);

// (grad_input, grad_weight), each only when asked for (else undefined).
std::tuple<Tensor, Tensor> pointwise_conv_backward(const Tensor& grad_output, const Tensor& input,
                                                   const Tensor& weight, IntArrayRef stride, bool need_input,
                                                   bool need_weight);

}  // namespace at::native::ocl
