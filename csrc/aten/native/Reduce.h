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
  std::string map;       // of x (the input converted to acc), an acc value
  std::string combine;   // of a and b (acc values), an acc value
  std::string identity;  // acc expression
  std::string project;   // of a (the reduced acc value) and s0 (`factor`), the result
  c10::ScalarType acc;
  double factor = 1.0;
};

// iter: a reduction iterator (output 0, input 1), as ATen's make_reduction builds it.
void reduce(TensorIteratorBase& iter, const ReduceOp& op);

// Accumulate type of a reduction over `t` (float for 16-bit floats, int64 for integers).
c10::ScalarType reduce_acc_type(c10::ScalarType t);

}  // namespace at::native::ocl
