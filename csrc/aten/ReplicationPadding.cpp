// Registrations: replication_pad1d/2d/3d and their backward (upstream ReplicationPadding.cpp).
#include <ATen/ops/replication_pad1d_backward_meta.h>
#include <ATen/ops/replication_pad1d_meta.h>
#include <ATen/ops/replication_pad2d_meta.h>
#include <ATen/ops/replication_pad3d_meta.h>
#include <torch/library.h>

#include "aten/native/PaddingForms.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  using at::native::ocl::PadMode;
  OCL_PAD_STRUCTURED(m, replication_pad1d, PadMode::Replicate);
  OCL_PAD_STRUCTURED(m, replication_pad2d, PadMode::Replicate);
  OCL_PAD_STRUCTURED(m, replication_pad3d, PadMode::Replicate);
  OCL_PAD_BACKWARD_STRUCTURED(m, replication_pad1d, PadMode::Replicate);
  // the 2d/3d backward are not structured upstream
  OCL_PAD_BACKWARD(m, replication_pad2d, PadMode::Replicate, 2);
  OCL_PAD_BACKWARD(m, replication_pad3d, PadMode::Replicate, 3);
}
