// Radix select: the k best elements of each row (topk, kthvalue) without sorting the row.
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

// Selects the k best elements of each row of x ([rows, n], contiguous; largest or smallest
// first, NaN counting as the largest value, -0.0 equal to +0.0) and writes positions
// first..k-1 of the selection to values ([rows, k - first], x's dtype) and indices (int64),
// both contiguous. The selection is every element better than the k-th best plus the first
// equal ones by index; with `sorted` it comes best first, ties by index (a stable sort's
// order), else in index order among the better ones, then the equal ones.
// Returns false, doing nothing, where this path does not apply (sorted with k > 1024 or
// with k > 256 and over half the row, rows of 2^31 elements or more, work-groups under 256
// items): the caller sorts instead.
bool radix_select(const Tensor& x, int64_t k, int64_t first, bool largest, bool sorted, const Tensor& values,
                  const Tensor& indices);

}  // namespace at::native::ocl
