// Registrations: GradScaler's operators (upstream AmpKernels.cpp).
// Dtypes: float32 float16 bfloat16 float64 (gradients; float32 scale, int32 growth tracker)
#include <torch/library.h>

#include "aten/native/Amp.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("_amp_foreach_non_finite_check_and_unscale_", &at::native::ocl::amp_foreach_non_finite_check_and_unscale_);
  m.impl("_amp_update_scale_", &at::native::ocl::amp_update_scale_);
}
