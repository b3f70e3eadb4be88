// The one pointwise kernel generator: (operand dtypes, compute dtype, expression) -> an
// OpenCL kernel with contiguous and strided variants, 32/64-bit indexing, launched over a
// TensorIterator (which did broadcasting, type checks and dimension collapsing on the host).
#pragma once

#include <ATen/TensorIterator.h>
#include <c10/core/Scalar.h>

#include <optional>
#include <string>
#include <vector>

namespace at::native::ocl {

struct KernelScalar {
  c10::ScalarType type;  // its OpenCL type is cl_type(type)
  c10::Scalar value;
};

struct PointwiseOp {
  std::string name;  // names the expression in kernel names and logs
  // OpenCL C expression giving the result in `compute`'s OpenCL type. Inputs, converted to
  // the compute type, are a, b, c, d (in iterator input order); scalars are s0, s1, ...;
  // `i` is the element's linear index (ulong) in iteration order.
  std::string expr;
  c10::ScalarType compute;
  std::vector<KernelScalar> scalars = {};
  std::string preamble_file = {};  // an extra csrc/kernels/*.cl file the expression uses
};

// Runs op over iter's operands (output 0 gets the result, cast to its dtype).
void pointwise(TensorIteratorBase& iter, const PointwiseOp& op);

// out = op.expr over `inputs` (a, b, ... in order; broadcast to out's shape, e.g. per-channel
// [1, C, 1, ...] views), computed in op.compute; out keeps its dtype, shape and layout.
void pointwise_into(const Tensor& out, std::initializer_list<Tensor> inputs, const PointwiseOp& op);

// Runs float_expr (floating compute types) or int_expr (integers and bool; "" = not
// implemented for them) in `compute` (default: the iterator's common dtype, float for
// 16-bit floats). "_T(" in an expression becomes "_<compute OpenCL type>(" so helpers
// of the preamble file resolve per type.
void pointwise_expr(TensorIteratorBase& iter, const char* name, const std::string& float_expr,
                    const std::string& int_expr, std::vector<KernelScalar> scalars = {},
                    const std::string& preamble_file = "math.cl",
                    std::optional<c10::ScalarType> compute = std::nullopt);

// The dtype computations run in for a stored dtype: float for half/bfloat16, else itself.
inline c10::ScalarType compute_type(c10::ScalarType t) {
  return (t == c10::kHalf || t == c10::kBFloat16) ? c10::kFloat : t;
}

// OpenCL type computations happen in for a stored dtype (float for half/bfloat16).
std::string cl_type(c10::ScalarType t);
// The iterator's common dtype as kernels compute in it (float for 16-bit floats).
inline c10::ScalarType common_compute_type(const TensorIteratorBase& iter) {
  return compute_type(iter.common_dtype());
}

// How a dtype is stored in a kernel argument (half, ushort for bfloat16, uchar for bool).
std::string cl_storage_type(c10::ScalarType t);
// Loads element idx of pointer p as its compute type (float for 16-bit floats).
std::string cl_load(c10::ScalarType t, const std::string& p, const std::string& idx);
// Stores v (already in the compute type of t, 0/1 for bool) into element idx of p.
std::string cl_store(c10::ScalarType t, const std::string& p, const std::string& idx, const std::string& v);

// The dtype as Python spells it (torch.complex64, torch.float16, ...).
std::string dtype_name(c10::ScalarType t);
// Raises a clear error when the device cannot hold the dtype (float64 without cl_khr_fp64,
// complex and other unsupported types).
void check_dtype_supported(c10::ScalarType t, int device);

}  // namespace at::native::ocl
