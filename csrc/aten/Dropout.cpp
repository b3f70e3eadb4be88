// Registrations: native dropout forward and backward (upstream Dropout.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/Dropout.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("native_dropout", ocl::native_dropout);
  m.impl("native_dropout_backward", ocl::native_dropout_backward);
}
