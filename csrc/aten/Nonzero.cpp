// Registrations: nonzero, nonzero_static and the masked ops that share its prefix sum,
// masked_select and masked_scatter_ (upstream cuda/Nonzero.cu, TensorAdvancedIndexing.cpp).
#include <torch/library.h>

#include "aten/native/Compact.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("nonzero", ocl::nonzero);
  m.impl("nonzero.out", ocl::nonzero_out);
  m.impl("nonzero_static", ocl::nonzero_static);
  m.impl("nonzero_static.out", ocl::nonzero_static_out);
  m.impl("masked_select", ocl::masked_select);
  m.impl("masked_select.out", ocl::masked_select_out);
  m.impl("masked_scatter_", ocl::masked_scatter_);
}
