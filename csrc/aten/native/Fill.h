// Stub kernels for ATen's fill_ and arange (checks and resizing stay ATen's own).
#pragma once

#include <ATen/TensorIterator.h>

namespace at::native::ocl {

void fill_kernel(TensorIterator& iter, const Scalar& value);
// out[i] = start + i * step, computed in double (float without fp64) like the CPU does.
void arange_kernel(TensorIterator& iter, const Scalar& start, const Scalar& size, const Scalar& step);

}  // namespace at::native::ocl
