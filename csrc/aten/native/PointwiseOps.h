// Kernels of the structured unary and binary operators (impl side; ATen's meta does the
// shape/type work). Each runs one pointwise expression over the iterator.
#pragma once

#include <ATen/TensorIterator.h>
#include <ATen/core/Tensor.h>
#include <c10/core/Scalar.h>

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

namespace at::native::ocl {

// Compare / select family (TensorCompare)
void where_kernel(TensorIterator& iter);
void clamp_kernel(TensorIteratorBase& iter, const Tensor&, c10::OptionalScalarRef min, c10::OptionalScalarRef max, const Tensor&);
void clamp_min_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& min, const Tensor&);
void clamp_max_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& max, const Tensor&);
void clamp_tensor_kernel(TensorIteratorBase& iter, const Tensor&, OptionalTensorRef min, OptionalTensorRef max,
                         const Tensor&);
void clamp_min_tensor_kernel(TensorIteratorBase& iter);
void clamp_max_tensor_kernel(TensorIteratorBase& iter);
void isposinf_kernel(TensorIteratorBase& iter);
void isneginf_kernel(TensorIteratorBase& iter);
void logical_and_kernel(TensorIterator& iter);
void logical_or_kernel(TensorIterator& iter);
void logical_xor_kernel(TensorIterator& iter);
void logical_not_kernel(TensorIteratorBase& iter);
void nan_to_num_kernel(TensorIteratorBase& iter, std::optional<double> nan, std::optional<double> posinf,
                       std::optional<double> neginf);
Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value);
Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value);

// Ternary pointwise (PointwiseOps, Lerp)
void addcmul_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Tensor&, const Scalar& value,
                    const Tensor&);
void addcdiv_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Tensor&, const Scalar& value,
                    const Tensor&);
void lerp_scalar_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& weight, const Tensor&);
void lerp_tensor_kernel(TensorIteratorBase& iter);

// Activations and their backward
void gelu_kernel(TensorIteratorBase& iter, const Tensor&, c10::string_view approximate, const Tensor&);
void gelu_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, c10::string_view approximate,
                          const Tensor&);
void silu_kernel(TensorIteratorBase& iter);
void silu_backward_kernel(TensorIteratorBase& iter);
void threshold_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& threshold, const Scalar& value,
                      const Tensor&);
void threshold_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& threshold,
                               const Tensor&);
void sigmoid_backward_kernel(TensorIteratorBase& iter);
void tanh_backward_kernel(TensorIteratorBase& iter);
void leaky_relu_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& negval, const Tensor&);
void leaky_relu_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& negval, bool,
                                const Tensor&);
void elu_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& alpha, const Scalar& scale,
                const Scalar& input_scale, const Tensor&);
void elu_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& alpha, const Scalar& scale,
                         const Scalar& input_scale, bool is_result, const Tensor&, const Tensor&);
void softplus_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& beta, const Scalar& threshold,
                     const Tensor&);
void softplus_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& beta,
                              const Scalar& threshold, const Tensor&);
void hardsigmoid_kernel(TensorIteratorBase& iter);
void hardsigmoid_backward_kernel(TensorIteratorBase& iter);

}  // namespace at::native::ocl
