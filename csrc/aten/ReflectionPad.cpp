// Registrations: reflection_pad1d/2d/3d and their backward (upstream ReflectionPad.cpp).
#include <ATen/ops/empty.h>
#include <ATen/ops/reflection_pad1d_backward_meta.h>
#include <ATen/ops/reflection_pad1d_meta.h>
#include <ATen/ops/reflection_pad3d_backward_meta.h>
#include <ATen/ops/reflection_pad3d_meta.h>
#include <ATen/ops/zeros_like.h>
#include <ATen/native/Padding.h>
#include <ATen/native/Resize.h>
#include <torch/library.h>

#include "aten/native/Padding.h"
#include "aten/native/Structured.h"

namespace {
namespace ocl = at::native::ocl;
using at::IntArrayRef;
using at::Tensor;
using CT = const at::Tensor&;

void fwd(CT self, IntArrayRef padding, CT out) { ocl::pad_forward(self, padding, ocl::PadMode::Reflect, out); }
void bwd(CT grad_output, CT self, IntArrayRef padding, CT grad_input) {
  ocl::pad_backward(grad_output, self, padding, ocl::PadMode::Reflect, grad_input);
}
using K_1d = ocl::Fn<at::meta::structured_reflection_pad1d, &fwd>;
using K_3d = ocl::Fn<at::meta::structured_reflection_pad3d, &fwd>;
using K_1d_bwd = ocl::Fn<at::meta::structured_reflection_pad1d_backward, &bwd>;
using K_3d_bwd = ocl::Fn<at::meta::structured_reflection_pad3d_backward, &bwd>;

// reflection_pad2d is not structured upstream: its checks, then the shared kernel.
Tensor& pad2d_out(CT self, IntArrayRef padding, Tensor& out) {
  // upstream's check: a batch of 0 is allowed, other empty dimensions are not
  at::native::padding::check_valid_input<2>(self, padding);
  const int64_t h = self.size(-2), w = self.size(-1);
  TORCH_CHECK(padding[0] < w && padding[1] < w, "Argument #4: Padding size should be less than the corresponding "
              "input dimension, but got: padding (", padding[0], ", ", padding[1], ") at dimension ", self.dim() - 1,
              " of input ", self.sizes());
  TORCH_CHECK(padding[2] < h && padding[3] < h, "Argument #6: Padding size should be less than the corresponding "
              "input dimension, but got: padding (", padding[2], ", ", padding[3], ") at dimension ", self.dim() - 2,
              " of input ", self.sizes());
  auto sizes = self.sizes().vec();
  sizes[self.dim() - 1] += padding[0] + padding[1];
  sizes[self.dim() - 2] += padding[2] + padding[3];
  TORCH_CHECK(sizes[self.dim() - 1] >= 1 && sizes[self.dim() - 2] >= 1, "input (H: ", h, ", W: ", w,
              ") is too small. Calculated output H: ", sizes[self.dim() - 2], " W: ", sizes[self.dim() - 1]);
  at::native::resize_output(out, sizes);
  fwd(self, padding, out);
  return out;
}
Tensor pad2d(CT self, IntArrayRef padding) {
  Tensor out = at::empty({0}, self.options());
  return pad2d_out(self, padding, out);
}
Tensor& pad2d_backward_out(CT grad_output, CT self, IntArrayRef padding, Tensor& grad_input) {
  at::native::resize_output(grad_input, self.sizes());
  bwd(grad_output, self, padding, grad_input);
  return grad_input;
}
Tensor pad2d_backward(CT grad_output, CT self, IntArrayRef padding) {
  Tensor gi = at::zeros_like(self);
  return pad2d_backward_out(grad_output, self, padding, gi);
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("reflection_pad1d", &ocl::functional<K_1d, CT, IntArrayRef>);
  m.impl("reflection_pad1d.out", &ocl::out<K_1d, CT, IntArrayRef>);
  m.impl("reflection_pad3d", &ocl::functional<K_3d, CT, IntArrayRef>);
  m.impl("reflection_pad3d.out", &ocl::out<K_3d, CT, IntArrayRef>);
  m.impl("reflection_pad1d_backward", &ocl::functional<K_1d_bwd, CT, CT, IntArrayRef>);
  m.impl("reflection_pad1d_backward.grad_input", &ocl::out<K_1d_bwd, CT, CT, IntArrayRef>);
  m.impl("reflection_pad3d_backward", &ocl::functional<K_3d_bwd, CT, CT, IntArrayRef>);
  m.impl("reflection_pad3d_backward.grad_input", &ocl::out<K_3d_bwd, CT, CT, IntArrayRef>);
  m.impl("reflection_pad2d", pad2d);
  m.impl("reflection_pad2d.out", pad2d_out);
  m.impl("reflection_pad2d_backward", pad2d_backward);
  m.impl("reflection_pad2d_backward.grad_input", pad2d_backward_out);
}
