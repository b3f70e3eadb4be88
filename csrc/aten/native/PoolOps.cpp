// Pooling operators (see PoolOps.h): structured metas from ATen (shapes, checks, memory
// format of the outputs), kernels from Pool.cpp.
#include "aten/native/PoolOps.h"

#include <ATen/native/AdaptivePooling.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/adaptive_max_pool2d_meta.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/max_pool2d_with_indices_meta.h>

#include "aten/native/Pool.h"
#include "aten/native/Structured.h"

namespace at::native::ocl {

void check_same_device(const Tensor& a, const Tensor& b) {
  TORCH_CHECK(a.device() == b.device(), "Expected all tensors to be on the same device, but found at least two "
              "devices, ", a.device(), " and ", b.device(), "!");
}

std::tuple<Tensor&, Tensor&> copy_pair(std::tuple<Tensor, Tensor> r, Tensor& a, Tensor& b) {
  at::native::resize_output(a, std::get<0>(r).sizes());
  at::native::resize_output(b, std::get<1>(r).sizes());
  a.copy_(std::get<0>(r));
  b.copy_(std::get<1>(r));
  return {a, b};
}

std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  detail::Functional<at::meta::structured_max_pool2d_with_indices> op;
  op.meta(self, kernel_size, stride, padding, dilation, ceil_mode);
  max_pool_kernel(self, pool_window(kernel_size, stride, padding, dilation), op.outputs_[0], op.outputs_[1], 2);
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

std::tuple<Tensor&, Tensor&> max_pool2d_with_indices_out(const Tensor& self, IntArrayRef kernel_size,
                                                         IntArrayRef stride, IntArrayRef padding,
                                                         IntArrayRef dilation, bool ceil_mode, Tensor& out,
                                                         Tensor& indices) {
  return copy_pair(ocl::max_pool2d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode), out, indices);
}

void max_pool2d_backward_impl(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                              IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool,
                              const Tensor& indices, const Tensor& grad_input) {
  check_same_device(grad_output, indices);
  max_pool_backward_kernel(grad_output, indices, pool_window(kernel_size, stride, padding, dilation), grad_input,
                           2);
}

void avg_pool2d_impl(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool,
                     bool count_include_pad, std::optional<int64_t> divisor_override, const Tensor& out) {
  avg_pool_kernel(self, pool_window(kernel_size, stride, padding, {}), count_include_pad, divisor_override, out, 2);
}

void avg_pool2d_backward_impl(const Tensor& grad_output, const Tensor&, IntArrayRef kernel_size,
                              IntArrayRef stride, IntArrayRef padding, bool, bool count_include_pad,
                              std::optional<int64_t> divisor_override, const Tensor& grad_input) {
  avg_pool_backward_kernel(grad_output, pool_window(kernel_size, stride, padding, {}), count_include_pad,
                           divisor_override, grad_input, 2);
}

Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size) {
  // The CUDA checks and messages.
  TORCH_CHECK(output_size.size() == 2, "adaptive_avg_pool2d: output_size must be 2");
  int64_t ndim = self.dim();
  TORCH_CHECK(ndim == 3 || ndim == 4, "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ", self.sizes());
  for (int64_t i = 1; i < ndim; ++i)
    TORCH_CHECK(self.size(i) > 0, "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                "dimensions, but input has sizes ", self.sizes(), " with dimension ", i, " being empty");
  TORCH_CHECK(output_size[0] >= 0 && output_size[1] >= 0, "adaptive_avg_pool2d: elements of output_size must be "
              "greater than or equal to 0 but received {", output_size[0], ", ", output_size[1], "}");
  std::vector<int64_t> shape(self.sizes().begin(), self.sizes().end() - 2);
  shape.push_back(output_size[0]);
  shape.push_back(output_size[1]);
  Tensor out = at::empty(shape, self.options().memory_format(self.suggest_memory_format()));
  adaptive_avg_pool_kernel(self, out, 2);
  return out;
}

Tensor& adaptive_avg_pool2d_out(const Tensor& self, IntArrayRef output_size, Tensor& out) {
  Tensor r = ocl::adaptive_avg_pool2d(self, output_size);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

Tensor adaptive_avg_pool2d_backward(const Tensor& grad_output, const Tensor& self) {
  adaptive_pool_empty_output_check(grad_output, "adaptive_avg_pool2d_backward");
  check_same_device(grad_output, self);
  TORCH_CHECK(grad_output.scalar_type() == self.scalar_type(), "expected dtype ", self.scalar_type(),
              " for `gradOutput` but got dtype ", grad_output.scalar_type());
  Tensor grad_input = at::empty(self.sizes(), self.options().memory_format(self.suggest_memory_format()));
  adaptive_avg_pool_backward_kernel(grad_output, grad_input, 2);
  return grad_input;
}

std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size) {
  detail::Functional<at::meta::structured_adaptive_max_pool2d> op;
  op.meta(self, output_size);
  adaptive_max_pool_kernel(self, op.outputs_[0], op.outputs_[1], 2);
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

std::tuple<Tensor&, Tensor&> adaptive_max_pool2d_out(const Tensor& self, IntArrayRef output_size, Tensor& out,
                                                     Tensor& indices) {
  return copy_pair(ocl::adaptive_max_pool2d(self, output_size), out, indices);
}

void adaptive_max_pool2d_backward_impl(const Tensor& grad_output, const Tensor&, const Tensor& indices,
                                       const Tensor& grad_input) {
  check_same_device(grad_output, indices);
  adaptive_max_pool_backward_kernel(grad_output, indices, grad_input, 2);
}

}  // namespace at::native::ocl
