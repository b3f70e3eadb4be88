// gather, scatter, scatter_add and scatter_reduce on the indexed-copy generator: the operand
// that is not indexed is restrided with stride 0 along dim, as ATen's CPU/CUDA kernels do.
#include "aten/native/ScatterGather.h"

#include <ATen/TensorIterator.h>
#include <ATen/WrapDimUtils.h>

#include <algorithm>

#include "aten/native/IndexKernel.h"

namespace at::native::ocl {
namespace {

// 0-dim tensors act as 1-element 1-D ones.
int64_t nonempty_size(const Tensor& t, int64_t dim) { return t.dim() == 0 ? 1 : t.size(dim); }
int64_t nonempty_stride(const Tensor& t, int64_t dim) { return t.dim() == 0 ? 1 : t.stride(dim); }

ReduceOp reduce_op(const ReductionType& r) {
  switch (r) {
    case ReductionType::PROD: return ReduceOp::Mul;
    case ReductionType::MAX: return ReduceOp::Max;
    case ReductionType::MIN: return ReduceOp::Min;
    default: return ReduceOp::Add;  // SUM, and MEAN (ATen divides by the counts afterwards)
  }
}

// self[... index[i] ...] (op)= src[i] (or value) along dim, or with gather=true
// result[i] = self[... index[i] ...].
void run(const char* name, const Tensor& dst, const Tensor* src, int64_t dim, const Tensor& index, IndexMode mode,
         ReduceOp op = ReduceOp::Add, std::optional<Scalar> value = std::nullopt) {
  if (index.numel() == 0) return;
  dim = maybe_wrap_dim(dim, std::max<int64_t>(dst.dim(), 1));
  const bool gather = mode == IndexMode::Gather;
  std::vector<int64_t> sizes = index.dim() == 0 ? std::vector<int64_t>{1} : index.sizes().vec();
  Tensor idx = index.dim() == 0 ? index.reshape({1}) : index;
  auto as_index_shape = [&](const Tensor& t) {
    auto st = t.dim() == 0 ? std::vector<int64_t>{1} : t.strides().vec();
    return t.as_strided(sizes, st);
  };
  // the indexed tensor: src for gather, dst for scatter
  const Tensor& indexed = gather ? *src : dst;
  Tensor d = gather ? as_index_shape(dst) : restride_dim(indexed, dim, sizes);
  TensorIteratorConfig config;
  config.set_check_mem_overlap(false).check_all_same_dtype(false).resize_outputs(false).add_output(d);
  Tensor s;
  if (src) {
    s = gather ? restride_dim(*src, dim, sizes) : as_index_shape(*src);
    config.add_const_input(s);
  }
  config.add_const_input(idx);
  auto iter = config.build();
  IndexSpec spec{name, mode, op, {nonempty_size(indexed, dim)}, {nonempty_stride(indexed, dim)}, false, value};
  const int64_t size = spec.sizes[0];
  index_launch(iter, spec, [&](int, int64_t bad) {
    TORCH_CHECK(false, "index ", bad, " is out of bounds for dimension ", dim, " with size ", size);
  });
}

}  // namespace

void gather_kernel(const Tensor& result, const Tensor& self, int64_t dim, const Tensor& index) {
  run("gather", result, &self, dim, index, IndexMode::Gather);
}

void scatter_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  run("scatter", self, &src, dim, index, IndexMode::Assign);
}

void scatter_fill_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  run("scatter_fill", self, nullptr, dim, index, IndexMode::Assign, ReduceOp::Add, value);
}

void scatter_add_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  run("scatter_add", self, &src, dim, index, IndexMode::Reduce, ReduceOp::Add);
}

void scatter_reduce_kernel(const Tensor& self, const int64_t dim, const Tensor& index, const Tensor& src,
                           const ReductionType& reduce) {
  run("scatter_reduce", self, &src, dim, index, IndexMode::Reduce, reduce_op(reduce));
}

void scatter_scalar_reduce_kernel(const Tensor& self, const int64_t dim, const Tensor& index, const Scalar& value,
                                  const ReductionType& reduce) {
  run("scatter_reduce_value", self, nullptr, dim, index, IndexMode::Reduce, reduce_op(reduce), value);
}

void scatter_reduce_two_kernel(const Tensor& self, const int64_t dim, const Tensor& index, const Tensor& src,
                               const ReductionType& reduce) {
  run("scatter_reduce_two", self, &src, dim, index, IndexMode::Reduce, reduce_op(reduce));
}

}  // namespace at::native::ocl
