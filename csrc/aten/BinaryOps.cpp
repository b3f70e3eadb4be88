// Registrations: structured binary pointwise operators (upstream BinaryOps.cpp, pow,
// comparisons): ATen's meta, our kernels.
#include <ATen/ops/add_meta.h>
#include <ATen/ops/atan2_meta.h>
#include <ATen/ops/bitwise_and_meta.h>
#include <ATen/ops/bitwise_or_meta.h>
#include <ATen/ops/bitwise_xor_meta.h>
#include <ATen/ops/copysign_meta.h>
#include <ATen/ops/div_meta.h>
#include <ATen/ops/eq_meta.h>
#include <ATen/ops/fmax_meta.h>
#include <ATen/ops/fmin_meta.h>
#include <ATen/ops/fmod_meta.h>
#include <ATen/ops/ge_meta.h>
#include <ATen/ops/gt_meta.h>
#include <ATen/ops/hypot_meta.h>
#include <ATen/ops/le_meta.h>
#include <ATen/ops/logaddexp_meta.h>
#include <ATen/ops/lt_meta.h>
#include <ATen/ops/maximum_meta.h>
#include <ATen/ops/minimum_meta.h>
#include <ATen/ops/mul_meta.h>
#include <ATen/ops/ne_meta.h>
#include <ATen/ops/nextafter_meta.h>
#include <ATen/ops/pow_meta.h>
#include <ATen/ops/remainder_meta.h>
#include <ATen/ops/sub_meta.h>
#include <ATen/ops/xlogy_meta.h>
#include <ATen/native/BinaryOps.h>
#include <ATen/ops/floor_divide_native.h>
#include <ATen/ops/logical_and_native.h>
#include <ATen/ops/logical_or_native.h>
#include <ATen/ops/rsub_native.h>
#include <ATen/ops/logical_xor_native.h>
#include <ATen/ops/bitwise_left_shift_meta.h>
#include <ATen/ops/bitwise_right_shift_meta.h>
#include <ATen/ops/heaviside_meta.h>
#include <ATen/ops/logaddexp2_meta.h>
#include <ATen/ops/lshift_native.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/rshift_native.h>
#include <ATen/ScalarOps.h>
#include <torch/library.h>

#include "aten/native/ActivationOps.h"

#include "aten/native/PointwiseOps.h"
#include "aten/native/Structured.h"

namespace at::native {
// floor_divide is not structured: ATen's implementation runs this stub.
REGISTER_PRIVATEUSE1_DISPATCH(div_floor_stub, &ocl::div_floor_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(logical_and_stub, &ocl::logical_and_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(logical_or_stub, &ocl::logical_or_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(logical_xor_stub, &ocl::logical_xor_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(lshift_stub, &ocl::lshift_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(rshift_stub, &ocl::rshift_kernel)
}  // namespace at::native

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
template <class Meta, auto Kernel>
using Op = ocl::TI<Meta, Kernel>;
using K_add_Tensor = Op<structured_add_Tensor, &ocl::add_kernel>;
using K_sub_Tensor = Op<structured_sub_Tensor, &ocl::sub_kernel>;
using K_mul_Tensor = Op<structured_mul_Tensor, &ocl::mul_kernel>;
using K_div_Tensor = Op<structured_div_Tensor, &ocl::div_kernel>;
using K_div_Tensor_mode = Op<structured_div_Tensor_mode, &ocl::div_mode_kernel>;
using K_eq_Tensor = Op<structured_eq_Tensor, &ocl::eq_kernel>;
using K_eq_Scalar = Op<structured_eq_Scalar, &ocl::eq_kernel>;
using K_ne_Tensor = Op<structured_ne_Tensor, &ocl::ne_kernel>;
using K_ne_Scalar = Op<structured_ne_Scalar, &ocl::ne_kernel>;
using K_lt_Tensor = Op<structured_lt_Tensor, &ocl::lt_kernel>;
using K_lt_Scalar = Op<structured_lt_Scalar, &ocl::lt_kernel>;
using K_le_Tensor = Op<structured_le_Tensor, &ocl::le_kernel>;
using K_le_Scalar = Op<structured_le_Scalar, &ocl::le_kernel>;
using K_gt_Tensor = Op<structured_gt_Tensor, &ocl::gt_kernel>;
using K_gt_Scalar = Op<structured_gt_Scalar, &ocl::gt_kernel>;
using K_ge_Tensor = Op<structured_ge_Tensor, &ocl::ge_kernel>;
using K_ge_Scalar = Op<structured_ge_Scalar, &ocl::ge_kernel>;
using K_pow_Tensor_Tensor = Op<structured_pow_Tensor_Tensor, &ocl::pow_kernel>;
using K_pow_Tensor_Scalar = Op<structured_pow_Tensor_Scalar, &ocl::pow_scalar_kernel>;
using K_bitwise_and_Tensor = Op<structured_bitwise_and_Tensor, &ocl::bitwise_and_kernel>;
using K_bitwise_or_Tensor = Op<structured_bitwise_or_Tensor, &ocl::bitwise_or_kernel>;
using K_bitwise_xor_Tensor = Op<structured_bitwise_xor_Tensor, &ocl::bitwise_xor_kernel>;
using K_atan2 = Op<structured_atan2, &ocl::atan2_kernel>;
using K_hypot = Op<structured_hypot, &ocl::hypot_kernel>;
using K_copysign_Tensor = Op<structured_copysign_Tensor, &ocl::copysign_kernel>;
using K_fmod_Tensor = Op<structured_fmod_Tensor, &ocl::fmod_kernel>;
using K_remainder_Tensor = Op<structured_remainder_Tensor, &ocl::remainder_kernel>;
using K_nextafter = Op<structured_nextafter, &ocl::nextafter_kernel>;
using K_xlogy_Tensor = Op<structured_xlogy_Tensor, &ocl::xlogy_kernel>;
using K_maximum = Op<structured_maximum, &ocl::maximum_kernel>;
using K_minimum = Op<structured_minimum, &ocl::minimum_kernel>;
using K_fmax = Op<structured_fmax, &ocl::fmax_kernel>;
using K_fmin = Op<structured_fmin, &ocl::fmin_kernel>;
using K_logaddexp = Op<structured_logaddexp, &ocl::logaddexp_kernel>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  using at::Tensor;
  m.impl("logical_and", at::native::logical_and);
  m.impl("logical_and_", at::native::logical_and_);
  m.impl("logical_and.out", at::native::logical_and_out);
  m.impl("logical_or", at::native::logical_or);
  m.impl("logical_or_", at::native::logical_or_);
  m.impl("logical_or.out", at::native::logical_or_out);
  m.impl("logical_xor", at::native::logical_xor);
  m.impl("logical_xor_", at::native::logical_xor_);
  m.impl("logical_xor.out", at::native::logical_xor_out);
  m.impl("rsub.Tensor", static_cast<Tensor (*)(const Tensor&, const Tensor&, const at::Scalar&)>(at::native::rsub));
  m.impl("floor_divide", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(at::native::floor_divide));
  m.impl("floor_divide_.Tensor", static_cast<Tensor& (*)(Tensor&, const Tensor&)>(at::native::floor_divide_));
  m.impl("floor_divide.out",
         static_cast<Tensor& (*)(const Tensor&, const Tensor&, Tensor&)>(at::native::floor_divide_out));
  OCL_STRUCTURED(m, K_add_Tensor, "add.Tensor", "add_.Tensor", "add.out", const at::Tensor&, const at::Scalar&);
  OCL_STRUCTURED(m, K_sub_Tensor, "sub.Tensor", "sub_.Tensor", "sub.out", const at::Tensor&, const at::Scalar&);
  OCL_STRUCTURED(m, K_mul_Tensor, "mul.Tensor", "mul_.Tensor", "mul.out", const at::Tensor&);
  OCL_STRUCTURED(m, K_div_Tensor, "div.Tensor", "div_.Tensor", "div.out", const at::Tensor&);
  OCL_STRUCTURED(m, K_div_Tensor_mode, "div.Tensor_mode", "div_.Tensor_mode", "div.out_mode", const at::Tensor&, std::optional<c10::string_view>);
  OCL_STRUCTURED(m, K_eq_Tensor, "eq.Tensor", "eq_.Tensor", "eq.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_eq_Scalar, "eq.Scalar", "eq_.Scalar", "eq.Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_ne_Tensor, "ne.Tensor", "ne_.Tensor", "ne.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_ne_Scalar, "ne.Scalar", "ne_.Scalar", "ne.Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_lt_Tensor, "lt.Tensor", "lt_.Tensor", "lt.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_lt_Scalar, "lt.Scalar", "lt_.Scalar", "lt.Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_le_Tensor, "le.Tensor", "le_.Tensor", "le.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_le_Scalar, "le.Scalar", "le_.Scalar", "le.Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_gt_Tensor, "gt.Tensor", "gt_.Tensor", "gt.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_gt_Scalar, "gt.Scalar", "gt_.Scalar", "gt.Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_ge_Tensor, "ge.Tensor", "ge_.Tensor", "ge.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_ge_Scalar, "ge.Scalar", "ge_.Scalar", "ge.Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_pow_Tensor_Tensor, "pow.Tensor_Tensor", "pow_.Tensor", "pow.Tensor_Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_pow_Tensor_Scalar, "pow.Tensor_Scalar", "pow_.Scalar", "pow.Tensor_Scalar_out", const at::Scalar&);
  OCL_STRUCTURED(m, K_bitwise_and_Tensor, "bitwise_and.Tensor", "bitwise_and_.Tensor", "bitwise_and.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_bitwise_or_Tensor, "bitwise_or.Tensor", "bitwise_or_.Tensor", "bitwise_or.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_bitwise_xor_Tensor, "bitwise_xor.Tensor", "bitwise_xor_.Tensor", "bitwise_xor.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_atan2, "atan2", "atan2_", "atan2.out", const at::Tensor&);
  OCL_STRUCTURED(m, K_hypot, "hypot", "hypot_", "hypot.out", const at::Tensor&);
  OCL_STRUCTURED(m, K_copysign_Tensor, "copysign.Tensor", "copysign_.Tensor", "copysign.out", const at::Tensor&);
  OCL_STRUCTURED(m, K_fmod_Tensor, "fmod.Tensor", "fmod_.Tensor", "fmod.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_remainder_Tensor, "remainder.Tensor", "remainder_.Tensor", "remainder.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_nextafter, "nextafter", "nextafter_", "nextafter.out", const at::Tensor&);
  OCL_STRUCTURED(m, K_xlogy_Tensor, "xlogy.Tensor", "xlogy_.Tensor", "xlogy.OutTensor", const at::Tensor&);
  m.impl("maximum", &ocl::functional<K_maximum, const at::Tensor&, const at::Tensor&>);
  m.impl("maximum.out", &ocl::out<K_maximum, const at::Tensor&, const at::Tensor&>);
  m.impl("minimum", &ocl::functional<K_minimum, const at::Tensor&, const at::Tensor&>);
  m.impl("minimum.out", &ocl::out<K_minimum, const at::Tensor&, const at::Tensor&>);
  m.impl("fmax", &ocl::functional<K_fmax, const at::Tensor&, const at::Tensor&>);
  m.impl("fmax.out", &ocl::out<K_fmax, const at::Tensor&, const at::Tensor&>);
  m.impl("fmin", &ocl::functional<K_fmin, const at::Tensor&, const at::Tensor&>);
  m.impl("fmin.out", &ocl::out<K_fmin, const at::Tensor&, const at::Tensor&>);
  m.impl("logaddexp", &ocl::functional<K_logaddexp, const at::Tensor&, const at::Tensor&>);
  m.impl("logaddexp.out", &ocl::out<K_logaddexp, const at::Tensor&, const at::Tensor&>);
}

// heaviside, logaddexp2, shifts, pow(Scalar base, Tensor exponent).
namespace {
using K_heaviside = Op<structured_heaviside, &ocl::heaviside_kernel>;
using K_logaddexp2 = Op<structured_logaddexp2, &ocl::logaddexp2_kernel>;
using K_lshift = Op<structured_bitwise_left_shift_Tensor, &ocl::lshift_kernel>;
using K_rshift = Op<structured_bitwise_right_shift_Tensor, &ocl::rshift_kernel>;

// The base joins as a wrapped number, so type promotion is the same as pow(Tensor, Tensor)'s.
at::Tensor pow_scalar_base(const at::Scalar& base, const at::Tensor& exponent) {
  return at::pow(at::native::wrapped_scalar_tensor(base), exponent);
}
at::Tensor& pow_scalar_base_out(const at::Scalar& base, const at::Tensor& exponent, at::Tensor& out) {
  return at::pow_out(out, at::native::wrapped_scalar_tensor(base), exponent);
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  using at::Tensor;
  OCL_STRUCTURED(m, K_heaviside, "heaviside", "heaviside_", "heaviside.out", const at::Tensor&);
  m.impl("logaddexp2", &ocl::functional<K_logaddexp2, const at::Tensor&, const at::Tensor&>);
  m.impl("logaddexp2.out", &ocl::out<K_logaddexp2, const at::Tensor&, const at::Tensor&>);
  OCL_STRUCTURED(m, K_lshift, "bitwise_left_shift.Tensor", "bitwise_left_shift_.Tensor", "bitwise_left_shift.Tensor_out", const at::Tensor&);
  OCL_STRUCTURED(m, K_rshift, "bitwise_right_shift.Tensor", "bitwise_right_shift_.Tensor", "bitwise_right_shift.Tensor_out", const at::Tensor&);
  m.impl("__lshift__.Tensor", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(at::native::__lshift__));
  m.impl("__lshift__.Scalar", static_cast<Tensor (*)(const Tensor&, const at::Scalar&)>(at::native::__lshift__));
  m.impl("__ilshift__.Tensor", static_cast<Tensor& (*)(Tensor&, const Tensor&)>(at::native::__ilshift__));
  m.impl("__ilshift__.Scalar", static_cast<Tensor& (*)(Tensor&, const at::Scalar&)>(at::native::__ilshift__));
  m.impl("__rshift__.Tensor", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(at::native::__rshift__));
  m.impl("__rshift__.Scalar", static_cast<Tensor (*)(const Tensor&, const at::Scalar&)>(at::native::__rshift__));
  m.impl("__irshift__.Tensor", static_cast<Tensor& (*)(Tensor&, const Tensor&)>(at::native::__irshift__));
  m.impl("__irshift__.Scalar", static_cast<Tensor& (*)(Tensor&, const at::Scalar&)>(at::native::__irshift__));
  m.impl("pow.Scalar", pow_scalar_base);
  m.impl("pow.Scalar_out", pow_scalar_base_out);
}
