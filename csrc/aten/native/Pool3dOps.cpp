// 3d pooling operators (see PoolOps.h): ATen's structured metas where upstream has them, else
// the CPU's own shape checks (ATen/native/Pool.h); kernels from Pool.cpp.
#include <ATen/native/AdaptivePooling.h>
#include <ATen/native/Pool.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/adaptive_max_pool3d_meta.h>
#include <ATen/ops/empty.h>

#include "aten/native/Pool.h"
#include "aten/native/PoolOps.h"
#include "aten/native/Structured.h"

namespace at::native::ocl {
namespace {

// max_pool3d's argument counts and input rank, as the CPU checks them; the memory format of
// the outputs (channels_last_3d needs a batch).
MemoryFormat check_max_pool3d_args(const Tensor& input, IntArrayRef kernel_size, IntArrayRef stride,
                                   IntArrayRef padding, IntArrayRef dilation) {
  TORCH_CHECK(kernel_size.size() == 1 || kernel_size.size() == 3,
              "max_pool3d: kernel_size must either be a single int, or a tuple of three ints")
  TORCH_CHECK(stride.empty() || stride.size() == 1 || stride.size() == 3,
              "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints")
  TORCH_CHECK(padding.size() == 1 || padding.size() == 3,
              "max_pool3d: padding must either be a single int, or a tuple of three ints");
  TORCH_CHECK(dilation.size() == 1 || dilation.size() == 3,
              "max_pool3d: dilation must be either a single int, or a tuple of three ints");
  MemoryFormat fmt = input.suggest_memory_format();
  if (fmt == MemoryFormat::ChannelsLast3d) {
    TORCH_CHECK(input.dim() == 5, "non-empty 5D (batch mode) tensor expected for input with channels_last_3d layout");
  } else {
    TORCH_CHECK(input.dim() == 4 || input.dim() == 5, "non-empty 4D or 5D (batch mode) tensor expected for input");
  }
  return fmt;
}

// The shape of a pooled tensor: input's leading dimensions, then (ot, oh, ow).
std::vector<int64_t> pooled_shape(const Tensor& input, int64_t ot, int64_t oh, int64_t ow) {
  std::vector<int64_t> s(input.sizes().begin(), input.sizes().end() - 3);
  s.insert(s.end(), {ot, oh, ow});
  return s;
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  MemoryFormat fmt = check_max_pool3d_args(self, kernel_size, stride, padding, dilation);
  PoolWindow w = pool_window3d(kernel_size, stride, padding, dilation);
  int64_t it = self.size(-3), ih = self.size(-2), iw = self.size(-1);
  int64_t ot = pooling_output_shape<int64_t>(it, w.KD, w.PD, w.SD, w.DD, ceil_mode);
  int64_t oh = pooling_output_shape<int64_t>(ih, w.KH, w.PH, w.SH, w.DH, ceil_mode);
  int64_t ow = pooling_output_shape<int64_t>(iw, w.KW, w.PW, w.SW, w.DW, ceil_mode);
  pool3d_shape_check(self, self.size(-4), w.KD, w.KH, w.KW, w.SD, w.SH, w.SW, w.PD, w.PH, w.PW, w.DD, w.DH, w.DW,
                     it, ih, iw, ot, oh, ow, "max_pool3d_with_indices()");
  auto shape = pooled_shape(self, ot, oh, ow);
  Tensor out = at::empty(shape, self.options().memory_format(fmt));
  Tensor indices = at::empty(shape, self.options().dtype(kLong).memory_format(fmt));
  max_pool_kernel(self, w, out, indices, 3);
  return {out, indices};
}

std::tuple<Tensor&, Tensor&> max_pool3d_with_indices_out(const Tensor& self, IntArrayRef kernel_size,
                                                         IntArrayRef stride, IntArrayRef padding,
                                                         IntArrayRef dilation, bool ceil_mode, Tensor& out,
                                                         Tensor& indices) {
  return copy_pair(ocl::max_pool3d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode), out,
                   indices);
}

Tensor max_pool3d_with_indices_backward(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                        IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                                        bool ceil_mode, const Tensor& indices) {
  MemoryFormat fmt = check_max_pool3d_args(self, kernel_size, stride, padding, dilation);
  TORCH_CHECK(self.dtype() == grad_output.dtype(), "expected dtype ", self.dtype(), " for `gradOutput` but got dtype ",
              grad_output.dtype());
  check_same_device(grad_output, self);
  check_same_device(indices, self);
  PoolWindow w = pool_window3d(kernel_size, stride, padding, dilation);
  max_pool3d_backward_shape_check(self, grad_output, indices, self.size(-4), w.KD, w.KH, w.KW, w.SD, w.SH, w.SW,
                                  w.PD, w.PH, w.PW, w.DD, w.DH, w.DW, self.size(-3), self.size(-2), self.size(-1),
                                  grad_output.size(-3), grad_output.size(-2), grad_output.size(-1),
                                  "max_pool3d_with_indices_backward()");
  Tensor grad_input = at::empty(self.sizes(), self.options().memory_format(fmt));
  max_pool_backward_kernel(grad_output, indices, w, grad_input, 3);
  return grad_input;
}

Tensor& max_pool3d_with_indices_backward_out(const Tensor& grad_output, const Tensor& self, IntArrayRef kernel_size,
                                             IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                                             bool ceil_mode, const Tensor& indices, Tensor& grad_input) {
  Tensor r = ocl::max_pool3d_with_indices_backward(grad_output, self, kernel_size, stride, padding, dilation,
                                                   ceil_mode, indices);
  at::native::resize_output(grad_input, r.sizes());
  return grad_input.copy_(r);
}

void avg_pool3d_impl(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool,
                     bool count_include_pad, std::optional<int64_t> divisor_override, const Tensor& out) {
  avg_pool_kernel(self, pool_window3d(kernel_size, stride, padding, {}), count_include_pad, divisor_override, out, 3);
}

void avg_pool3d_backward_impl(const Tensor& grad_output, const Tensor&, IntArrayRef kernel_size, IntArrayRef stride,
                              IntArrayRef padding, bool, bool count_include_pad,
                              std::optional<int64_t> divisor_override, const Tensor& grad_input) {
  avg_pool_backward_kernel(grad_output, pool_window3d(kernel_size, stride, padding, {}), count_include_pad,
                           divisor_override, grad_input, 3);
}

Tensor adaptive_avg_pool3d(const Tensor& self, IntArrayRef output_size) {
  // The CPU's checks and messages.
  TORCH_CHECK(output_size.size() == 3, "adaptive_avg_pool3d: output_size must be 3");
  for (int64_t i = 1; i < self.dim(); ++i)
    TORCH_CHECK(self.size(i) > 0, "adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch "
                "dimensions, but input has sizes ", self.sizes(), " with dimension ", i, " being empty");
  TORCH_CHECK(self.dim() == 4 || self.dim() == 5, "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got ",
              self.sizes());
  for (int64_t s : output_size)
    TORCH_CHECK(s >= 0, "adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0 but "
                "received ", output_size);
  // contiguous output, as CUDA's kernel writes
  Tensor out = at::empty(pooled_shape(self, output_size[0], output_size[1], output_size[2]), self.options());
  adaptive_avg_pool_kernel(self, out, 3);
  return out;
}

Tensor& adaptive_avg_pool3d_out(const Tensor& self, IntArrayRef output_size, Tensor& out) {
  Tensor r = ocl::adaptive_avg_pool3d(self, output_size);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

Tensor adaptive_avg_pool3d_backward(const Tensor& grad_output, const Tensor& self) {
  adaptive_pool_empty_output_check(grad_output, "adaptive_avg_pool3d_backward");
  check_same_device(grad_output, self);
  TORCH_CHECK(grad_output.scalar_type() == self.scalar_type(), "expected dtype ", self.scalar_type(),
              " for `gradOutput` but got dtype ", grad_output.scalar_type());
  TORCH_CHECK(grad_output.dim() == self.dim(), "adaptive_avg_pool3d_backward(): grad_output rank ",
              grad_output.dim(), " differs from input rank ", self.dim());
  Tensor grad_input = at::empty(self.sizes(), self.options());
  adaptive_avg_pool_backward_kernel(grad_output, grad_input, 3);
  return grad_input;
}

Tensor& adaptive_avg_pool3d_backward_out(const Tensor& grad_output, const Tensor& self, Tensor& grad_input) {
  Tensor r = ocl::adaptive_avg_pool3d_backward(grad_output, self);
  at::native::resize_output(grad_input, r.sizes());
  return grad_input.copy_(r);
}

std::tuple<Tensor, Tensor> adaptive_max_pool3d(const Tensor& self, IntArrayRef output_size) {
  detail::Functional<at::meta::structured_adaptive_max_pool3d> op;
  op.meta(self, output_size);
  adaptive_max_pool_kernel(self, op.outputs_[0], op.outputs_[1], 3);
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

std::tuple<Tensor&, Tensor&> adaptive_max_pool3d_out(const Tensor& self, IntArrayRef output_size, Tensor& out,
                                                     Tensor& indices) {
  return copy_pair(ocl::adaptive_max_pool3d(self, output_size), out, indices);
}

void adaptive_max_pool3d_backward_impl(const Tensor& grad_output, const Tensor&, const Tensor& indices,
                                       const Tensor& grad_input) {
  check_same_device(grad_output, indices);
  adaptive_max_pool_backward_kernel(grad_output, indices, grad_input, 3);
}

}  // namespace at::native::ocl
