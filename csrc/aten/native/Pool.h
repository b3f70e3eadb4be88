// Pooling launchers over csrc/kernels/pool.cl: max (with indices), average, adaptive average
// and adaptive max, forward and backward, and max_unpool, 2d and 3d, on ([N,] C, spatial...)
// tensors of any strides.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

// A pooling window; 2d pooling leaves the depth fields at their defaults.
struct PoolWindow {
  int64_t KD = 1, KH = 1, KW = 1, SD = 1, SH = 1, SW = 1, PD = 0, PH = 0, PW = 0, DD = 1, DH = 1, DW = 1;
};

// Expands ATen's one- or two-element pooling arguments (empty stride: the kernel size).
PoolWindow pool_window(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation);
// The same for one- or three-element 3d arguments (empty dilation: 1).
PoolWindow pool_window3d(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation);

// `spatial` is the number of trailing spatial dimensions (2 or 3) of every tensor.
void max_pool_kernel(const Tensor& input, const PoolWindow& w, const Tensor& out, const Tensor& indices,
                     int spatial);
void max_pool_backward_kernel(const Tensor& grad_output, const Tensor& indices, const PoolWindow& w,
                              const Tensor& grad_input, int spatial);
void avg_pool_kernel(const Tensor& input, const PoolWindow& w, bool count_include_pad,
                     std::optional<int64_t> divisor, const Tensor& out, int spatial);
void avg_pool_backward_kernel(const Tensor& grad_output, const PoolWindow& w, bool count_include_pad,
                              std::optional<int64_t> divisor, const Tensor& grad_input, int spatial);
void adaptive_avg_pool_kernel(const Tensor& input, const Tensor& out, int spatial);
void adaptive_avg_pool_backward_kernel(const Tensor& grad_output, const Tensor& grad_input, int spatial);
void adaptive_max_pool_kernel(const Tensor& input, const Tensor& out, const Tensor& indices, int spatial);
void adaptive_max_pool_backward_kernel(const Tensor& grad_output, const Tensor& indices, const Tensor& grad_input,
                                       int spatial);
// Scatters input into the zeroed out through indices already checked to lie inside a plane.
void max_unpool_kernel(const Tensor& input, const Tensor& indices, const Tensor& out, int spatial);
// Fractional max pooling with windows w.K* placed by `samples` ((N, C, spatial) in [0, 1)).
void fractional_max_pool_kernel(const Tensor& input, const Tensor& samples, const PoolWindow& w, const Tensor& out,
                                const Tensor& indices, int spatial);

}  // namespace at::native::ocl
