// Registrations: linspace (upstream RangeFactories.cpp; F.affine_grid builds its grid with it).
// Dtypes: all ten but bool
#include <ATen/native/RangeFactories.h>
#include <ATen/ops/linspace_native.h>
#include <torch/library.h>

#include "aten/native/RangeFactories.h"

namespace at::native {

REGISTER_PRIVATEUSE1_DISPATCH(linspace_stub, &ocl::linspace_kernel)

}  // namespace at::native

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("linspace.out", static_cast<at::Tensor& (*)(const at::Scalar&, const at::Scalar&, int64_t, at::Tensor&)>(
                             at::native::linspace_out));
}
