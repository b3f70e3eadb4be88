// Registrations: grid_sampler_2d/3d and their backward (upstream GridSampler.cpp); F.grid_sample
// reaches them through ATen's composite grid_sampler.
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/GridSampler.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("grid_sampler_2d", at::native::ocl::grid_sampler_2d);
  m.impl("grid_sampler_2d_backward", at::native::ocl::grid_sampler_2d_backward);
  m.impl("grid_sampler_3d", at::native::ocl::grid_sampler_3d);
  m.impl("grid_sampler_3d_backward", at::native::ocl::grid_sampler_3d_backward);
}
