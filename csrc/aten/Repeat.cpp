// Registrations: repeat_interleave.Tensor (upstream Repeat.cpp).
#include <torch/library.h>

#include "aten/native/ShapeOps.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("repeat_interleave.Tensor", at::native::ocl::repeat_interleave);
}
