// Launchers of the fused attention kernels (csrc/kernels/attention.cl) and the SDPA backend choice.
#include "aten/native/Attention.h"

#include <ATen/Context.h>
#include <ATen/ExpandUtils.h>
#include <ATen/SDPBackend.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/empty_strided.h>
#include <ATen/ops/scalar_tensor.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/zeros_like.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "aten/native/Gemm.h"
#include "aten/native/Launch.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "core/Generator.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

constexpr int64_t kMaxHeadDim = 256;
// Local memory a work-group may take: NVIDIA's OpenCL gives 48 KiB, others at least as much.
constexpr uint64_t kLocalLimit = 48 * 1024;

enum class Kind { fwd, dq, dkv };

// Floats of local memory each kernel declares for blocks (bq, bkv) (see attention.cl).
uint64_t local_floats(Kind kind, int64_t bq, int64_t bkv, int64_t d, int64_t dv) {
  const int64_t ld = d + 1, ldv = dv + 1, ls = bkv + 1;
  switch (kind) {
    case Kind::fwd: return bq * ld + bkv * std::max(ld, ldv) + bq * ls + 3 * bq;
    case Kind::dq: return bq * (ld + ldv) + bkv * (ld + ldv) + bq * ls + 2 * bq;
    case Kind::dkv: return bkv * (ld + ldv) + bq * (ld + ldv) + 2 * bq * ls + 2 * bq;
  }
  return 0;
}

struct Blocks {
  int bq = 0, bkv = 0, threads = 0;
};

// The largest blocks whose local memory fits the device (64 x 64 down to 8 x 8; the dK/dV kernel
// takes the larger side for its keys); bq == 0 when none does.
Blocks blocks_for(int device, Kind kind, int64_t d, int64_t dv) {
  const auto& info = torch_ocl::runtime::device_info(device);
  const uint64_t limit = std::min<uint64_t>(info.local_mem, kLocalLimit);
  Blocks b;
  b.threads = 128;
  while (uint64_t(b.threads) > info.max_work_group_size && b.threads > 1) b.threads /= 2;
  static const int sizes[][2] = {{64, 64}, {64, 32}, {32, 32}, {32, 16}, {16, 16}, {16, 8}, {8, 8}};
  for (const auto& s : sizes) {
    const int bq = kind == Kind::dkv ? s[1] : s[0], bkv = kind == Kind::dkv ? s[0] : s[1];
    if (local_floats(kind, bq, bkv, d, dv) * sizeof(float) <= limit) {
      b.bq = bq;
      b.bkv = bkv;
      return b;
    }
  }
  return b;
}

// A (batch, heads, rows, cols) tensor argument: buffer, element offset, strides.
void add_4d(KernelArgs& a, const Tensor& t) {
  auto buf = torch_ocl::buffer_of(t);
  a.add_mem(buf.mem).add<cl_ulong>(buf.offset / t.element_size());
  cl_long4 st;
  for (int i = 0; i < 4; ++i) st.s[i] = t.stride(i);
  a.add<cl_long4>(st);
}

// A float buffer argument: buffer and element offset.
void add_floats(KernelArgs& a, const Tensor& t) {
  auto buf = torch_ocl::buffer_of(t);
  a.add_mem(buf.mem).add<cl_ulong>(buf.offset / sizeof(float));
}

int mask_kind(const Tensor& bias) { return !bias.defined() ? 0 : bias.scalar_type() == kBool ? 1 : 2; }

// One program per (dtype, dims, blocks, variant): attention.cl's four kernels, or (mma)
// attention_mma.cl's three.
struct Program {
  std::string name, options;
  int device;
  ScalarType t;
  bool mma = false;
  std::string source() const {
    using torch_ocl::runtime::kernel_source;
    const std::string common = kernel_source("random.cl") + "\n" + kernel_source("attention_common.cl") + "\n";
    if (!mma) return typed_source(t, false, "attention.cl", common);
    return typed_source(t, false, "attention_mma.cl", detail::mma_prelude(t, device) + common);
  }
  KernelArgs args(const char* kernel) const {
    return KernelArgs(device, name, kernel, [this] { return source(); }, options);
  }
};

std::string variant(bool causal, int mask, bool dropout) {
  return std::string(" -DCAUSAL=") + (causal ? "1" : "0") + " -DMASK=" + std::to_string(mask) +
         " -DDROPOUT=" + (dropout ? "1" : "0");
}

Program program(const Tensor& q, int64_t d, int64_t dv, const Blocks& b, bool causal, int mask, bool dropout) {
  using std::to_string;
  Program p;
  p.device = q.device().index();
  p.t = q.scalar_type();
  p.name = std::string("attention_") + c10::toString(p.t);
  p.options = "-DD=" + to_string(d) + " -DDV=" + to_string(dv) + " -DBQ=" + to_string(b.bq) +
              " -DBKV=" + to_string(b.bkv) + " -DTHREADS=" + to_string(b.threads) + variant(causal, mask, dropout);
  return p;
}

// The tensor-core kernels (attention_mma.cl): 16-bit inputs on devices with the tensor-core GEMM,
// head dims multiples of 16 up to 128. TORCH_OCL_ATTENTION_MMA=0 turns them off; a build failure
// turns them off for the device, with a warning.
// Blocks and work-group sizes of attention_mma.cl: the forward's 16 queries per warp (four or
// eight warps, see mma_fwd_warps), the backward's 64 queries (dQ) or keys (dK/dV) by four warps.
constexpr int64_t kMmaBwdBlock = 64, kMmaBwdThreads = 128;
constexpr int64_t kMmaMaxDim = 128;

// Warps (16 queries each) of the tensor-core forward's work-group: 4 for head dims up to 64 (more,
// smaller groups per unit: H100, bfloat16, causal forward 100 -> 116 TFLOP/s at 8 x 12 x 1024 x 64,
// 165 -> 171 at 2 x 32 x 4096 x 64), else 8 (at 128 four warps measured the same or 2% slower);
// TORCH_OCL_ATTENTION_FWD_WARPS=4 or 8 fixes it (tuning).
int64_t mma_fwd_warps(int64_t d) {
  static const int64_t fixed = [] {
    const char* env = std::getenv("TORCH_OCL_ATTENTION_FWD_WARPS");
    if (env == nullptr || !*env) return int64_t(0);
    const std::string v(env);
    TORCH_CHECK(v == "4" || v == "8", "[ocl::attention] TORCH_OCL_ATTENTION_FWD_WARPS must be 4 or 8, got \"", v,
                "\"");
    return int64_t(std::stoi(v));
  }();
  return fixed ? fixed : d <= 64 ? 4 : 8;
}

std::mutex mma_mutex;
std::vector<char> mma_broken;  // per device

// Head dims as SymInts: fused_sdp_choice asks with symbolic ones (the checks become guards).
bool mma_allowed(const Tensor& q, const c10::SymInt& d, const c10::SymInt& dv) {
  static const bool env_on = [] {
    const char* env = std::getenv("TORCH_OCL_ATTENTION_MMA");
    return env == nullptr || std::string(env) != "0";
  }();
  const auto t = q.scalar_type();
  const int dev = q.device().index();
  if (!env_on || (t != kHalf && t != kBFloat16) || d % 16 != 0 || dv % 16 != 0 || d > kMmaMaxDim || dv > kMmaMaxDim ||
      !detail::mma_enabled(dev))
    return false;
  std::lock_guard<std::mutex> lock(mma_mutex);
  return size_t(dev) >= mma_broken.size() || !mma_broken[dev];
}

Program mma_program(const Tensor& q, int64_t d, int64_t dv, bool causal, int mask, bool dropout) {
  using std::to_string;
  Program p;
  p.device = q.device().index();
  p.t = q.scalar_type();
  p.mma = true;
  p.name = std::string("attention_mma_") + c10::toString(p.t);
  p.options = "-DD=" + to_string(d) + " -DDV=" + to_string(dv) +
              " -DFWD_WARPS=" + to_string(mma_fwd_warps(std::max(d, dv))) +
              variant(causal, mask, dropout);
  return p;
}

// Whether the program builds (it is then cached); a failure turns the tensor-core kernels off.
bool mma_builds(const Program& p, const char* kernel) {
  try {
    torch_ocl::runtime::get_kernel(p.device, p.name, kernel, [&p] { return p.source(); }, p.options);
    return true;
  } catch (const torch_ocl::runtime::BuildError& e) {
    std::lock_guard<std::mutex> lock(mma_mutex);
    if (mma_broken.size() <= size_t(p.device)) mma_broken.resize(p.device + 1, 0);
    mma_broken[p.device] = 1;
    TORCH_WARN("[ocl::attention] the tensor-core attention kernels failed to build; attention uses the portable ",
               "kernels on this device: ", e.what());
    return false;
  }
}

// t itself when its rows move as 16-byte chunks (last stride 1, other strides and the offset
// multiples of 8 elements), else a contiguous copy.
Tensor chunked(const Tensor& t) {
  bool ok = t.stride(3) == 1 && (torch_ocl::buffer_of(t).offset / t.element_size()) % 8 == 0;
  for (int i = 0; i < 3; ++i) ok = ok && (t.size(i) == 1 || t.stride(i) % 8 == 0);
  return ok ? t : t.contiguous();
}

// The mask as a (B, H, L, S) view (broadcast dimensions have stride 0), or q itself (unread).
Tensor mask_view(const Tensor& bias, const Tensor& q, int64_t s) {
  return bias.defined() ? bias.expand({q.size(0), q.size(1), q.size(2), s}) : q;
}

void check_inputs(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& bias, const char* name) {
  TORCH_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4, name, ": expected 4-D query, key and value, got ", q.dim(),
              "-D, ", k.dim(), "-D and ", v.dim(), "-D");
  TORCH_CHECK(q.device() == k.device() && q.device() == v.device() && (!bias.defined() || bias.device() == q.device()),
              "Expected all tensors to be on the same device, but found at least two devices");
  TORCH_CHECK(q.scalar_type() == k.scalar_type() && q.scalar_type() == v.scalar_type(), name,
              ": expected query, key and value of one dtype, got ", q.scalar_type(), ", ", k.scalar_type(), " and ",
              v.scalar_type());
  const auto t = q.scalar_type();
  TORCH_CHECK(t == kFloat || t == kHalf || t == kBFloat16, name, ": no kernel for dtype ", t);
  TORCH_CHECK(k.size(0) == q.size(0) && v.size(0) == q.size(0) && k.size(1) == v.size(1) && k.size(2) == v.size(2) &&
                  k.size(3) == q.size(3),
              name, ": query ", q.sizes(), ", key ", k.sizes(), " and value ", v.sizes(), " do not fit together");
  TORCH_CHECK(k.size(1) > 0 && q.size(1) % k.size(1) == 0, name, ": ", q.size(1), " query heads are not a multiple of ",
              k.size(1), " key/value heads");
  TORCH_CHECK(q.size(3) <= kMaxHeadDim && v.size(3) <= kMaxHeadDim, name, ": head dims ", q.size(3), " and ",
              v.size(3), " (at most ", kMaxHeadDim, ")");
  if (bias.defined())
    TORCH_CHECK(bias.scalar_type() == kBool || bias.scalar_type() == t, name,
                ": attn_mask must be bool or of the query's dtype ", t, ", got ", bias.scalar_type());
}

double scale_of(const Tensor& q, std::optional<double> scale) {
  return scale.has_value() ? *scale : 1.0 / std::sqrt(double(q.size(3)));
}

// The output's layout follows the query's, as the op's meta function (alloc_with_matching_layout)
// says: torch.compile plans its buffers from that and asserts the strides the op returns.
Tensor out_like_query(const Tensor& q, int64_t dv) {
  if (q.size(3) == dv) return at::empty_like(q);
  std::array<int64_t, 4> order{0, 1, 2, 3};
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return q.stride(a) > q.stride(b); });
  std::array<int64_t, 4> sizes{q.size(0), q.size(1), q.size(2), dv}, strides{};
  int64_t stride = 1;
  for (int i = 3; i >= 0; --i) {
    strides[order[i]] = stride;
    stride *= sizes[order[i]];
  }
  return at::empty_strided(sizes, strides, q.options());
}

}  // namespace

int64_t fused_sdp_choice(const Tensor& q, const Tensor& k, const Tensor& v, const std::optional<Tensor>& attn_mask,
                         double /*dropout_p*/, bool is_causal, std::optional<double> /*scale*/, bool enable_gqa) {
  auto& ctx = at::globalContext();
  // Sizes as SymInts: under torch.compile with dynamic shapes the choice is made on fake tensors
  // with symbolic sizes; comparisons guard on them, as CUDA's checks do. The head dims are
  // specialised only on a device whose kernels cannot take every head dim up to kMaxHeadDim.
  c10::SymInt d, dv;
  auto takes = [&] {
    if (q.is_nested() || k.is_nested() || v.is_nested() || q.dim() != 4 || k.dim() != 4 || v.dim() != 4) return false;
    const auto t = q.scalar_type();
    if ((t != kFloat && t != kHalf && t != kBFloat16) || k.scalar_type() != t || v.scalar_type() != t) return false;
    if (q.device() != k.device() || q.device() != v.device()) return false;
    if (q.sym_numel() == 0 || k.sym_numel() == 0 || v.sym_numel() == 0) return false;
    const c10::SymIntArrayRef qs = q.sym_sizes(), ks = k.sym_sizes(), vs = v.sym_sizes();
    d = qs[3];
    dv = vs[3];
    if (ks[0] != qs[0] || vs[0] != qs[0] || ks[1] != vs[1] || ks[2] != vs[2] || ks[3] != d || d > kMaxHeadDim ||
        dv > kMaxHeadDim)
      return false;
    if (qs[1] != ks[1] && !(enable_gqa && qs[1] % ks[1] == 0)) return false;
    if (attn_mask.has_value() && attn_mask->defined()) {
      const Tensor& m = *attn_mask;
      const std::array<c10::SymInt, 4> scores{qs[0], qs[1], qs[2], ks[2]};
      if (is_causal || m.device() != q.device() || (m.scalar_type() != kBool && m.scalar_type() != t) ||
          !is_expandable_to(m.sym_sizes(), scores))
        return false;
    }
    const int dev = q.device().index();
    auto fits = [dev](int64_t hd, int64_t hdv) {
      return blocks_for(dev, Kind::fwd, hd, hdv).bq && blocks_for(dev, Kind::dq, hd, hdv).bq &&
             blocks_for(dev, Kind::dkv, hd, hdv).bq;
    };
    return fits(kMaxHeadDim, kMaxHeadDim) || fits(d.guard_int(__FILE__, __LINE__), dv.guard_int(__FILE__, __LINE__));
  };
  // Where 16-bit products run on tensor cores (NVIDIA), the portable kernels lose to bmm + softmax
  // + bmm on them: there the fused path comes first only where the tensor-core kernels take the
  // inputs, unless the user asks for the overrideable backend alone
  // (sdpa_kernel([SDPBackend.OVERRIDEABLE])).
  const bool fused_ok = ctx.userEnabledOverrideableSDP() && takes();
  const bool fused_first = !detail::mma_enabled(q.device().index()) || (fused_ok && mma_allowed(q, d, dv));
  if (fused_ok && (fused_first || !ctx.userEnabledMathSDP())) return static_cast<int64_t>(SDPBackend::overrideable);
  if (ctx.userEnabledMathSDP()) return static_cast<int64_t>(SDPBackend::math);
  return static_cast<int64_t>(SDPBackend::error);
}

std::tuple<Tensor, Tensor, Tensor, Tensor, c10::SymInt, c10::SymInt, Tensor, Tensor, Tensor> sdpa_fused_forward(
    const Tensor& q, const Tensor& k, const Tensor& v, const std::optional<Tensor>& attn_bias, double dropout_p,
    bool is_causal, bool /*return_debug_mask*/, std::optional<double> scale) {
  const Tensor bias = attn_bias.has_value() ? *attn_bias : Tensor();
  check_inputs(q, k, v, bias, "scaled_dot_product_attention");
  TORCH_CHECK(dropout_p >= 0.0 && dropout_p <= 1.0, "dropout probability has to be between 0 and 1, but got ",
              dropout_p);
  const int64_t B = q.size(0), H = q.size(1), L = q.size(2), D = q.size(3), S = k.size(2), DV = v.size(3);
  Tensor out = out_like_query(q, DV);
  Tensor lse = at::empty({B, H, L}, q.options().dtype(kFloat));
  uint64_t seed = 0, offset = 0;
  if (dropout_p > 0.0) {
    auto* g = torch_ocl::default_generator(q.device().index()).get<torch_ocl::OclGeneratorImpl>();
    std::lock_guard<std::mutex> lock(g->mutex_);
    std::tie(seed, offset) = g->philox_inputs(1);
  }
  Tensor seed_t = at::scalar_tensor(static_cast<int64_t>(seed), at::dtype(kLong));
  Tensor offset_t = at::scalar_tensor(static_cast<int64_t>(offset), at::dtype(kLong));
  if (out.numel() > 0 && (S == 0 || dropout_p == 1.0)) {
    out.zero_();  // no key (or none kept): no weight anywhere
    lse.fill_(S == 0 ? INFINITY : 0.0);
  } else if (out.numel() > 0) {
    Program p;
    const char* kernel = "attn_fwd";
    uint64_t block = 0, threads = 0;
    if (mma_allowed(q, D, DV) &&
        mma_builds(p = mma_program(q, D, DV, is_causal, mask_kind(bias), dropout_p > 0.0), "attn_mma_fwd")) {
      kernel = "attn_mma_fwd";
      block = 16 * mma_fwd_warps(std::max(D, DV));
      threads = 32 * mma_fwd_warps(std::max(D, DV));
    } else {
      const Blocks b = blocks_for(q.device().index(), Kind::fwd, D, DV);
      TORCH_CHECK(b.bq, "[ocl::attention] head dims ", D, "/", DV, " do not fit this device's local memory");
      p = program(q, D, DV, b, is_causal, mask_kind(bias), dropout_p > 0.0);
      block = b.bq;
      threads = b.threads;
    }
    KernelArgs a = p.args(kernel);
    std::array<Tensor, 3> in{q, k, v};
    if (p.mma)
      for (Tensor& t : in) t = chunked(t);
    for (const Tensor& t : in) add_4d(a, t);
    add_4d(a, out);
    add_floats(a, lse);
    add_4d(a, mask_view(bias, q, S));
    a.add<cl_long>(H).add<cl_long>(L).add<cl_long>(S).add<cl_long>(H / k.size(1));
    a.add<cl_float>(float(scale_of(q, scale))).add<cl_float>(float(1.0 - dropout_p));
    a.add<cl_ulong>(seed).add<cl_ulong>(offset);
    const uint64_t groups = uint64_t(B * H) * ((L + block - 1) / block);
    a.launch(static_cast<size_t>(groups * threads), threads);
  }
  return {out, lse, Tensor(), Tensor(), c10::SymInt(L), c10::SymInt(S), seed_t, offset_t, Tensor()};
}

std::tuple<Tensor, Tensor, Tensor, Tensor> sdpa_fused_backward(
    const Tensor& grad_out, const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& bias,
    std::array<bool, 4> grad_input_mask, const Tensor& out, const Tensor& lse, const Tensor& /*cum_seq_q*/,
    const Tensor& /*cum_seq_k*/, c10::SymInt /*max_q*/, c10::SymInt /*max_k*/, double dropout_p, bool is_causal,
    const Tensor& philox_seed, const Tensor& philox_offset, std::optional<double> scale) {
  check_inputs(q, k, v, bias, "scaled_dot_product_attention backward");
  const int64_t B = q.size(0), H = q.size(1), L = q.size(2), D = q.size(3), S = k.size(2), DV = v.size(3);
  // the kernels write every row of dQ, dK and dV; without them (no key, or none kept) all are 0
  const bool run = q.numel() > 0 && k.numel() > 0 && dropout_p < 1.0;
  auto grad_like = [run](const Tensor& t) { return run ? at::empty_like(t) : at::zeros_like(t); };
  Tensor dq = grad_like(q), dk = grad_like(k), dv = grad_like(v), dbias;
  const bool want_bias = grad_input_mask[3] && bias.defined() && bias.scalar_type() != kBool;
  Tensor ds = want_bias ? at::zeros({B, H, L, S}, q.options().dtype(kFloat)) : Tensor();
  if (run) {
    const int dev = q.device().index();
    const bool dropout = dropout_p > 0.0;
    const uint64_t seed = dropout ? uint64_t(philox_seed.item<int64_t>()) : 0;
    const uint64_t offset = dropout ? uint64_t(philox_offset.item<int64_t>()) : 0;
    const float sc = float(scale_of(q, scale)), keep = float(1.0 - dropout_p);
    const Tensor m = mask_view(bias, q, S);
    const int mk = mask_kind(bias);
    // the tensor-core kernels, else the portable ones (dQ and dK/dV blocks differ: two programs)
    Program pq, pk;
    Blocks bq, bk;
    const bool mma = mma_allowed(q, D, DV) &&
                     mma_builds(pq = mma_program(q, D, DV, is_causal, mk, dropout), "attn_mma_bwd_dq");
    if (mma) {
      pk = pq;
      bq.bq = bk.bkv = kMmaBwdBlock;
      bq.threads = bk.threads = kMmaBwdThreads;
    } else {
      bq = blocks_for(dev, Kind::dq, D, DV);
      bk = blocks_for(dev, Kind::dkv, D, DV);
      TORCH_CHECK(bq.bq && bk.bq, "[ocl::attention] head dims ", D, "/", DV, " do not fit this device's local memory");
      pq = program(q, D, DV, bq, is_causal, mk, dropout);
      pk = program(q, D, DV, bk, is_causal, mk, dropout);
    }
    std::array<Tensor, 4> in{q, k, v, grad_out};
    if (mma)
      for (Tensor& t : in) t = chunked(t);
    Tensor delta = at::empty({B, H, L}, q.options().dtype(kFloat));
    {
      KernelArgs a = pq.args("attn_bwd_delta");
      add_4d(a, grad_out);
      add_4d(a, out);
      add_floats(a, delta);
      a.add<cl_long>(H).add<cl_long>(L).add<cl_long>(B * H * L);
      a.launch_1d(uint64_t(B * H * L));
    }
    auto tail = [&](KernelArgs& a) {
      a.add<cl_long>(H).add<cl_long>(L).add<cl_long>(S).add<cl_long>(H / k.size(1));
      a.add<cl_float>(sc).add<cl_float>(keep).add<cl_ulong>(seed).add<cl_ulong>(offset);
    };
    // the tensor-core dK/dV kernel adds dQ up in float too, atomically: where 16-byte atomic adds
    // exist (with one add per element it ran no faster than the dQ kernel on an H200), not for
    // deterministic runs, nor where dS itself is wanted
    const bool fuse_dq = mma && detail::mma_vector_atomics(dev) && !want_bias &&
                         !at::globalContext().deterministicAlgorithms();
    const Tensor dq_acc = fuse_dq ? at::zeros({B, H, L, D}, q.options().dtype(kFloat)) : Tensor();
    if (!fuse_dq) {
      KernelArgs a = pq.args(mma ? "attn_mma_bwd_dq" : "attn_bwd_dq");
      for (const Tensor& t : in) add_4d(a, t);
      add_4d(a, dq);
      add_floats(a, lse);
      add_floats(a, delta);
      add_4d(a, m);
      add_floats(a, want_bias ? ds : delta);
      a.add<cl_int>(want_bias ? 1 : 0);
      tail(a);
      const uint64_t groups = uint64_t(B * H) * ((L + bq.bq - 1) / bq.bq);
      a.launch(static_cast<size_t>(groups * bq.threads), bq.threads);
    }
    {
      KernelArgs a = pk.args(mma ? "attn_mma_bwd_dkv" : "attn_bwd_dkv");
      for (const Tensor& t : in) add_4d(a, t);
      add_4d(a, dk);
      add_4d(a, dv);
      add_floats(a, lse);
      add_floats(a, delta);
      add_4d(a, m);
      tail(a);
      if (mma) {
        add_floats(a, fuse_dq ? dq_acc : delta);
        a.add<cl_int>(fuse_dq ? 1 : 0);
      }
      const uint64_t groups = uint64_t(B * k.size(1)) * ((S + bk.bkv - 1) / bk.bkv);
      a.launch(static_cast<size_t>(groups * bk.threads), bk.threads);
    }
    if (fuse_dq) dq.copy_(dq_acc);
  }
  if (want_bias) dbias = at::sum_to(ds, bias.sizes()).to(bias.scalar_type());
  return {grad_input_mask[0] ? dq : Tensor(), grad_input_mask[1] ? dk : Tensor(), grad_input_mask[2] ? dv : Tensor(),
          dbias};
}

}  // namespace at::native::ocl
