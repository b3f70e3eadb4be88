// Registrations: tensor construction (upstream TensorFactories.cpp / RangeFactories.cpp).
#include <ATen/native/RangeFactories.h>
#include <ATen/ops/arange_native.h>
#include <torch/library.h>

#include "aten/native/Fill.h"
#include "aten/native/TensorFactories.h"

namespace at::native {

REGISTER_PRIVATEUSE1_DISPATCH(arange_stub, &ocl::arange_kernel)

}  // namespace at::native

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("empty.memory_format", at::native::ocl::empty);
  m.impl("empty_strided", at::native::ocl::empty_strided);
  m.impl("_efficientzerotensor", at::native::ocl::efficient_zero_tensor);
  m.impl("arange.start_out", static_cast<at::Tensor& (*)(const at::Scalar&, const at::Scalar&, const at::Scalar&, at::Tensor&)>(at::native::arange_out));
}
