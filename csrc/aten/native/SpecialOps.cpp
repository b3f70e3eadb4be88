// Special and miscellaneous pointwise kernels: erfinv, digamma, polygamma, i0/i0e/i1/i1e, sinc, logit
// (+ backward), round with decimals, heaviside, logaddexp2, bit shifts (helpers in special.cl).
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <cmath>

#include "aten/native/Pointwise.h"
#include "aten/native/ActivationOps.h"

namespace at::native::ocl {
namespace {

void special(TensorIteratorBase& iter, const char* name, const std::string& float_expr, const std::string& int_expr,
             std::vector<KernelScalar> scalars = {}) {
  pointwise_expr(iter, name, float_expr, int_expr, std::move(scalars), "special.cl");
}

}  // namespace

void erfinv_kernel(TensorIteratorBase& iter) { special(iter, "erfinv", "erfinv_T(a)", ""); }
void digamma_kernel(TensorIteratorBase& iter) { special(iter, "digamma", "digamma_T(a)", ""); }
void i0_kernel(TensorIteratorBase& iter) { special(iter, "i0", "i0_T(a)", ""); }
void i0e_kernel(TensorIteratorBase& iter) { special(iter, "i0e", "i0e_T(a)", ""); }
void i1_kernel(TensorIteratorBase& iter) { special(iter, "i1", "i1_T(a)", ""); }
void i1e_kernel(TensorIteratorBase& iter) { special(iter, "i1e", "i1e_T(a)", ""); }

void polygamma_kernel(TensorIteratorBase& iter, int64_t n, const Tensor&, const Tensor&) {
  TORCH_CHECK(n >= 0, "polygamma(n, x) does not support negative n.");
  special(iter, "polygamma", "polygamma_T(s0, a)", "", {{kLong, n}});
}

// sin(pi x) / (pi x), 1 at 0, with the product rounded to the compute type as on the CPU
void sinc_kernel(TensorIteratorBase& iter) {
  ScalarType c = common_compute_type(iter);
  special(iter, "sinc", "a == 0 ? 1 : sin(a * s0) / (a * s0)", "", {{c, M_PI}});
}

// eps < 0: no clamping (ATen passes -1 for None)
void logit_kernel(TensorIteratorBase& iter, const Scalar& eps_scalar) {
  ScalarType c = common_compute_type(iter);
  double eps = eps_scalar.toDouble();
  if (eps < 0) return special(iter, "logit", "log(a / (1 - a))", "");
  // the bounds are rounded to the input dtype first, as the CPU computes them
  double lo = eps, hi = 1.0 - eps;
  if (iter.common_dtype() == kHalf) {
    lo = static_cast<float>(c10::Half(static_cast<float>(eps)));
    hi = static_cast<float>(c10::Half(1.0f - static_cast<float>(lo)));
  } else if (iter.common_dtype() == kBFloat16) {
    lo = static_cast<float>(c10::BFloat16(static_cast<float>(eps)));
    hi = static_cast<float>(c10::BFloat16(1.0f - static_cast<float>(lo)));
  }
  // the CPU's clamp: NaN stays NaN
  special(iter, "logit_eps", "log((a < s0 ? s0 : (a > s1 ? s1 : a)) / (1 - (a < s0 ? s0 : (a > s1 ? s1 : a))))", "",
          {{c, lo}, {c, hi}});
}

// inputs: grad (a), self (b); outside [eps, 1 - eps] the gradient is 0 (NaN stays NaN)
void logit_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, std::optional<double> eps,
                           const Tensor&) {
  ScalarType c = common_compute_type(iter);
  if (!eps || *eps < 0) return special(iter, "logit_bw", "(b < 0 || b > 1) ? NAN : a / (b * (1 - b))", "");
  special(iter, "logit_bw_eps", "(b < s0 || b > s1) ? 0 : a / (b * (1 - b))", "", {{c, *eps}, {c, 1.0 - *eps}});
}

// round(x * 10^d) / 10^d, with 10^-d multiplied for negative d (as the CPU does)
void round_decimals_kernel(TensorIteratorBase& iter, const Tensor&, int64_t decimals, const Tensor&) {
  ScalarType c = common_compute_type(iter);
  if (decimals == 0) return special(iter, "round", "rint(a)", "a");
  bool neg = decimals < 0;
  double ten_pow = std::pow(10.0, static_cast<double>(neg ? -decimals : decimals));
  // integers with decimals != 0 are not implemented, as on the CPU
  special(iter, neg ? "round_dec_neg" : "round_dec", neg ? "rint(a / s0) * s0" : "rint(a * s0) / s0", "",
          {{c, ten_pow}});
}

void heaviside_kernel(TensorIteratorBase& iter) {
  special(iter, "heaviside", "a == 0 ? b : (a > 0)", "a == 0 ? b : (a > 0)");
}

// log2(2^a + 2^b) without overflow; equal infinities stay themselves
void logaddexp2_kernel(TensorIteratorBase& iter) {
  special(iter, "logaddexp2", "(isinf(a) && a == b) ? a : fmax(a, b) + log1p(exp2(-fabs(a - b))) * s0", "",
          {{common_compute_type(iter), 1.0 / M_LN2}});
}

void lshift_kernel(TensorIteratorBase& iter) { special(iter, "lshift", "", "lshift_T(a, b)"); }
void rshift_kernel(TensorIteratorBase& iter) { special(iter, "rshift", "", "rshift_T(a, b)"); }

}  // namespace at::native::ocl
