// unfold/fold (see Fold.h): ATen's shape checks, then the im2col/col2im kernels with the
// (N, C * kh * kw, L) column layout.
#include "aten/native/Fold.h"

#include <ATen/native/Resize.h>
#include <ATen/native/im2col_shape_check.h>
#include <ATen/ops/empty.h>

#include "aten/native/Im2Col.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void check_sizes(IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride) {
  TORCH_CHECK(kernel_size.size() == 2, "It is expected kernel_size equals to 2, but got size ", kernel_size.size());
  TORCH_CHECK(dilation.size() == 2, "It is expected dilation equals to 2, but got size ", dilation.size());
  TORCH_CHECK(padding.size() == 2, "It is expected padding equals to 2, but got size ", padding.size());
  TORCH_CHECK(stride.size() == 2, "It is expected stride equals to 2, but got size ", stride.size());
}

// Sliding positions along one dimension (ATen's helper for this is not in torch 2.11's headers).
int64_t windows(int64_t size, int64_t pad, int64_t dilation, int64_t kernel, int64_t stride) {
  return (size + 2 * pad - (dilation * (kernel - 1) + 1)) / stride + 1;
}

Window window(int64_t C, int64_t H, int64_t W, IntArrayRef k, IntArrayRef d, IntArrayRef p, IntArrayRef s) {
  Window w;
  w.C = C, w.H = H, w.W = W;
  w.KH = k[0], w.KW = k[1], w.DH = d[0], w.DW = d[1], w.PH = p[0], w.PW = p[1], w.SH = s[0], w.SW = s[1];
  w.OH = windows(H, p[0], d[0], k[0], s[0]);
  w.OW = windows(W, p[1], d[1], k[1], s[1]);
  return w;
}

}  // namespace

Tensor im2col_op(const Tensor& self, IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding,
                 IntArrayRef stride) {
  check_sizes(kernel_size, dilation, padding, stride);
  im2col_shape_check(self, Tensor(), kernel_size[0], kernel_size[1], dilation[0], dilation[1], padding[0],
                     padding[1], stride[0], stride[1]);
  check_dtype_supported(self.scalar_type(), self.device().index());
  bool batched = self.dim() == 4;
  Tensor input = (batched ? self : self.unsqueeze(0)).contiguous();
  Window w = window(input.size(1), input.size(2), input.size(3), kernel_size, dilation, padding, stride);
  const int64_t N = input.size(0), L = w.windows();
  Tensor out = at::empty({N, w.rows(), L}, input.options());
  im2col(input, 0, N, w, out, L, w.rows() * L);
  return batched ? out : out.squeeze(0);
}

Tensor& im2col_out(const Tensor& self, IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding,
                   IntArrayRef stride, Tensor& out) {
  Tensor r = im2col_op(self, kernel_size, dilation, padding, stride);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

Tensor col2im_op(const Tensor& self, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation,
                 IntArrayRef padding, IntArrayRef stride) {
  TORCH_CHECK(output_size.size() == 2, "It is expected output_size equals to 2, but got size ", output_size.size());
  check_sizes(kernel_size, dilation, padding, stride);
  col2im_shape_check(self, Tensor(), output_size[0], output_size[1], kernel_size[0], kernel_size[1], dilation[0],
                     dilation[1], padding[0], padding[1], stride[0], stride[1]);
  check_dtype_supported(self.scalar_type(), self.device().index());
  bool batched = self.dim() == 3;
  Tensor input = (batched ? self : self.unsqueeze(0)).contiguous();
  const int64_t N = input.size(0), C = input.size(1) / (kernel_size[0] * kernel_size[1]);
  Window w = window(C, output_size[0], output_size[1], kernel_size, dilation, padding, stride);
  Tensor out = at::empty({N, C, output_size[0], output_size[1]}, input.options());
  col2im(input, w.windows(), w.rows() * w.windows(), w, out, 0, N);
  return batched ? out : out.squeeze(0);
}

Tensor& col2im_out(const Tensor& self, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation,
                   IntArrayRef padding, IntArrayRef stride, Tensor& out) {
  Tensor r = col2im_op(self, output_size, kernel_size, dilation, padding, stride);
  at::native::resize_output(out, r.sizes());
  return out.copy_(r);
}

}  // namespace at::native::ocl
