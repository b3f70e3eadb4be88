// Pointwise losses on the pointwise generator (formulas as ATen's CPU kernels); reductions
// through the native sum/mean.
#include "aten/native/Loss.h"

#include <ATen/core/Reduction.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

ScalarType compute_of(const TensorIteratorBase& iter) { return compute_type(iter.dtype(0)); }

Tensor apply_reduction(const Tensor& loss, int64_t reduction) {
  if (reduction == at::Reduction::Mean) return loss.mean();
  if (reduction == at::Reduction::Sum) return loss.sum();
  return loss;
}

}  // namespace

void mse_kernel(TensorIteratorBase& iter) { pointwise_expr(iter, "mse", "(a - b) * (a - b)", ""); }

void mse_backward_kernel(TensorIterator& iter, const Scalar& norm) {
  ScalarType c = compute_of(iter);
  pointwise_expr(iter, "mse_backward", "s0 * (a - b) * c", "", {{c, norm}}, "", c);
}

void smooth_l1_kernel(TensorIteratorBase& iter, double beta) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "smooth_l1", "fabs(a - b) < s0 ? 0.5f * (a - b) * (a - b) / s0 : fabs(a - b) - 0.5f * s0",
                 "", {{c, beta}}, "", c);
}

void smooth_l1_backward_kernel(TensorIterator& iter, const Scalar& norm, double beta) {
  ScalarType c = compute_of(iter);
  pointwise_expr(iter, "smooth_l1_backward",
                 "(a - b) <= -s1 ? -s0 * c : ((a - b) >= s1 ? s0 * c : s0 * (a - b) * c / s1)", "",
                 {{c, norm}, {c, beta}}, "", c);
}

void huber_kernel(TensorIterator& iter, double delta) {
  ScalarType c = compute_of(iter);
  pointwise_expr(iter, "huber", "fabs(a - b) < s0 ? 0.5f * (a - b) * (a - b) : s0 * (fabs(a - b) - 0.5f * s0)", "",
                 {{c, delta}}, "", c);
}

void huber_backward_kernel(TensorIterator& iter, const Scalar& norm, double delta) {
  ScalarType c = compute_of(iter);
  pointwise_expr(iter, "huber_backward",
                 "(a - b) <= -s1 ? -s0 * c * s1 : ((a - b) >= s1 ? s0 * c * s1 : s0 * (a - b) * c)", "",
                 {{c, norm}, {c, delta}}, "", c);
}

Tensor binary_cross_entropy(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                            int64_t reduction) {
  TORCH_CHECK(self.sizes() == target.sizes(), "Using a target size (", target.sizes(),
              ") that is different to the input size (", self.sizes(), ") is deprecated. Please ensure they have the "
              "same size.");
  // NaN fails the check too, as on the CPU.
  if (self.numel() > 0)
    TORCH_CHECK(self.ge(0).logical_and(self.le(1)).all().item<bool>(),
                "all elements of input should be between 0 and 1");
  Tensor loss = at::empty(self.sizes(), self.options());
  auto iter = TensorIteratorConfig().add_output(loss).add_const_input(self).add_const_input(target).build();
  ScalarType c = compute_type(self.scalar_type());
  // log clamped at -100, as PyTorch does, so that 0 and 1 give finite losses
  pointwise_expr(iter, "bce", "-(b * fmax(log(a), s0) + (1 - b) * fmax(log(1 - a), s0))", "", {{c, -100.0}}, "", c);
  if (weight.has_value() && weight->defined()) loss = loss.mul(*weight);
  return apply_reduction(loss, reduction);
}

Tensor& binary_cross_entropy_out(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                                 int64_t reduction, Tensor& out) {
  Tensor r = at::native::ocl::binary_cross_entropy(self, target, weight, reduction);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

Tensor binary_cross_entropy_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                                     const std::optional<Tensor>& weight, int64_t reduction) {
  Tensor grad_input = at::empty(self.sizes(), self.options());
  auto iter = TensorIteratorConfig()
                  .add_output(grad_input)
                  .add_const_input(self)
                  .add_const_input(target)
                  .add_const_input(grad_output)
                  .build();
  ScalarType c = compute_type(self.scalar_type());
  pointwise_expr(iter, "bce_backward", "c * (a - b) / fmax((1 - a) * a, s0)", "", {{c, 1e-12}}, "", c);
  if (weight.has_value() && weight->defined()) grad_input = grad_input.mul(*weight);
  if (reduction == at::Reduction::Mean) grad_input = grad_input.div(double(self.numel()));
  return grad_input;
}

Tensor& binary_cross_entropy_backward_out(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                                          const std::optional<Tensor>& weight, int64_t reduction,
                                          Tensor& grad_input) {
  Tensor r = at::native::ocl::binary_cross_entropy_backward(grad_output, self, target, weight, reduction);
  at::native::resize_output(grad_input, r.sizes());
  return grad_input.copy_(r);
}

}  // namespace at::native::ocl
