// Fractional max pooling, 2d and 3d (see PoolOps.h): ATen's structured metas (2d forward and
// backward, 3d forward) or the CPU's checks (3d backward); the backward adds each output
// gradient at its index with scatter_add, as every output has exactly one.
#include <ATen/native/Resize.h>
#include <ATen/ops/fractional_max_pool2d_backward_meta.h>
#include <ATen/ops/fractional_max_pool2d_meta.h>
#include <ATen/ops/fractional_max_pool3d_meta.h>
#include <ATen/ops/zeros.h>

#include "aten/native/Pool.h"
#include "aten/native/PoolOps.h"
#include "aten/native/Structured.h"

namespace at::native::ocl {
namespace {

PoolWindow window(IntArrayRef k) {
  PoolWindow w;
  if (k.size() == 3) {
    w.KD = k[0], w.KH = k[1], w.KW = k[2];
  } else {
    w.KH = k[0], w.KW = k[1];
  }
  return w;
}

// grad_input (zeros of self's shape, contiguous) with grad_output added at indices per plane.
Tensor scatter_grad(const Tensor& grad_output, const Tensor& self, const Tensor& indices, int spatial) {
  TORCH_CHECK(grad_output.sizes() == indices.sizes(), "fractional_max_pool", spatial, "d_backward(): expected "
              "grad_output of the indices' shape ", indices.sizes(), ", but got ", grad_output.sizes());
  TORCH_CHECK(grad_output.device() == self.device() && indices.device() == self.device(),
              "Expected all tensors to be on the same device, but found at least two devices, ", self.device(),
              " and ", grad_output.device() == self.device() ? indices.device() : grad_output.device(), "!");
  Tensor gi = at::zeros(self.sizes(), self.options());
  if (gi.numel() == 0 || grad_output.numel() == 0) return gi;
  int64_t plane = 1;
  for (int i = 0; i < spatial; ++i) plane *= self.size(self.dim() - 1 - i);
  int64_t planes = self.numel() / plane;
  gi.view({planes, plane}).scatter_add_(1, indices.reshape({planes, -1}), grad_output.reshape({planes, -1}));
  return gi;
}

}  // namespace

void fractional_max_pool2d_impl(const Tensor& self, IntArrayRef kernel_size, IntArrayRef, const Tensor& samples,
                                const Tensor& out, const Tensor& indices) {
  fractional_max_pool_kernel(self, samples, window(kernel_size), out, indices, 2);
}

void fractional_max_pool2d_backward_impl(const Tensor& grad_output, const Tensor& self, IntArrayRef, IntArrayRef,
                                         const Tensor& indices, const Tensor& grad_input) {
  grad_input.copy_(scatter_grad(grad_output, self, indices, 2));
}

std::tuple<Tensor, Tensor> fractional_max_pool3d(const Tensor& self, IntArrayRef kernel_size,
                                                 IntArrayRef output_size, const Tensor& samples) {
  detail::Functional<at::meta::structured_fractional_max_pool3d> op;
  op.meta(self, kernel_size, output_size, samples);
  fractional_max_pool_kernel(self, samples, window(kernel_size), op.outputs_[0], op.outputs_[1], 3);
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

std::tuple<Tensor&, Tensor&> fractional_max_pool3d_out(const Tensor& self, IntArrayRef kernel_size,
                                                       IntArrayRef output_size, const Tensor& samples, Tensor& out,
                                                       Tensor& indices) {
  return copy_pair(ocl::fractional_max_pool3d(self, kernel_size, output_size, samples), out, indices);
}

Tensor fractional_max_pool3d_backward(const Tensor& grad_output, const Tensor& self, IntArrayRef,
                                      IntArrayRef output_size, const Tensor& indices) {
  TORCH_CHECK(output_size.size() == 3, "fractional_max_pool3d_backward(): output_size must have three elements");
  TORCH_CHECK(self.dim() == 4 || self.dim() == 5, "fractional_max_pool3d_backward(): expected a 4d or 5d input");
  for (int i = 0; i < 3; ++i)
    TORCH_CHECK(grad_output.dim() == self.dim() && grad_output.size(self.dim() - 3 + i) == output_size[i],
                "fractional_max_pool3d_backward_out(): gradOutput ", i == 0 ? "time" : i == 1 ? "height" : "width",
                " unexpected");
  return scatter_grad(grad_output, self, indices, 3);
}

Tensor& fractional_max_pool3d_backward_out(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                           IntArrayRef output_size, const Tensor& indices, Tensor& grad_input) {
  Tensor r = ocl::fractional_max_pool3d_backward(grad_output, self, kernel_size, output_size, indices);
  at::native::resize_output(grad_input, r.sizes());
  return grad_input.copy_(r);
}

}  // namespace at::native::ocl
