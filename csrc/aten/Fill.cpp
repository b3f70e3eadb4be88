// Registrations: fill_ / zero_ (upstream Fill.cpp); ATen's checks, our stub kernel.
#include <ATen/native/Fill.h>
#include <ATen/ops/fill_native.h>
#include <ATen/ops/zero_native.h>
#include <torch/library.h>

#include "aten/native/Fill.h"

namespace at::native {

REGISTER_PRIVATEUSE1_DISPATCH(fill_stub, &ocl::fill_kernel)

}  // namespace at::native

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("fill_.Scalar", static_cast<at::Tensor& (*)(at::Tensor&, const at::Scalar&)>(at::native::fill_));
  m.impl("fill_.Tensor", static_cast<at::Tensor& (*)(at::Tensor&, const at::Tensor&)>(at::native::fill_));
  m.impl("zero_", at::native::zero_);
}
