// max_unpool2d/3d forward (see PoolOps.h): the CPU's checks and messages; indices are checked
// against the output plane on the host (one min/max reduction), so a bad index raises before
// anything is written.
#include <ATen/native/Resize.h>
#include <ATen/ops/aminmax.h>
#include <ATen/ops/zeros.h>

#include "aten/native/Pool.h"
#include "aten/native/PoolOps.h"

namespace at::native::ocl {
namespace {

void check_common(const Tensor& self, const Tensor& indices, const char* fn) {
  TORCH_CHECK(indices.scalar_type() == kLong, "elements in indices should be type int64 but got: ",
              indices.scalar_type());
  TORCH_CHECK(self.sizes() == indices.sizes(), "Expected shape of indices to be same as that of the input tensor (",
              self.sizes(), ") but got indices tensor with shape: ", indices.sizes());
  TORCH_CHECK(self.device() == indices.device(), "Expected all tensors to be on the same device, but found at least "
              "two devices, ", self.device(), " and ", indices.device(), "!");
  for (int64_t i = 1; i < self.dim(); ++i)
    TORCH_CHECK(self.size(i) > 0, fn, ": Expected input to have non-zero size for non-batch dimensions, but got ",
                self.sizes(), " with dimension ", i, " being empty.");
}

// The zeroed output of shape (leading dims of self, output_size) in `fmt`, filled from self.
Tensor unpool(const Tensor& self, const Tensor& indices, IntArrayRef output_size, MemoryFormat fmt) {
  std::vector<int64_t> shape(self.sizes().begin(), self.sizes().end() - output_size.size());
  shape.insert(shape.end(), output_size.begin(), output_size.end());
  Tensor out = at::empty(shape, self.options().memory_format(fmt)).zero_();  // at::zeros drops the format
  if (self.numel() == 0) return out;
  int64_t plane = 1;
  for (int64_t s : output_size) plane *= s;
  auto [lo, hi] = at::aminmax(indices);
  int64_t mn = lo.item<int64_t>(), mx = hi.item<int64_t>();
  int64_t bad = mn < 0 ? mn : mx;
  TORCH_CHECK(mn >= 0 && mx < plane, "Found an invalid max index: ", bad, " (output volumes are of size ",
              c10::Join("x", output_size), ")");
  max_unpool_kernel(self, indices, out, static_cast<int>(output_size.size()));
  return out;
}

}  // namespace

Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size) {
  TORCH_CHECK(output_size.size() == 2, "There should be exactly two elements (height, width) in output_size, but got ",
              output_size.size(), " elements.");
  TORCH_CHECK(self.dim() == 3 || self.dim() == 4, "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a "
              "tensor with ", self.dim(), " dimensions.");
  check_common(self, indices, "max_unpooling2d_forward_out()");
  return unpool(self, indices, output_size, self.suggest_memory_format());
}

Tensor& max_unpool2d_out(const Tensor& self, const Tensor& indices, IntArrayRef output_size, Tensor& out) {
  Tensor r = ocl::max_unpool2d(self, indices, output_size);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size, IntArrayRef stride,
                    IntArrayRef padding) {
  TORCH_CHECK(self.dim() == 4 || self.dim() == 5, "Input to max_unpooling3d should be a 4d or 5d Tensor, but got a "
              "tensor with ", self.dim(), " dimensions.");
  TORCH_CHECK(output_size.size() == 3, "There should be exactly three elements (depth, height, width) in "
              "output_size, but got ", output_size.size(), " elements.");
  TORCH_CHECK(stride.size() == 3, "There should be exactly three elements (depth, height, width) in stride, but got: ",
              stride.size(), " elements.");
  TORCH_CHECK(padding.size() == 3, "There should be exactly three elements (depth, height, width) in padding, but "
              "got: ", padding.size(), " elements.");
  check_common(self, indices, "max_unpooling3d_forward_out()");
  TORCH_CHECK(stride[0] > 0 && stride[1] > 0 && stride[2] > 0, "strides should be greater than zero, but got stride: ",
              stride);
  return unpool(self, indices, output_size, MemoryFormat::Contiguous);
}

Tensor& max_unpool3d_out(const Tensor& self, const Tensor& indices, IntArrayRef output_size, IntArrayRef stride,
                         IntArrayRef padding, Tensor& out) {
  Tensor r = ocl::max_unpool3d(self, indices, output_size, stride, padding);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

}  // namespace at::native::ocl
