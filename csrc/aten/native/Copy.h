// Copies between the CPU and ocl devices and between ocl devices, with dtype casts.
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

// dst <- src (broadcast to dst's shape); either side may be the CPU.
void copy_(const Tensor& dst, const Tensor& src, bool non_blocking);
// Both on the same ocl device, dst's shape: byte copy when layouts match, else the cast kernel.
void copy_same_device(const Tensor& dst, const Tensor& src);
Scalar local_scalar_dense(const Tensor& self);

}  // namespace at::native::ocl
