// Registrations: 2d upsampling (upstream UpSampleNearest2d.cpp, UpSampleBilinear2d.cpp); the
// .vec forms and interpolate() reach them through ATen's composite code.
// Dtypes: float32 float16 bfloat16 float64
#include <ATen/ops/upsample_bilinear2d_backward_meta.h>
#include <ATen/ops/upsample_bilinear2d_meta.h>
#include <ATen/ops/upsample_nearest2d_backward_meta.h>
#include <ATen/ops/upsample_nearest2d_meta.h>
#include <torch/library.h>

#include "aten/native/Structured.h"
#include "aten/native/UpSample.h"

namespace {
namespace ocl = at::native::ocl;
using at::IntArrayRef;
using CT = const at::Tensor&;
using S = ocl::Scale;
using K_near = ocl::Fn<at::meta::structured_upsample_nearest2d, &ocl::upsample_nearest2d_impl>;
using K_near_bwd = ocl::Fn<at::meta::structured_upsample_nearest2d_backward, &ocl::upsample_nearest2d_backward_impl>;
using K_bil = ocl::Fn<at::meta::structured_upsample_bilinear2d, &ocl::upsample_bilinear2d_impl>;
using K_bil_bwd = ocl::Fn<at::meta::structured_upsample_bilinear2d_backward, &ocl::upsample_bilinear2d_backward_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("upsample_nearest2d", &ocl::functional<K_near, CT, IntArrayRef, S, S>);
  m.impl("upsample_nearest2d.out", &ocl::out<K_near, CT, IntArrayRef, S, S>);
  m.impl("upsample_nearest2d_backward", &ocl::functional<K_near_bwd, CT, IntArrayRef, IntArrayRef, S, S>);
  m.impl("upsample_nearest2d_backward.grad_input", &ocl::out<K_near_bwd, CT, IntArrayRef, IntArrayRef, S, S>);
  m.impl("upsample_bilinear2d", &ocl::functional<K_bil, CT, IntArrayRef, bool, S, S>);
  m.impl("upsample_bilinear2d.out", &ocl::out<K_bil, CT, IntArrayRef, bool, S, S>);
  m.impl("upsample_bilinear2d_backward", &ocl::functional<K_bil_bwd, CT, IntArrayRef, IntArrayRef, bool, S, S>);
  m.impl("upsample_bilinear2d_backward.grad_input",
         &ocl::out<K_bil_bwd, CT, IntArrayRef, IntArrayRef, bool, S, S>);
}
