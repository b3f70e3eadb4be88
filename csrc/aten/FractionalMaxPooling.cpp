// Registrations: fractional max pooling 2d/3d and backward (upstream FractionalMaxPool2d.cpp,
// FractionalMaxPool3d.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <ATen/ops/fractional_max_pool2d_backward_meta.h>
#include <ATen/ops/fractional_max_pool2d_meta.h>
#include <torch/library.h>

#include "aten/native/PoolOps.h"
#include "aten/native/Structured.h"

namespace {
namespace ocl = at::native::ocl;
using at::IntArrayRef;
using CT = const at::Tensor&;
using K_fwd = ocl::Fn<at::meta::structured_fractional_max_pool2d, &ocl::fractional_max_pool2d_impl>;
using K_bwd = ocl::Fn<at::meta::structured_fractional_max_pool2d_backward, &ocl::fractional_max_pool2d_backward_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("fractional_max_pool2d", &ocl::functional2<K_fwd, CT, IntArrayRef, IntArrayRef, CT>);
  m.impl("fractional_max_pool2d.output", &ocl::out2<K_fwd, CT, IntArrayRef, IntArrayRef, CT>);
  m.impl("fractional_max_pool2d_backward", &ocl::functional<K_bwd, CT, CT, IntArrayRef, IntArrayRef, CT>);
  m.impl("fractional_max_pool2d_backward.grad_input", &ocl::out<K_bwd, CT, CT, IntArrayRef, IntArrayRef, CT>);
  m.impl("fractional_max_pool3d", ocl::fractional_max_pool3d);
  m.impl("fractional_max_pool3d.output", ocl::fractional_max_pool3d_out);
  m.impl("fractional_max_pool3d_backward", ocl::fractional_max_pool3d_backward);
  m.impl("fractional_max_pool3d_backward.grad_input", ocl::fractional_max_pool3d_backward_out);
}
