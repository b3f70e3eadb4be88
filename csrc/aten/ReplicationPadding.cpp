// Registrations: replication_pad1d/2d/3d and their backward (upstream ReplicationPadding.cpp).
#include <ATen/ops/replication_pad1d_backward_meta.h>
#include <ATen/ops/replication_pad1d_meta.h>
#include <ATen/ops/replication_pad2d_meta.h>
#include <ATen/ops/replication_pad3d_meta.h>
#include <ATen/ops/zeros_like.h>
#include <ATen/native/Resize.h>
#include <torch/library.h>

#include "aten/native/Padding.h"
#include "aten/native/Structured.h"

namespace {
namespace ocl = at::native::ocl;
using at::IntArrayRef;
using at::Tensor;
using CT = const at::Tensor&;

void fwd(CT self, IntArrayRef padding, CT out) { ocl::pad_forward(self, padding, ocl::PadMode::Replicate, out); }
void bwd(CT grad_output, CT self, IntArrayRef padding, CT grad_input) {
  ocl::pad_backward(grad_output, self, padding, ocl::PadMode::Replicate, grad_input);
}
using K_1d = ocl::Fn<at::meta::structured_replication_pad1d, &fwd>;
using K_2d = ocl::Fn<at::meta::structured_replication_pad2d, &fwd>;
using K_3d = ocl::Fn<at::meta::structured_replication_pad3d, &fwd>;
using K_1d_bwd = ocl::Fn<at::meta::structured_replication_pad1d_backward, &bwd>;

// The 2d/3d backward are not structured upstream.
template <int64_t N>
Tensor& backward_out(CT grad_output, CT self, IntArrayRef padding, Tensor& grad_input) {
  TORCH_CHECK(static_cast<int64_t>(padding.size()) == 2 * N, "padding size is expected to be ", 2 * N);
  auto expected = self.sizes().vec();
  for (int64_t i = 0; i < N; ++i) expected[self.dim() - 1 - i] += padding[2 * i] + padding[2 * i + 1];
  TORCH_CHECK(grad_output.sizes().vec() == expected, "gradOutput sizes unexpected: expected ", expected, ", got ",
              grad_output.sizes());
  at::native::resize_output(grad_input, self.sizes());
  bwd(grad_output, self, padding, grad_input);
  return grad_input;
}
template <int64_t N>
Tensor backward(CT grad_output, CT self, IntArrayRef padding) {
  Tensor gi = at::zeros_like(self);
  return backward_out<N>(grad_output, self, padding, gi);
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("replication_pad1d", &ocl::functional<K_1d, CT, IntArrayRef>);
  m.impl("replication_pad1d.out", &ocl::out<K_1d, CT, IntArrayRef>);
  m.impl("replication_pad2d", &ocl::functional<K_2d, CT, IntArrayRef>);
  m.impl("replication_pad2d.out", &ocl::out<K_2d, CT, IntArrayRef>);
  m.impl("replication_pad3d", &ocl::functional<K_3d, CT, IntArrayRef>);
  m.impl("replication_pad3d.out", &ocl::out<K_3d, CT, IntArrayRef>);
  m.impl("replication_pad1d_backward", &ocl::functional<K_1d_bwd, CT, CT, IntArrayRef>);
  m.impl("replication_pad1d_backward.grad_input", &ocl::out<K_1d_bwd, CT, CT, IntArrayRef>);
  m.impl("replication_pad2d_backward", backward<2>);
  m.impl("replication_pad2d_backward.grad_input", backward_out<2>);
  m.impl("replication_pad3d_backward", backward<3>);
  m.impl("replication_pad3d_backward.grad_input", backward_out<3>);
}
