// argmax/argmin, max/min over a dim (values and indices) and aminmax on the reduction
// generator, with (value, index) and (min, max) accumulators.
#include <ATen/native/ReduceOpsUtils.h>
#include <c10/util/MaybeOwned.h>

#include "aten/native/Pointwise.h"
#include "aten/native/Reduce.h"
#include "aten/native/ReduceOps.h"

namespace at::native::ocl {
namespace {

// The value type of the accumulator: float for 16-bit floats, int64 for integers and bool.
ScalarType value_type(ScalarType t) { return isFloatingType(t) ? reduce_acc_type(t) : kLong; }

std::string lowest(ScalarType v) { return isFloatingType(v) ? "-INFINITY" : "LONG_MIN"; }
std::string highest(ScalarType v) { return isFloatingType(v) ? "INFINITY" : "LONG_MAX"; }
// OpenCL C testing `e` for NaN: never for integers (where `e != e` draws a compiler warning).
std::string is_nan(ScalarType v, const std::string& e) { return isFloatingType(v) ? "isnan(" + e + ")" : "false"; }

// (value, index): NaN wins (as on the CPU); among equals and among NaNs the first index wins.
ReduceOp arg_op(ScalarType in, bool is_max) {
  ScalarType v = value_type(in);
  std::string V = cl_type(v), cmp = is_max ? ">" : "<";
  std::string pre = "typedef struct __attribute__((aligned(16))) { " + V + " v; long i; } arg_t;\n";
  pre += "inline arg_t arg_make(" + V + " v, long i) { arg_t a; a.v = v; a.i = i; return a; }\n";
  pre += "inline arg_t arg_pick(arg_t a, arg_t b) {\n"
         "  bool an = " + is_nan(v, "a.v") + ", bn = " + is_nan(v, "b.v") + ";\n"
         "  if (an || bn) return (an && bn) ? (a.i <= b.i ? a : b) : (an ? a : b);\n"
         "  if (a.v != b.v) return a.v " + cmp + " b.v ? a : b;\n"
         "  return a.i <= b.i ? a : b;\n}\n";
  ReduceOp op{is_max ? "argmax" : "argmin", "arg_make(x, (long)r)", "arg_pick(a, b)",
              "arg_make(" + (is_max ? lowest(v) : highest(v)) + ", LONG_MAX)", "a.i", v};
  op.acc_type = "arg_t";
  op.preamble = pre;
  op.acc_size = 16;
  return op;
}

// (min, max), NaN-propagating like amin/amax.
ReduceOp minmax_op(ScalarType in) {
  ScalarType v = value_type(in);
  std::string V = cl_type(v);
  std::string pre = "typedef struct __attribute__((aligned(16))) { " + V + " lo, hi; } mm_t;\n";
  pre += "inline mm_t mm_make(" + V + " lo, " + V + " hi) { mm_t a; a.lo = lo; a.hi = hi; return a; }\n";
  pre += "inline mm_t mm_combine(mm_t a, mm_t b) {\n"
         "  return mm_make((" + is_nan(v, "a.lo") + " || a.lo < b.lo) ? a.lo : b.lo, (" + is_nan(v, "a.hi") +
         " || a.hi > b.hi) ? a.hi : b.hi);\n}\n";
  ReduceOp op{"aminmax", "mm_make(x, x)", "mm_combine(a, b)", "mm_make(" + highest(v) + ", " + lowest(v) + ")",
              "a.lo", v};
  op.acc_type = "mm_t";
  op.preamble = pre;
  op.acc_size = 16;
  op.project2 = "a.hi";
  return op;
}

void arg_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& result, bool is_max) {
  c10::MaybeOwned<Tensor> in;
  DimVector dims;
  if (dim.has_value()) {
    int64_t d = maybe_wrap_dim(*dim, self.dim());
    if (self.dim() > 0 && self.size(d) == 1) {  // nothing to compare: every index is 0
      result.zero_();
      return;
    }
    dims.push_back(d);
    in = c10::MaybeOwned<Tensor>::borrowed(self);
  } else {
    in = c10::MaybeOwned<Tensor>::owned(self.reshape({-1}));
    keepdim = false;
  }
  auto iter = at::meta::make_reduction(*in, result, dims, keepdim, self.scalar_type());
  if (iter.numel() != 0) reduce(iter, arg_op(self.scalar_type(), is_max));
}

void minmax_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& values, const Tensor& indices,
                     bool is_max) {
  dim = maybe_wrap_dim(dim, self.dim());
  if (self.numel() == 0) return;
  if (self.dim() == 0 || self.size(dim) == 1) {  // a copy and zero indices, as ATen does
    values.copy_(self.dim() == 0 || keepdim ? self : self.squeeze(dim));
    indices.zero_();
    return;
  }
  auto iter = at::meta::make_reduction(self, values, indices, IntArrayRef{dim}, keepdim, self.scalar_type(), kLong);
  ReduceOp op = arg_op(self.scalar_type(), is_max);
  op.name = is_max ? "max_dim" : "min_dim";
  op.project = "a.v";
  op.project2 = "a.i";
  reduce(iter, op);
}

}  // namespace

void argmax_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& result) {
  arg_impl(self, dim, keepdim, result, true);
}
void argmin_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& result) {
  arg_impl(self, dim, keepdim, result, false);
}

void max_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& values, const Tensor& indices) {
  minmax_dim_impl(self, dim, keepdim, values, indices, true);
}
void min_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& values, const Tensor& indices) {
  minmax_dim_impl(self, dim, keepdim, values, indices, false);
}

void aminmax_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& min,
                  const Tensor& max) {
  if (min.numel() == 0) return;
  DimVector dims;  // none: all of them
  if (dim.has_value() && self.dim() > 0) dims.push_back(maybe_wrap_dim(*dim, self.dim()));
  auto iter = at::meta::make_reduction(self, min, max, dims, keepdim, self.scalar_type(), self.scalar_type());
  reduce(iter, minmax_op(self.scalar_type()));
}

}  // namespace at::native::ocl
