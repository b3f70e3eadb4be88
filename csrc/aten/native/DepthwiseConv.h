// Direct depthwise convolution (groups == input channels, one weight channel per output
// channel): forward and grad_input without columns or GEMMs.
#pragma once

#include <ATen/core/Tensor.h>

#include "aten/native/Im2Col.h"

namespace at::native::ocl {

// Whether a convolution is depthwise in the sense of these kernels.
bool is_depthwise(const Tensor& input, const Tensor& weight, int64_t groups, bool transposed);
// output = depthwise conv of input with weight (contiguous) (+ bias); w: the window over the
// input (C = input channels). Images and their gradients are all contiguous, or all dense
// channels-last (channels_last / channels_last_3d memory) when channels_last.
void depthwise_conv(const Tensor& input, const Tensor& weight, const Tensor* bias, const Window& w,
                    const Tensor& output, bool channels_last);
void depthwise_conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Window& w,
                                   const Tensor& grad_input, bool channels_last);
// grad_weight (the weight's shape, contiguous): partial sums per chunk of output positions in the
// accumulate type, then summed.
Tensor depthwise_conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                      const Window& w, bool channels_last);

}  // namespace at::native::ocl
