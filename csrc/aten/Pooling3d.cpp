// Registrations: 3d pooling (upstream DilatedMaxPool3d.cpp, AveragePool3d.cpp,
// AdaptiveAveragePooling3d.cpp, AdaptiveMaxPooling3d.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <ATen/ops/adaptive_max_pool3d_backward_meta.h>
#include <ATen/ops/avg_pool3d_backward_meta.h>
#include <ATen/ops/avg_pool3d_meta.h>
#include <torch/library.h>

#include "aten/native/PoolOps.h"
#include "aten/native/Structured.h"

namespace {
namespace ocl = at::native::ocl;
using at::IntArrayRef;
using CT = const at::Tensor&;
using Div = std::optional<int64_t>;
using K_avg = ocl::Fn<at::meta::structured_avg_pool3d, &ocl::avg_pool3d_impl>;
using K_avg_bwd = ocl::Fn<at::meta::structured_avg_pool3d_backward, &ocl::avg_pool3d_backward_impl>;
using K_amax_bwd = ocl::Fn<at::meta::structured_adaptive_max_pool3d_backward, &ocl::adaptive_max_pool3d_backward_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("max_pool3d_with_indices", ocl::max_pool3d_with_indices);
  m.impl("max_pool3d_with_indices.out", ocl::max_pool3d_with_indices_out);
  m.impl("max_pool3d_with_indices_backward", ocl::max_pool3d_with_indices_backward);
  m.impl("max_pool3d_with_indices_backward.grad_input", ocl::max_pool3d_with_indices_backward_out);
  m.impl("avg_pool3d", &ocl::functional<K_avg, CT, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool, Div>);
  m.impl("avg_pool3d.out", &ocl::out<K_avg, CT, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool, Div>);
  m.impl("avg_pool3d_backward",
         &ocl::functional<K_avg_bwd, CT, CT, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool, Div>);
  m.impl("avg_pool3d_backward.grad_input",
         &ocl::out<K_avg_bwd, CT, CT, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool, Div>);
  m.impl("_adaptive_avg_pool3d", ocl::adaptive_avg_pool3d);
  m.impl("adaptive_avg_pool3d.out", ocl::adaptive_avg_pool3d_out);
  m.impl("_adaptive_avg_pool3d_backward", ocl::adaptive_avg_pool3d_backward);
  m.impl("adaptive_avg_pool3d_backward.grad_input", ocl::adaptive_avg_pool3d_backward_out);
  m.impl("adaptive_max_pool3d", ocl::adaptive_max_pool3d);
  m.impl("adaptive_max_pool3d.out", ocl::adaptive_max_pool3d_out);
  m.impl("adaptive_max_pool3d_backward", &ocl::functional<K_amax_bwd, CT, CT, CT>);
  m.impl("adaptive_max_pool3d_backward.grad_input", &ocl::out<K_amax_bwd, CT, CT, CT>);
}
