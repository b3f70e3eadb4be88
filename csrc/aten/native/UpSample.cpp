// Upsampling launchers over csrc/kernels/upsample.cl and upsample_nearest.cl (see UpSample.h).
// Scales are computed on the host with ATen's own helpers, so index arithmetic matches the
// CPU's. 1d and 2d tensors run the 3d kernels with size-1 leading spatial dimensions.
#include "aten/native/UpSample.h"

#include <ATen/native/UpSample.h>

#include <array>
#include <string>

#include "aten/native/NchwLaunch.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

using Scales = std::array<Scale, 3>;  // (d, h, w); absent dimensions nullopt

// The kernels' Resize struct (same layout: eight ints, then three ACC values).
template <typename A>
struct ResizeArg {
  cl_int C, D, H, W, OD, OH, OW, align_corners;
  A sd, sh, sw;
};

// The kernels' Nearest struct.
struct NearestArg {
  cl_int C, D, H, W, OD, OH, OW, exact;
  cl_float sd, sh, sw;
};

// Float dtypes, and uint8 for nearest forward (as CUDA), on one device.
void check_types(const char* kernel, const Tensor& in, const Tensor& out, bool byte_ok) {
  ScalarType t = in.scalar_type();
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t) || (byte_ok && t == kByte), "\"", kernel,
                              "_ocl\" not implemented for '", c10::toString(t), "'");
  check_dtype_supported(t, in.device().index());
  TORCH_CHECK(in.device() == out.device(), "Expected all tensors to be on the same device, but found at least two "
              "devices, ", in.device(), " and ", out.device(), "!");
}

// Channels and (d, h, w) sizes of a ([N,] C, spatial...) tensor, 1 for absent dimensions.
std::array<int64_t, 4> dims(const Tensor& t, int spatial) {
  std::array<int64_t, 4> s{t.size(t.dim() - spatial - 1), 1, 1, 1};
  for (int i = 0; i < spatial; ++i) s[4 - spatial + i] = t.size(t.dim() - spatial + i);
  return s;
}

// One launch of `kernel` in `file` from src to dst; `args` adds the geometry struct. Empty
// tensors launch nothing (an empty output zeroes dst).
template <class F>
void launch(const char* file, const char* kernel, const Tensor& src, const Tensor& dst, int spatial, F args) {
  check_types(kernel, src, dst, std::string(kernel) == "upsample_nearest");
  if (dst.numel() == 0 || src.numel() == 0) {
    if (dst.numel()) dst.zero_();
    return;
  }
  NchwLaunch l(file, kernel, src, {&src, &dst}, spatial);
  l.tensor(src).tensor(dst);
  args(l.args());
  l.run(dst.numel());
}

void nearest(const char* kernel, const Tensor& src, const Tensor& dst, const Tensor& small, const Tensor& large,
             int spatial, bool exact, Scales scales) {
  launch("upsample_nearest.cl", kernel, src, dst, spatial, [&](KernelArgs& a) {
    auto i = dims(small, spatial), o = dims(large, spatial);
    NearestArg r{cl_int(i[0]),
                 cl_int(i[1]),
                 cl_int(i[2]),
                 cl_int(i[3]),
                 cl_int(o[1]),
                 cl_int(o[2]),
                 cl_int(o[3]),
                 cl_int(exact),
                 compute_scales_value<float>(scales[0], i[1], o[1]),
                 compute_scales_value<float>(scales[1], i[2], o[2]),
                 compute_scales_value<float>(scales[2], i[3], o[3])};
    a.add(r);
  });
}

template <typename A>
ResizeArg<A> resize_arg(const Tensor& small, const Tensor& large, int spatial, bool align, const Scales& s) {
  auto i = dims(small, spatial), o = dims(large, spatial);
  return {cl_int(i[0]), cl_int(i[1]), cl_int(i[2]), cl_int(i[3]), cl_int(o[1]), cl_int(o[2]), cl_int(o[3]),
          cl_int(align), area_pixel_compute_scale<A>(i[1], o[1], align, s[0]),
          area_pixel_compute_scale<A>(i[2], o[2], align, s[1]), area_pixel_compute_scale<A>(i[3], o[3], align, s[2])};
}

// Linear and cubic interpolation share the Resize geometry.
void interpolate(const char* kernel, const Tensor& src, const Tensor& dst, const Tensor& small, const Tensor& large,
                 int spatial, bool align, Scales scales) {
  launch("upsample.cl", kernel, src, dst, spatial, [&](KernelArgs& a) {
    if (src.scalar_type() == kDouble)
      a.add(resize_arg<double>(small, large, spatial, align, scales));
    else
      a.add(resize_arg<float>(small, large, spatial, align, scales));
  });
}

}  // namespace

// Forward: src = small = input, dst = large = out. Backward: src = large = grad_output,
// dst = small = grad_input.
void upsample_nearest1d_impl(const Tensor& input, IntArrayRef, Scale s, const Tensor& out) {
  nearest("upsample_nearest", input, out, input, out, 1, false, {std::nullopt, std::nullopt, s});
}
void upsample_nearest1d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, Scale s, const Tensor& gi) {
  nearest("upsample_nearest_backward", go, gi, gi, go, 1, false, {std::nullopt, std::nullopt, s});
}
void upsample_nearest_exact1d_impl(const Tensor& input, IntArrayRef, Scale s, const Tensor& out) {
  nearest("upsample_nearest", input, out, input, out, 1, true, {std::nullopt, std::nullopt, s});
}
void upsample_nearest_exact1d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, Scale s, const Tensor& gi) {
  nearest("upsample_nearest_backward", go, gi, gi, go, 1, true, {std::nullopt, std::nullopt, s});
}

void upsample_nearest2d_impl(const Tensor& input, IntArrayRef, Scale sh, Scale sw, const Tensor& out) {
  nearest("upsample_nearest", input, out, input, out, 2, false, {std::nullopt, sh, sw});
}
void upsample_nearest2d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, Scale sh, Scale sw,
                                      const Tensor& gi) {
  nearest("upsample_nearest_backward", go, gi, gi, go, 2, false, {std::nullopt, sh, sw});
}
void upsample_nearest_exact2d_impl(const Tensor& input, IntArrayRef, Scale sh, Scale sw, const Tensor& out) {
  nearest("upsample_nearest", input, out, input, out, 2, true, {std::nullopt, sh, sw});
}
void upsample_nearest_exact2d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, Scale sh, Scale sw,
                                            const Tensor& gi) {
  nearest("upsample_nearest_backward", go, gi, gi, go, 2, true, {std::nullopt, sh, sw});
}

void upsample_nearest3d_impl(const Tensor& input, IntArrayRef, Scale sd, Scale sh, Scale sw, const Tensor& out) {
  nearest("upsample_nearest", input, out, input, out, 3, false, {sd, sh, sw});
}
void upsample_nearest3d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, Scale sd, Scale sh, Scale sw,
                                      const Tensor& gi) {
  nearest("upsample_nearest_backward", go, gi, gi, go, 3, false, {sd, sh, sw});
}
void upsample_nearest_exact3d_impl(const Tensor& input, IntArrayRef, Scale sd, Scale sh, Scale sw,
                                   const Tensor& out) {
  nearest("upsample_nearest", input, out, input, out, 3, true, {sd, sh, sw});
}
void upsample_nearest_exact3d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, Scale sd, Scale sh,
                                            Scale sw, const Tensor& gi) {
  nearest("upsample_nearest_backward", go, gi, gi, go, 3, true, {sd, sh, sw});
}

void upsample_linear1d_impl(const Tensor& input, IntArrayRef, bool align, Scale s, const Tensor& out) {
  interpolate("upsample_linear", input, out, input, out, 1, align, {std::nullopt, std::nullopt, s});
}
void upsample_linear1d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, bool align, Scale s,
                                     const Tensor& gi) {
  interpolate("upsample_linear_backward", go, gi, gi, go, 1, align, {std::nullopt, std::nullopt, s});
}
void upsample_bilinear2d_impl(const Tensor& input, IntArrayRef, bool align, Scale sh, Scale sw, const Tensor& out) {
  interpolate("upsample_linear", input, out, input, out, 2, align, {std::nullopt, sh, sw});
}
void upsample_bilinear2d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, bool align, Scale sh, Scale sw,
                                       const Tensor& gi) {
  interpolate("upsample_linear_backward", go, gi, gi, go, 2, align, {std::nullopt, sh, sw});
}
void upsample_trilinear3d_impl(const Tensor& input, IntArrayRef, bool align, Scale sd, Scale sh, Scale sw,
                               const Tensor& out) {
  interpolate("upsample_linear", input, out, input, out, 3, align, {sd, sh, sw});
}
void upsample_trilinear3d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, bool align, Scale sd, Scale sh,
                                        Scale sw, const Tensor& gi) {
  interpolate("upsample_linear_backward", go, gi, gi, go, 3, align, {sd, sh, sw});
}

void upsample_bicubic2d_impl(const Tensor& input, IntArrayRef, bool align, Scale sh, Scale sw, const Tensor& out) {
  interpolate("upsample_bicubic2d", input, out, input, out, 2, align, {std::nullopt, sh, sw});
}
void upsample_bicubic2d_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, bool align, Scale sh, Scale sw,
                                      const Tensor& gi) {
  interpolate("upsample_bicubic2d_backward", go, gi, gi, go, 2, align, {std::nullopt, sh, sw});
}

}  // namespace at::native::ocl
