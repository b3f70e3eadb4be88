// 2d pooling launchers over csrc/kernels/pool.cl: max (with indices), average, adaptive
// average and adaptive max, forward and backward, on (C, H, W) or (N, C, H, W) tensors of
// any strides.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

struct PoolWindow {
  int64_t KH = 1, KW = 1, SH = 1, SW = 1, PH = 0, PW = 0, DH = 1, DW = 1;
};

// Expands ATen's one- or two-element pooling arguments (empty stride: the kernel size).
PoolWindow pool_window(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation);

void max_pool2d_kernel(const Tensor& input, const PoolWindow& w, const Tensor& out, const Tensor& indices);
void max_pool2d_backward_kernel(const Tensor& grad_output, const Tensor& indices, const PoolWindow& w,
                         const Tensor& grad_input);
void avg_pool2d_kernel(const Tensor& input, const PoolWindow& w, bool count_include_pad, std::optional<int64_t> divisor,
                const Tensor& out);
void avg_pool2d_backward_kernel(const Tensor& grad_output, const PoolWindow& w, bool count_include_pad,
                         std::optional<int64_t> divisor, const Tensor& grad_input);
void adaptive_avg_pool2d_kernel(const Tensor& input, const Tensor& out);
void adaptive_avg_pool2d_backward_kernel(const Tensor& grad_output, const Tensor& grad_input);
void adaptive_max_pool2d_kernel(const Tensor& input, const Tensor& out, const Tensor& indices);
void adaptive_max_pool2d_backward_kernel(const Tensor& grad_output, const Tensor& indices, const Tensor& grad_input);

}  // namespace at::native::ocl
