// var, std, var_mean, std_mean: Welford's (mean, m2, n) accumulator on the reduction
// generator, merged pairwise with Chan's formula (stable for long reductions).
#include <ATen/TensorIterator.h>
#include <ATen/native/ReduceOpsUtils.h>

#include "aten/native/Pointwise.h"
#include "aten/native/Reduce.h"
#include "aten/native/ReduceOps.h"

namespace at::native::ocl {
namespace {

ReduceOp welford_op(ScalarType out, bool take_sqrt, double correction) {
  ScalarType acc = reduce_acc_type(out);
  std::string V = cl_type(acc), size = acc == kDouble ? "32" : "16";
  std::string pre = "typedef struct __attribute__((aligned(" + size + "))) { " + V + " mean, m2, n; } wf_t;\n";
  pre += "inline wf_t wf_make(" + V + " mean, " + V + " m2, " + V + " n) { wf_t a; a.mean = mean; a.m2 = m2; a.n = n; return a; }\n";
  pre += "inline wf_t wf_combine(wf_t a, wf_t b) {\n"
         "  if (a.n == 0) return b;\n  if (b.n == 0) return a;\n"
         "  " + V + " n = a.n + b.n, f = b.n / n, d = b.mean - a.mean;\n"
         "  return wf_make(a.mean + d * f, a.m2 + b.m2 + d * d * a.n * f, n);\n}\n";
  // one element: Welford's update (no branches)
  pre += "inline wf_t wf_push(wf_t a, " + V + " x) {\n"
         "  const " + V + " n = a.n + 1, d = x - a.mean, mean = a.mean + d / n;\n"
         "  return wf_make(mean, a.m2 + d * (x - mean), n);\n}\n";
  // m2 / max(n - correction, 0): 0/0 is NaN and x/0 is inf, as on the CPU
  std::string var = "(a.m2 / fmax(a.n - s0, (" + V + ")0))";
  ReduceOp op{take_sqrt ? "std" : "var", "wf_make(x, 0, 1)", "wf_combine(a, b)", "wf_make(0, 0, 0)",
              take_sqrt ? "sqrt" + var : var, acc, correction};
  op.acc_type = "wf_t";
  op.preamble = pre;
  op.acc_size = acc == kDouble ? 32 : 16;
  op.push = "wf_push(a, x)";
  return op;
}

void check_input(const char* fname, const Tensor& self) {
  TORCH_CHECK(self.layout() == Layout::Strided, fname, " only supports strided layout, got: ", self.layout());
  TORCH_CHECK(at::isFloatingType(self.scalar_type()), "std and var only support floating point and complex dtypes");
}

void warn_dof(const char* fname, const TensorIteratorBase& iter, double correction) {
  int64_t n = iter.num_output_elements() == 0 ? 0 : iter.numel() / iter.num_output_elements();
  if (n - correction <= 0)
    TORCH_WARN(fname, "(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
               "(input numel divided by output numel).");
}

// The reduction iterator into result1 (and result2, where given) over self: self is read in its
// own dtype where the results have it or are their own accumulate type (a bfloat16 input into
// float32 statistics: the kernel converts as it loads, as CUDA's make_reduction does for 16-bit
// inputs), else converted to the results' dtype first, as make_reduction does.
TensorIterator welford_iterator(Tensor& result1, Tensor* result2, const Tensor& self, OptionalIntArrayRef dim,
                                bool keepdim) {
  const ScalarType out = result1.scalar_type();
  const int64_t ndim = self.dim();
  const DimMask mask = make_dim_mask(dim.value_or(IntArrayRef{}), ndim);
  resize_reduction_result(result1, self, mask, keepdim, out);
  Tensor viewed1 = review_reduce_result(result1, ndim, mask, keepdim);
  const bool direct = self.scalar_type() == out || out == reduce_acc_type(out);
  const Tensor input = direct ? self : self.to(out);
  if (!result2) return TensorIterator::reduce_op(viewed1, input);
  resize_reduction_result(*result2, self, mask, keepdim, out);
  Tensor viewed2 = review_reduce_result(*result2, ndim, mask, keepdim);
  return TensorIterator::reduce_op(viewed1, viewed2, input);
}

}  // namespace

Tensor& std_var_out(const char* fname, Tensor& result, const Tensor& self, OptionalIntArrayRef dim,
                    const std::optional<Scalar>& correction_opt, bool keepdim, bool take_sqrt) {
  check_input(fname, self);
  double correction = correction_opt.value_or(1).toDouble();
  TORCH_CHECK(at::canCast(self.scalar_type(), result.scalar_type()), "result type ", self.scalar_type(),
              " can't be cast to the desired output type ", result.scalar_type());
  auto iter = welford_iterator(result, nullptr, self, dim, keepdim);
  warn_dof(fname, iter, correction);
  if (iter.numel() == 0) {
    result.fill_(std::numeric_limits<double>::quiet_NaN());
    return result;
  }
  reduce(iter, welford_op(result.scalar_type(), take_sqrt, correction));
  return result;
}

std::tuple<Tensor&, Tensor&> std_var_mean_out(const char* fname, Tensor& result1, Tensor& result2,
                                              const Tensor& self, OptionalIntArrayRef dim,
                                              const std::optional<Scalar>& correction_opt, bool keepdim,
                                              bool take_sqrt) {
  check_input(fname, self);
  TORCH_CHECK(result1.scalar_type() == result2.scalar_type(), fname, " expected result1 and result2 to have the same dtype, but got ",
              result1.scalar_type(), " and ", result2.scalar_type(), ".");
  double correction = correction_opt.value_or(1).toDouble();
  auto iter = welford_iterator(result1, &result2, self, dim, keepdim);
  warn_dof(fname, iter, correction);
  if (iter.numel() == 0) {
    result1.fill_(std::numeric_limits<double>::quiet_NaN());
    result2.fill_(std::numeric_limits<double>::quiet_NaN());
    return {result1, result2};
  }
  ReduceOp op = welford_op(result1.scalar_type(), take_sqrt, correction);
  op.name += "_mean";
  op.project2 = "a.mean";
  reduce(iter, op);
  return {result1, result2};
}

}  // namespace at::native::ocl
