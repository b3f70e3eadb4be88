// embedding_dense_backward (see Embedding.h): every gradient row is added atomically to its
// token's row; padding_idx rows are skipped; scale_grad_by_freq divides by token counts.
#include "aten/native/Embedding.h"

#include <ATen/TensorIterator.h>
#include <ATen/ops/index_add.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/zeros.h>

#include "aten/native/IndexKernel.h"

namespace at::native::ocl {

Tensor embedding_dense_backward(const Tensor& grad_output, const Tensor& indices, int64_t num_weights,
                                int64_t padding_idx, bool scale_grad_by_freq) {
  TORCH_CHECK(indices.scalar_type() == kLong || indices.scalar_type() == kInt,
              "embedding_backward(): Expected tensor for argument #1 'indices' to have one of the following scalar "
              "types: Long, Int; but got ", indices.scalar_type(), " instead");
  const int64_t d = grad_output.size(-1);
  Tensor idx = indices.reshape(-1);
  Tensor grad = grad_output.reshape({idx.numel(), d});
  Tensor gw = at::zeros({num_weights, d}, grad_output.options());
  if (idx.numel() == 0 || d == 0) return gw;
  if (scale_grad_by_freq) {
    Tensor counts = at::zeros({num_weights}, idx.options().dtype(kLong));
    counts.index_add_(0, idx, at::ones({idx.numel()}, counts.options()));
    grad = grad.div(at::index_select(counts, 0, idx).unsqueeze(1).to(grad.scalar_type()));
  }
  Tensor dst = gw.as_strided({idx.numel(), d}, {0, gw.stride(1)});
  Tensor rows = idx.as_strided({idx.numel(), d}, {idx.stride(0), 0});
  auto iter = TensorIteratorConfig()
                  .set_check_mem_overlap(false)
                  .check_all_same_dtype(false)
                  .resize_outputs(false)
                  .add_output(dst)
                  .add_const_input(grad)
                  .add_const_input(rows)
                  .build();
  IndexSpec spec{"embedding_backward", IndexMode::Reduce, ReduceOp::Add, {num_weights}, {gw.stride(0)}, false};
  if (padding_idx >= 0) spec.skip = padding_idx;
  index_launch(iter, spec, [&](int, int64_t bad) { TORCH_CHECK_INDEX(false, "index out of range in self: ", bad); });
  return gw;
}

}  // namespace at::native::ocl
