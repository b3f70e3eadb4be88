// Softmax and log-softmax forward/backward launchers (impl() of ATen's structured ops).
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

void softmax_impl(const Tensor& input, int64_t dim, bool half_to_float, const Tensor& output);
void log_softmax_impl(const Tensor& input, int64_t dim, bool half_to_float, const Tensor& output);
void softmax_backward_impl(const Tensor& grad_output, const Tensor& output, int64_t dim, ScalarType input_dtype,
                           const Tensor& grad_input);
void log_softmax_backward_impl(const Tensor& grad_output, const Tensor& output, int64_t dim,
                               ScalarType input_dtype, const Tensor& grad_input);

}  // namespace at::native::ocl
