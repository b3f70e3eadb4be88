// Registrations: batch norm in training and evaluation, forward and backward (upstream
// Normalization.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/Normalization.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("native_batch_norm", ocl::batch_norm);
  m.impl("native_batch_norm_backward", ocl::batch_norm_backward);
  m.impl("_native_batch_norm_legit", ocl::batch_norm_legit);
  m.impl("_native_batch_norm_legit.no_stats", ocl::batch_norm_legit_no_stats);
  m.impl("_batch_norm_with_update", ocl::batch_norm_with_update);
  m.impl("batch_norm_backward", ocl::batch_norm_backward_reserve);
}
