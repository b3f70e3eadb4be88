// Registrations: upsampling (upstream UpSampleNearest1d/2d/3d.cpp, UpSampleLinear1d.cpp,
// UpSampleBilinear2d.cpp, UpSampleTrilinear3d.cpp, UpSampleBicubic2d.cpp, the antialiased
// _upsample_*2d_aa); the .vec forms and interpolate() reach them through ATen's composite code.
// Dtypes: float32 float16 bfloat16 float64 (nearest forward also uint8)
#include <ATen/ops/_upsample_bicubic2d_aa_backward_meta.h>
#include <ATen/ops/_upsample_bicubic2d_aa_meta.h>
#include <ATen/ops/_upsample_bilinear2d_aa_backward_meta.h>
#include <ATen/ops/_upsample_bilinear2d_aa_meta.h>
#include <ATen/ops/_upsample_nearest_exact1d_backward_meta.h>
#include <ATen/ops/_upsample_nearest_exact1d_meta.h>
#include <ATen/ops/_upsample_nearest_exact2d_backward_meta.h>
#include <ATen/ops/_upsample_nearest_exact2d_meta.h>
#include <ATen/ops/_upsample_nearest_exact3d_backward_meta.h>
#include <ATen/ops/_upsample_nearest_exact3d_meta.h>
#include <ATen/ops/upsample_bicubic2d_backward_meta.h>
#include <ATen/ops/upsample_bicubic2d_meta.h>
#include <ATen/ops/upsample_bilinear2d_backward_meta.h>
#include <ATen/ops/upsample_bilinear2d_meta.h>
#include <ATen/ops/upsample_linear1d_backward_meta.h>
#include <ATen/ops/upsample_linear1d_meta.h>
#include <ATen/ops/upsample_nearest1d_backward_meta.h>
#include <ATen/ops/upsample_nearest1d_meta.h>
#include <ATen/ops/upsample_nearest2d_backward_meta.h>
#include <ATen/ops/upsample_nearest2d_meta.h>
#include <ATen/ops/upsample_nearest3d_backward_meta.h>
#include <ATen/ops/upsample_nearest3d_meta.h>
#include <ATen/ops/upsample_trilinear3d_backward_meta.h>
#include <ATen/ops/upsample_trilinear3d_meta.h>
#include <torch/library.h>

#include <string>

#include "aten/native/Structured.h"
#include "aten/native/UpSample.h"

namespace {
namespace ocl = at::native::ocl;
namespace meta = at::meta;
using at::IntArrayRef;
using CT = const at::Tensor&;
using S = ocl::Scale;
using Sz = IntArrayRef;

// The functional form `name` and the out= form `name`.`out` of one structured op.
template <class Meta, auto Impl, class... A>
void reg(torch::Library& m, const std::string& name, const char* out) {
  using K = ocl::Fn<Meta, Impl>;
  m.impl(name.c_str(), &ocl::functional<K, CT, A...>);
  m.impl((name + "." + out).c_str(), &ocl::out<K, CT, A...>);
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  reg<meta::structured_upsample_nearest1d, &ocl::upsample_nearest1d_impl, Sz, S>(m, "upsample_nearest1d", "out");
  reg<meta::structured_upsample_nearest1d_backward, &ocl::upsample_nearest1d_backward_impl, Sz, Sz, S>(
      m, "upsample_nearest1d_backward", "grad_input");
  reg<meta::structured__upsample_nearest_exact1d, &ocl::upsample_nearest_exact1d_impl, Sz, S>(
      m, "_upsample_nearest_exact1d", "out");
  reg<meta::structured__upsample_nearest_exact1d_backward, &ocl::upsample_nearest_exact1d_backward_impl, Sz, Sz, S>(
      m, "_upsample_nearest_exact1d_backward", "grad_input");

  reg<meta::structured_upsample_nearest2d, &ocl::upsample_nearest2d_impl, Sz, S, S>(m, "upsample_nearest2d", "out");
  reg<meta::structured_upsample_nearest2d_backward, &ocl::upsample_nearest2d_backward_impl, Sz, Sz, S, S>(
      m, "upsample_nearest2d_backward", "grad_input");
  reg<meta::structured__upsample_nearest_exact2d, &ocl::upsample_nearest_exact2d_impl, Sz, S, S>(
      m, "_upsample_nearest_exact2d", "out");
  reg<meta::structured__upsample_nearest_exact2d_backward, &ocl::upsample_nearest_exact2d_backward_impl, Sz, Sz, S,
      S>(m, "_upsample_nearest_exact2d_backward", "grad_input");

  reg<meta::structured_upsample_nearest3d, &ocl::upsample_nearest3d_impl, Sz, S, S, S>(m, "upsample_nearest3d",
                                                                                       "out");
  reg<meta::structured_upsample_nearest3d_backward, &ocl::upsample_nearest3d_backward_impl, Sz, Sz, S, S, S>(
      m, "upsample_nearest3d_backward", "grad_input");
  reg<meta::structured__upsample_nearest_exact3d, &ocl::upsample_nearest_exact3d_impl, Sz, S, S, S>(
      m, "_upsample_nearest_exact3d", "out");
  reg<meta::structured__upsample_nearest_exact3d_backward, &ocl::upsample_nearest_exact3d_backward_impl, Sz, Sz, S,
      S, S>(m, "_upsample_nearest_exact3d_backward", "grad_input");

  reg<meta::structured_upsample_linear1d, &ocl::upsample_linear1d_impl, Sz, bool, S>(m, "upsample_linear1d", "out");
  reg<meta::structured_upsample_linear1d_backward, &ocl::upsample_linear1d_backward_impl, Sz, Sz, bool, S>(
      m, "upsample_linear1d_backward", "grad_input");
  reg<meta::structured_upsample_bilinear2d, &ocl::upsample_bilinear2d_impl, Sz, bool, S, S>(m, "upsample_bilinear2d",
                                                                                            "out");
  reg<meta::structured_upsample_bilinear2d_backward, &ocl::upsample_bilinear2d_backward_impl, Sz, Sz, bool, S, S>(
      m, "upsample_bilinear2d_backward", "grad_input");
  reg<meta::structured_upsample_trilinear3d, &ocl::upsample_trilinear3d_impl, Sz, bool, S, S, S>(
      m, "upsample_trilinear3d", "out");
  reg<meta::structured_upsample_trilinear3d_backward, &ocl::upsample_trilinear3d_backward_impl, Sz, Sz, bool, S, S,
      S>(m, "upsample_trilinear3d_backward", "grad_input");

  reg<meta::structured_upsample_bicubic2d, &ocl::upsample_bicubic2d_impl, Sz, bool, S, S>(m, "upsample_bicubic2d",
                                                                                          "out");
  reg<meta::structured_upsample_bicubic2d_backward, &ocl::upsample_bicubic2d_backward_impl, Sz, Sz, bool, S, S>(
      m, "upsample_bicubic2d_backward", "grad_input");

  reg<meta::structured__upsample_bilinear2d_aa, &ocl::upsample_bilinear2d_aa_impl, Sz, bool, S, S>(
      m, "_upsample_bilinear2d_aa", "out");
  reg<meta::structured__upsample_bilinear2d_aa_backward, &ocl::upsample_bilinear2d_aa_backward_impl, Sz, Sz, bool, S,
      S>(m, "_upsample_bilinear2d_aa_backward", "grad_input");
  reg<meta::structured__upsample_bicubic2d_aa, &ocl::upsample_bicubic2d_aa_impl, Sz, bool, S, S>(
      m, "_upsample_bicubic2d_aa", "out");
  reg<meta::structured__upsample_bicubic2d_aa_backward, &ocl::upsample_bicubic2d_aa_backward_impl, Sz, Sz, bool, S,
      S>(m, "_upsample_bicubic2d_aa_backward", "grad_input");
}
