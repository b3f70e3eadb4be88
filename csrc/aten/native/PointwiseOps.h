// Kernels of the structured unary and binary operators (impl side; ATen's meta does the
// shape/type work). Each runs one pointwise expression over the iterator.
#pragma once

#include <ATen/TensorIterator.h>

#include <optional>
#include <string_view>

namespace at::native::ocl {

// Unary math (float results; integer inputs were promoted by meta).
#define OCL_UNARY_KERNELS(_)                                                                       \
  _(exp) _(exp2) _(expm1) _(log) _(log2) _(log10) _(log1p) _(sqrt) _(rsqrt) _(sin) _(cos) _(tan)  \
  _(asin) _(acos) _(atan) _(sinh) _(cosh) _(tanh) _(asinh) _(acosh) _(atanh) _(erf) _(erfc)       \
  _(lgamma) _(sigmoid) _(reciprocal) _(abs) _(neg) _(sign) _(sgn) _(floor) _(ceil) _(trunc)       \
  _(round) _(frac) _(bitwise_not) _(signbit)
#define OCL_DECLARE_UNARY(name) void name##_kernel(TensorIteratorBase& iter);
OCL_UNARY_KERNELS(OCL_DECLARE_UNARY)
#undef OCL_DECLARE_UNARY

// Binary
void add_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& alpha, const Tensor&);
void sub_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& alpha, const Tensor&);
void div_mode_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, std::optional<std::string_view> mode,
                     const Tensor&);
void div_floor_kernel(TensorIteratorBase& iter);
void pow_scalar_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& exponent, const Tensor&);
#define OCL_BINARY_KERNELS(_)                                                                    \
  _(mul) _(div) _(eq) _(ne) _(lt) _(le) _(gt) _(ge) _(maximum) _(minimum) _(fmax) _(fmin) _(pow) \
  _(bitwise_and) _(bitwise_or) _(bitwise_xor) _(atan2) _(hypot) _(copysign) _(fmod) _(remainder)  \
  _(nextafter) _(logaddexp) _(xlogy)
#define OCL_DECLARE_BINARY(name) void name##_kernel(TensorIteratorBase& iter);
OCL_BINARY_KERNELS(OCL_DECLARE_BINARY)
#undef OCL_DECLARE_BINARY

}  // namespace at::native::ocl
