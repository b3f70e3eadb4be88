// Registrations: where, clamp family, isposinf/isneginf, equal (upstream TensorCompare.cpp; equal
// as upstream cuda/Equal.cpp).
#include <ATen/native/TensorCompare.h>
#include <ATen/ops/all.h>
#include <ATen/ops/clamp_max_meta.h>
#include <ATen/ops/clamp_meta.h>
#include <ATen/ops/clamp_min_meta.h>
#include <ATen/ops/isnan_native.h>
#include <ATen/ops/isneginf_meta.h>
#include <ATen/ops/isposinf_meta.h>
#include <ATen/ops/eq.h>
#include <ATen/ops/where_native.h>
#include <torch/library.h>

#include "aten/native/PointwiseOps.h"
#include "aten/native/Structured.h"

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(where_kernel, &ocl::where_kernel)
}  // namespace at::native

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
using at::Tensor;
using K_clamp = ocl::TI<structured_clamp, &ocl::clamp_kernel>;
using K_clamp_t = ocl::TI<structured_clamp_Tensor, &ocl::clamp_tensor_kernel>;
using K_clamp_min = ocl::TI<structured_clamp_min, &ocl::clamp_min_kernel>;
using K_clamp_max = ocl::TI<structured_clamp_max, &ocl::clamp_max_kernel>;
using K_clamp_min_t = ocl::TI<structured_clamp_min_Tensor, &ocl::clamp_min_tensor_kernel>;
using K_clamp_max_t = ocl::TI<structured_clamp_max_Tensor, &ocl::clamp_max_tensor_kernel>;
using K_isposinf = ocl::TI<structured_isposinf, &ocl::isposinf_kernel>;
using K_isneginf = ocl::TI<structured_isneginf, &ocl::isneginf_kernel>;
using SRef = at::OptionalScalarRef;
using TRef = at::OptionalTensorRef;

// The schema passes optionals; ATen's meta takes references to them.
SRef sref(const std::optional<at::Scalar>& s) { return s ? SRef(*s) : SRef(); }
TRef tref(const std::optional<Tensor>& t) { return t && t->defined() ? TRef(*t) : TRef(); }

Tensor clamp(const Tensor& self, const std::optional<at::Scalar>& min, const std::optional<at::Scalar>& max) {
  return ocl::functional<K_clamp, const Tensor&, SRef, SRef>(self, sref(min), sref(max));
}
Tensor& clamp_(Tensor& self, const std::optional<at::Scalar>& min, const std::optional<at::Scalar>& max) {
  return ocl::inplace<K_clamp, SRef, SRef>(self, sref(min), sref(max));
}
Tensor& clamp_out(const Tensor& self, const std::optional<at::Scalar>& min, const std::optional<at::Scalar>& max,
                  Tensor& out) {
  return ocl::out<K_clamp, const Tensor&, SRef, SRef>(self, sref(min), sref(max), out);
}
Tensor clamp_t(const Tensor& self, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  return ocl::functional<K_clamp_t, const Tensor&, TRef, TRef>(self, tref(min), tref(max));
}
Tensor& clamp_t_(Tensor& self, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  return ocl::inplace<K_clamp_t, TRef, TRef>(self, tref(min), tref(max));
}
Tensor& clamp_t_out(const Tensor& self, const std::optional<Tensor>& min, const std::optional<Tensor>& max,
                    Tensor& out) {
  return ocl::out<K_clamp_t, const Tensor&, TRef, TRef>(self, tref(min), tref(max), out);
}

// torch.equal as CUDA answers it: same sizes and every element equal (NaN is unequal), one value
// read back; a view of itself is equal without a launch.
bool equal(const Tensor& self, const Tensor& other) {
  TORCH_CHECK(self.device() == other.device(), "Cannot compare two tensors on different devices. Got: ",
              self.device(), " and ", other.device());
  if (self.sizes() != other.sizes()) return false;
  if (self.numel() == 0) return true;
  if (self.is_alias_of(other) && self.storage_offset() == other.storage_offset() && self.dtype() == other.dtype() &&
      self.strides() == other.strides() && self.is_neg() == other.is_neg() && self.is_conj() == other.is_conj())
    return true;
  return at::eq(self, other).all().item<bool>();
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("where.self", static_cast<Tensor (*)(const at::Tensor&, const at::Tensor&, const at::Tensor&)>(at::native::where));
  m.impl("where.self_out", at::native::where_self_out);
  m.impl("clamp", clamp);
  m.impl("clamp_", clamp_);
  m.impl("clamp.out", clamp_out);
  m.impl("clamp.Tensor", clamp_t);
  m.impl("clamp_.Tensor", clamp_t_);
  m.impl("clamp.Tensor_out", clamp_t_out);
  OCL_STRUCTURED(m, K_clamp_min, "clamp_min", "clamp_min_", "clamp_min.out", const at::Scalar&);
  OCL_STRUCTURED(m, K_clamp_max, "clamp_max", "clamp_max_", "clamp_max.out", const at::Scalar&);
  OCL_STRUCTURED(m, K_clamp_min_t, "clamp_min.Tensor", "clamp_min_.Tensor", "clamp_min.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_clamp_max_t, "clamp_max.Tensor", "clamp_max_.Tensor", "clamp_max.Tensor_out", const at::Tensor&);
  m.impl("isnan", at::native::isnan);
  m.impl("isposinf", &ocl::functional<K_isposinf, const at::Tensor&>);
  m.impl("isposinf.out", &ocl::out<K_isposinf, const at::Tensor&>);
  m.impl("isneginf", &ocl::functional<K_isneginf, const at::Tensor&>);
  m.impl("isneginf.out", &ocl::out<K_isneginf, const at::Tensor&>);
  m.impl("equal", equal);
}
