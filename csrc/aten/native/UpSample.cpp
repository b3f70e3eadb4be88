// 2d upsampling launchers over csrc/kernels/upsample.cl (see UpSample.h). Scales are
// computed on the host with ATen's own helpers, so index arithmetic matches the CPU's.
#include "aten/native/UpSample.h"

#include <ATen/native/UpSample.h>

#include "aten/native/NchwLaunch.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

// The kernels' Resize struct (same layout: six ints, then two ACC values).
template <typename A>
struct ResizeArg {
  cl_int C, H, W, OH, OW, align_corners;
  A sh, sw;
};

// Float dtypes (as CUDA's bilinear; nearest on uint8 is not implemented here) on one device.
void check_types(const char* kernel, const Tensor& in, const Tensor& out) {
  ScalarType t = in.scalar_type();
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t), "\"", kernel, "_ocl\" not implemented for '", c10::toString(t), "'");
  check_dtype_supported(t, in.device().index());
  TORCH_CHECK(in.device() == out.device(), "Expected all tensors to be on the same device, but found at least two "
              "devices, ", in.device(), " and ", out.device(), "!");
}

NchwLaunch launch(const char* kernel, const Tensor& in, const Tensor& out) {
  check_types(kernel, in, out);
  return NchwLaunch("upsample.cl", kernel, in, {&in, &out});
}

// The input-sized and output-sized tensors of one call, as (N, C, H, W) views.
void nearest(const char* kernel, const Tensor& src, const Tensor& dst, const Tensor& small, const Tensor& large,
             Scale scales_h, Scale scales_w) {
  if (dst.numel() == 0 || src.numel() == 0) {
    if (dst.numel()) dst.zero_();
    return;
  }
  int64_t H = small.size(2), W = small.size(3), OH = large.size(2), OW = large.size(3);
  NchwLaunch l = launch(kernel, src, dst);
  l.tensor(src).tensor(dst);
  l.args().add<cl_int>(cl_int(small.size(1))).add<cl_int>(cl_int(H)).add<cl_int>(cl_int(W));
  l.args().add<cl_int>(cl_int(OH)).add<cl_int>(cl_int(OW));
  l.args().add<cl_float>(compute_scales_value<float>(scales_h, H, OH));
  l.args().add<cl_float>(compute_scales_value<float>(scales_w, W, OW));
  l.run(dst.numel());
}

template <typename A>
ResizeArg<A> resize_arg(const Tensor& small, const Tensor& large, bool align, Scale scales_h, Scale scales_w) {
  int64_t H = small.size(2), W = small.size(3), OH = large.size(2), OW = large.size(3);
  return {cl_int(small.size(1)), cl_int(H), cl_int(W), cl_int(OH), cl_int(OW), cl_int(align),
          area_pixel_compute_scale<A>(H, OH, align, scales_h), area_pixel_compute_scale<A>(W, OW, align, scales_w)};
}

void bilinear(const char* kernel, const Tensor& src, const Tensor& dst, const Tensor& small, const Tensor& large,
              bool align, Scale scales_h, Scale scales_w) {
  if (dst.numel() == 0 || src.numel() == 0) {
    if (dst.numel()) dst.zero_();
    return;
  }
  NchwLaunch l = launch(kernel, src, dst);
  l.tensor(src).tensor(dst);
  if (src.scalar_type() == kDouble)
    l.args().add(resize_arg<double>(small, large, align, scales_h, scales_w));
  else
    l.args().add(resize_arg<float>(small, large, align, scales_h, scales_w));
  l.run(dst.numel());
}

}  // namespace

void upsample_nearest2d_impl(const Tensor& input, IntArrayRef, Scale scales_h, Scale scales_w, const Tensor& out) {
  nearest("upsample_nearest2d", input, out, input, out, scales_h, scales_w);
}

void upsample_nearest2d_backward_impl(const Tensor& grad_output, IntArrayRef, IntArrayRef, Scale scales_h,
                                      Scale scales_w, const Tensor& grad_input) {
  nearest("upsample_nearest2d_backward", grad_output, grad_input, grad_input, grad_output, scales_h, scales_w);
}

void upsample_bilinear2d_impl(const Tensor& input, IntArrayRef, bool align_corners, Scale scales_h, Scale scales_w,
                              const Tensor& out) {
  bilinear("upsample_bilinear2d", input, out, input, out, align_corners, scales_h, scales_w);
}

void upsample_bilinear2d_backward_impl(const Tensor& grad_output, IntArrayRef, IntArrayRef, bool align_corners,
                                       Scale scales_h, Scale scales_w, const Tensor& grad_input) {
  bilinear("upsample_bilinear2d_backward", grad_output, grad_input, grad_input, grad_output, align_corners, scales_h,
           scales_w);
}

}  // namespace at::native::ocl
