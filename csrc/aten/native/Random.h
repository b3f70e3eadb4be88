// Random-number ops on the Philox generator: uniform_, normal_, random_, bernoulli_
// (argument checks are ATen's own DistributionTemplates).
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

Tensor& uniform_(Tensor& self, double from, double to, std::optional<Generator> gen);
Tensor& normal_(Tensor& self, double mean, double std, std::optional<Generator> gen);
Tensor& random_(Tensor& self, std::optional<Generator> gen);
Tensor& random_(Tensor& self, int64_t to, std::optional<Generator> gen);
Tensor& random_(Tensor& self, int64_t from, std::optional<int64_t> to, std::optional<Generator> gen);
Tensor& bernoulli_(Tensor& self, double p, std::optional<Generator> gen);
Tensor& bernoulli_(Tensor& self, const Tensor& p, std::optional<Generator> gen);

}  // namespace at::native::ocl
