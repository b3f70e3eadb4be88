// Registrations: reflection_pad1d/2d/3d and their backward (upstream ReflectionPad.cpp).
#include <ATen/ops/reflection_pad1d_backward_meta.h>
#include <ATen/ops/reflection_pad1d_meta.h>
#include <ATen/ops/reflection_pad3d_backward_meta.h>
#include <ATen/ops/reflection_pad3d_meta.h>
#include <torch/library.h>

#include "aten/native/PaddingForms.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  using at::native::ocl::PadMode;
  OCL_PAD_STRUCTURED(m, reflection_pad1d, PadMode::Reflect);
  OCL_PAD_STRUCTURED(m, reflection_pad3d, PadMode::Reflect);
  OCL_PAD_BACKWARD_STRUCTURED(m, reflection_pad1d, PadMode::Reflect);
  OCL_PAD_BACKWARD_STRUCTURED(m, reflection_pad3d, PadMode::Reflect);
  // reflection_pad2d is not structured upstream
  m.impl("reflection_pad2d", at::native::ocl::reflection_pad2d);
  m.impl("reflection_pad2d.out", at::native::ocl::reflection_pad2d_out);
  OCL_PAD_BACKWARD(m, reflection_pad2d, PadMode::Reflect, 2);
}
