// Pooling operators, 2d (PoolOps.cpp), 3d (Pool3dOps.cpp), max_unpool (MaxUnpooling.cpp) and
// fractional (FractionalMaxPool.cpp): ATen's meta checks, then the Pool.h launchers, in the
// forms ATen calls.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

// Resizes a and b to r's results and copies them in (out= forms of the two-result pools).
std::tuple<Tensor&, Tensor&> copy_pair(std::tuple<Tensor, Tensor> r, Tensor& a, Tensor& b);
// The CPU's error for tensors on two devices.
void check_same_device(const Tensor& a, const Tensor& b);

std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode);
std::tuple<Tensor&, Tensor&> max_pool2d_with_indices_out(const Tensor& self, IntArrayRef kernel_size,
                                                         IntArrayRef stride, IntArrayRef padding,
                                                         IntArrayRef dilation, bool ceil_mode, Tensor& out,
                                                         Tensor& indices);
void max_pool2d_backward_impl(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                              IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool ceil_mode,
                              const Tensor& indices, const Tensor& grad_input);
void avg_pool2d_impl(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                     bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override,
                     const Tensor& out);
void avg_pool2d_backward_impl(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                              IntArrayRef stride, IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                              std::optional<int64_t> divisor_override, const Tensor& grad_input);
Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size);
Tensor& adaptive_avg_pool2d_out(const Tensor& self, IntArrayRef output_size, Tensor& out);
Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, const Tensor& self);
std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size);
std::tuple<Tensor&, Tensor&> adaptive_max_pool2d_out(const Tensor& self, IntArrayRef output_size, Tensor& out,
                                                     Tensor& indices);
void adaptive_max_pool2d_backward_impl(const Tensor& grad_output, const Tensor& self, const Tensor& indices,
                                       const Tensor& grad_input);

std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode);
std::tuple<Tensor&, Tensor&> max_pool3d_with_indices_out(const Tensor& self, IntArrayRef kernel_size,
                                                         IntArrayRef stride, IntArrayRef padding,
                                                         IntArrayRef dilation, bool ceil_mode, Tensor& out,
                                                         Tensor& indices);
Tensor max_pool3d_with_indices_backward(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                        IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                                        bool ceil_mode, const Tensor& indices);
Tensor& max_pool3d_with_indices_backward_out(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                             IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                                             bool ceil_mode, const Tensor& indices, Tensor& grad_input);
void avg_pool3d_impl(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                     bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override,
                     const Tensor& out);
void avg_pool3d_backward_impl(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                              IntArrayRef stride, IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                              std::optional<int64_t> divisor_override, const Tensor& grad_input);
Tensor adaptive_avg_pool3d(const Tensor& self, IntArrayRef output_size);
Tensor& adaptive_avg_pool3d_out(const Tensor& self, IntArrayRef output_size, Tensor& out);
Tensor adaptive_avg_pool3d_backward(const Tensor& grad_output, const Tensor& self);
Tensor& adaptive_avg_pool3d_backward_out(const Tensor& grad_output, const Tensor& self, Tensor& grad_input);
std::tuple<Tensor, Tensor> adaptive_max_pool3d(const Tensor& self, IntArrayRef output_size);
std::tuple<Tensor&, Tensor&> adaptive_max_pool3d_out(const Tensor& self, IntArrayRef output_size, Tensor& out,
                                                     Tensor& indices);
void adaptive_max_pool3d_backward_impl(const Tensor& grad_output, const Tensor& self, const Tensor& indices,
                                       const Tensor& grad_input);

// max_unpool2d/3d forward (MaxUnpooling.cpp); their gradient is a gather in ATen's autograd.
Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size);
Tensor& max_unpool2d_out(const Tensor& self, const Tensor& indices, IntArrayRef output_size, Tensor& out);
Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size, IntArrayRef stride,
                    IntArrayRef padding);
Tensor& max_unpool3d_out(const Tensor& self, const Tensor& indices, IntArrayRef output_size, IntArrayRef stride,
                         IntArrayRef padding, Tensor& out);

// Fractional max pooling (FractionalMaxPool.cpp).
void fractional_max_pool2d_impl(const Tensor& self, IntArrayRef kernel_size, IntArrayRef output_size,
                                const Tensor& samples, const Tensor& out, const Tensor& indices);
void fractional_max_pool2d_backward_impl(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                         IntArrayRef output_size, const Tensor& indices, const Tensor& grad_input);
std::tuple<Tensor, Tensor> fractional_max_pool3d(const Tensor& self, IntArrayRef kernel_size,
                                                 IntArrayRef output_size, const Tensor& samples);
std::tuple<Tensor&, Tensor&> fractional_max_pool3d_out(const Tensor& self, IntArrayRef kernel_size,
                                                       IntArrayRef output_size, const Tensor& samples, Tensor& out,
                                                       Tensor& indices);
Tensor fractional_max_pool3d_backward(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                      IntArrayRef output_size, const Tensor& indices);
Tensor& fractional_max_pool3d_backward_out(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                           IntArrayRef output_size, const Tensor& indices, Tensor& grad_input);

}  // namespace at::native::ocl
