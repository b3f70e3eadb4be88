// Registrations: tril and triu (upstream TriangularOps.cpp).
#include <ATen/core/Tensor.h>
#include <ATen/ops/tril_meta.h>
#include <ATen/ops/triu_meta.h>
#include <torch/library.h>

#include "aten/native/Structured.h"
#include "aten/native/TriangularOps.h"

namespace {
namespace ocl = at::native::ocl;
using K_tril = ocl::Fn<at::meta::structured_tril, &ocl::tril_impl>;
using K_triu = ocl::Fn<at::meta::structured_triu, &ocl::triu_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  OCL_STRUCTURED(m, K_tril, "tril", "tril_", "tril.out", int64_t);
  OCL_STRUCTURED(m, K_triu, "triu", "triu_", "triu.out", int64_t);
}
