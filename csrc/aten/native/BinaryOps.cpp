// Binary pointwise kernels: arithmetic, division modes, comparisons, max/min, powers,
// bitwise and the float-only binary math functions.
#include "aten/native/PointwiseOps.h"

#include <ATen/ops/any.h>
#include <ATen/ops/eq.h>

#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void binary(TensorIteratorBase& iter, const char* name, const std::string& float_expr, const std::string& int_expr,
            std::vector<KernelScalar> scalars = {}) {
  pointwise_expr(iter, name, float_expr, int_expr, std::move(scalars));
}

// Integer division by zero raises ZeroDivisionError as on the CPU, at once and on the host:
// one any(divisor == 0) read back before the launch. Integer division is rare on hot paths,
// and a device-side flag would raise late, at an unrelated synchronization.
void check_int_divisor(TensorIteratorBase& iter) {
  if (!isIntegralType(iter.common_dtype(), /*includeBool=*/false) || iter.numel() == 0) return;
  const int divisor = iter.noutputs() + 1;
  const Tensor& b = iter.tensor(divisor);
  bool zero = iter.is_cpu_scalar(divisor) ? b.item().toLong() == 0 : at::eq(b, 0).any().item<bool>();
  TORCH_CHECK(!zero, "ZeroDivisionError");
}

}  // namespace

void add_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& alpha, const Tensor&) {
  binary(iter, "add", "a + s0 * b", "a + s0 * b", {{common_compute_type(iter), alpha}});
}

void sub_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& alpha, const Tensor&) {
  binary(iter, "sub", "a - s0 * b", "a - s0 * b", {{common_compute_type(iter), alpha}});
}

void mul_kernel(TensorIteratorBase& iter) { binary(iter, "mul", "a * b", "a * b"); }
void div_kernel(TensorIteratorBase& iter) { binary(iter, "div", "a / b", ""); }

void div_floor_kernel(TensorIteratorBase& iter) {
  check_int_divisor(iter);
  binary(iter, "div_floor", "floor_div_T(a, b)", "floor_div_T(a, b)");
}

void div_mode_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, std::optional<std::string_view> mode,
                     const Tensor&) {
  if (!mode) return div_kernel(iter);
  if (*mode == "trunc") {
    check_int_divisor(iter);
    // CUDA and the CPU round a 16-bit quotient to its type before truncating.
    ScalarType t = iter.common_dtype();
    std::string q = t == kHalf ? "round_to_half(a / b)" : t == kBFloat16 ? "round_to_bf16(a / b)" : "a / b";
    return binary(iter, "div_trunc", "trunc(" + q + ")", "trunc_div_T(a, b)");
  }
  TORCH_CHECK(*mode == "floor", "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '", *mode,
              "'");
  div_floor_kernel(iter);
}

void eq_kernel(TensorIteratorBase& iter) { binary(iter, "eq", "a == b", "a == b"); }
void ne_kernel(TensorIteratorBase& iter) { binary(iter, "ne", "a != b", "a != b"); }
void lt_kernel(TensorIteratorBase& iter) { binary(iter, "lt", "a < b", "a < b"); }
void le_kernel(TensorIteratorBase& iter) { binary(iter, "le", "a <= b", "a <= b"); }
void gt_kernel(TensorIteratorBase& iter) { binary(iter, "gt", "a > b", "a > b"); }
void ge_kernel(TensorIteratorBase& iter) { binary(iter, "ge", "a >= b", "a >= b"); }

// maximum/minimum propagate NaN; fmax/fmin ignore it (OpenCL's fmax/fmin)
void maximum_kernel(TensorIteratorBase& iter) {
  binary(iter, "maximum", "(isnan(a) || isnan(b)) ? a + b : fmax(a, b)", "max(a, b)");
}
void minimum_kernel(TensorIteratorBase& iter) {
  binary(iter, "minimum", "(isnan(a) || isnan(b)) ? a + b : fmin(a, b)", "min(a, b)");
}
void fmax_kernel(TensorIteratorBase& iter) { binary(iter, "fmax", "fmax(a, b)", "max(a, b)"); }
void fmin_kernel(TensorIteratorBase& iter) { binary(iter, "fmin", "fmin(a, b)", "min(a, b)"); }

void pow_kernel(TensorIteratorBase& iter) { binary(iter, "pow", "pow(a, b)", "ipow_T(a, b)"); }

void pow_scalar_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& exponent, const Tensor&) {
  ScalarType c = common_compute_type(iter);
  if (isFloatingType(c)) {
    // the exponents the CPU computes exactly get exact expressions
    double e = exponent.toDouble();
    const char* expr = e == 2.0    ? "a * a"
                       : e == 3.0  ? "a * a * a"
                       : e == 0.5  ? "sqrt(a)"
                       : e == -0.5 ? "rsqrt(a)"
                       : e == -1.0 ? "1 / a"
                       : e == -2.0 ? "1 / (a * a)"
                       : e == 1.0  ? "a"
                       : e == 0.0  ? "1"
                                   : "pow(a, s0)";
    return binary(iter, "pow_scalar", expr, "", {{c, exponent}});
  }
  binary(iter, "pow_scalar", "", "ipow_T(a, s0)", {{c, exponent}});
}

void bitwise_and_kernel(TensorIteratorBase& iter) { binary(iter, "bitwise_and", "", "a & b"); }
void bitwise_or_kernel(TensorIteratorBase& iter) { binary(iter, "bitwise_or", "", "a | b"); }
void bitwise_xor_kernel(TensorIteratorBase& iter) { binary(iter, "bitwise_xor", "", "a ^ b"); }

void atan2_kernel(TensorIteratorBase& iter) { binary(iter, "atan2", "atan2(a, b)", ""); }
void hypot_kernel(TensorIteratorBase& iter) { binary(iter, "hypot", "hypot(a, b)", ""); }
void copysign_kernel(TensorIteratorBase& iter) { binary(iter, "copysign", "copysign(a, b)", ""); }
void fmod_kernel(TensorIteratorBase& iter) {
  check_int_divisor(iter);
  binary(iter, "fmod", "fmod(a, b)", "fmod_T(a, b)");
}
void remainder_kernel(TensorIteratorBase& iter) {
  check_int_divisor(iter);
  binary(iter, "remainder", "remainder_T(a, b)", "remainder_T(a, b)");
}
void nextafter_kernel(TensorIteratorBase& iter) { binary(iter, "nextafter", "nextafter(a, b)", ""); }
// log(exp(a) + exp(b)) without overflow; equal infinities stay themselves
void logaddexp_kernel(TensorIteratorBase& iter) {
  binary(iter, "logaddexp", "(isinf(a) && a == b) ? a : fmax(a, b) + log1p(exp(-fabs(a - b)))", "");
}
void xlogy_kernel(TensorIteratorBase& iter) {
  binary(iter, "xlogy", "isnan(b) ? b : (a == 0 ? 0 : a * log(b))", "");
}

}  // namespace at::native::ocl
