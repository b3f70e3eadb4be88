// Registrations: structured unary pointwise operators (upstream UnaryOps.cpp): ATen's meta,
// our kernels; abs through ATen's abs_out and its dispatch stub.
#include <ATen/native/UnaryOps.h>
#include <ATen/ops/abs_native.h>
#include <ATen/ops/logical_not_native.h>
#include <ATen/ops/nan_to_num_native.h>
#include <ATen/ops/acos_meta.h>
#include <ATen/ops/acosh_meta.h>
#include <ATen/ops/asin_meta.h>
#include <ATen/ops/asinh_meta.h>
#include <ATen/ops/atan_meta.h>
#include <ATen/ops/atanh_meta.h>
#include <ATen/ops/bitwise_not_meta.h>
#include <ATen/ops/ceil_meta.h>
#include <ATen/ops/cos_meta.h>
#include <ATen/ops/cosh_meta.h>
#include <ATen/ops/erf_meta.h>
#include <ATen/ops/erfc_meta.h>
#include <ATen/ops/exp_meta.h>
#include <ATen/ops/exp2_meta.h>
#include <ATen/ops/expm1_meta.h>
#include <ATen/ops/floor_meta.h>
#include <ATen/ops/frac_meta.h>
#include <ATen/ops/lgamma_meta.h>
#include <ATen/ops/log_meta.h>
#include <ATen/ops/log10_meta.h>
#include <ATen/ops/log1p_meta.h>
#include <ATen/ops/log2_meta.h>
#include <ATen/ops/neg_meta.h>
#include <ATen/ops/reciprocal_meta.h>
#include <ATen/ops/round_meta.h>
#include <ATen/ops/rsqrt_meta.h>
#include <ATen/ops/sgn_meta.h>
#include <ATen/ops/sigmoid_meta.h>
#include <ATen/ops/sign_meta.h>
#include <ATen/ops/signbit_meta.h>
#include <ATen/ops/sin_meta.h>
#include <ATen/ops/sinh_meta.h>
#include <ATen/ops/sqrt_meta.h>
#include <ATen/ops/tan_meta.h>
#include <ATen/ops/tanh_meta.h>
#include <ATen/ops/trunc_meta.h>
#include <ATen/ops/digamma_meta.h>
#include <ATen/ops/erfinv_meta.h>
#include <ATen/ops/i0_meta.h>
#include <ATen/ops/special_i0e_meta.h>
#include <ATen/ops/special_i1_meta.h>
#include <ATen/ops/special_i1e_meta.h>
#include <ATen/ops/logit_backward_meta.h>
#include <ATen/ops/logit_native.h>
#include <ATen/ops/polygamma_meta.h>
#include <ATen/ops/sinc_meta.h>
#include <torch/library.h>

#include "aten/native/ActivationOps.h"

#include "aten/native/PointwiseOps.h"
#include "aten/native/Structured.h"

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(abs_stub, &ocl::abs_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(logical_not_stub, &ocl::logical_not_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(nan_to_num_stub, &ocl::nan_to_num_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(logit_stub, &ocl::logit_kernel)
}  // namespace at::native

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
template <class Meta, auto Kernel>
using Op = ocl::TI<Meta, Kernel>;
using K_exp = Op<structured_exp, &ocl::exp_kernel>;
using K_exp2 = Op<structured_exp2, &ocl::exp2_kernel>;
using K_expm1 = Op<structured_expm1, &ocl::expm1_kernel>;
using K_log = Op<structured_log, &ocl::log_kernel>;
using K_log2 = Op<structured_log2, &ocl::log2_kernel>;
using K_log10 = Op<structured_log10, &ocl::log10_kernel>;
using K_log1p = Op<structured_log1p, &ocl::log1p_kernel>;
using K_sqrt = Op<structured_sqrt, &ocl::sqrt_kernel>;
using K_rsqrt = Op<structured_rsqrt, &ocl::rsqrt_kernel>;
using K_sin = Op<structured_sin, &ocl::sin_kernel>;
using K_cos = Op<structured_cos, &ocl::cos_kernel>;
using K_tan = Op<structured_tan, &ocl::tan_kernel>;
using K_asin = Op<structured_asin, &ocl::asin_kernel>;
using K_acos = Op<structured_acos, &ocl::acos_kernel>;
using K_atan = Op<structured_atan, &ocl::atan_kernel>;
using K_sinh = Op<structured_sinh, &ocl::sinh_kernel>;
using K_cosh = Op<structured_cosh, &ocl::cosh_kernel>;
using K_tanh = Op<structured_tanh, &ocl::tanh_kernel>;
using K_asinh = Op<structured_asinh, &ocl::asinh_kernel>;
using K_acosh = Op<structured_acosh, &ocl::acosh_kernel>;
using K_atanh = Op<structured_atanh, &ocl::atanh_kernel>;
using K_erf = Op<structured_erf, &ocl::erf_kernel>;
using K_erfc = Op<structured_erfc, &ocl::erfc_kernel>;
using K_lgamma = Op<structured_lgamma, &ocl::lgamma_kernel>;
using K_sigmoid = Op<structured_sigmoid, &ocl::sigmoid_kernel>;
using K_reciprocal = Op<structured_reciprocal, &ocl::reciprocal_kernel>;
using K_neg = Op<structured_neg, &ocl::neg_kernel>;
using K_sign = Op<structured_sign, &ocl::sign_kernel>;
using K_sgn = Op<structured_sgn, &ocl::sgn_kernel>;
using K_floor = Op<structured_floor, &ocl::floor_kernel>;
using K_ceil = Op<structured_ceil, &ocl::ceil_kernel>;
using K_trunc = Op<structured_trunc, &ocl::trunc_kernel>;
using K_round = Op<structured_round, &ocl::round_kernel>;
using K_frac = Op<structured_frac, &ocl::frac_kernel>;
using K_bitwise_not = Op<structured_bitwise_not, &ocl::bitwise_not_kernel>;
using K_signbit = Op<structured_signbit, &ocl::signbit_kernel>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  OCL_STRUCTURED(m, K_exp, "exp", "exp_", "exp.out");
  OCL_STRUCTURED(m, K_exp2, "exp2", "exp2_", "exp2.out");
  OCL_STRUCTURED(m, K_expm1, "expm1", "expm1_", "expm1.out");
  OCL_STRUCTURED(m, K_log, "log", "log_", "log.out");
  OCL_STRUCTURED(m, K_log2, "log2", "log2_", "log2.out");
  OCL_STRUCTURED(m, K_log10, "log10", "log10_", "log10.out");
  OCL_STRUCTURED(m, K_log1p, "log1p", "log1p_", "log1p.out");
  OCL_STRUCTURED(m, K_sqrt, "sqrt", "sqrt_", "sqrt.out");
  OCL_STRUCTURED(m, K_rsqrt, "rsqrt", "rsqrt_", "rsqrt.out");
  OCL_STRUCTURED(m, K_sin, "sin", "sin_", "sin.out");
  OCL_STRUCTURED(m, K_cos, "cos", "cos_", "cos.out");
  OCL_STRUCTURED(m, K_tan, "tan", "tan_", "tan.out");
  OCL_STRUCTURED(m, K_asin, "asin", "asin_", "asin.out");
  OCL_STRUCTURED(m, K_acos, "acos", "acos_", "acos.out");
  OCL_STRUCTURED(m, K_atan, "atan", "atan_", "atan.out");
  OCL_STRUCTURED(m, K_sinh, "sinh", "sinh_", "sinh.out");
  OCL_STRUCTURED(m, K_cosh, "cosh", "cosh_", "cosh.out");
  OCL_STRUCTURED(m, K_tanh, "tanh", "tanh_", "tanh.out");
  OCL_STRUCTURED(m, K_asinh, "asinh", "asinh_", "asinh.out");
  OCL_STRUCTURED(m, K_acosh, "acosh", "acosh_", "acosh.out");
  OCL_STRUCTURED(m, K_atanh, "atanh", "atanh_", "atanh.out");
  OCL_STRUCTURED(m, K_erf, "erf", "erf_", "erf.out");
  OCL_STRUCTURED(m, K_erfc, "erfc", "erfc_", "erfc.out");
  OCL_STRUCTURED(m, K_lgamma, "lgamma", "lgamma_", "lgamma.out");
  OCL_STRUCTURED(m, K_sigmoid, "sigmoid", "sigmoid_", "sigmoid.out");
  OCL_STRUCTURED(m, K_reciprocal, "reciprocal", "reciprocal_", "reciprocal.out");
  OCL_STRUCTURED(m, K_neg, "neg", "neg_", "neg.out");
  OCL_STRUCTURED(m, K_sign, "sign", "sign_", "sign.out");
  OCL_STRUCTURED(m, K_sgn, "sgn", "sgn_", "sgn.out");
  OCL_STRUCTURED(m, K_floor, "floor", "floor_", "floor.out");
  OCL_STRUCTURED(m, K_ceil, "ceil", "ceil_", "ceil.out");
  OCL_STRUCTURED(m, K_trunc, "trunc", "trunc_", "trunc.out");
  OCL_STRUCTURED(m, K_round, "round", "round_", "round.out");
  OCL_STRUCTURED(m, K_frac, "frac", "frac_", "frac.out");
  OCL_STRUCTURED(m, K_bitwise_not, "bitwise_not", "bitwise_not_", "bitwise_not.out");
  m.impl("signbit", &ocl::functional<K_signbit, const at::Tensor&>);
  m.impl("signbit.out", &ocl::out<K_signbit, const at::Tensor&>);
  m.impl("abs.out", at::native::abs_out);
  m.impl("logical_not", at::native::logical_not);
  m.impl("logical_not_", at::native::logical_not_);
  m.impl("logical_not.out", at::native::logical_not_out);
  m.impl("nan_to_num.out", at::native::nan_to_num_out);
}

// Special functions, logit, round with decimals.
namespace {
using K_erfinv = Op<structured_erfinv, &ocl::erfinv_kernel>;
using K_digamma = Op<structured_digamma, &ocl::digamma_kernel>;
using K_i0 = Op<structured_i0, &ocl::i0_kernel>;
using K_i0e = Op<structured_special_i0e, &ocl::i0e_kernel>;
using K_i1 = Op<structured_special_i1, &ocl::i1_kernel>;
using K_i1e = Op<structured_special_i1e, &ocl::i1e_kernel>;
using K_sinc = Op<structured_sinc, &ocl::sinc_kernel>;
using K_polygamma = Op<structured_polygamma, &ocl::polygamma_kernel>;
using K_logit_bw = Op<structured_logit_backward, &ocl::logit_backward_kernel>;
using K_round_decimals = Op<structured_round_decimals, &ocl::round_decimals_kernel>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  OCL_STRUCTURED(m, K_erfinv, "erfinv", "erfinv_", "erfinv.out");
  OCL_STRUCTURED(m, K_digamma, "digamma", "digamma_", "digamma.out");
  OCL_STRUCTURED(m, K_i0, "i0", "i0_", "i0.out");
  m.impl("special_i0e", &ocl::functional<K_i0e, const at::Tensor&>);
  m.impl("special_i0e.out", &ocl::out<K_i0e, const at::Tensor&>);
  m.impl("special_i1", &ocl::functional<K_i1, const at::Tensor&>);
  m.impl("special_i1.out", &ocl::out<K_i1, const at::Tensor&>);
  m.impl("special_i1e", &ocl::functional<K_i1e, const at::Tensor&>);
  m.impl("special_i1e.out", &ocl::out<K_i1e, const at::Tensor&>);
  OCL_STRUCTURED(m, K_sinc, "sinc", "sinc_", "sinc.out");
  OCL_STRUCTURED(m, K_round_decimals, "round.decimals", "round_.decimals", "round.decimals_out", int64_t);
  m.impl("polygamma", &ocl::functional<K_polygamma, int64_t, const at::Tensor&>);
  m.impl("polygamma.out", &ocl::out<K_polygamma, int64_t, const at::Tensor&>);
  m.impl("logit", at::native::logit);
  m.impl("logit_", at::native::logit_);
  m.impl("logit.out", at::native::logit_out);
  m.impl("logit_backward", &ocl::functional<K_logit_bw, const at::Tensor&, const at::Tensor&, std::optional<double>>);
  m.impl("logit_backward.grad_input", &ocl::out<K_logit_bw, const at::Tensor&, const at::Tensor&, std::optional<double>>);
}
