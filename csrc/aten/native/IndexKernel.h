// The one indexed-copy kernel generator: gathers (out[i] = src[i + idx * stride]) and
// scatters (dst[i + idx * stride] = / op= src[i]) over a TensorIterator whose operands ATen
// or our launchers restrided; index, index_put, gather/scatter, index_select/add/copy/fill,
// take/put, flip and embedding backward are instances.
#pragma once

#include <ATen/TensorIterator.h>
#include <c10/core/Scalar.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace at::native::ocl {

enum class IndexMode {
  Gather,  // out[x0] = src[x1 + off]
  Assign,  // dst[x0 + off] = src[x1] (or value)
  Reduce,  // dst[x0 + off] op= src[x1] (or value), atomically
};
enum class ReduceOp { Add = 0, Mul = 1, Max = 2, Min = 3 };

// Iterator operands: 0 the destination, then the source (absent when `value` is set), then
// one index tensor (int64 or int32) per entry of sizes/strides.
struct IndexSpec {
  std::string name;  // names the kernel in caches and logs
  IndexMode mode;
  ReduceOp op = ReduceOp::Add;
  std::vector<int64_t> sizes;    // per index: the indexed dimension's size (bounds)
  std::vector<int64_t> strides;  // per index: element stride of the indexed tensor
  bool wrap_negative = true;     // index semantics (-size <= idx < 0 wraps); else rejected
  std::optional<c10::Scalar> value;  // scatter this value instead of a source operand
  std::optional<c10::Scalar> alpha;  // scale the source by alpha (index_add)
  std::optional<int64_t> skip;       // elements whose (first) index equals this are skipped
  bool check = true;  // read the out-of-range flag back (a sync); off where indices are ours
};

// Called with (which index, bad value) after a launch that met an out-of-range index; throws.
using IndexErrorFn = std::function<void(int, int64_t)>;

// Launches spec over iter; an out-of-range index skips its element and is reported through
// on_error (default: IndexError "index 7 is out of bounds for dimension k with size 5").
void index_launch(TensorIteratorBase& iter, const IndexSpec& spec, const IndexErrorFn& on_error = nullptr);

// A view of t with size `sizes` and stride 0 in dimension dim (the scatter/gather trick).
Tensor restride_dim(const Tensor& t, int64_t dim, IntArrayRef sizes);

}  // namespace at::native::ocl
