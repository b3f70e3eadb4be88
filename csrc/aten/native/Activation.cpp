// Activation kernels and their backward, with the CPU's formulas (helpers in activation.cl).
#include "aten/native/PointwiseOps.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void act(TensorIteratorBase& iter, const char* name, const std::string& expr, std::vector<KernelScalar> s = {}) {
  pointwise_expr(iter, name, expr, "", std::move(s), "activation.cl");
}

}  // namespace

void gelu_kernel(TensorIteratorBase& iter, const Tensor&, c10::string_view approximate, const Tensor&) {
  if (approximate == "tanh") return act(iter, "gelu_tanh", "gelu_tanh_T(a)");
  TORCH_CHECK(approximate == "none", "approximate argument must be either none or tanh.");
  act(iter, "gelu", "gelu_T(a)");
}

// inputs: grad (a), self (b)
void gelu_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, c10::string_view approximate,
                          const Tensor&) {
  if (approximate == "tanh") return act(iter, "gelu_tanh_bw", "gelu_tanh_backward_T(a, b)");
  TORCH_CHECK(approximate == "none", "approximate argument must be either none or tanh.");
  act(iter, "gelu_bw", "gelu_backward_T(a, b)");
}

void silu_kernel(TensorIteratorBase& iter) { act(iter, "silu", "silu_T(a)"); }
void silu_backward_kernel(TensorIteratorBase& iter) { act(iter, "silu_bw", "silu_backward_T(a, b)"); }

// inputs: self (a), self (b) -- as ATen's meta builds it
void threshold_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& threshold, const Scalar& value,
                      const Tensor&) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "threshold", "a <= s0 ? s1 : b", "a <= s0 ? s1 : b", {{c, threshold}, {c, value}});
}

// inputs: self (a), grad (b)
void threshold_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& threshold,
                               const Tensor&) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "threshold_bw", "a <= s0 ? 0 : b", "a <= s0 ? 0 : b", {{c, threshold}});
}

// inputs: grad (a), output (b)
void sigmoid_backward_kernel(TensorIteratorBase& iter) { act(iter, "sigmoid_bw", "a * (1 - b) * b"); }
void tanh_backward_kernel(TensorIteratorBase& iter) { act(iter, "tanh_bw", "a * (1 - b * b)"); }

void leaky_relu_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& negval, const Tensor&) {
  act(iter, "leaky_relu", "a > 0 ? a : a * s0", {{common_compute_type(iter), negval}});
}

// inputs: self (a), grad (b)
void leaky_relu_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& negval, bool,
                                const Tensor&) {
  act(iter, "leaky_relu_bw", "a > 0 ? b : b * s0", {{common_compute_type(iter), negval}});
}

void elu_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& alpha, const Scalar& scale,
                const Scalar& input_scale, const Tensor&) {
  ScalarType c = common_compute_type(iter);
  double negcoef = alpha.toDouble() * scale.toDouble();
  act(iter, "elu", "a <= 0 ? expm1(a * s2) * s0 : a * s1", {{c, negcoef}, {c, scale}, {c, input_scale}});
}

// inputs: grad (a), self or result (b)
void elu_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& alpha, const Scalar& scale,
                         const Scalar& input_scale, bool is_result, const Tensor&, const Tensor&) {
  ScalarType c = common_compute_type(iter);
  double negcoef = alpha.toDouble() * scale.toDouble();
  if (is_result)
    return act(iter, "elu_bw_r", "b <= 0 ? a * s2 * (b + s0) : a * s1", {{c, negcoef}, {c, scale}, {c, input_scale}});
  act(iter, "elu_bw", "b <= 0 ? a * s2 * s0 * exp(b * s2) : a * s1", {{c, negcoef}, {c, scale}, {c, input_scale}});
}

void softplus_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& beta, const Scalar& threshold,
                     const Tensor&) {
  ScalarType c = common_compute_type(iter);
  act(iter, "softplus", "(a * s0) > s1 ? a : log1p(exp(a * s0)) / s0", {{c, beta}, {c, threshold}});
}

// inputs: grad (a), self (b)
void softplus_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& beta,
                              const Scalar& threshold, const Tensor&) {
  ScalarType c = common_compute_type(iter);
  act(iter, "softplus_bw", "(b * s0) > s1 ? a : a * exp(b * s0) / (exp(b * s0) + 1)", {{c, beta}, {c, threshold}});
}

void hardsigmoid_kernel(TensorIteratorBase& iter) { act(iter, "hardsigmoid", "fmin(fmax(a + 3, 0), 6) / 6"); }
// inputs: grad (a), self (b)
void hardsigmoid_backward_kernel(TensorIteratorBase& iter) {
  act(iter, "hardsigmoid_bw", "(b > -3 && b < 3) ? a * (1.0f / 6.0f) : 0");  // the CPU multiplies by float(1/6)
}

}  // namespace at::native::ocl
