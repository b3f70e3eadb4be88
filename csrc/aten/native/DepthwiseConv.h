// Direct depthwise convolution (groups == input channels, one weight channel per output
// channel): forward and grad_input without columns or GEMMs.
#pragma once

#include <ATen/core/Tensor.h>

#include "aten/native/Im2Col.h"

namespace at::native::ocl {

// Whether a convolution is depthwise in the sense of these kernels.
bool is_depthwise(const Tensor& input, const Tensor& weight, int64_t groups, bool transposed);
// output (contiguous) = depthwise conv of input (contiguous) with weight (+ bias); w: the
// window over the input (C = input channels).
void depthwise_conv(const Tensor& input, const Tensor& weight, const Tensor* bias, const Window& w,
                    const Tensor& output);
void depthwise_conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Window& w,
                                   const Tensor& grad_input);

}  // namespace at::native::ocl
