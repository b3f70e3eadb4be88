// The optimizers' _foreach_* operators on the multi-tensor launcher (see ForeachOps.h). The
// expressions are those of the per-tensor kernels (PointwiseOps.cpp, BinaryOps.cpp), so
// both paths compute the same values.
#include "aten/native/ForeachOps.h"

#include <ATen/ops/_foreach_add_native.h>
#include <ATen/ops/_foreach_addcdiv_native.h>
#include <ATen/ops/_foreach_addcmul_native.h>
#include <ATen/ops/_foreach_div_native.h>
#include <ATen/ops/_foreach_lerp_native.h>
#include <ATen/ops/_foreach_mul_native.h>
#include <ATen/ops/_foreach_sqrt_native.h>
#include <ATen/ops/empty_like.h>

#include "aten/native/Foreach.h"

namespace at::native::ocl {
namespace {

// Real scalars only: complex values take the per-tensor path.
bool real(const Scalar& s) { return !s.isComplex(); }
bool real(ArrayRef<Scalar> s) {
  return std::all_of(s.begin(), s.end(), [](const Scalar& v) { return !v.isComplex(); });
}
std::vector<double> values(ArrayRef<Scalar> s) {
  std::vector<double> v;
  for (const Scalar& x : s) v.push_back(x.toDouble());
  return v;
}
std::vector<Tensor> empty_like_all(TensorList self) {
  std::vector<Tensor> out;
  for (const Tensor& t : self) out.push_back(at::empty_like(t));
  return out;
}
const char* const kLerp = "fabs(u0) < 0.5 ? a + u0 * (b - a) : b - (b - a) * (1 - u0)";

}  // namespace

void foreach_add_scalar_(TensorList self, const Scalar& s) {
  if (!real(s) || !foreach_fast_route({self})) return at::native::foreach_tensor_add_scalar_kernel_slow_(self, s);
  foreach_apply("add_s", "a + u0", {self}, self, {s.toDouble()});
}

void foreach_add_list_(TensorList self, TensorList other, const Scalar& alpha) {
  if (!real(alpha) || !foreach_fast_route({self, other}))
    return at::native::foreach_tensor_add_list_kernel_slow_(self, other, alpha);
  foreach_apply("add_l", "a + u0 * b", {self, other}, self, {alpha.toDouble()});
}

std::vector<Tensor> foreach_add_list(TensorList self, TensorList other, const Scalar& alpha) {
  if (!real(alpha) || !foreach_fast_route({self, other}))
    return at::native::foreach_tensor_add_list_kernel_slow(self, other, alpha);
  auto out = empty_like_all(self);
  foreach_apply("add_l", "a + u0 * b", {self, other}, out, {alpha.toDouble()});
  return out;
}

void foreach_mul_scalar_(TensorList self, const Scalar& s) {
  if (!real(s) || !foreach_fast_route({self})) return at::native::foreach_tensor_mul_scalar_kernel_slow_(self, s);
  foreach_apply("mul_s", "a * u0", {self}, self, {s.toDouble()});
}

void foreach_mul_list_(TensorList self, TensorList other) {
  if (!foreach_fast_route({self, other})) return at::native::foreach_tensor_mul_list_kernel_slow_(self, other);
  foreach_apply("mul_l", "a * b", {self, other}, self, {});
}

void foreach_div_scalar_(TensorList self, const Scalar& s) {
  if (!real(s) || !foreach_fast_route({self})) return at::native::foreach_tensor_div_scalar_kernel_slow_(self, s);
  foreach_apply("div_s", "a / u0", {self}, self, {s.toDouble()});
}

void foreach_div_scalarlist_(TensorList self, ArrayRef<Scalar> s) {
  if (s.size() != self.size() || !real(s) || !foreach_fast_route({self}))
    return at::native::foreach_tensor_div_scalarlist_kernel_slow_(self, s);
  foreach_apply("div_sl", "a / s", {self}, self, {}, values(s));
}

void foreach_lerp_scalar_(TensorList self, TensorList end, const Scalar& weight) {
  if (!real(weight) || !foreach_fast_route({self, end}))
    return at::native::foreach_tensor_lerp_list_kernel_slow_(self, end, weight);
  foreach_apply("lerp_s", kLerp, {self, end}, self, {weight.toDouble()});
}

void foreach_addcmul_scalar_(TensorList self, TensorList t1, TensorList t2, const Scalar& value) {
  if (!real(value) || !foreach_fast_route({self, t1, t2}))
    return at::native::foreach_tensor_addcmul_scalar_slow_(self, t1, t2, value);
  foreach_apply("addcmul_s", "a + u0 * b * c", {self, t1, t2}, self, {value.toDouble()});
}

void foreach_addcdiv_scalar_(TensorList self, TensorList t1, TensorList t2, const Scalar& value) {
  if (!real(value) || !foreach_fast_route({self, t1, t2}))
    return at::native::foreach_tensor_addcdiv_scalar_slow_(self, t1, t2, value);
  foreach_apply("addcdiv_s", "a + u0 * (b / c)", {self, t1, t2}, self, {value.toDouble()});
}

void foreach_addcdiv_scalarlist_(TensorList self, TensorList t1, TensorList t2, ArrayRef<Scalar> values_) {
  if (values_.size() != self.size() || !real(values_) || !foreach_fast_route({self, t1, t2}))
    return at::native::foreach_tensor_addcdiv_scalarlist_slow_(self, t1, t2, values_);
  foreach_apply("addcdiv_sl", "a + s * (b / c)", {self, t1, t2}, self, {}, values(values_));
}

std::vector<Tensor> foreach_sqrt(TensorList self) {
  if (!foreach_fast_route({self})) return at::native::foreach_tensor_sqrt_slow(self);
  auto out = empty_like_all(self);
  foreach_apply("sqrt", "sqrt(a)", {self}, out, {});
  return out;
}

void foreach_sqrt_(TensorList self) {
  if (!foreach_fast_route({self})) return at::native::foreach_tensor_sqrt_slow_(self);
  foreach_apply("sqrt", "sqrt(a)", {self}, self, {});
}

}  // namespace at::native::ocl
