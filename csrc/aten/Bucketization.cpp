// Registrations: searchsorted and bucketize (upstream Bucketization.cpp).
#include <torch/library.h>

#include "aten/native/Bucketization.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("searchsorted.Tensor", ocl::searchsorted);
  m.impl("searchsorted.Tensor_out", ocl::searchsorted_out);
  m.impl("searchsorted.Scalar", ocl::searchsorted_scalar);
  m.impl("searchsorted.Scalar_out", ocl::searchsorted_scalar_out);
  m.impl("bucketize.Tensor", ocl::bucketize);
  m.impl("bucketize.Tensor_out", ocl::bucketize_out);
  m.impl("bucketize.Scalar", ocl::bucketize_scalar);
}
