// Registrations: _unique, _unique2, unique_consecutive, unique over a dim (upstream Unique.cpp).
#include <torch/library.h>

#include "aten/native/Unique.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("_unique", ocl::unique);
  m.impl("_unique2", ocl::unique2);
  m.impl("unique_consecutive", ocl::unique_consecutive);
  m.impl("unique_dim", ocl::unique_dim);
  m.impl("unique_dim_consecutive", ocl::unique_dim_consecutive);
}
