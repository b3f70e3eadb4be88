// The one reduction generator: (map, combine, identity, projection, accumulate type) ->
// an OpenCL kernel over a reduction TensorIterator, one work-group per output element,
// with a second pass over partial results when there are few outputs and long reductions.
#pragma once

#include <ATen/TensorIterator.h>
#include <c10/core/Scalar.h>

#include <string>

namespace at::native::ocl {

struct ReduceOp {
  std::string name;
  // of x (the input converted to acc; y and z the second and third inputs when the iterator has
  // them) and r (the element's linear index in the reduced dims)
  std::string map;
  std::string combine;   // of a and b (accumulator values), an accumulator value
  std::string identity;  // accumulator expression
  std::string project;   // of a (the reduced accumulator) and s0 (`factor`), output 0's value
  c10::ScalarType acc;   // the type inputs are converted to (and the accumulator's, unless acc_type is set)
  double factor = 1.0;
  // A compound accumulator (a (value, index) pair, Welford's (mean, m2, n)): `acc_type` names
  // an OpenCL type that `preamble` defines, `acc_size` its size in bytes (a power of two, so
  // partial buffers stay aligned).
  std::string acc_type = {};
  std::string preamble = {};
  size_t acc_size = 0;
  std::string project2 = {};  // output 1's value, for iterators with two outputs
  // Accumulator a with one more element (x, y, z as for map), when cheaper than
  // combine(a, map(x)) (Welford's running update); empty: combine(a, map(x)).
  std::string push = {};
};

// iter: a reduction iterator (outputs first, then the inputs), as ATen's make_reduction builds
// it, with one output or two (project and project2) and one to three inputs (each with its own
// strides; inputs broadcast, e.g. a per-output [1, C, 1, 1] view).
void reduce(TensorIteratorBase& iter, const ReduceOp& op);

// Two sums in one pass: `pair`, an OpenCL expression of x, y (and z) — the inputs in order,
// converted to acc — of type acc2 (acc's 2-vector), summed over the dims where out_a and out_b
// (same shape as the inputs, acc dtype) have size 1, its first lane into out_a and its second into
// out_b. Inputs keep their dtypes and strides and broadcast (a per-channel [1, C, 1, 1] view).
void sum_pair(const Tensor& out_a, const Tensor& out_b, std::initializer_list<Tensor> inputs, const std::string& name,
              const std::string& pair);

// Accumulate type of a reduction over `t` (float for 16-bit floats, int64 for integers).
c10::ScalarType reduce_acc_type(c10::ScalarType t);

}  // namespace at::native::ocl
