// Registrations: embedding_dense_backward, embedding_renorm_ (upstream Embedding.cpp).
#include <torch/library.h>

#include "aten/native/Embedding.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("embedding_dense_backward", at::native::ocl::embedding_dense_backward);
  m.impl("embedding_renorm_", at::native::ocl::embedding_renorm_);
}
