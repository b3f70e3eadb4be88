// Scans along a dimension (cumsum, cumprod, cummax/cummin, logcumsumexp) and the row-scan
// primitive other families build on (prefix sums for nonzero, masked ops, unique).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

enum class ScanKind { Sum, Prod, Max, Min, LogSumExp };

// Inclusive scan of each row of x ([rows, n], contiguous, dtype float/double/long) into y
// (same shape and dtype); for Max/Min, indices (int64 [rows, n]) receives the arg index.
void scan_rows(const Tensor& x, const Tensor& y, ScanKind kind, const Tensor* indices = nullptr);

// Inclusive int64 prefix sum of the nonzero flags of t (flattened, any dtype); returns it.
Tensor count_prefix(const Tensor& t);

void cumsum_impl(const Tensor& self, int64_t dim, std::optional<ScalarType> dtype, const Tensor& result);
void cumprod_impl(const Tensor& self, int64_t dim, std::optional<ScalarType> dtype, const Tensor& result);
void cummax_helper(const Tensor& self, Tensor& values, Tensor& indices, int64_t dim);
void cummin_helper(const Tensor& self, Tensor& values, Tensor& indices, int64_t dim);
Tensor logcumsumexp(const Tensor& self, int64_t dim);
Tensor& logcumsumexp_out(const Tensor& self, int64_t dim, Tensor& out);

}  // namespace at::native::ocl
