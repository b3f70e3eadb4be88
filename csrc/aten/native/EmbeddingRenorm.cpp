// embedding_renorm_ (see Embedding.h): rows of the weight that the indices name are scaled down
// to max_norm, as nn.Embedding(max_norm=...) does before each lookup.
#include <ATen/TensorOperators.h>
#include <ATen/ops/_unique2.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/linalg_vector_norm.h>
#include <ATen/ops/where.h>

#include "aten/native/Embedding.h"

namespace at::native::ocl {

Tensor& embedding_renorm_(Tensor& self, const Tensor& indices, double max_norm, double norm_type) {
  TORCH_CHECK(self.dim() == 2, "embedding_renorm_(): Expected 2-dimensional tensor, but got ", self.dim(),
              "-dimensional tensor for argument #1 'self'");
  TORCH_CHECK(indices.scalar_type() == kLong || indices.scalar_type() == kInt,
              "embedding_renorm_(): Expected tensor for argument #2 'indices' to have one of the following scalar "
              "types: Long, Int; but got ", indices.scalar_type(), " instead");
  TORCH_CHECK(self.device() == indices.device(), "embedding_renorm_(): Expected all tensors to be on the same "
              "device, but found ", self.device(), " and ", indices.device());
  // Each row once (a repeated index must not be scaled twice); index_select checks the range.
  const Tensor rows = std::get<0>(at::_unique2(indices.reshape(-1), /*sorted=*/false));
  // Norms and scales in float (the CPU computes them in double), then one rounding per element.
  const Tensor w = at::index_select(self, 0, rows).to(self.scalar_type() == kDouble ? kDouble : kFloat);
  const Tensor norms = at::linalg_vector_norm(w, norm_type, IntArrayRef{1}, /*keepdim=*/true);
  const Tensor scale = at::where(norms > max_norm, max_norm / (norms + 1e-7), 1.0);
  self.index_copy_(0, rows, (w * scale).to(self.scalar_type()));
  return self;
}

}  // namespace at::native::ocl
