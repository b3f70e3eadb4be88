// Activations beyond the basic set, with backward: hardtanh, hardswish, mish, soft/hard
// shrink, glu, prelu, rrelu (eval and training) and log_sigmoid, with the CPU's formulas.
#include <ATen/TensorIterator.h>
#include <ATen/WrapDimUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/le.h>
#include <ATen/ops/leaky_relu.h>
#include <ATen/ops/mul.h>
#include <ATen/ops/uniform.h>
#include <ATen/ops/where.h>

#include "aten/native/ActivationOps.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void act(TensorIteratorBase& iter, const char* name, const std::string& expr, std::vector<KernelScalar> s = {}) {
  pointwise_expr(iter, name, expr, "", std::move(s), "");
}

}  // namespace

// inputs: grad (a), self (b)
void hardtanh_backward_kernel(TensorIterator& iter, const Scalar& min, const Scalar& max) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "hardtanh_bw", "(b <= s0 || b >= s1) ? 0 : a", "(b <= s0 || b >= s1) ? 0 : a",
                 {{c, min}, {c, max}}, "");
}

void hardswish_kernel(TensorIterator& iter) { act(iter, "hardswish", "a * fmin(fmax(a + 3, 0), 6) / 6"); }
// inputs: grad (a), self (b)
void hardswish_backward_kernel(TensorIterator& iter) {
  act(iter, "hardswish_bw", "b <= -3 ? 0 : (b < 3 ? a * (b / 3 + 0.5f) : a)");
}

void mish_kernel(TensorIteratorBase& iter) { act(iter, "mish", "a * tanh(log1p(exp(a)))"); }
// inputs: grad (a), self (b)
void mish_backward_kernel(TensorIterator& iter) {
  act(iter, "mish_bw",
      "a * ((1 / (1 + exp(-b))) * b * (1 - tanh(log1p(exp(b))) * tanh(log1p(exp(b)))) + tanh(log1p(exp(b))))");
}

void softshrink_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& lambd, const Tensor&) {
  act(iter, "softshrink", "a > s0 ? a - s0 : (a < -s0 ? a + s0 : a * 0)", {{common_compute_type(iter), lambd}});
}
void hardshrink_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& lambd, const Tensor&) {
  act(iter, "hardshrink", "(a >= -s0 && a <= s0) ? 0 : a", {{common_compute_type(iter), lambd}});
}
// inputs: grad (a), self (b); both shrinks share it
void shrink_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& lambd,
                            const Tensor&) {
  act(iter, "shrink_bw", "(b >= -s0 && b <= s0) ? 0 : a", {{common_compute_type(iter), lambd}});
}

// ATen's glu meta borrows halves that die with it, so the iterator is built here.
Tensor& glu_out(const Tensor& self, int64_t dim, Tensor& out) {
  TORCH_CHECK(self.dim() > 0, "glu does not support scalars because halving size must be even");
  dim = maybe_wrap_dim(dim, self.dim());
  const int64_t n = self.size(dim);
  TORCH_CHECK(n % 2 == 0, "Halving dimension must be even, but dimension ", dim, " is size ", n);
  Tensor first = self.narrow(dim, 0, n / 2), second = self.narrow(dim, n / 2, n / 2);
  auto iter = TensorIteratorConfig().add_output(out).add_const_input(first).add_const_input(second).build();
  act(iter, "glu", "a / (1 + exp(-b))");
  return out;
}

Tensor glu(const Tensor& self, int64_t dim) {
  Tensor out = at::empty({0}, self.options());
  return glu_out(self, dim, out);
}

Tensor& glu_backward_out(const Tensor& grad, const Tensor& self, int64_t dim, Tensor& grad_input) {
  TORCH_CHECK(self.dim() > 0, "glu does not support 0-dimensional tensors");
  dim = maybe_wrap_dim(dim, self.dim());
  const int64_t n = self.size(dim);
  TORCH_CHECK(n % 2 == 0, "Halving dimension must be even, but dimension ", dim, " is size ", n);
  at::native::resize_output(grad_input, self.sizes());
  Tensor first = self.narrow(dim, 0, n / 2), second = self.narrow(dim, n / 2, n / 2);
  Tensor ga = grad_input.narrow(dim, 0, n / 2), gb = grad_input.narrow(dim, n / 2, n / 2);
  // d/da = sigmoid(b) g, d/db = (1 - sigmoid(b)) sigmoid(b) a g
  auto it1 = TensorIteratorConfig().add_output(ga).add_const_input(second).add_const_input(grad).build();
  act(it1, "glu_bw_a", "b / (1 + exp(-a))");
  auto it2 = TensorIteratorConfig().add_output(gb).add_const_input(first).add_const_input(second)
                 .add_const_input(grad).build();
  act(it2, "glu_bw_b", "(1 - 1 / (1 + exp(-b))) * (1 / (1 + exp(-b))) * a * c");
  return grad_input;
}

Tensor glu_backward(const Tensor& grad, const Tensor& self, int64_t dim) {
  Tensor grad_input = at::empty({0}, self.options());
  return glu_backward_out(grad, self, dim, grad_input);
}

// inputs: self (a), weight (b), already broadcastable
Tensor prelu_kernel(const Tensor& self, const Tensor& weight) {
  Tensor result;
  auto iter = TensorIteratorConfig().add_output(result).add_const_input(self).add_const_input(weight).build();
  act(iter, "prelu", "a > 0 ? a : b * a");
  return iter.output();
}

std::tuple<Tensor, Tensor> prelu_kernel_backward(const Tensor& grad, const Tensor& self, const Tensor& weight) {
  Tensor grad_self, grad_weight;
  auto it1 = TensorIteratorConfig().add_output(grad_self).add_const_input(self).add_const_input(weight)
                 .add_const_input(grad).build();
  act(it1, "prelu_bw_in", "a > 0 ? c : b * c");
  // the weight's gradient has the broadcast shape (the caller sums it down)
  auto it2 = TensorIteratorConfig().add_output(grad_weight).add_const_input(self).add_const_input(grad)
                 .add_const_input(weight).build();
  act(it2, "prelu_bw_w", "a > 0 ? 0 : a * b");
  return {it1.output(), it2.output()};
}

Tensor& rrelu_with_noise_out(const Tensor& self, Tensor& noise, const Scalar& lower, const Scalar& upper,
                             bool training, std::optional<Generator> gen, Tensor& output) {
  TORCH_CHECK(self.sizes() == noise.sizes(), "noise tensor shape must match self tensor shape. Got self.shape = ",
              self.sizes(), " noise.shape = ", noise.sizes());
  if (!training) {
    Tensor r = at::leaky_relu(self, (lower.toDouble() + upper.toDouble()) / 2);
    at::native::resize_output(output, self.sizes());
    output.copy_(r);
    return output;
  }
  // negative inputs get a uniform(lower, upper) slope, recorded in noise for the backward
  Tensor r = at::empty_like(self).uniform_(lower.toDouble(), upper.toDouble(), gen);
  noise.copy_(at::where(at::le(self, 0), r, 1.0));
  Tensor out = at::mul(self, noise);
  at::native::resize_output(output, self.sizes());
  output.copy_(out);
  return output;
}

Tensor rrelu_with_noise(const Tensor& self, Tensor& noise, const Scalar& lower, const Scalar& upper, bool training,
                        std::optional<Generator> gen) {
  Tensor output = at::empty_like(self, MemoryFormat::Contiguous);
  return rrelu_with_noise_out(self, noise, lower, upper, training, gen, output);
}

Tensor& rrelu_with_noise_(Tensor& self, Tensor& noise, const Scalar& lower, const Scalar& upper, bool training,
                          std::optional<Generator> gen) {
  return rrelu_with_noise_out(self, noise, lower, upper, training, gen, self);
}

std::tuple<Tensor&, Tensor&> log_sigmoid_forward_out(const Tensor& self, Tensor& output, Tensor& buffer) {
  at::native::resize_output(buffer, {0});
  auto iter = TensorIterator::unary_op(output, self);
  act(iter, "log_sigmoid", "fmin(a, 0) - log1p(exp(-fabs(a)))");
  return {output, buffer};
}

std::tuple<Tensor, Tensor> log_sigmoid_forward(const Tensor& self) {
  Tensor output = at::empty({0}, self.options()), buffer = at::empty({0}, self.options());
  log_sigmoid_forward_out(self, output, buffer);
  return {output, buffer};
}

Tensor& log_sigmoid_backward_out(const Tensor& grad, const Tensor& self, const Tensor&, Tensor& grad_input) {
  auto iter = TensorIteratorConfig().add_output(grad_input).add_const_input(self).add_const_input(grad).build();
  act(iter, "log_sigmoid_bw",
      "b * ((a < 0 ? 1 : 0) - (a < 0 ? 1 : -1) * (exp(-fabs(a)) / (1 + exp(-fabs(a)))))");
  return grad_input;
}

Tensor log_sigmoid_backward(const Tensor& grad, const Tensor& self, const Tensor& buffer) {
  Tensor grad_input = at::empty({0}, grad.options());
  return log_sigmoid_backward_out(grad, self, buffer, grad_input);
}

}  // namespace at::native::ocl
