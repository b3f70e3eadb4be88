// Registrations: reductions (upstream ReduceOps.cpp, ReduceAllOps.cpp).
#include <ATen/core/Tensor.h>
#include <ATen/native/ReduceAllOps.h>
#include <ATen/ops/all_meta.h>
#include <ATen/ops/amax_meta.h>
#include <ATen/ops/amin_meta.h>
#include <ATen/ops/any_meta.h>
#include <ATen/ops/max_native.h>
#include <ATen/ops/mean_meta.h>
#include <ATen/ops/min_native.h>
#include <ATen/ops/prod_meta.h>
#include <ATen/ops/sum_meta.h>
#include <torch/library.h>

#include "aten/native/ReduceOps.h"
#include "aten/native/Structured.h"

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(max_all_stub, &ocl::max_all)
REGISTER_PRIVATEUSE1_DISPATCH(min_all_stub, &ocl::min_all)
}  // namespace at::native

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
using at::Tensor;
using Dims = at::OptionalIntArrayRef;
using DType = std::optional<at::ScalarType>;
using K_sum = ocl::Fn<structured_sum_dim_IntList, &ocl::sum_impl>;
using K_mean = ocl::Fn<structured_mean_dim, &ocl::mean_impl>;
using K_prod = ocl::Fn<structured_prod_dim_int, &ocl::prod_impl>;
using K_amax = ocl::Fn<structured_amax, &ocl::amax_impl>;
using K_amin = ocl::Fn<structured_amin, &ocl::amin_impl>;
using K_all_dim = ocl::Fn<structured_all_dim, &ocl::all_dim_impl>;
using K_all_dims = ocl::Fn<structured_all_dims, &ocl::all_dims_impl>;
using K_all = ocl::Fn<structured_all, &ocl::all_impl>;
using K_any_dim = ocl::Fn<structured_any_dim, &ocl::any_dim_impl>;
using K_any_dims = ocl::Fn<structured_any_dims, &ocl::any_dims_impl>;
using K_any = ocl::Fn<structured_any, &ocl::any_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("sum.dim_IntList", &ocl::functional<K_sum, const at::Tensor&, Dims, bool, DType>);
  m.impl("sum.IntList_out", &ocl::out<K_sum, const at::Tensor&, Dims, bool, DType>);
  m.impl("mean.dim", &ocl::functional<K_mean, const at::Tensor&, Dims, bool, DType>);
  m.impl("mean.out", &ocl::out<K_mean, const at::Tensor&, Dims, bool, DType>);
  m.impl("prod.dim_int", &ocl::functional<K_prod, const at::Tensor&, int64_t, bool, DType>);
  m.impl("prod.int_out", &ocl::out<K_prod, const at::Tensor&, int64_t, bool, DType>);
  m.impl("prod", ocl::prod_all);
  m.impl("amax", &ocl::functional<K_amax, const at::Tensor&, at::IntArrayRef, bool>);
  m.impl("amax.out", &ocl::out<K_amax, const at::Tensor&, at::IntArrayRef, bool>);
  m.impl("amin", &ocl::functional<K_amin, const at::Tensor&, at::IntArrayRef, bool>);
  m.impl("amin.out", &ocl::out<K_amin, const at::Tensor&, at::IntArrayRef, bool>);
  m.impl("max", static_cast<Tensor (*)(const at::Tensor&)>(at::native::max));
  m.impl("min", static_cast<Tensor (*)(const at::Tensor&)>(at::native::min));
  m.impl("all.dim", &ocl::functional<K_all_dim, const at::Tensor&, int64_t, bool>);
  m.impl("all.out", &ocl::out<K_all_dim, const at::Tensor&, int64_t, bool>);
  m.impl("all.dims", &ocl::functional<K_all_dims, const at::Tensor&, Dims, bool>);
  m.impl("all.dims_out", &ocl::out<K_all_dims, const at::Tensor&, Dims, bool>);
  m.impl("all", &ocl::functional<K_all, const at::Tensor&>);
  m.impl("all.all_out", &ocl::out<K_all, const at::Tensor&>);
  m.impl("any.dim", &ocl::functional<K_any_dim, const at::Tensor&, int64_t, bool>);
  m.impl("any.out", &ocl::out<K_any_dim, const at::Tensor&, int64_t, bool>);
  m.impl("any.dims", &ocl::functional<K_any_dims, const at::Tensor&, Dims, bool>);
  m.impl("any.dims_out", &ocl::out<K_any_dims, const at::Tensor&, Dims, bool>);
  m.impl("any", &ocl::functional<K_any, const at::Tensor&>);
  m.impl("any.all_out", &ocl::out<K_any, const at::Tensor&>);
}
