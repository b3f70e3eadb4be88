// Registrations: embedding_dense_backward (upstream Embedding.cpp).
#include <torch/library.h>

#include "aten/native/Embedding.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("embedding_dense_backward", at::native::ocl::embedding_dense_backward);
}
