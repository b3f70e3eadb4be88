// Registrations: layer norm and fused RMS norm, forward and backward (upstream layer_norm.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/Normalization.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("native_layer_norm", ocl::layer_norm);
  m.impl("native_layer_norm_backward", ocl::layer_norm_backward);
  m.impl("_fused_rms_norm", ocl::rms_norm);
  m.impl("_fused_rms_norm_backward", ocl::rms_norm_backward);
}
