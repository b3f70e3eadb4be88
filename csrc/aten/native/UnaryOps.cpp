// Unary pointwise kernels: one expression each, for float and (where defined) integer types.
#include "aten/native/PointwiseOps.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void unary(TensorIteratorBase& iter, const char* name, const std::string& float_expr, const std::string& int_expr) {
  pointwise_expr(iter, name, float_expr, int_expr, {}, "");
}

}  // namespace

#define OCL_FLOAT_UNARY(name, expr) \
  void name##_kernel(TensorIteratorBase& iter) { unary(iter, #name, expr, ""); }
OCL_FLOAT_UNARY(exp, "exp(a)")
OCL_FLOAT_UNARY(exp2, "exp2(a)")
OCL_FLOAT_UNARY(expm1, "expm1(a)")
OCL_FLOAT_UNARY(log, "log(a)")
OCL_FLOAT_UNARY(log2, "log2(a)")
OCL_FLOAT_UNARY(log10, "log10(a)")
OCL_FLOAT_UNARY(log1p, "log1p(a)")
OCL_FLOAT_UNARY(sqrt, "sqrt(a)")
OCL_FLOAT_UNARY(rsqrt, "rsqrt(a)")
OCL_FLOAT_UNARY(sin, "sin(a)")
OCL_FLOAT_UNARY(cos, "cos(a)")
OCL_FLOAT_UNARY(tan, "tan(a)")
OCL_FLOAT_UNARY(asin, "asin(a)")
OCL_FLOAT_UNARY(acos, "acos(a)")
OCL_FLOAT_UNARY(atan, "atan(a)")
OCL_FLOAT_UNARY(sinh, "sinh(a)")
OCL_FLOAT_UNARY(cosh, "cosh(a)")
OCL_FLOAT_UNARY(tanh, "tanh(a)")
OCL_FLOAT_UNARY(asinh, "asinh(a)")
OCL_FLOAT_UNARY(acosh, "acosh(a)")
OCL_FLOAT_UNARY(atanh, "atanh(a)")
OCL_FLOAT_UNARY(erf, "erf(a)")
OCL_FLOAT_UNARY(erfc, "erfc(a)")
OCL_FLOAT_UNARY(lgamma, "lgamma(a)")
OCL_FLOAT_UNARY(sigmoid, "1 / (1 + exp(-a))")
OCL_FLOAT_UNARY(reciprocal, "1 / a")
#undef OCL_FLOAT_UNARY

void abs_kernel(TensorIteratorBase& iter) { unary(iter, "abs", "fabs(a)", "(a < 0 ? -a : a)"); }
void neg_kernel(TensorIteratorBase& iter) { unary(iter, "neg", "-a", "-a"); }
// (0 < a) - (a < 0), as the CPU computes it (NaN gives 0)
void sign_kernel(TensorIteratorBase& iter) { unary(iter, "sign", "(0 < a) - (a < 0)", "(0 < a) - (a < 0)"); }
void sgn_kernel(TensorIteratorBase& iter) { sign_kernel(iter); }
void floor_kernel(TensorIteratorBase& iter) { unary(iter, "floor", "floor(a)", "a"); }
void ceil_kernel(TensorIteratorBase& iter) { unary(iter, "ceil", "ceil(a)", "a"); }
void trunc_kernel(TensorIteratorBase& iter) { unary(iter, "trunc", "trunc(a)", "a"); }
void round_kernel(TensorIteratorBase& iter) { unary(iter, "round", "rint(a)", "a"); }  // half to even
void frac_kernel(TensorIteratorBase& iter) { unary(iter, "frac", "a - trunc(a)", ""); }
void bitwise_not_kernel(TensorIteratorBase& iter) {
  unary(iter, "bitwise_not", "", iter.common_dtype() == kBool ? "!a" : "~a");
}
// signbit: the output is bool, the input keeps its type
void signbit_kernel(TensorIteratorBase& iter) {
  ScalarType in = compute_type(iter.input_dtype());
  pointwise(iter, {"signbit", isFloatingType(in) ? "signbit(a) != 0" : "a < 0", in});
}

}  // namespace at::native::ocl
