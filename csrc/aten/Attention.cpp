// Registrations: fused scaled-dot-product attention (upstream transformers/attention.cpp): the
// backend choice stub and the "overrideable" forward/backward ops.
// Dtypes: float32 float16 bfloat16
#include <ATen/native/transformers/attention.h>
#include <torch/library.h>

#include "aten/native/Attention.h"

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(_fused_sdp_choice_stub, &ocl::fused_sdp_choice)
}  // namespace at::native

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("_scaled_dot_product_fused_attention_overrideable", &at::native::ocl::sdpa_fused_forward);
  m.impl("_scaled_dot_product_fused_attention_overrideable_backward", &at::native::ocl::sdpa_fused_backward);
}
