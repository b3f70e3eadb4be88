// Registrations: max_unpool2d/3d forward (upstream MaxUnpooling.cpp); their gradient is ATen's
// gather of the output gradient through the indices.
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/PoolOps.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("max_unpool2d", at::native::ocl::max_unpool2d);
  m.impl("max_unpool2d.out", at::native::ocl::max_unpool2d_out);
  m.impl("max_unpool3d", at::native::ocl::max_unpool3d);
  m.impl("max_unpool3d.out", at::native::ocl::max_unpool3d_out);
}
