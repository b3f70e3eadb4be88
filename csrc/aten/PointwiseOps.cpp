// Registrations: addcmul, addcdiv (upstream PointwiseOps.cpp) and lerp (upstream Lerp.cpp).
#include <ATen/ops/addcdiv_meta.h>
#include <ATen/ops/addcmul_meta.h>
#include <ATen/ops/lerp_meta.h>
#include <torch/library.h>

#include "aten/native/PointwiseOps.h"
#include "aten/native/Structured.h"

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
using K_addcmul = ocl::TI<structured_addcmul, &ocl::addcmul_kernel>;
using K_addcdiv = ocl::TI<structured_addcdiv, &ocl::addcdiv_kernel>;
using K_lerp_s = ocl::TI<structured_lerp_Scalar, &ocl::lerp_scalar_kernel>;
using K_lerp_t = ocl::TI<structured_lerp_Tensor, &ocl::lerp_tensor_kernel>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  OCL_STRUCTURED(m, K_addcmul, "addcmul", "addcmul_", "addcmul.out", const at::Tensor&, const at::Tensor&, const at::Scalar&);
  OCL_STRUCTURED(m, K_addcdiv, "addcdiv", "addcdiv_", "addcdiv.out", const at::Tensor&, const at::Tensor&, const at::Scalar&);
  OCL_STRUCTURED(m, K_lerp_s, "lerp.Scalar", "lerp_.Scalar", "lerp.Scalar_out", const at::Tensor&, const at::Scalar&);
  OCL_STRUCTURED(m, K_lerp_t, "lerp.Tensor", "lerp_.Tensor", "lerp.Tensor_out", const at::Tensor&, const at::Tensor&);
}
