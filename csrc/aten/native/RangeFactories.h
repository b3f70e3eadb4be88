// linspace's kernel (the linspace_stub ATen's linspace_out calls).
#pragma once

#include <ATen/TensorIterator.h>

namespace at::native::ocl {

void linspace_kernel(TensorIterator& iter, const Scalar& start, const Scalar& end, int64_t steps);

}  // namespace at::native::ocl
