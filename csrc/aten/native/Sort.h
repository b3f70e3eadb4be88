// Sorting and selection: sort, topk, kthvalue, and the row-sort primitive (randperm,
// unique and multinomial build on it).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>
#include <tuple>

namespace at::native::ocl {

// Sorts each row of x ([rows, n], contiguous) stably; returns (keys, indices) as
// [rows, n] views in the sort-key dtype (float for 16-bit floats, uint8 for bool) and int64.
std::tuple<Tensor, Tensor> sort_rows(const Tensor& x, bool descending);

void sort_stable_impl(const Tensor& self, std::optional<bool> stable, int64_t dim, bool descending,
                      const Tensor& values, const Tensor& indices);
void topk_impl(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted, const Tensor& values,
               const Tensor& indices);
std::tuple<Tensor&, Tensor&> kthvalue_out(const Tensor& self, int64_t k, int64_t dim, bool keepdim, Tensor& values,
                                          Tensor& indices);
Tensor& randperm_out(int64_t n, std::optional<Generator> gen, Tensor& result);

}  // namespace at::native::ocl
