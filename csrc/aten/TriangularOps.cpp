// Registrations: tril, triu and trace (upstream TriangularOps.cpp; trace as upstream cuda/TriangularOps.cu).
#include <ATen/ops/sum.h>
#include <ATen/ops/tril_meta.h>
#include <ATen/ops/triu_meta.h>
#include <torch/library.h>

#include "aten/native/ShapeOps.h"
#include "aten/native/Structured.h"

namespace {
namespace ocl = at::native::ocl;
using K_tril = ocl::Fn<at::meta::structured_tril, &ocl::tril_impl>;
using K_triu = ocl::Fn<at::meta::structured_triu, &ocl::triu_impl>;

// The sum of a matrix's diagonal, in sum's result dtype (integers widen to int64), as CUDA does.
at::Tensor trace(const at::Tensor& self) {
  TORCH_CHECK(self.dim() == 2, "trace: expected a matrix, but got tensor with dim ", self.dim());
  return self.diagonal().sum();
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  OCL_STRUCTURED(m, K_tril, "tril", "tril_", "tril.out", int64_t);
  OCL_STRUCTURED(m, K_triu, "triu", "triu_", "triu.out", int64_t);
  m.impl("trace", trace);
}
