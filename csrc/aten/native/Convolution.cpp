// Convolution forward and backward (see Convolution.h). A convolution is, per group, a GEMM
// of the weight with the columns of its input windows: im2col gathers the columns, col2im
// sums them back (grad_input, transposed convolution). Images are processed in chunks so
// the column buffer stays bounded. Depthwise convolutions run direct kernels instead
// (forward, grad_input), 1x1 convolutions plain GEMMs on their own layout (PointwiseConv.h),
// and channels-last inputs keep their layout (channels-last columns, conv_channels_last); there
// each pass runs as an implicit GEMM where it can or on columns, chosen by ConvAlgorithm.h
// (measured under torch.backends.cudnn.benchmark).
#include "aten/native/Convolution.h"

#include <ATen/ops/add.h>
#include <ATen/ops/bmm.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/mm.h>
#include <ATen/ops/sum.h>
#include <ATen/ops/zeros.h>
#include <c10/util/irange.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "aten/native/ConvAlgorithm.h"
#include "aten/native/DepthwiseConv.h"
#include "aten/native/Gemm.h"
#include "aten/native/Im2Col.h"
#include "aten/native/Pointwise.h"
#include "aten/native/PointwiseConv.h"
#include "core/Allocator.h"

namespace at::native::ocl {
namespace {

// Column buffers above this many bytes (256 MiB; TORCH_OCL_CONV_COLUMN_MB overrides it) are
// split over several chunks of images.
int64_t column_budget() {
  static const int64_t bytes = [] {
    const char* env = std::getenv("TORCH_OCL_CONV_COLUMN_MB");
    if (!env || !*env) return int64_t(256) << 20;
    char* end = nullptr;
    const long long mb = std::strtoll(env, &end, 10);
    TORCH_CHECK(end && *end == 0 && mb > 0, "TORCH_OCL_CONV_COLUMN_MB must be a positive integer, got '", env, "'");
    return static_cast<int64_t>(mb) << 20;
  }();
  return bytes;
}

void check_inputs(const Tensor& input, const Tensor& weight, const Tensor* bias) {
  for (const Tensor* t : {&weight, bias}) {
    if (t && t->device() != input.device())
      TORCH_CHECK(false, "Expected all tensors to be on the same device, but found at least two devices, ",
                  input.device(), " and ", t->device(), "!");
  }
  // The same messages as the CPU's.
  TORCH_CHECK(input.scalar_type() == weight.scalar_type(), "expected scalar type ", input.scalar_type(),
              " but found ", weight.scalar_type());
  if (bias)
    TORCH_CHECK(bias->scalar_type() == input.scalar_type(), "Input type (", c10::toString(input.scalar_type()),
                ") and bias type (", c10::toString(bias->scalar_type()), ") should be the same");
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(input.scalar_type()), "\"conv_ocl\" not implemented for '",
                              c10::toString(input.scalar_type()), "'");
  check_dtype_supported(input.scalar_type(), input.device().index());
  TORCH_CHECK(input.dim() == 4 || input.dim() == 5, "[ocl::convolution] expected a 4d or 5d input, got ",
              input.dim(), "d");
}

// The window of a convolution over `image` (the input; the output of a transposed one)
// whose positions are `windows` (the output; the input of a transposed one).
Window make_window(IntArrayRef image, IntArrayRef kernel, IntArrayRef windows, IntArrayRef stride,
                   IntArrayRef padding, IntArrayRef dilation) {
  const int64_t k = static_cast<int64_t>(image.size()) - 2, lead = 3 - k;  // 2d: depth 1
  std::array<int64_t, 3> sp{1, 1, 1}, kk{1, 1, 1}, o{1, 1, 1}, s{1, 1, 1}, p{0, 0, 0}, d{1, 1, 1};
  for (const auto i : c10::irange(k)) {
    sp[lead + i] = image[2 + i];
    kk[lead + i] = kernel[2 + i];
    o[lead + i] = windows[2 + i];
    s[lead + i] = stride[i];
    p[lead + i] = padding[i];
    d[lead + i] = dilation[i];
  }
  Window w;
  w.C = image[1];
  w.D = sp[0], w.H = sp[1], w.W = sp[2];
  w.KD = kk[0], w.KH = kk[1], w.KW = kk[2];
  w.SD = s[0], w.SH = s[1], w.SW = s[2];
  w.PD = p[0], w.PH = p[1], w.PW = p[2];
  w.DD = d[0], w.DH = d[1], w.DW = d[2];
  w.OD = o[0], w.OH = o[1], w.OW = o[2];
  return w;
}

// The window of one group of a grouped convolution: the input's window with C / groups channels.
Window group_window(const Tensor& input, const Tensor& weight, IntArrayRef windows, IntArrayRef stride,
                    IntArrayRef padding, IntArrayRef dilation) {
  Window w = make_window(input.sizes(), weight.sizes(), windows, stride, padding, dilation);
  w.C = weight.size(1);
  return w;
}

std::vector<int64_t> output_shape(const Tensor& input, const Tensor& weight, IntArrayRef stride, IntArrayRef padding,
                                  IntArrayRef dilation, bool transposed, IntArrayRef output_padding, int64_t groups) {
  std::vector<int64_t> shape{input.size(0), transposed ? weight.size(1) * groups : weight.size(0)};
  for (const auto i : c10::irange(input.dim() - 2)) {
    int64_t in = input.size(2 + i), ext = dilation[i] * (weight.size(2 + i) - 1) + 1;
    shape.push_back(transposed ? (in - 1) * stride[i] - 2 * padding[i] + ext + output_padding[i]
                               : (in + 2 * padding[i] - ext) / stride[i] + 1);
  }
  return shape;
}

// Per-group product a[g] @ b[g] of (G, m, k) and (G, k, n) operands; mm when G == 1.
Tensor grouped_mm(const Tensor& a, const Tensor& b) {
  if (a.size(0) == 1) return at::mm(a[0], b[0]).unsqueeze(0);
  return at::bmm(a, b);
}

// Images per chunk so that `rows` x `windows` columns per image fit the budget.
int64_t chunk_size(int64_t n, int64_t rows, int64_t windows, size_t elem) {
  int64_t per_image = std::max<int64_t>(1, rows * windows * static_cast<int64_t>(elem));
  return std::clamp<int64_t>(column_budget() / per_image, 1, std::max<int64_t>(n, 1));
}

// (nb, C, L) images [n0, n0 + nb) of x as a channel-major (G, C / G, nb * L) operand.
Tensor channel_major(const Tensor& x, int64_t n0, int64_t nb, int64_t groups) {
  int64_t C = x.size(1), L = x.numel() / std::max<int64_t>(x.size(0) * C, 1);
  return x.narrow(0, n0, nb).reshape({nb, C, L}).transpose(0, 1).contiguous().view({groups, C / groups, nb * L});
}

// Writes a channel-major (C, nb * L) result into images [n0, n0 + nb) of out (contiguous).
void store_channel_major(const Tensor& cm, const Tensor& out, int64_t n0, int64_t nb) {
  int64_t C = out.size(1), L = out.numel() / std::max<int64_t>(out.size(0) * C, 1);
  out.narrow(0, n0, nb).view({nb, C, L}).copy_(cm.reshape({C, nb, L}).transpose(0, 1));
}

// {1, C, 1, ...}: a per-channel vector's view against a dim-d image.
std::vector<int64_t> channel_shape(int64_t dim, int64_t C) {
  std::vector<int64_t> shape(dim, 1);
  shape[1] = C;
  return shape;
}

std::vector<int64_t> bias_dims(int64_t dim) {
  std::vector<int64_t> dims{0};
  for (int64_t d = 2; d < dim; ++d) dims.push_back(d);
  return dims;
}

// Channels-last inputs give channels-last outputs, as on the CPU and CUDA.
Tensor like_input(const Tensor& output, const Tensor& input) {
  auto fmt = input.suggest_memory_format();
  return fmt == MemoryFormat::Contiguous ? output : output.contiguous(fmt);
}

// Channels-last convolutions (one group, not transposed) stay channels-last (depthwise ones too,
// on their direct kernels; grad_weight of other grouped ones goes through NCHW):
// columns of windows x (taps, channels) (im2col_cl.cl) times the weight as (OC, taps * C) give
// the output as (positions, OC), which is its channels-last memory; no layout round trip.

// channels_last / channels_last_3d when the input is laid out so, else Contiguous.
MemoryFormat channels_last_of(const Tensor& input) {
  const auto f = input.suggest_memory_format();
  return f == MemoryFormat::ChannelsLast || f == MemoryFormat::ChannelsLast3d ? f : MemoryFormat::Contiguous;
}

// The weight as (OC, taps * C), taps outer, channel inner: a view of a channels-last weight.
Tensor weight_rows(const Tensor& weight) {
  std::vector<int64_t> perm{0};
  for (int64_t d = 2; d < weight.dim(); ++d) perm.push_back(d);
  perm.push_back(1);
  return weight.permute(perm).reshape({weight.size(0), -1});
}

// A weight gradient computed as rows (OC, taps * C), or (G, OC / G, taps * C / G), in the weight's
// shape and layout.
Tensor weight_of_rows(const Tensor& rows, const Tensor& weight) {
  std::vector<int64_t> sizes{weight.size(0)}, perm{0, weight.dim() - 1};
  for (int64_t d = 2; d < weight.dim(); ++d) sizes.push_back(weight.size(d)), perm.push_back(d - 1);
  sizes.push_back(weight.size(1));
  return rows.view(sizes).permute(perm).contiguous(weight.suggest_memory_format());
}

// Whether a product over this image may run as an implicit GEMM on the tensor-core kernel
// (gemm_mma.cl's CONV_A / CONV_B: the image read in place, no columns): where that kernel runs,
// for 16-bit images and for float32 ones where float32 products run on it (TF32 under
// torch.set_float32_matmul_precision("high"), or its exact SIMT variant), whose pixels are whole
// 16-byte chunks; TORCH_OCL_CONV_IMPLICIT=0 keeps the columns.
bool implicit_gemm(const Tensor& input, const Window& w) {
  static const bool allowed = [] {
    const char* env = std::getenv("TORCH_OCL_CONV_IMPLICIT");
    return env == nullptr || std::string(env) != "0";
  }();
  const auto t = input.scalar_type();
  const int dev = input.device().index();
  const int64_t per_chunk = 16 / static_cast<int64_t>(input.element_size()), lim = std::numeric_limits<int32_t>::max();
  const bool dtype_ok = t == kHalf || t == kBFloat16 ||
                        (t == kFloat && (detail::tf32_enabled(dev) || detail::simt_enabled(dev)));
  return allowed && dtype_ok && w.C % per_chunk == 0 &&
         (torch_ocl::buffer_of(input).offset / input.element_size()) % per_chunk == 0 &&
         w.D * w.H * w.W * input.size(1) < lim && detail::mma_enabled(dev);
}

// (rows, G * n) as G products of (rows, n): the batch of a grouped convolution's results.
Tensor by_group(const Tensor& rows, int64_t G) {
  return rows.view({rows.size(0), G, rows.size(1) / G}).transpose(0, 1);
}

// The implicit-GEMM forward of a channels-last convolution with G groups (w: one group's window,
// wk: the weight_rows, (OC, taps * C / G)) into output (plus bias); false when the kernel failed to
// build.
bool implicit_forward(const Tensor& input, const Tensor& wk, const Tensor* bias, const Window& w, int64_t G,
                      const Tensor& output) {
  const Tensor c = by_group(rows_of(output), G);
  const Tensor S = bias ? bias->view({G, 1, c.size(2)}).expand(c.sizes()) : Tensor();
  return detail::gemm_mma(c, input, wk.unflatten(0, {G, -1}).transpose(1, 2), 1.0f, bias ? 1.0f : 0.0f,
                          bias ? &S : nullptr, &w);
}

// Positions no window reaches: the bias where there is one, else zeros.
void fill_bias(const Tensor& part, const Tensor* bias) {
  if (bias)
    part.copy_(bias->view(channel_shape(part.dim(), part.size(1))).expand_as(part));
  else
    part.zero_();
}

// The implicit-GEMM weight gradient (G, OC / G, taps * C / G) of a channels-last convolution with G
// groups: grad_output's rows transposed times the input read in place; false as above.
bool implicit_grad_weight(const Tensor& go, const Tensor& input, const Window& w, int64_t G, const Tensor& gwk) {
  return detail::gemm_mma(gwk, by_group(rows_of(go), G).transpose(1, 2), input, 1.0f, 0.0f, nullptr, &w, true);
}

// An image whose channels are not whole 16-byte chunks (an RGB stem's 3) as one whose channels
// are: zero-padded to the next chunk (the weight likewise), so that the implicit GEMM takes it
// instead of columns; the padded channels add zeros. Only for few channels (fewer than a chunk) or
// little padding (at most a quarter more), a padded image of at most 1 GiB, and where the implicit
// GEMM would then run; else `input` stays undefined. The image is only allocated here:
// padded_input fills it when the pass runs this way.
struct PaddedImage {
  Tensor input;  // (N, Cp, ...), in the image's layout
  Window w;      // w with Cp channels
};
PaddedImage padded_image(const Tensor& input, const Window& w, MemoryFormat fmt) {
  PaddedImage p;
  const int64_t chunk = 16 / static_cast<int64_t>(input.element_size()), C = w.C;
  const int64_t Cp = (C + chunk - 1) / chunk * chunk;
  if (C % chunk == 0 || (C >= chunk && 4 * Cp > 5 * C)) return p;
  std::vector<int64_t> shape(input.sizes().begin(), input.sizes().end());
  shape[1] = Cp;
  if (c10::multiply_integers(shape) * input.element_size() > (int64_t(1) << 30)) return p;  // columns, in chunks
  Tensor padded = at::empty(shape, input.options().memory_format(fmt));  // (at::zeros drops the layout)
  p.w = w;
  p.w.C = Cp;
  if (implicit_gemm(padded, p.w)) p.input = padded;
  return p;
}

// The padded image with input's values, zeros after them.
const Tensor& padded_input(const PaddedImage& p, const Tensor& input) {
  const int64_t C = input.size(1);
  p.input.narrow(1, C, p.w.C - C).zero_();
  p.input.narrow(1, 0, C).copy_(input);
  return p.input;
}

// The weight (OC, C, ...) zero-padded to Cp input channels.
Tensor padded_weight(const Tensor& weight, int64_t Cp) {
  std::vector<int64_t> ws(weight.sizes().begin(), weight.sizes().end());
  ws[1] = Cp;
  Tensor p = at::zeros(ws, weight.options());
  p.narrow(1, 0, weight.size(1)).copy_(weight);
  return p;
}

// The key of a channels-last convolution pass for the measured algorithm choice: the pass, the
// dtype (and for float32 which product kernel runs it: TF32, the exact SIMT kernel or CLBlast),
// the batch and the window.
std::string algorithm_key(const char* pass, const Tensor& input, const Window& w, int64_t OC) {
  const int dev = input.device().index();
  const bool f32 = input.scalar_type() == kFloat;
  std::string k = std::string(pass) + " " + c10::toString(input.scalar_type()) +
                  (f32 && detail::tf32_enabled(dev) ? "/tf32" : f32 && detail::simt_enabled(dev) ? "/simt" : "");
  for (int64_t v : {input.size(0), w.C, w.D, w.H, w.W, OC, w.KD, w.KH, w.KW, w.SD, w.SH, w.SW, w.PD, w.PH, w.PW,
                    w.DD, w.DH, w.DW})
    k += " " + std::to_string(v);
  return k;
}

Tensor conv_channels_last(const Tensor& input_, const Tensor& weight, const Tensor* bias, const Window& w,
                          IntArrayRef shape, MemoryFormat fmt) {
  const Tensor input = input_.contiguous(fmt), wk = weight_rows(weight);
  Tensor output = at::empty(shape, input.options().memory_format(fmt));
  const Tensor out_rows = rows_of(output);
  const int64_t N = input.size(0), L = w.windows(), K = w.rows(), OC = shape[1];
  std::vector<ConvAlgorithm> algorithms;
  PaddedImage padded;
  if (implicit_gemm(input, w)) {  // false: the kernel failed to build and the path is off
    algorithms.push_back([&] { return implicit_forward(input, wk, bias, w, 1, output); });
  } else if ((padded = padded_image(input, w, fmt)).input.defined()) {
    algorithms.push_back([&] {
      return implicit_forward(padded_input(padded, input), weight_rows(padded_weight(weight, padded.w.C)), bias,
                              padded.w, 1, output);
    });
  }
  algorithms.push_back([&] {  // im2col columns, chunks of images
    const int64_t chunk = chunk_size(N, K, L, input.element_size());
    for (int64_t n0 = 0; n0 < N; n0 += chunk) {
      const int64_t nb = std::min(chunk, N - n0);
      Tensor col = at::empty({nb * L, K}, input.options());
      im2col_channels_last(input, n0, nb, w, col);
      Tensor c = out_rows.narrow(0, n0 * L, nb * L).unsqueeze(0), S;
      if (bias) S = bias->view({1, 1, OC}).expand(c.sizes());
      gemm(c, col.unsqueeze(0), wk.t().unsqueeze(0), 1, bias ? 1 : 0, bias ? &S : nullptr);
    }
    return true;
  });
  run_conv_algorithm(input.device().index(), algorithm_key("forward", input, w, OC), algorithms);
  return output;
}

// grad_input as implicit GEMMs over grad_output, one per phase of the stride: along a dimension of
// stride s, the input positions r, r + s, r + 2 s, ... (phase r) receive only the taps t with
// t * dilation = r + padding (mod s), which lie s / gcd(s, dilation) apart, each from grad_output
// at position i' + (r + padding - t * dilation) / s. So each phase is a unit-stride convolution of
// grad_output with those taps flipped and transposed to (C, taps, OC), its own padding and dilation;
// together the phases do the convolution's work once, without zeros. With a unit stride the one
// phase is the whole grad_input.
struct PhaseDim {
  int64_t first = 0, step = 1, taps = 0;  // the weight's taps first, first + step, ...
  int64_t size = 0;                       // input positions in the phase
  int64_t pad = 0, dilation = 1;          // of the unit-stride convolution over grad_output
};

PhaseDim phase_dim(int64_t r, int64_t s, int64_t k, int64_t p, int64_t d, int64_t n) {
  PhaseDim out;
  out.size = r < n ? (n - r + s - 1) / s : 0;
  const int64_t g = std::gcd(s, d);
  out.step = s / g;
  out.dilation = d / g;
  int64_t t = 0;
  while (t < k && ((r + p - t * d) % s + s) % s != 0) ++t;
  if (t == k) return out;  // no tap reaches this phase: its positions get zeros
  out.first = t;
  out.taps = (k - 1 - t) / out.step + 1;
  out.pad = -(r + p - (t + (out.taps - 1) * out.step) * d) / s;  // an exact division
  return out;
}

// The phase (rd, rh, rw) of grad_input: per dimension (D, H, W) its taps and positions, and the
// window of its convolution over grad_output (OC channels).
std::array<PhaseDim, 3> phase_of(const Window& w, int64_t rd, int64_t rh, int64_t rw) {
  return {phase_dim(rd, w.SD, w.KD, w.PD, w.DD, w.D), phase_dim(rh, w.SH, w.KH, w.PH, w.DH, w.H),
          phase_dim(rw, w.SW, w.KW, w.PW, w.DW, w.W)};
}

Window phase_window(const Window& w, const std::array<PhaseDim, 3>& ph, int64_t OC) {
  Window t;
  t.C = OC;  // per group
  t.D = w.OD, t.H = w.OH, t.W = w.OW;
  t.KD = ph[0].taps, t.KH = ph[1].taps, t.KW = ph[2].taps;
  t.PD = ph[0].pad, t.PH = ph[1].pad, t.PW = ph[2].pad;
  t.DD = ph[0].dilation, t.DH = ph[1].dilation, t.DW = ph[2].dilation;
  t.OD = ph[0].size, t.OH = ph[1].size, t.OW = ph[2].size;
  return t;
}

// Whether grad_input (G groups) may run as those implicit GEMMs (implicit_gemm's conditions on
// grad_output, the same for every phase).
bool implicit_grad_input_possible(const Tensor& go, const Window& w, int64_t G) {
  return implicit_gemm(go, phase_window(w, phase_of(w, 0, 0, 0), go.size(1) / G));
}

// Runs them, plus bias (a transposed convolution's) where given; false when the kernel failed to
// build (the columns then write all of grad_input).
bool implicit_grad_input(const Tensor& go, const Tensor& weight, const Window& w, const Tensor& grad_input,
                         const Tensor* bias, int64_t G) {
  const int64_t sp = weight.dim() - 2, OC = weight.size(0) / G, C = weight.size(1);  // per group
  std::vector<int64_t> spatial, perm{0, 2};  // of the weight as (G, OC, C, taps...)
  for (int64_t d = 3; d <= weight.dim(); ++d) spatial.push_back(d), perm.push_back(d);
  perm.push_back(1);
  const bool one_phase = w.SD == 1 && w.SH == 1 && w.SW == 1;
  for (int64_t rd = 0; rd < w.SD; ++rd)
    for (int64_t rh = 0; rh < w.SH; ++rh)
      for (int64_t rw = 0; rw < w.SW; ++rw) {
        const std::array<PhaseDim, 3> ph = phase_of(w, rd, rh, rw);
        const std::array<int64_t, 3> r{rd, rh, rw}, s{w.SD, w.SH, w.SW};
        Tensor part = grad_input, wk = weight;  // the phase's positions and taps
        bool taps = true, positions = true;
        for (int64_t j = 3 - sp; j < 3; ++j) {
          const int64_t dim = 2 + j - (3 - sp);
          part = part.slice(dim, r[j], std::nullopt, s[j]);
          taps = taps && ph[j].taps > 0;
          positions = positions && ph[j].size > 0;
          if (ph[j].taps > 0) wk = wk.slice(dim, ph[j].first, ph[j].first + (ph[j].taps - 1) * ph[j].step + 1, ph[j].step);
        }
        if (!positions) continue;
        if (!taps) {
          fill_bias(part, bias);
          continue;
        }
        const Tensor wt = wk.unflatten(0, {G, OC}).flip(spatial).permute(perm).reshape({G, C, -1});  // (G, C, taps * OC)
        const Tensor out = one_phase ? grad_input : at::empty(part.sizes(), part.options().memory_format(
                                                                                 grad_input.suggest_memory_format()));
        const Tensor c = by_group(rows_of(out), G);
        const Tensor S = bias ? bias->view({G, 1, C}).expand(c.sizes()) : Tensor();
        const Window t = phase_window(w, ph, OC);
        if (!detail::gemm_mma(c, go, wt.transpose(1, 2), 1.0f, bias ? 1.0f : 0.0f, bias ? &S : nullptr, &t))
          return false;
        if (!one_phase) part.copy_(out);
      }
  return true;
}

// grad_input of a channels-last convolution (window w over it; grad_output go channels-last, OC
// channels) into grad_input, plus bias where given: also a transposed convolution's forward, whose
// output is the image and whose input the windows.
void channels_last_grad_input(const Tensor& go, const Tensor& weight, const Window& w, const Tensor& grad_input,
                              const Tensor* bias) {
  const Tensor wk = weight_rows(weight), g = rows_of(go);  // (N * L, OC)
  const int64_t N = grad_input.size(0), L = w.windows(), K = w.rows(), OC = weight.size(0);
  std::vector<ConvAlgorithm> algorithms;
  if (implicit_grad_input_possible(go, w, 1))
    algorithms.push_back([&] { return implicit_grad_input(go, weight, w, grad_input, bias, 1); });
  algorithms.push_back([&] {  // (nb * L, OC) @ (OC, K), then each input element sums its entries
    const int64_t chunk = chunk_size(N, K, L, grad_input.element_size());
    for (int64_t n0 = 0; n0 < N; n0 += chunk) {
      const int64_t nb = std::min(chunk, N - n0);
      Tensor col = at::empty({nb * L, K}, grad_input.options());
      gemm(col.unsqueeze(0), g.narrow(0, n0 * L, nb * L).unsqueeze(0), wk.unsqueeze(0), 1, 0, nullptr);
      col2im_channels_last(col, w, grad_input, n0, nb);
    }
    if (bias) grad_input.add_(bias->view(channel_shape(grad_input.dim(), grad_input.size(1))));
    return true;
  });
  run_conv_algorithm(grad_input.device().index(), algorithm_key("grad_input", grad_input, w, OC), algorithms);
}

// grad_input and grad_weight (as asked) of a channels-last convolution.
std::tuple<Tensor, Tensor> conv_channels_last_backward(const Tensor& grad_output, const Tensor& input_,
                                                       const Tensor& weight, const Window& w, std::array<bool, 3> mask,
                                                       MemoryFormat fmt) {
  const Tensor input = input_.contiguous(fmt), go = grad_output.contiguous(fmt);
  const Tensor g = rows_of(go);  // (N * L, OC)
  const int64_t N = input.size(0), L = w.windows(), K = w.rows(), OC = weight.size(0);
  const int device = input.device().index();
  const int64_t chunk = chunk_size(N, K, L, input.element_size());
  Tensor grad_input, grad_weight;
  if (mask[0]) {
    grad_input = at::empty(input.sizes(), input.options().memory_format(fmt));
    channels_last_grad_input(go, weight, w, grad_input, nullptr);
  }
  Tensor gwk = mask[1] ? at::empty({1, OC, K}, weight.options()) : Tensor();
  if (mask[1]) {
    std::vector<ConvAlgorithm> algorithms;
    PaddedImage padded;
    if (implicit_gemm(input, w)) {  // (OC, positions) @ the input read in place as (positions, K)
      algorithms.push_back([&] { return implicit_grad_weight(go, input, w, 1, gwk); });
    } else if ((padded = padded_image(input, w, fmt)).input.defined()) {
      // the padded weight's gradient, its real channels kept
      algorithms.push_back([&] {
        const int64_t Cp = padded.w.C;
        Tensor gp = at::empty({OC, padded.w.rows() / Cp, Cp}, weight.options());  // (OC, taps, Cp)
        if (!implicit_grad_weight(go, padded_input(padded, input), padded.w, 1, gp.view({1, OC, -1}))) return false;
        gwk.view({OC, -1, w.C}).copy_(gp.narrow(2, 0, w.C));
        return true;
      });
    }
    algorithms.push_back([&] {  // (OC, nb * L) @ (nb * L, K), summed over the chunks
      for (int64_t n0 = 0; n0 < N; n0 += chunk) {
        const int64_t nb = std::min(chunk, N - n0);
        Tensor col = at::empty({nb * L, K}, input.options());
        im2col_channels_last(input, n0, nb, w, col);
        gemm(gwk, g.narrow(0, n0 * L, nb * L).t().unsqueeze(0), col.unsqueeze(0), 1, n0 ? 1 : 0, n0 ? &gwk : nullptr);
      }
      return true;
    });
    run_conv_algorithm(device, algorithm_key("grad_weight", input, w, OC), algorithms);
  }
  if (mask[1]) grad_weight = weight_of_rows(gwk, weight);
  return {grad_input, grad_weight};
}

Tensor convolution_any_layout(const Tensor& input_, const Tensor& weight_, const std::optional<Tensor>& bias_opt,
                              IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                              IntArrayRef output_padding, int64_t groups) {
  const detail::ConvTf32Scope tf32;  // float32 as TF32 under torch.backends.cudnn.allow_tf32, as on CUDA
  const Tensor* bias = bias_opt && bias_opt->defined() ? &*bias_opt : nullptr;
  check_inputs(input_, weight_, bias);
  if (is_pointwise_conv(weight_, padding, transposed, groups) && input_.numel() > 0)
    return pointwise_conv(input_, weight_, bias, stride);
  const MemoryFormat cl_fmt = channels_last_of(input_);
  const bool depthwise = is_depthwise(input_, weight_, groups, transposed);
  if (cl_fmt != MemoryFormat::Contiguous && groups > 1 && !depthwise && !transposed && input_.numel() > 0) {
    // a batch of implicit GEMMs, one per group, where they run; else through NCHW below
    auto shape = output_shape(input_, weight_, stride, padding, dilation, transposed, output_padding, groups);
    const Window w = group_window(input_, weight_, shape, stride, padding, dilation);
    const Tensor input = input_.contiguous(cl_fmt);
    if (implicit_gemm(input, w)) {
      Tensor output = at::empty(shape, input.options().memory_format(cl_fmt));
      Tensor b = bias ? bias->contiguous() : Tensor();
      if (implicit_forward(input, weight_rows(weight_), bias ? &b : nullptr, w, groups, output)) return output;
    }
  }
  if (cl_fmt != MemoryFormat::Contiguous && (depthwise || groups == 1)) {
    auto shape = output_shape(input_, weight_, stride, padding, dilation, transposed, output_padding, groups);
    Tensor b = bias ? bias->contiguous() : Tensor();
    if (c10::multiply_integers(shape) == 0) return at::empty(shape, input_.options().memory_format(cl_fmt));
    if (transposed) {  // the grad_input of the convolution whose image is this output
      Window w = make_window(shape, weight_.sizes(), input_.sizes(), stride, padding, dilation);
      Tensor output = at::empty(shape, input_.options().memory_format(cl_fmt));
      if (input_.numel() == 0)  // no windows
        fill_bias(output, bias ? &b : nullptr);
      else
        channels_last_grad_input(input_.contiguous(cl_fmt), weight_, w, output, bias ? &b : nullptr);
      return output;
    }
    Window w = make_window(input_.sizes(), weight_.sizes(), shape, stride, padding, dilation);
    if (!depthwise) return conv_channels_last(input_, weight_, bias ? &b : nullptr, w, shape, cl_fmt);
    Tensor output = at::empty(shape, input_.options().memory_format(cl_fmt));
    depthwise_conv(input_.contiguous(cl_fmt), weight_.contiguous(), bias ? &b : nullptr, w, output, true);
    return output;
  }
  Tensor input = input_.contiguous(), weight = weight_.contiguous();
  auto shape = output_shape(input, weight, stride, padding, dilation, transposed, output_padding, groups);
  Tensor output = at::empty(shape, input.options());
  const int64_t N = input.size(0), Cin = input.size(1);
  if (output.numel() == 0) return output;

  if (!transposed) {
    Window w = make_window(input.sizes(), weight.sizes(), shape, stride, padding, dilation);
    if (is_depthwise(input, weight, groups, transposed)) {
      Tensor b = bias ? bias->contiguous() : Tensor();
      depthwise_conv(input, weight, bias ? &b : nullptr, w, output, false);
      return like_input(output, input_);
    }
    Tensor wmat = weight.view({groups, weight.size(0) / groups, -1});
    const int64_t L = w.windows(), chunk = chunk_size(N, w.rows(), L, input.element_size());
    const int64_t Cout = shape[1];
    for (int64_t n0 = 0; n0 < N; n0 += chunk) {
      int64_t nb = std::min(chunk, N - n0);
      Tensor col = at::empty({groups, w.rows() / groups, nb * L}, input.options());
      im2col(input, n0, nb, w, col, nb * L, L);
      Tensor res = grouped_mm(wmat, col);  // (G, Cout / G, nb * L)
      Tensor dst = output.narrow(0, n0, nb).view({nb, Cout, L});
      Tensor src = res.reshape({Cout, nb, L}).transpose(0, 1);
      if (bias)
        at::add_out(dst, src, bias->view({1, Cout, 1}));
      else
        dst.copy_(src);
    }
    return like_input(output, input_);
  }

  // Transposed: the output is the image, each input position one window over it.
  Window w = make_window(shape, weight.sizes(), input.sizes(), stride, padding, dilation);
  Tensor wmat_t = weight.view({groups, Cin / groups, -1}).transpose(1, 2);  // (G, Cout/G * K, Cin/G)
  const int64_t L = w.windows(), chunk = chunk_size(N, w.rows(), L, input.element_size());
  for (int64_t n0 = 0; n0 < N; n0 += chunk) {
    int64_t nb = std::min(chunk, N - n0);
    Tensor col = grouped_mm(wmat_t, channel_major(input, n0, nb, groups)).contiguous();  // (G, Cout/G * K, nb * L)
    col2im(col, nb * L, L, w, output, n0, nb);
  }
  if (bias) {
    std::vector<int64_t> bshape(output.dim(), 1);
    bshape[1] = shape[1];
    output.add_(bias->view(bshape));
  }
  return like_input(output, input_);
}

std::tuple<Tensor, Tensor, Tensor> convolution_backward_any_layout(const Tensor& grad_output_, const Tensor& input_,
                                                                   const Tensor& weight_, IntArrayRef stride,
                                                                   IntArrayRef padding, IntArrayRef dilation,
                                                                   bool transposed, IntArrayRef output_padding,
                                                                   int64_t groups, std::array<bool, 3> mask) {
  const detail::ConvTf32Scope tf32;
  check_inputs(input_, weight_, nullptr);
  check_inputs(grad_output_, weight_, nullptr);
  auto bias_grad = [&] { return mask[2] ? at::sum(grad_output_, bias_dims(grad_output_.dim())) : Tensor(); };
  if (is_pointwise_conv(weight_, padding, transposed, groups) && input_.numel() > 0 && grad_output_.numel() > 0) {
    auto [gi, gw] = pointwise_conv_backward(grad_output_, input_, weight_, stride, mask[0], mask[1]);
    return {gi, gw, bias_grad()};
  }
  const MemoryFormat cl_fmt = channels_last_of(input_);
  const bool depthwise = is_depthwise(input_, weight_, groups, transposed);
  Tensor grad_input, grad_weight, grad_bias;
  if (cl_fmt != MemoryFormat::Contiguous && input_.numel() > 0 && grad_output_.numel() > 0) {
    Window w = make_window(input_.sizes(), weight_.sizes(), grad_output_.sizes(), stride, padding, dilation);
    if (groups == 1 && !transposed) {
      auto [gi, gw] = conv_channels_last_backward(grad_output_, input_, weight_, w, mask, cl_fmt);
      return {gi, gw, bias_grad()};
    }
    if (groups > 1 && !depthwise && !transposed) {  // as the forward: one implicit GEMM per group, or NCHW below
      const Window gw = group_window(input_, weight_, grad_output_.sizes(), stride, padding, dilation);
      const Tensor input = input_.contiguous(cl_fmt), go = grad_output_.contiguous(cl_fmt);
      if ((!mask[0] || implicit_grad_input_possible(go, gw, groups)) && (!mask[1] || implicit_gemm(input, gw))) {
        const int64_t OC = weight_.size(0);
        if (mask[0]) grad_input = at::empty(input.sizes(), input.options().memory_format(cl_fmt));
        Tensor gwk = mask[1] ? at::empty({groups, OC / groups, gw.rows()}, weight_.options()) : Tensor();
        if ((!mask[0] || implicit_grad_input(go, weight_, gw, grad_input, nullptr, groups)) &&
            (!mask[1] || implicit_grad_weight(go, input, gw, groups, gwk))) {
          if (mask[1]) grad_weight = weight_of_rows(gwk, weight_);
          return {grad_input, grad_weight, bias_grad()};
        }
        grad_input = grad_weight = Tensor();
      }
    }
    if (groups == 1) {  // transposed: grad_output is the image of the convolution it reverses, the input its windows
      const Window t = make_window(grad_output_.sizes(), weight_.sizes(), input_.sizes(), stride, padding, dilation);
      if (mask[0]) grad_input = conv_channels_last(grad_output_, weight_, nullptr, t, input_.sizes(), cl_fmt);
      if (mask[1])
        grad_weight = std::get<1>(conv_channels_last_backward(input_, grad_output_, weight_, t, {false, true, false}, cl_fmt));
      return {grad_input, grad_weight, bias_grad()};
    }
    if (depthwise) {  // direct kernels in the input's layout
      const Tensor go = grad_output_.contiguous(cl_fmt);
      if (mask[0]) {
        grad_input = at::empty(input_.sizes(), input_.options().memory_format(cl_fmt));
        depthwise_conv_backward_input(go, weight_.contiguous(), w, grad_input, true);
      }
      if (mask[1]) grad_weight = depthwise_conv_backward_weight(go, input_.contiguous(cl_fmt), weight_, w, true);
      return {grad_input, grad_weight, bias_grad()};
    }
  }
  Tensor input = input_.contiguous(), weight = weight_.contiguous(), go = grad_output_.contiguous();
  if (mask[0]) grad_input = at::empty(input.sizes(), input.options());
  if (mask[1] && !depthwise) grad_weight = at::zeros(weight.sizes(), weight.options());  // summed over chunks
  if (mask[2]) grad_bias = at::sum(go, bias_dims(go.dim()));
  const int64_t N = input.size(0);
  if (input.numel() == 0 || go.numel() == 0 || !(mask[0] || mask[1])) {
    if (mask[0]) grad_input.zero_();
    if (mask[1] && depthwise) grad_weight = at::zeros(weight.sizes(), weight.options());
    return {grad_input, grad_weight, grad_bias};
  }

  // The windowed tensor (im2col/col2im side) and the channel-major side of the GEMMs.
  const Tensor& image = transposed ? go : input;
  const Tensor& plain = transposed ? input : go;
  Window w = transposed ? make_window(go.sizes(), weight.sizes(), input.sizes(), stride, padding, dilation)
                        : make_window(input.sizes(), weight.sizes(), go.sizes(), stride, padding, dilation);
  // wmat: (G, plain channels / G, image rows / G)
  Tensor wmat = weight.view({groups, weight.size(0) / groups, -1});
  if (depthwise) {  // direct kernels, no columns
    if (mask[0]) depthwise_conv_backward_input(go, weight, w, grad_input, false);
    if (mask[1]) grad_weight = depthwise_conv_backward_weight(go, input, weight, w, false);
    return {grad_input, grad_weight, grad_bias};
  }
  Tensor gw = mask[1] ? grad_weight.view({groups, weight.size(0) / groups, -1}) : Tensor();
  const bool gemm_input = mask[0];
  const int64_t L = w.windows(), chunk = chunk_size(N, w.rows(), L, input.element_size());
  for (int64_t n0 = 0; n0 < N; n0 += chunk) {
    int64_t nb = std::min(chunk, N - n0);
    Tensor p = channel_major(plain, n0, nb, groups);  // (G, plain channels / G, nb * L)
    Tensor col;
    if (mask[1] || (transposed && mask[0])) {
      col = at::empty({groups, w.rows() / groups, nb * L}, input.options());
      im2col(image, n0, nb, w, col, nb * L, L);
    }
    if (mask[1]) gw.add_(grouped_mm(p, col.transpose(1, 2)));
    if (gemm_input) {
      if (transposed) {
        store_channel_major(grouped_mm(wmat, col), grad_input, n0, nb);
      } else {
        Tensor gcol = grouped_mm(wmat.transpose(1, 2), p).contiguous();  // (G, rows / G, nb * L)
        col2im(gcol, nb * L, L, w, grad_input, n0, nb);
      }
    }
  }
  return {grad_input, grad_weight, grad_bias};
}

// One layout rule for every result, the one torch.compile's fake convolution is told for ocl
// (torch_ocl/_inductor/conv_layout.py): channels_last_of(input). The paths above mostly produce
// it already; where not (a weight laid out unlike the input), a copy.
Tensor in_format(const Tensor& t, MemoryFormat fmt) { return t.defined() ? t.contiguous(fmt) : t; }

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
                   IntArrayRef padding, IntArrayRef dilation, bool transposed, IntArrayRef output_padding,
                   int64_t groups) {
  return in_format(
      convolution_any_layout(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups),
      channels_last_of(input));
}

std::tuple<Tensor, Tensor, Tensor> convolution_backward(const Tensor& grad_output, const Tensor& input,
                                                        const Tensor& weight, IntArrayRef stride, IntArrayRef padding,
                                                        IntArrayRef dilation, bool transposed,
                                                        IntArrayRef output_padding, int64_t groups,
                                                        std::array<bool, 3> mask) {
  auto [gi, gw, gb] = convolution_backward_any_layout(grad_output, input, weight, stride, padding, dilation,
                                                      transposed, output_padding, groups, mask);
  const MemoryFormat fmt = channels_last_of(input);
  return {in_format(gi, fmt), in_format(gw, fmt), gb};
}

}  // namespace at::native::ocl
