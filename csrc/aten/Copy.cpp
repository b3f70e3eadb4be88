// Registrations: copies and scalar reads (upstream Copy.cpp, Scalar.cpp).
#include <ATen/ops/empty.h>
#include <torch/library.h>

#include "aten/native/Copy.h"

namespace {

at::Tensor copy_from(const at::Tensor& self, const at::Tensor& dst, bool non_blocking) {
  at::native::ocl::copy_(dst, self, non_blocking);
  return dst;
}

at::Tensor copy_from_and_resize(const at::Tensor& self, const at::Tensor& dst) {
  if (dst.sizes() != self.sizes()) dst.resize_(self.sizes());
  at::native::ocl::copy_(dst, self, false);
  return dst;
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("_copy_from", copy_from);
  m.impl("_copy_from_and_resize", copy_from_and_resize);
  m.impl("_local_scalar_dense", at::native::ocl::local_scalar_dense);
}
