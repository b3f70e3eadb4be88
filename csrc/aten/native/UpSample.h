// Upsampling, 1d/2d/3d nearest (legacy and exact), linear/bilinear/trilinear, 2d bicubic and
// antialiased 2d bilinear/bicubic (UpSampleAa.cpp): the impl side of ATen's structured
// upsample operators.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

using Scale = std::optional<double>;

void upsample_nearest1d_impl(const Tensor& input, IntArrayRef output_size, Scale scales, const Tensor& out);
void upsample_nearest1d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                      Scale scales, const Tensor& grad_input);
void upsample_nearest_exact1d_impl(const Tensor& input, IntArrayRef output_size, Scale scales, const Tensor& out);
void upsample_nearest_exact1d_backward_impl(const Tensor& grad_output, IntArrayRef output_size,
                                            IntArrayRef input_size, Scale scales, const Tensor& grad_input);

void upsample_nearest2d_impl(const Tensor& input, IntArrayRef output_size, Scale scales_h, Scale scales_w,
                             const Tensor& out);
void upsample_nearest2d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                      Scale scales_h, Scale scales_w, const Tensor& grad_input);
void upsample_nearest_exact2d_impl(const Tensor& input, IntArrayRef output_size, Scale scales_h, Scale scales_w,
                                   const Tensor& out);
void upsample_nearest_exact2d_backward_impl(const Tensor& grad_output, IntArrayRef output_size,
                                            IntArrayRef input_size, Scale scales_h, Scale scales_w,
                                            const Tensor& grad_input);

void upsample_nearest3d_impl(const Tensor& input, IntArrayRef output_size, Scale scales_d, Scale scales_h,
                             Scale scales_w, const Tensor& out);
void upsample_nearest3d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                      Scale scales_d, Scale scales_h, Scale scales_w, const Tensor& grad_input);
void upsample_nearest_exact3d_impl(const Tensor& input, IntArrayRef output_size, Scale scales_d, Scale scales_h,
                                   Scale scales_w, const Tensor& out);
void upsample_nearest_exact3d_backward_impl(const Tensor& grad_output, IntArrayRef output_size,
                                            IntArrayRef input_size, Scale scales_d, Scale scales_h, Scale scales_w,
                                            const Tensor& grad_input);

void upsample_linear1d_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales,
                            const Tensor& out);
void upsample_linear1d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                     bool align_corners, Scale scales, const Tensor& grad_input);
void upsample_bilinear2d_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales_h,
                              Scale scales_w, const Tensor& out);
void upsample_bilinear2d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                       bool align_corners, Scale scales_h, Scale scales_w,
                                       const Tensor& grad_input);
void upsample_trilinear3d_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales_d,
                               Scale scales_h, Scale scales_w, const Tensor& out);
void upsample_trilinear3d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                        bool align_corners, Scale scales_d, Scale scales_h, Scale scales_w,
                                        const Tensor& grad_input);

void upsample_bicubic2d_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales_h,
                             Scale scales_w, const Tensor& out);
void upsample_bicubic2d_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                      bool align_corners, Scale scales_h, Scale scales_w, const Tensor& grad_input);

void upsample_bilinear2d_aa_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales_h,
                                 Scale scales_w, const Tensor& out);
void upsample_bilinear2d_aa_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                          bool align_corners, Scale scales_h, Scale scales_w,
                                          const Tensor& grad_input);
void upsample_bicubic2d_aa_impl(const Tensor& input, IntArrayRef output_size, bool align_corners, Scale scales_h,
                                Scale scales_w, const Tensor& out);
void upsample_bicubic2d_aa_backward_impl(const Tensor& grad_output, IntArrayRef output_size, IntArrayRef input_size,
                                         bool align_corners, Scale scales_h, Scale scales_w,
                                         const Tensor& grad_input);

}  // namespace at::native::ocl
