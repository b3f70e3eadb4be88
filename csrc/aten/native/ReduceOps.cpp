// Sum, mean, prod, amax/amin, max/min (all), all/any: iterators from ATen's make_reduction,
// arithmetic from the reduction generator.
#include "aten/native/ReduceOps.h"

#include <ATen/native/ReduceOpsUtils.h>
#include <ATen/ops/empty.h>

#include "aten/native/Pointwise.h"
#include "aten/native/Reduce.h"

namespace at::native::ocl {
namespace {

std::string lowest(ScalarType acc) {
  return isFloatingType(acc) ? "-INFINITY" : (acc == kBool ? "0" : "LONG_MIN");
}
std::string highest(ScalarType acc) {
  return isFloatingType(acc) ? "INFINITY" : (acc == kBool ? "1" : "LONG_MAX");
}

// NaN-propagating max/min for floats (as the CPU), plain for integers.
ReduceOp extremum(ScalarType in, bool is_max) {
  ScalarType acc = isFloatingType(in) ? reduce_acc_type(in) : kLong;
  std::string cmp = is_max ? ">" : "<";
  std::string combine = isFloatingType(acc) ? "(isnan(a) || a " + cmp + " b) ? a : b" : "(a " + cmp + " b) ? a : b";
  return {is_max ? "amax" : "amin", "x", combine, is_max ? lowest(acc) : highest(acc), "a", acc};
}

// Accumulates in the input's own type so that fractional values count as non-zero.
ReduceOp logical(bool is_all, ScalarType in) {
  return {is_all ? "all" : "any", "x != 0", is_all ? "a && b" : "a || b", is_all ? "1" : "0", "a",
          reduce_acc_type(in)};
}

// A reduction iterator into `result` that reads `self` in its own dtype where the result's dtype
// is its own accumulate type (float, double, int64): the kernels convert each element to it as
// they load it, which equals converting the input first (make_reduction_from_out_ty does that,
// a whole converted copy, except on CUDA for 16-bit inputs). Narrower results convert first.
TensorIterator reduction_reading_self(const Tensor& self, const Tensor& result, OptionalIntArrayRef dims,
                                      bool keepdim) {
  const ScalarType out = result.scalar_type();
  return at::meta::make_reduction(self, result, dims, keepdim, out == reduce_acc_type(out) ? self.scalar_type() : out);
}

void run_allany(const Tensor& self, OptionalIntArrayRef dims, bool keepdim, const Tensor& result, bool is_all) {
  auto iter = at::meta::make_reduction(self, result, dims, keepdim, self.scalar_type());
  if (iter.numel() == 0 && result.numel() > 0) {
    result.fill_(is_all ? 1 : 0);
    return;
  }
  reduce(iter, logical(is_all, self.scalar_type()));
}

}  // namespace

void sum_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType>,
              const Tensor& result) {
  auto iter = reduction_reading_self(self, result, dim, keepdim);
  if (iter.numel() == 0) {
    result.zero_();
    return;
  }
  reduce(iter, {"sum", "x", "a + b", "0", "a", reduce_acc_type(result.scalar_type())});
}

void mean_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType>,
               const Tensor& result) {
  int64_t n = self.numel() == 0 ? 0 : self.numel() / std::max<int64_t>(result.numel(), 1);
  auto iter = reduction_reading_self(self, result, dim, keepdim);
  if (iter.numel() == 0) {
    result.fill_(std::numeric_limits<double>::quiet_NaN());
    return;
  }
  reduce(iter, {"mean", "x", "a + b", "0", "a / s0", reduce_acc_type(result.scalar_type()), double(n)});
}

void prod_impl(const Tensor& self, int64_t dim, bool keepdim, std::optional<ScalarType>, const Tensor& result) {
  auto iter = reduction_reading_self(self, result, dim, keepdim);
  if (iter.numel() == 0) {
    result.fill_(1);
    return;
  }
  reduce(iter, {"prod", "x", "a * b", "1", "a", reduce_acc_type(result.scalar_type())});
}

Tensor prod_all(const Tensor& self, std::optional<ScalarType> dtype) {
  ScalarType out = at::native::get_dtype_from_self(self, dtype, true);
  Tensor result = at::empty({}, self.options().dtype(out));
  auto iter = reduction_reading_self(self, result, IntArrayRef{}, false);
  if (iter.numel() == 0)
    result.fill_(1);
  else
    reduce(iter, {"prod", "x", "a * b", "1", "a", reduce_acc_type(out)});
  return result;
}

void amax_impl(const Tensor& self, IntArrayRef dim, bool keepdim, const Tensor& result) {
  auto iter = at::meta::make_reduction(self, result, dim, keepdim, self.scalar_type());
  if (iter.numel() > 0) reduce(iter, extremum(self.scalar_type(), true));
}

void amin_impl(const Tensor& self, IntArrayRef dim, bool keepdim, const Tensor& result) {
  auto iter = at::meta::make_reduction(self, result, dim, keepdim, self.scalar_type());
  if (iter.numel() > 0) reduce(iter, extremum(self.scalar_type(), false));
}

void max_all(Tensor& result, const Tensor& self) {
  auto iter = at::meta::make_reduction(self, result, IntArrayRef{}, false, self.scalar_type());
  reduce(iter, extremum(self.scalar_type(), true));
}

void min_all(Tensor& result, const Tensor& self) {
  auto iter = at::meta::make_reduction(self, result, IntArrayRef{}, false, self.scalar_type());
  reduce(iter, extremum(self.scalar_type(), false));
}

void all_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& result) {
  run_allany(self, dim, keepdim, result, true);
}
void all_dims_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, const Tensor& result) {
  run_allany(self, dim, keepdim, result, true);
}
void all_impl(const Tensor& self, const Tensor& result) { run_allany(self, {}, false, result, true); }
void any_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& result) {
  run_allany(self, dim, keepdim, result, false);
}
void any_dims_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, const Tensor& result) {
  run_allany(self, dim, keepdim, result, false);
}
void any_impl(const Tensor& self, const Tensor& result) { run_allany(self, {}, false, result, false); }

}  // namespace at::native::ocl
