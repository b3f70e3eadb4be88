// Negative log-likelihood loss launchers (nll_loss and nll_loss2d, forward and backward).
#pragma once

#include <ATen/core/Tensor.h>
#include <ATen/native/Resize.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

// nll_loss runs ATen's structured meta() checks; nll_loss2d (not structured upstream) its own.
std::tuple<Tensor, Tensor> nll_loss_forward(const Tensor& self, const Tensor& target,
                                            const std::optional<Tensor>& weight, int64_t reduction,
                                            int64_t ignore_index);
Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                         const std::optional<Tensor>& weight, int64_t reduction, int64_t ignore_index,
                         const Tensor& total_weight);
std::tuple<Tensor, Tensor> nll_loss2d_forward(const Tensor& self, const Tensor& target,
                                              const std::optional<Tensor>& weight, int64_t reduction,
                                              int64_t ignore_index);
Tensor nll_loss2d_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                           const std::optional<Tensor>& weight, int64_t reduction, int64_t ignore_index,
                           const Tensor& total_weight);

// The out= forms of either: the functional form's results resized into and copied to the
// given tensors.
template <auto Forward>
std::tuple<Tensor&, Tensor&> nll_forward_out(const Tensor& self, const Tensor& target,
                                             const std::optional<Tensor>& weight, int64_t reduction,
                                             int64_t ignore_index, Tensor& output, Tensor& total_weight) {
  auto [o, tw] = Forward(self, target, weight, reduction, ignore_index);
  at::native::resize_output(output, o.sizes());
  at::native::resize_output(total_weight, tw.sizes());
  output.copy_(o);
  total_weight.copy_(tw);
  return {output, total_weight};
}
template <auto Backward>
Tensor& nll_backward_out(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                         const std::optional<Tensor>& weight, int64_t reduction, int64_t ignore_index,
                         const Tensor& total_weight, Tensor& grad_input) {
  Tensor gi = Backward(grad_output, self, target, weight, reduction, ignore_index, total_weight);
  at::native::resize_output(grad_input, gi.sizes());
  return grad_input.copy_(gi);
}

}  // namespace at::native::ocl
