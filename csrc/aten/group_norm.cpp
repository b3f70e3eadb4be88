// Registrations: group norm forward and backward (upstream group_norm.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/Normalization.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("native_group_norm", ocl::group_norm);
  m.impl("native_group_norm_backward", ocl::group_norm_backward);
}
