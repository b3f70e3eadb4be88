// Registrations: cumulative ops (upstream ReduceOps.cpp cumsum family, cuda/ScanKernels.cpp).
// Dtypes: all ten (logcumsumexp: floats)
#include <ATen/core/Tensor.h>
#include <ATen/ops/cumprod_meta.h>
#include <ATen/ops/cumsum_meta.h>
#include <torch/library.h>

#include "aten/native/Scan.h"
#include "aten/native/Structured.h"

namespace {
namespace ocl = at::native::ocl;
using DType = std::optional<at::ScalarType>;
using K_cumsum = ocl::Fn<at::meta::structured_cumsum, &ocl::cumsum_impl>;
using K_cumprod = ocl::Fn<at::meta::structured_cumprod, &ocl::cumprod_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  OCL_STRUCTURED(m, K_cumsum, "cumsum", "cumsum_", "cumsum.out", int64_t, DType);
  OCL_STRUCTURED(m, K_cumprod, "cumprod", "cumprod_", "cumprod.out", int64_t, DType);
  m.impl("_cummax_helper", ocl::cummax_helper);
  m.impl("_cummin_helper", ocl::cummin_helper);
  m.impl("_logcumsumexp", ocl::logcumsumexp);
  m.impl("_logcumsumexp.out", ocl::logcumsumexp_out);
}
