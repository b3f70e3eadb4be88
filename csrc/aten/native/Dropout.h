// Dropout with the backend's Philox generator: the mask follows the seed like every other
// random op (same seed, same mask).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

std::tuple<Tensor, Tensor> native_dropout(const Tensor& input, double p, std::optional<bool> train);
Tensor native_dropout_backward(const Tensor& grad_output, const Tensor& mask, double scale);

}  // namespace at::native::ocl
