// Registrations: _has_compatible_shallow_copy_type (upstream TensorProperties.cpp).
// Dtypes: any
#include <ATen/core/Tensor.h>
#include <torch/library.h>

namespace {

// c10's default only counts CPU/CUDA/XPU/... as dense backends, so `param.data = t` and
// Module.to("ocl") would replace Parameters (breaking tied weights) instead of swapping
// their data as they do for CUDA. Dense strided CPU and ocl tensors are interchangeable.
bool has_compatible_shallow_copy_type(const at::Tensor& self, const at::Tensor& from) {
  auto dense = [](const at::Tensor& t) {
    return t.layout() == c10::kStrided && (t.device().is_cpu() || t.device().is_privateuseone());
  };
  if (dense(self) && dense(from)) return true;
  return self.unsafeGetTensorImpl()->has_compatible_shallow_copy_type(from.key_set());
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("_has_compatible_shallow_copy_type", has_compatible_shallow_copy_type);
}
