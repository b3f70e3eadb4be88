// 2d nearest and bilinear upsampling (impl side of ATen's structured upsample operators).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

using Scale = std::optional<double>;

void upsample_nearest2d_impl(const Tensor& input, IntArrayRef output_size, Scale scales_h, Scale scales_w,
                             const Tensor& out);
void upsample_nearest2d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                      Scale scales_h, Scale scales_w, const Tensor& grad_input);
void upsample_bilinear2d_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales_h,
                              Scale scales_w, const Tensor& out);
void upsample_bilinear2d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                       bool align_corners, Scale scales_h, Scale scales_w,
                                       const Tensor& grad_input);

}  // namespace at::native::ocl
