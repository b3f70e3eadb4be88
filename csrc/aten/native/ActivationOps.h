// Kernels and functions of the activations in ActivationOps.cpp.
#pragma once

#include <ATen/TensorIterator.h>
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

void hardtanh_backward_kernel(TensorIterator& iter, const Scalar& min, const Scalar& max);
void hardswish_kernel(TensorIterator& iter);
void hardswish_backward_kernel(TensorIterator& iter);
void mish_kernel(TensorIteratorBase& iter);
void mish_backward_kernel(TensorIterator& iter);
void softshrink_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& lambd, const Tensor&);
void hardshrink_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& lambd, const Tensor&);
void shrink_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& lambd,
                            const Tensor&);
Tensor& glu_out(const Tensor& self, int64_t dim, Tensor& out);
Tensor glu(const Tensor& self, int64_t dim);
Tensor& glu_backward_out(const Tensor& grad, const Tensor& self, int64_t dim, Tensor& grad_input);
Tensor glu_backward(const Tensor& grad, const Tensor& self, int64_t dim);
Tensor prelu_kernel(const Tensor& self, const Tensor& weight);
std::tuple<Tensor, Tensor> prelu_kernel_backward(const Tensor& grad, const Tensor& self, const Tensor& weight);
Tensor& rrelu_with_noise_out(const Tensor& self, Tensor& noise, const Scalar& lower, const Scalar& upper,
                             bool training, std::optional<Generator> gen, Tensor& output);
Tensor rrelu_with_noise(const Tensor& self, Tensor& noise, const Scalar& lower, const Scalar& upper, bool training,
                        std::optional<Generator> gen);
Tensor& rrelu_with_noise_(Tensor& self, Tensor& noise, const Scalar& lower, const Scalar& upper, bool training,
                          std::optional<Generator> gen);
std::tuple<Tensor&, Tensor&> log_sigmoid_forward_out(const Tensor& self, Tensor& output, Tensor& buffer);
std::tuple<Tensor, Tensor> log_sigmoid_forward(const Tensor& self);
Tensor& log_sigmoid_backward_out(const Tensor& grad, const Tensor& self, const Tensor& buffer, Tensor& grad_input);
Tensor log_sigmoid_backward(const Tensor& grad, const Tensor& self, const Tensor& buffer);

// SpecialOps.cpp
void erfinv_kernel(TensorIteratorBase& iter);
void digamma_kernel(TensorIteratorBase& iter);
void i0_kernel(TensorIteratorBase& iter);
void i0e_kernel(TensorIteratorBase& iter);
void i1_kernel(TensorIteratorBase& iter);
void i1e_kernel(TensorIteratorBase& iter);
void polygamma_kernel(TensorIteratorBase& iter, int64_t n, const Tensor&, const Tensor&);
void sinc_kernel(TensorIteratorBase& iter);
void logit_kernel(TensorIteratorBase& iter, const Scalar& eps);
void logit_backward_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, std::optional<double> eps,
                           const Tensor&);
void round_decimals_kernel(TensorIteratorBase& iter, const Tensor&, int64_t decimals, const Tensor&);
void heaviside_kernel(TensorIteratorBase& iter);
void logaddexp2_kernel(TensorIteratorBase& iter);
void lshift_kernel(TensorIteratorBase& iter);
void rshift_kernel(TensorIteratorBase& iter);

}  // namespace at::native::ocl
