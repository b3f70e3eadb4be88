// unique (sorted, with inverse and counts), unique_consecutive and unique over a dim:
// a stable sort, group-start flags, their prefix sum, compaction.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

std::tuple<Tensor, Tensor, Tensor> unique2(const Tensor& self, bool sorted, bool return_inverse, bool return_counts);
// _unique: unique2 without counts (autograd formulas such as index_fill's call it).
std::tuple<Tensor, Tensor> unique(const Tensor& self, bool sorted, bool return_inverse);
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, bool return_inverse, bool return_counts,
                                                      std::optional<int64_t> dim);
std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& self, int64_t dim, bool sorted, bool return_inverse,
                                              bool return_counts);
std::tuple<Tensor, Tensor, Tensor> unique_dim_consecutive(const Tensor& self, int64_t dim, bool return_inverse,
                                                          bool return_counts);

}  // namespace at::native::ocl
