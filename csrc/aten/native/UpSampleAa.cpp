// Antialiased 2d upsampling launchers (bilinear and bicubic filters) over
// csrc/kernels/upsample_aa.cl: per-dimension window and weight tables are computed on the host
// with the CPU's expressions and types, so weights match the CPU's, then copied to the device.
#include <ATen/native/UpSample.h>
#include <ATen/ops/from_blob.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "aten/native/NchwLaunch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/UpSample.h"
#include "core/Allocator.h"

namespace at::native::ocl {
namespace {

// The filters, as a function of the distance to the window centre (bicubic: a = -0.5, as PIL).
template <typename A>
A aa_filter(A x, bool cubic) {
  x = std::abs(x);
  if (!cubic) return x < 1.0 ? A(1.0 - x) : A(0.0);
  const A a = -0.5;
  if (x < 1.0) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2.0) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0.0;
}

// One dimension's tables (see upsample_aa.cl).
template <typename A>
struct Table {
  int taps = 0;
  std::vector<int32_t> bounds, ranges;  // (start, size) per output; (first, end) output per input
  std::vector<A> weights;               // taps per output
};

template <typename A>
Table<A> aa_table(int64_t in, int64_t out, bool align, Scale s, bool cubic) {
  Table<A> t;
  A scale = area_pixel_compute_scale<A>(in, out, align, s);
  const int interp = cubic ? 4 : 2;
  A support = scale >= 1.0 ? (interp * 0.5) * scale : interp * 0.5;
  t.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  A invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
  t.bounds.resize(2 * out);
  t.weights.assign(out * t.taps, A(0));
  t.ranges.assign(2 * in, 0);
  std::vector<int64_t> first(in, out), end(in, 0);
  for (int64_t o = 0; o < out; ++o) {
    A center = scale * (o + 0.5);
    int64_t xmin = std::max(static_cast<int64_t>(center - support + 0.5), int64_t(0));
    int64_t xsize = std::min(static_cast<int64_t>(center + support + 0.5), in) - xmin;
    xsize = std::clamp(xsize, int64_t(0), int64_t(t.taps));
    A* w = t.weights.data() + o * t.taps;
    A total = 0.0;
    for (int64_t j = 0; j < xsize; ++j) {
      w[j] = aa_filter<A>((j + xmin - center + 0.5) * invscale, cubic);
      total += w[j];
    }
    if (total != 0.0)
      for (int64_t j = 0; j < xsize; ++j) w[j] /= total;
    t.bounds[2 * o] = static_cast<int32_t>(xmin);
    t.bounds[2 * o + 1] = static_cast<int32_t>(xsize);
    for (int64_t i = xmin; i < xmin + xsize; ++i) {
      first[i] = std::min(first[i], o);
      end[i] = std::max(end[i], o + 1);
    }
  }
  for (int64_t i = 0; i < in; ++i) {
    t.ranges[2 * i] = static_cast<int32_t>(std::min(first[i], end[i]));
    t.ranges[2 * i + 1] = static_cast<int32_t>(end[i]);
  }
  return t;
}

// A host vector copied to a device tensor of dtype d.
template <typename V>
Tensor upload(std::vector<V>& v, ScalarType d, const Device& dev) {
  return at::from_blob(v.data(), {static_cast<int64_t>(v.size())}, at::TensorOptions().dtype(d)).to(dev);
}

void add_table(KernelArgs& a, const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  a.add_mem(b.mem).add<cl_ulong>(b.offset / t.element_size());
}

// backward: src = grad_output (out-sized), dst = grad_input (in-sized).
template <typename A>
void run(bool backward, bool cubic, const Tensor& src, const Tensor& dst, bool align, Scale sh, Scale sw) {
  const Tensor& small = backward ? dst : src;
  const Tensor& large = backward ? src : dst;
  ScalarType t = src.scalar_type();
  const char* kernel = backward ? "upsample_aa_backward" : "upsample_aa";
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t), "\"", kernel, "_ocl\" not implemented for '", c10::toString(t), "'");
  check_dtype_supported(t, src.device().index());
  if (dst.numel() == 0 || src.numel() == 0) {
    if (dst.numel()) dst.zero_();
    return;
  }
  int64_t H = small.size(2), W = small.size(3), OH = large.size(2), OW = large.size(3);
  Table<A> th = aa_table<A>(H, OH, align, sh, cubic), tw = aa_table<A>(W, OW, align, sw, cubic);
  ScalarType at = std::is_same_v<A, double> ? kDouble : kFloat;
  const Device dev = src.device();
  Tensor hb = upload(th.bounds, kInt, dev), hw = upload(th.weights, at, dev), hr = upload(th.ranges, kInt, dev);
  Tensor wb = upload(tw.bounds, kInt, dev), ww = upload(tw.weights, at, dev), wr = upload(tw.ranges, kInt, dev);
  NchwLaunch l("upsample_aa.cl", kernel, src, {&src, &dst}, 2);
  l.tensor(src).tensor(dst);
  KernelArgs& a = l.args();
  add_table(a, hb);
  add_table(a, hw);
  if (backward) add_table(a, hr);
  add_table(a, wb);
  add_table(a, ww);
  if (backward) add_table(a, wr);
  a.add<cl_int>(cl_int(small.size(1)));
  a.add(std::array<cl_int, 3>{cl_int(H), cl_int(OH), cl_int(th.taps)});
  a.add(std::array<cl_int, 3>{cl_int(W), cl_int(OW), cl_int(tw.taps)});
  l.run(dst.numel());
}

void aa(bool backward, bool cubic, const Tensor& src, const Tensor& dst, bool align, Scale sh, Scale sw) {
  if (src.scalar_type() == kDouble)
    run<double>(backward, cubic, src, dst, align, sh, sw);
  else
    run<float>(backward, cubic, src, dst, align, sh, sw);
}

}  // namespace

void upsample_bilinear2d_aa_impl(const Tensor& input, IntArrayRef, bool align, Scale sh, Scale sw, const Tensor& out) {
  aa(false, false, input, out, align, sh, sw);
}
void upsample_bilinear2d_aa_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, bool align, Scale sh, Scale sw,
                                          const Tensor& gi) {
  aa(true, false, go, gi, align, sh, sw);
}
void upsample_bicubic2d_aa_impl(const Tensor& input, IntArrayRef, bool align, Scale sh, Scale sw, const Tensor& out) {
  aa(false, true, input, out, align, sh, sw);
}
void upsample_bicubic2d_aa_backward_impl(const Tensor& go, IntArrayRef, IntArrayRef, bool align, Scale sh, Scale sw,
                                         const Tensor& gi) {
  aa(true, true, go, gi, align, sh, sw);
}

}  // namespace at::native::ocl
