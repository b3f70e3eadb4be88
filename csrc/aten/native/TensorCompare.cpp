// Select/compare kernels: where, clamp, isposinf/isneginf, logical ops, nan_to_num, masked_fill_.
#include <ATen/TensorIterator.h>
#include <ATen/core/Tensor.h>

#include <limits>

#include "aten/native/Pointwise.h"
#include "aten/native/PointwiseOps.h"

namespace at::native::ocl {

// inputs: condition (a), self (b), other (c), already promoted to the output dtype
void where_kernel(TensorIterator& iter) {
  pointwise_expr(iter, "where", "a != 0 ? b : c", "a != 0 ? b : c", {}, "", compute_type(iter.dtype(0)));
}

namespace {

// NaN input stays NaN (as the CPU); integer types clamp plainly.
void clamp_scalar(TensorIteratorBase& iter, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  ScalarType c = common_compute_type(iter);
  std::vector<KernelScalar> s;
  std::string fexpr = "a", iexpr = "a";
  if (min) {
    s.push_back({c, *min});
    fexpr = "fmax(" + fexpr + ", s0)";
    iexpr = "max(" + iexpr + ", s0)";
  }
  if (max) {
    std::string m = "s" + std::to_string(s.size());
    s.push_back({c, *max});
    fexpr = "fmin(" + fexpr + ", " + m + ")";
    iexpr = "min(" + iexpr + ", " + m + ")";
  }
  pointwise_expr(iter, min && max ? "clamp" : (min ? "clamp_min" : "clamp_max"), "isnan(a) ? a : " + fexpr, iexpr,
                 std::move(s));
}

// inputs: self (a), then min (b) if given, then max (next)
void clamp_tensor(TensorIteratorBase& iter, bool has_min, bool has_max) {
  std::string lo = has_min ? "b" : "", hi = has_max ? (has_min ? "c" : "b") : "";
  std::string f = "a", i = "a";
  if (has_min) f = "(isnan(" + lo + ") ? " + lo + " : fmax(" + f + ", " + lo + "))", i = "max(" + i + ", " + lo + ")";
  if (has_max) f = "(isnan(" + hi + ") ? " + hi + " : fmin(" + f + ", " + hi + "))", i = "min(" + i + ", " + hi + ")";
  pointwise_expr(iter, has_min && has_max ? "clamp_t" : (has_min ? "clamp_min_t" : "clamp_max_t"),
                 "isnan(a) ? a : " + f, i);
}

}  // namespace

void clamp_kernel(TensorIteratorBase& iter, const Tensor&, c10::OptionalScalarRef min, c10::OptionalScalarRef max, const Tensor&) {
  clamp_scalar(iter, min.has_value() ? std::optional<Scalar>(min.get()) : std::nullopt,
               max.has_value() ? std::optional<Scalar>(max.get()) : std::nullopt);
}
void clamp_min_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& min, const Tensor&) {
  clamp_scalar(iter, min, std::nullopt);
}
void clamp_max_kernel(TensorIteratorBase& iter, const Tensor&, const Scalar& max, const Tensor&) {
  clamp_scalar(iter, std::nullopt, max);
}
void clamp_tensor_kernel(TensorIteratorBase& iter, const Tensor&, OptionalTensorRef min, OptionalTensorRef max,
                         const Tensor&) {
  clamp_tensor(iter, min.has_value(), max.has_value());
}
void clamp_min_tensor_kernel(TensorIteratorBase& iter) { clamp_tensor(iter, true, false); }
void clamp_max_tensor_kernel(TensorIteratorBase& iter) { clamp_tensor(iter, false, true); }

void isposinf_kernel(TensorIteratorBase& iter) {
  ScalarType in = compute_type(iter.input_dtype());
  pointwise_expr(iter, "isposinf", "isinf(a) && a > 0", "0", {}, "", in);
}

void isneginf_kernel(TensorIteratorBase& iter) {
  ScalarType in = compute_type(iter.input_dtype());
  pointwise_expr(iter, "isneginf", "isinf(a) && a < 0", "0", {}, "", in);
}

void logical_and_kernel(TensorIterator& iter) {
  pointwise_expr(iter, "logical_and", "(a != 0) && (b != 0)", "(a != 0) && (b != 0)", {}, "");
}
void logical_or_kernel(TensorIterator& iter) {
  pointwise_expr(iter, "logical_or", "(a != 0) || (b != 0)", "(a != 0) || (b != 0)", {}, "");
}
void logical_xor_kernel(TensorIterator& iter) {
  pointwise_expr(iter, "logical_xor", "(a != 0) != (b != 0)", "(a != 0) != (b != 0)", {}, "");
}
void logical_not_kernel(TensorIteratorBase& iter) {
  ScalarType in = compute_type(iter.dtype(1));
  pointwise_expr(iter, "logical_not", "a == 0", "a == 0", {}, "", in);
}

void nan_to_num_kernel(TensorIteratorBase& iter, std::optional<double> nan, std::optional<double> posinf,
                       std::optional<double> neginf) {
  ScalarType t = iter.dtype(0);
  double big = t == kHalf        ? 65504.0
               : t == kBFloat16  ? 3.3895313892515355e38
               : t == kFloat     ? double(std::numeric_limits<float>::max())
                                 : std::numeric_limits<double>::max();
  ScalarType c = compute_type(t);
  pointwise_expr(iter, "nan_to_num", "isnan(a) ? s0 : (isinf(a) ? (a > 0 ? s1 : s2) : a)", "a",
                 {{c, nan.value_or(0.0)}, {c, posinf.value_or(big)}, {c, neginf.value_or(-big)}}, "", c);
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value) {
  TORCH_CHECK(mask.scalar_type() == kBool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
              mask.scalar_type());
  TORCH_CHECK(self.device() == mask.device(), "expected self and mask to be on the same device, but got mask on ",
              mask.device(), " and self on ", self.device());
  auto iter = TensorIteratorConfig()
                  .set_check_mem_overlap(false)
                  .check_all_same_dtype(false)
                  .resize_outputs(false)
                  .add_output(self)
                  .add_const_input(self)
                  .add_const_input(mask)
                  .build();
  ScalarType c = compute_type(self.scalar_type());
  pointwise_expr(iter, "masked_fill", "b != 0 ? s0 : a", "b != 0 ? s0 : a", {{c, value}}, "", c);
  return self;
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value) {
  TORCH_CHECK(value.dim() == 0, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
              value.dim(), " dimension(s).");
  return masked_fill_(self, mask, value.item());
}

}  // namespace at::native::ocl
