// Registrations: flip and roll (upstream TensorTransformations.cpp).
#include <torch/library.h>

#include "aten/native/IndexOps.h"
#include "aten/native/ShapeOps.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("flip", at::native::ocl::flip);
  m.impl("roll", at::native::ocl::roll);
}
