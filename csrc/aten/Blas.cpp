// Registrations: matrix products (upstream Blas.cpp, LinearAlgebra.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <ATen/core/Tensor.h>
#include <ATen/ops/addmm_meta.h>
#include <ATen/ops/addmv_meta.h>
#include <ATen/ops/baddbmm_meta.h>
#include <ATen/ops/bmm_meta.h>
#include <ATen/ops/mm_meta.h>
#include <torch/library.h>

#include "aten/native/Blas.h"
#include "aten/native/Structured.h"

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
using at::Scalar;
using at::Tensor;
using K_mm = ocl::Fn<structured_mm, &ocl::mm_impl>;
using K_bmm = ocl::Fn<structured_bmm, &ocl::bmm_impl>;
using K_addmm = ocl::Fn<structured_addmm, &ocl::addmm_impl>;
using K_baddbmm = ocl::Fn<structured_baddbmm, &ocl::baddbmm_impl>;
using K_addmv = ocl::Fn<structured_addmv, &ocl::addmv_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("mm", &ocl::functional<K_mm, const Tensor&, const Tensor&>);
  m.impl("mm.out", &ocl::out<K_mm, const Tensor&, const Tensor&>);
  m.impl("bmm", &ocl::functional<K_bmm, const Tensor&, const Tensor&>);
  m.impl("bmm.out", &ocl::out<K_bmm, const Tensor&, const Tensor&>);
  OCL_STRUCTURED(m, K_addmm, "addmm", "addmm_", "addmm.out", const Tensor&, const Tensor&, const Scalar&,
                 const Scalar&);
  OCL_STRUCTURED(m, K_baddbmm, "baddbmm", "baddbmm_", "baddbmm.out", const Tensor&, const Tensor&, const Scalar&,
                 const Scalar&);
  OCL_STRUCTURED(m, K_addmv, "addmv", "addmv_", "addmv.out", const Tensor&, const Tensor&, const Scalar&,
                 const Scalar&);
  m.impl("addbmm", &ocl::addbmm);
  m.impl("addbmm_", &ocl::addbmm_);
  m.impl("addbmm.out", &ocl::addbmm_out);
  m.impl("dot", &ocl::dot);
  m.impl("vdot", &ocl::vdot);
}
