// Pointwise losses: kernels for ATen's mse/smooth_l1/huber stubs, binary cross-entropy and
// log-sigmoid (which binary_cross_entropy_with_logits is built from).
#pragma once

#include <ATen/TensorIterator.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

void mse_kernel(TensorIteratorBase& iter);
void mse_backward_kernel(TensorIterator& iter, const Scalar& norm);
void smooth_l1_kernel(TensorIteratorBase& iter, double beta);
void smooth_l1_backward_kernel(TensorIterator& iter, const Scalar& norm, double beta);
void huber_kernel(TensorIterator& iter, double delta);
void huber_backward_kernel(TensorIterator& iter, const Scalar& norm, double delta);

Tensor binary_cross_entropy(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                            int64_t reduction);
Tensor& binary_cross_entropy_out(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                                 int64_t reduction, Tensor& out);
Tensor binary_cross_entropy_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                                     const std::optional<Tensor>& weight, int64_t reduction);
Tensor& binary_cross_entropy_backward_out(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                                          const std::optional<Tensor>& weight, int64_t reduction,
                                          Tensor& grad_input);

}  // namespace at::native::ocl
