// Registrations: masked_fill_ (upstream TensorAdvancedIndexing.cpp / cuda Indexing.cu).
#include <torch/library.h>

#include "aten/native/PointwiseOps.h"

namespace {
using at::Tensor;
Tensor& masked_fill_scalar(Tensor& self, const Tensor& mask, const at::Scalar& value) {
  return at::native::ocl::masked_fill_(self, mask, value);
}
Tensor& masked_fill_tensor(Tensor& self, const Tensor& mask, const Tensor& value) {
  return at::native::ocl::masked_fill_(self, mask, value);
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("masked_fill_.Scalar", masked_fill_scalar);
  m.impl("masked_fill_.Tensor", masked_fill_tensor);
}
