// Vector norms (ord 0, 1, 2, inf, -inf, p), nansum and count_nonzero on the reduction generator.
#include <ATen/native/ReduceOpsUtils.h>
#include <ATen/ops/empty.h>

#include <cmath>

#include "aten/native/Pointwise.h"
#include "aten/native/Reduce.h"
#include "aten/native/ReduceOps.h"

namespace at::native::ocl {
namespace {

ReduceOp norm_op(ScalarType out, double ord) {
  ScalarType acc = reduce_acc_type(out);
  // max/min of |x| propagate NaN, as the CPU's
  if (std::isinf(ord) && ord > 0) return {"norm_inf", "fabs(x)", "(isnan(a) || a > b) ? a : b", "0", "a", acc};
  if (std::isinf(ord)) return {"norm_ninf", "fabs(x)", "(isnan(a) || a < b) ? a : b", "INFINITY", "a", acc};
  if (ord == 0) return {"norm_0", "(x != 0)", "a + b", "0", "a", acc};
  if (ord == 1) return {"norm_1", "fabs(x)", "a + b", "0", "a", acc};
  if (ord == 2) return {"norm_2", "x * x", "a + b", "0", "sqrt(a)", acc};
  return {"norm_p", "pow(fabs(x), s0)", "a + b", "0", "pow(a, 1 / s0)", acc, ord};
}

}  // namespace

void vector_norm_impl(const Tensor& self, const Scalar& ord, OptionalIntArrayRef dim, bool keepdim,
                      std::optional<ScalarType>, const Tensor& result) {
  // The dtype argument is already the result's dtype; the input is converted to it.
  Tensor out = result;
  auto iter = make_reduction("vector_norm", out, self, dim, keepdim, result.scalar_type());
  if (iter.numel() == 0) {  // every norm of nothing is 0 (meta rejects the inf norm of nothing)
    result.zero_();
    return;
  }
  reduce(iter, norm_op(result.scalar_type(), ord.toDouble()));
}

Tensor& nansum_out(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> opt_dtype,
                   Tensor& result) {
  TORCH_CHECK(!c10::isComplexType(self.scalar_type()), "nansum does not support complex inputs");
  ScalarType dtype = get_dtype_from_result(result, opt_dtype);
  auto iter = make_reduction("nansum", result, self, dim, keepdim, dtype);
  if (iter.numel() == 0) {
    result.zero_();
    return result;
  }
  ScalarType acc = reduce_acc_type(dtype);
  reduce(iter, {"nansum", isFloatingType(acc) ? "isnan(x) ? 0 : x" : "x", "a + b", "0", "a", acc});
  return result;
}

Tensor nansum(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> opt_dtype) {
  ScalarType dtype = get_dtype_from_self(self, opt_dtype, true);
  Tensor result = at::empty({0}, self.options().dtype(dtype));
  return nansum_out(self, dim, keepdim, opt_dtype, result);
}

Tensor count_nonzero(const Tensor& self, IntArrayRef dims) {
  Tensor result = at::empty({0}, self.options().dtype(kLong));
  auto iter = make_reduction("count_nonzero", result, self, dims, false, self.scalar_type(), kLong);
  if (iter.numel() == 0) {
    result.zero_();
    return result;
  }
  // Inputs compare in their own value type; the count is int64.
  ScalarType val = isFloatingType(self.scalar_type()) ? reduce_acc_type(self.scalar_type()) : kLong;
  ReduceOp op{"count_nonzero", "(long)(x != 0)", "a + b", "0", "a", val};
  op.acc_type = "long";
  op.acc_size = 8;
  reduce(iter, op);
  return result;
}

}  // namespace at::native::ocl
