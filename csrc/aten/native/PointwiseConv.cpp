// 1x1 convolutions as GEMMs (see PointwiseConv.h). A stride subsamples the input (the GEMM reads
// the subsampled copy, 1 / stride^2 of it) and scatters the input gradient into a strided view of
// a zeroed tensor.
#include "aten/native/PointwiseConv.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>
#include <c10/util/irange.h>

#include <vector>

#include "aten/native/Gemm.h"

namespace at::native::ocl {
namespace {

MemoryFormat layout_of(const Tensor& t) {
  const auto f = t.suggest_memory_format();
  return f == MemoryFormat::ChannelsLast || f == MemoryFormat::ChannelsLast3d ? f : MemoryFormat::Contiguous;
}

bool unit_stride(IntArrayRef stride) {
  for (const auto s : stride)
    if (s != 1) return false;
  return true;
}

// The input positions a strided 1x1 convolution reads: x[:, :, ::s0, ::s1...] (a view).
Tensor subsample(const Tensor& x, IntArrayRef stride) {
  Tensor v = x;
  for (const auto i : c10::irange(stride.size()))
    if (stride[i] != 1) v = v.slice(static_cast<int64_t>(2 + i), 0, std::nullopt, stride[i]);
  return v;
}

// (N, C, spatial...) as N matrices C x spatial: a view of a contiguous tensor.
Tensor planes_of(const Tensor& x) { return x.reshape({x.size(0), x.size(1), -1}); }

Tensor empty_like_layout(IntArrayRef sizes, const Tensor& like, MemoryFormat fmt) {
  return at::empty(sizes, like.options().memory_format(fmt));
}

// Writes the input gradient at the sampled positions (src: their values, laid out as fmt) into a
// zeroed gradient of the input's shape; with a unit stride src is the gradient itself.
Tensor scatter_strided(const Tensor& src, const Tensor& input, IntArrayRef stride, MemoryFormat fmt) {
  if (unit_stride(stride)) return src;
  // at::zeros drops the options' memory format (its schema has none): empty in fmt, then zero
  Tensor gi = at::empty(input.sizes(), input.options().memory_format(fmt)).zero_();
  subsample(gi, stride).copy_(src);
  return gi;
}

}  // namespace

Tensor rows_of(const Tensor& x) {
  std::vector<int64_t> perm{0};
  for (int64_t d = 2; d < x.dim(); ++d) perm.push_back(d);
  perm.push_back(1);
  return x.permute(perm).reshape({-1, x.size(1)});
}

bool is_pointwise_conv(const Tensor& weight, IntArrayRef padding, bool transposed, int64_t groups) {
  if (transposed || groups != 1) return false;
  for (int64_t d = 2; d < weight.dim(); ++d)
    if (weight.size(d) != 1) return false;
  for (const auto p : padding)
    if (p != 0) return false;
  return true;
}

Tensor pointwise_conv(const Tensor& input, const Tensor& weight, const Tensor* bias, IntArrayRef stride) {
  const int64_t N = input.size(0), C = input.size(1), OC = weight.size(0);
  const MemoryFormat fmt = layout_of(input);
  const Tensor x = subsample(input, stride);
  std::vector<int64_t> shape = x.sizes().vec();
  shape[1] = OC;
  Tensor out = empty_like_layout(shape, input, fmt);
  const Tensor w = weight.reshape({OC, C});
  Tensor S;
  if (fmt != MemoryFormat::Contiguous) {  // (N * L) x C @ C x OC
    Tensor c = rows_of(out).unsqueeze(0);
    if (bias) S = bias->view({1, 1, OC}).expand(c.sizes());
    gemm(c, rows_of(x).unsqueeze(0), w.t().unsqueeze(0), 1, bias ? 1 : 0, bias ? &S : nullptr);
  } else {  // per image: OC x C @ C x L
    Tensor c = planes_of(out);
    if (bias) S = bias->view({1, OC, 1}).expand(c.sizes());
    gemm(c, w.unsqueeze(0).expand({N, OC, C}), planes_of(x), 1, bias ? 1 : 0, bias ? &S : nullptr);
  }
  return out;
}

std::tuple<Tensor, Tensor> pointwise_conv_backward(const Tensor& grad_output, const Tensor& input,
                                                   const Tensor& weight, IntArrayRef stride, bool need_input,
                                                   bool need_weight) {
  const int64_t N = input.size(0), C = input.size(1), OC = weight.size(0);
  const MemoryFormat fmt = layout_of(input);
  const Tensor x = subsample(input, stride);
  const Tensor w = weight.reshape({OC, C});
  Tensor grad_input, grad_weight;
  if (need_weight) grad_weight = at::empty(weight.sizes(), weight.options().memory_format(layout_of(weight)));
  if (fmt != MemoryFormat::Contiguous) {
    const Tensor g = rows_of(grad_output);  // (N * L) x OC
    if (need_input) {
      Tensor gx = empty_like_layout(x.sizes(), input, fmt);
      gemm(rows_of(gx).unsqueeze(0), g.unsqueeze(0), w.unsqueeze(0), 1, 0, nullptr);  // (N * L) x OC @ OC x C
      grad_input = scatter_strided(gx, input, stride, fmt);
    }
    if (need_weight)  // OC x (N * L) @ (N * L) x C
      gemm(grad_weight.reshape({OC, C}).unsqueeze(0), g.t().unsqueeze(0), rows_of(x).unsqueeze(0), 1, 0, nullptr);
  } else {
    const Tensor g = planes_of(grad_output);  // N x OC x L
    if (need_input) {
      Tensor gx = at::empty(x.sizes(), input.options());
      gemm(planes_of(gx), w.t().unsqueeze(0).expand({N, C, OC}), g, 1, 0, nullptr);  // C x OC @ OC x L
      grad_input = scatter_strided(gx, input, stride, fmt);
    }
    if (need_weight) {  // OC x (N * L) @ (N * L) x C: the images side by side along K
      const Tensor gk = g.transpose(0, 1).reshape({OC, -1});
      const Tensor xk = planes_of(x).transpose(0, 1).reshape({C, -1});
      gemm(grad_weight.reshape({OC, C}).unsqueeze(0), gk.unsqueeze(0), xk.t().unsqueeze(0), 1, 0, nullptr);
    }
  }
  return {grad_input, grad_weight};
}

}  // namespace at::native::ocl
