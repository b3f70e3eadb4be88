// multinomial sampling (with and without replacement) on the Philox generator.
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

Tensor multinomial(const Tensor& self, int64_t n_sample, bool replacement, std::optional<Generator> gen);
Tensor& multinomial_out(const Tensor& self, int64_t n_sample, bool replacement, std::optional<Generator> gen,
                        Tensor& result);

}  // namespace at::native::ocl
