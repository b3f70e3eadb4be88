// Registrations: reductions (upstream ReduceOps.cpp, ReduceAllOps.cpp; max/min over a dim and
// aminmax of TensorCompare.cpp; linalg_vector_norm of LinearAlgebra.cpp).
#include <ATen/core/Tensor.h>
#include <ATen/native/ReduceAllOps.h>
#include <ATen/ops/all_meta.h>
#include <ATen/ops/amax_meta.h>
#include <ATen/ops/amin_meta.h>
#include <ATen/ops/aminmax_meta.h>
#include <ATen/ops/argmax_meta.h>
#include <ATen/ops/argmin_meta.h>
#include <ATen/ops/linalg_vector_norm.h>
#include <ATen/ops/linalg_vector_norm_meta.h>
#include <ATen/ops/max_meta.h>
#include <ATen/ops/min_meta.h>
#include <ATen/ops/any_meta.h>
#include <ATen/ops/empty.h>
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
using K_argmax = ocl::Fn<structured_argmax, &ocl::argmax_impl>;
using K_argmin = ocl::Fn<structured_argmin, &ocl::argmin_impl>;
using K_max_dim = ocl::Fn<structured_max_dim, &ocl::max_dim_impl>;
using K_min_dim = ocl::Fn<structured_min_dim, &ocl::min_dim_impl>;
using K_aminmax = ocl::Fn<structured_aminmax, &ocl::aminmax_impl>;
using K_vector_norm = ocl::Fn<structured_linalg_vector_norm, &ocl::vector_norm_impl>;
using Correction = const std::optional<at::Scalar>&;
using OptDim = std::optional<int64_t>;

at::ScalarType real_type(const Tensor& self) { return c10::toRealValueType(self.scalar_type()); }

Tensor var_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim) {
  Tensor result = at::empty({0}, self.options().dtype(real_type(self)));
  return ocl::std_var_out("var", result, self, dim, correction, keepdim, false);
}
Tensor std_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim) {
  Tensor result = at::empty({0}, self.options().dtype(real_type(self)));
  return ocl::std_var_out("std", result, self, dim, correction, keepdim, true);
}
Tensor& var_out_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim, Tensor& result) {
  return ocl::std_var_out("var", result, self, dim, correction, keepdim, false);
}
Tensor& std_out_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim, Tensor& result) {
  return ocl::std_var_out("std", result, self, dim, correction, keepdim, true);
}
std::tuple<Tensor, Tensor> var_mean_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim) {
  Tensor r1 = at::empty({0}, self.options().dtype(real_type(self))), r2 = at::empty({0}, r1.options());
  ocl::std_var_mean_out("var_mean", r1, r2, self, dim, correction, keepdim, false);
  return {r1, r2};
}
std::tuple<Tensor, Tensor> std_mean_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim) {
  Tensor r1 = at::empty({0}, self.options().dtype(real_type(self))), r2 = at::empty({0}, r1.options());
  ocl::std_var_mean_out("std_mean", r1, r2, self, dim, correction, keepdim, true);
  return {r1, r2};
}
std::tuple<Tensor&, Tensor&> var_mean_out_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim,
                                          Tensor& r1, Tensor& r2) {
  return ocl::std_var_mean_out("var_mean", r1, r2, self, dim, correction, keepdim, false);
}
std::tuple<Tensor&, Tensor&> std_mean_out_fn(const Tensor& self, Dims dim, Correction correction, bool keepdim,
                                          Tensor& r1, Tensor& r2) {
  return ocl::std_var_mean_out("std_mean", r1, r2, self, dim, correction, keepdim, true);
}
// norm's overloads are linalg_vector_norm with p defaulting to 2.
Tensor norm_dim(const Tensor& self, const std::optional<at::Scalar>& p, at::IntArrayRef dim, bool keepdim) {
  return at::linalg_vector_norm(self, p.value_or(2), dim, keepdim, std::nullopt);
}
Tensor& norm_dim_out(const Tensor& self, const std::optional<at::Scalar>& p, at::IntArrayRef dim, bool keepdim,
                     Tensor& out) {
  return at::linalg_vector_norm_out(out, self, p.value_or(2), dim, keepdim, std::nullopt);
}
Tensor norm_dim_dtype(const Tensor& self, const std::optional<at::Scalar>& p, at::IntArrayRef dim, bool keepdim,
                      at::ScalarType dtype) {
  return at::linalg_vector_norm(self, p.value_or(2), dim, keepdim, dtype);
}
Tensor& norm_dim_dtype_out(const Tensor& self, const std::optional<at::Scalar>& p, at::IntArrayRef dim, bool keepdim,
                           at::ScalarType dtype, Tensor& out) {
  return at::linalg_vector_norm_out(out, self, p.value_or(2), dim, keepdim, dtype);
}
Tensor norm_all(const Tensor& self, const at::Scalar& p) {
  return at::linalg_vector_norm(self, p, at::IntArrayRef{}, false, std::nullopt);
}
Tensor& norm_all_out(const Tensor& self, const at::Scalar& p, Tensor& out) {
  return at::linalg_vector_norm_out(out, self, p, at::IntArrayRef{}, false, std::nullopt);
}
Tensor norm_all_dtype(const Tensor& self, const std::optional<at::Scalar>& p, at::ScalarType dtype) {
  return at::linalg_vector_norm(self, p.value_or(2), at::IntArrayRef{}, false, dtype);
}
Tensor& norm_all_dtype_out(const Tensor& self, const std::optional<at::Scalar>& p, at::ScalarType dtype, Tensor& out) {
  return at::linalg_vector_norm_out(out, self, p.value_or(2), at::IntArrayRef{}, false, dtype);
}
Tensor count_nonzero_dims(const Tensor& self, at::IntArrayRef dims) { return ocl::count_nonzero(self, dims); }
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
  m.impl("argmax", &ocl::functional<K_argmax, const at::Tensor&, OptDim, bool>);
  m.impl("argmax.out", &ocl::out<K_argmax, const at::Tensor&, OptDim, bool>);
  m.impl("argmin", &ocl::functional<K_argmin, const at::Tensor&, OptDim, bool>);
  m.impl("argmin.out", &ocl::out<K_argmin, const at::Tensor&, OptDim, bool>);
  m.impl("max.dim", &ocl::functional2<K_max_dim, const at::Tensor&, int64_t, bool>);
  m.impl("max.dim_max", &ocl::out2<K_max_dim, const at::Tensor&, int64_t, bool>);
  m.impl("min.dim", &ocl::functional2<K_min_dim, const at::Tensor&, int64_t, bool>);
  m.impl("min.dim_min", &ocl::out2<K_min_dim, const at::Tensor&, int64_t, bool>);
  m.impl("aminmax", &ocl::functional2<K_aminmax, const at::Tensor&, OptDim, bool>);
  m.impl("aminmax.out", &ocl::out2<K_aminmax, const at::Tensor&, OptDim, bool>);
  m.impl("linalg_vector_norm",
         &ocl::functional<K_vector_norm, const at::Tensor&, const at::Scalar&, Dims, bool, DType>);
  m.impl("linalg_vector_norm.out", &ocl::out<K_vector_norm, const at::Tensor&, const at::Scalar&, Dims, bool, DType>);
  m.impl("var.correction", var_fn);
  m.impl("var.correction_out", var_out_fn);
  m.impl("std.correction", std_fn);
  m.impl("std.correction_out", std_out_fn);
  m.impl("var_mean.correction", var_mean_fn);
  m.impl("var_mean.correction_out", var_mean_out_fn);
  m.impl("std_mean.correction", std_mean_fn);
  m.impl("std_mean.correction_out", std_mean_out_fn);
  m.impl("nansum", ocl::nansum);
  m.impl("nansum.out", ocl::nansum_out);
  m.impl("count_nonzero.dim_IntList", count_nonzero_dims);
  m.impl("norm.ScalarOpt_dim", norm_dim);
  m.impl("norm.out", norm_dim_out);
  m.impl("norm.ScalarOpt_dim_dtype", norm_dim_dtype);
  m.impl("norm.dtype_out", norm_dim_dtype_out);
  m.impl("norm.Scalar", norm_all);
  m.impl("norm.Scalar_out", norm_all_out);
  m.impl("norm.ScalarOpt_dtype", norm_all_dtype);
  m.impl("norm.ScalarOpt_dtype_out", norm_all_dtype_out);
}
