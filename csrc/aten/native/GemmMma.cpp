// Launcher of the tensor-core GEMM (csrc/kernels/gemm_mma.cl) for 16-bit floats, and float32 as
// TF32, on NVIDIA GPUs of compute capability 8.0+: the configuration table (tile, stages, warps,
// split-K per shape), the capability check, and the split-K reduction.
#include <ATen/Context.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aten/native/Gemm.h"
#include "aten/native/Im2Col.h"
#include "aten/native/Launch.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/program_cache.h"

namespace at::native::ocl::detail {
namespace {

// One configuration of gemm_mma.cl (see its tunables); splits > 1 divides K among work-groups. bk
// is the depth of a stage in 16-bit elements; float (TF32) stages hold half as many (same bytes).
// teams > 0: persistent work-groups, `teams` per compute unit taking the tiles of one block
// together (gemm_mma.cl's SHARE, whose block shape the host repeats to count the blocks); with
// l1 = 1 the copies are cached in L1 (CP_L1), where the unit's groups can hit each other's.
struct MmaConfig {
  int bm, bn, bk, stages, wm, wn, splits;
  int teams = 0, l1 = 0;
  int threads() const { return 32 * wm * wn; }
  uint64_t local_bytes() const { return uint64_t(stages) * (bm + bn) * bk * 2; }
  int depth(ScalarType t) const { return t == kFloat ? bk / 2 : bk; }
  std::string options(ScalarType t) const {
    using std::to_string;
    return "-DBM=" + to_string(bm) + " -DBN=" + to_string(bn) + " -DBK=" + to_string(depth(t)) + " -DSTAGES=" +
           to_string(stages) + " -DWARPS_M=" + to_string(wm) + " -DWARPS_N=" + to_string(wn) +
           " -DSPLIT_K=" + (splits > 1 ? "1" : "0") + (teams ? " -DSHARE=" + to_string(teams) : "") +
           (l1 ? " -DCP_L1=1" : "");
  }
  // What gemm_mma.cl's checks ask (tiles split into 16 x 16 warp steps evenly).
  bool valid() const {
    auto one_of = [](int v, std::initializer_list<int> set) { return std::find(set.begin(), set.end(), v) != set.end(); };
    const auto tile = {32, 64, 96, 128, 192, 256}, warps = {1, 2, 3, 4, 6, 8};
    return one_of(bm, tile) && one_of(bn, tile) && one_of(bk, {16, 32, 64}) && stages >= 2 && stages <= 5 &&
           one_of(wm, warps) && one_of(wn, warps) && splits >= 1 && splits <= 64 && bm % (16 * wm) == 0 &&
           bn % (16 * wn) == 0;
  }
  // And what the device has room for.
  bool fits(const torch_ocl::runtime::DeviceInfo& info) const {
    return valid() && local_bytes() <= info.local_mem && uint64_t(threads()) <= info.max_work_group_size;
  }
};

// Persistent teams gemm_mma.cl takes (SHARE 0-8, CP_L1 0 or 1).
bool teams_valid(int teams, int l1) { return teams >= 0 && teams <= 8 && (l1 == 0 || l1 == 1); }

// "bm,bn,bk,stages,wm,wn[,splits]" (with_teams: "[,teams[,l1]]" too) as a configuration, or an
// error naming `what`.
MmaConfig parse_config(const char* text, const char* what, bool with_teams) {
  MmaConfig c{0, 0, 0, 0, 0, 0, 1};
  char tail = 0;
  const int n = std::sscanf(text, "%d,%d,%d,%d,%d,%d,%d,%d,%d%c", &c.bm, &c.bn, &c.bk, &c.stages, &c.wm, &c.wn,
                            &c.splits, &c.teams, &c.l1, &tail);
  TORCH_CHECK(n >= 6 && n <= (with_teams ? 9 : 7) && c.valid() && teams_valid(c.teams, c.l1),
              "[ocl::gemm] ", what, "=\"", text, "\" is not bm,bn,bk,stages,wm,wn[,splits",
              with_teams ? "[,teams[,l1]]" : "",
              "] with tiles of 32, 64, 96, 128, 192 or 256 that split evenly into 16 x 16 warp steps, ",
              "bk 16/32/64, 2-5 stages, 1-64 splits", with_teams ? ", 0-8 teams, l1 0 or 1" : "");
  return c;
}

// TORCH_OCL_GEMM_MMA_CONFIG="bm,bn,bk,stages,wm,wn[,splits]" fixes the configuration for every
// shape (tuning, tests); unset, the table below chooses.
std::optional<MmaConfig> config_override() {
  static const std::optional<MmaConfig> cfg = []() -> std::optional<MmaConfig> {
    const char* env = std::getenv("TORCH_OCL_GEMM_MMA_CONFIG");
    if (env == nullptr || *env == 0) return std::nullopt;
    return parse_config(env, "TORCH_OCL_GEMM_MMA_CONFIG", false);
  }();
  return cfg;
}

thread_local std::optional<MmaConfig> thread_config;  // set_thread_mma_config's

// TORCH_OCL_GEMM_SHARE="teams[,l1]" (tuning) fixes MmaConfig's teams and l1 for every shape (0:
// none); unset, the table below chooses. Even teams of 4 or more take blocks of teams / 2 x 2
// tiles, others a column of tiles sharing B's columns.
struct Share {
  int teams = 0, l1 = 0;
};
std::optional<Share> share_override() {
  static const std::optional<Share> s = []() -> std::optional<Share> {
    Share v;
    const char* env = std::getenv("TORCH_OCL_GEMM_SHARE");
    if (env == nullptr || *env == 0) return std::nullopt;
    const int n = std::sscanf(env, "%d,%d", &v.teams, &v.l1);
    TORCH_CHECK(n >= 1 && teams_valid(v.teams, v.l1),
                "[ocl::gemm] TORCH_OCL_GEMM_SHARE=\"", env, "\" is not teams[,l1] with teams 0..8 and l1 0 or 1");
    return v;
  }();
  return s;
}

// Work-groups a configuration makes for a problem.
int64_t groups(const MmaConfig& c, int64_t batch, int64_t m, int64_t n) {
  return batch * ((m + c.bm - 1) / c.bm) * ((n + c.bn - 1) / c.bn);
}

// The shape -> configuration table, from bench/tune_gemm.py on an H200 (bfloat16, all layouts):
// 128 x 128 tiles in three stages; 8 warps of 64 x 32 for depths under 4096 (transformer layers:
// 1.1-1.2x the 4-warp rate), 4 warps of 64 x 64 for deeper products (1.03-1.07x); outputs under
// half a wave of tiles with a long K are split along K (768 x 768 x 8192: 2.2x), other small
// outputs take 64 x 64 tiles. 128 x 256 tiles (48 KiB, two stages) measured below these everywhere.
// A product with one side of at most 64 (a convolution's 64 channels: forward and grad_input N,
// grad_weight M) takes tiles of 64 on that side, the same 64 x 32 warps: a 128-wide tile there
// would compute and stage as many padding columns as real ones. Splits go up to 64 (a
// convolution's grad_weight reduces over every position: 200k at ResNet-50's first stage).
MmaConfig choose(const torch_ocl::runtime::DeviceInfo& info, int64_t batch, int64_t m, int64_t n, int64_t k) {
  static const MmaConfig deep{128, 128, 32, 3, 2, 2, 1}, layer{128, 128, 32, 3, 2, 4, 1}, small{64, 64, 32, 4, 2, 2, 1},
      narrow_n{128, 64, 32, 3, 2, 2, 1}, narrow_m{64, 128, 32, 3, 2, 2, 1};
  const int64_t cus = std::max<int64_t>(info.compute_units, 1);
  const bool thin_n = n <= 64 && m > 64, thin_m = m <= 64 && n > 64;
  const MmaConfig& wide = thin_n ? narrow_n : thin_m ? narrow_m : deep;  // deep and split products
  const MmaConfig& full = thin_n || thin_m ? wide : k >= 4096 ? deep : layer;
  const int64_t g = groups(wide, batch, m, n);
  if (g * 2 >= cus) {
    MmaConfig c = full;
    // Deep products of several waves of tiles: two persistent work-groups per unit on a column of
    // two tiles, copies through L1 (B's shared columns hit there): H100, bfloat16, 4096^3 232 ->
    // 273 TFLOP/s, 8192^3 251 -> 280. Shallow or few-tile products lose (8192x2304x768 180 -> 167,
    // 2304x768x8192 198 -> 102: 108 tiles on half the units).
    if (k >= 4096 && g >= 4 * cus && !thin_n && !thin_m) {
      c.teams = 2;
      c.l1 = 1;
    }
    return c;
  }
  if (k >= 1024) {
    // split K so that the work-groups fill the GPU once, each keeping at least 256 of depth
    MmaConfig c = wide;
    c.splits = int(std::clamp<int64_t>(cus / g, 2, std::min<int64_t>(64, k / 256)));
    return c;
  }
  return groups(small, batch, m, n) >= g * 2 ? small : full;
}

// The float32 SIMT variant: warps of 32 x 64 (4 x 2 of them over 128 x 128 tiles, 2 x 1 over 64 x
// 64), 16 floats per stage; split-K and the small tiles where the large ones leave the GPU idle,
// as for the tensor cores.
MmaConfig choose_simt(const torch_ocl::runtime::DeviceInfo& info, int64_t batch, int64_t m, int64_t n, int64_t k) {
  static const MmaConfig big{128, 128, 32, 3, 4, 2, 1}, small{64, 64, 32, 4, 2, 1, 1};
  const int64_t cus = std::max<int64_t>(info.compute_units, 1), g = groups(big, batch, m, n);
  if (g * 2 >= cus) {
    // A few waves of tiles (one work-group per unit at a time) leave the last wave part empty:
    // 144 tiles on 132 units run as two waves at 0.55 of the device. Split-K fills it, at
    // a few percent per extra split for the partial sums (measured on an H100 at
    // 3072x768x8192: 23.4, 30.2, 33.6, 35.3 TFLOP/s for 1-4 splits; 108 tiles stay whole).
    MmaConfig c = big;
    if (g >= 4 * cus || k < 2048) return c;
    double best = 0;
    for (int s = 1; s <= std::min<int64_t>(4, k / 512); ++s) {
      const int64_t work = g * s, waves = (work + cus - 1) / cus;
      const double score = double(work) / double(waves * cus) * (1.0 - 0.02 * (s - 1));
      if (score > best + 1e-9) {
        best = score;
        c.splits = s;
      }
    }
    return c;
  }
  if (k >= 1024) {
    MmaConfig c = big;
    c.splits = int(std::clamp<int64_t>(cus / g, 2, std::min<int64_t>(16, k / 256)));
    return c;
  }
  return groups(small, batch, m, n) >= g * 2 ? small : big;
}

// cl_nv_device_attribute_query's CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV
constexpr cl_device_info kComputeCapabilityMajorNV = 0x4000;

// An NVIDIA device's compute capability (major), 0 for other devices; asked once per device.
cl_uint nv_major(int device) {
  static std::mutex mutex;
  static std::vector<int> known;  // per device: -1 not asked yet
  std::lock_guard<std::mutex> lock(mutex);
  if (known.size() <= size_t(device)) known.resize(device + 1, -1);
  if (known[device] < 0) {
    const auto& info = torch_ocl::runtime::device_info(device);
    cl_uint major = 0;
    const bool nv = info.vendor_id == 0x10DE && info.has_extension("cl_nv_device_attribute_query") &&
                    clGetDeviceInfo(info.id, kComputeCapabilityMajorNV, sizeof(major), &major, nullptr) == CL_SUCCESS;
    known[device] = nv ? int(major) : 0;
  }
  return cl_uint(known[device]);
}

std::mutex mma_mutex;
std::vector<int> mma_state;  // per device: -1 unknown, 0 no, 1 yes
std::vector<char> conv_off;  // per device: the convolution variants failed to build

void disable_mma(int device, const std::string& why) {
  std::lock_guard<std::mutex> lock(mma_mutex);
  mma_state[device] = 0;
  TORCH_WARN("[ocl::gemm] the tensor-core GEMM kernel failed to build; 16-bit matrix products use the portable ",
             "kernel on this device: ", why);
}

// Whether an operand's tiles move as 16-byte chunks: the dimension gemm_mma.cl reads along
// (k when k_contig, else the other matrix dimension) has stride 1, and the other stride, the
// batch stride and the offset are multiples of 16 bytes.
bool vec16(const Tensor& t, bool k_contig, int k_dim) {
  const int along = k_contig ? k_dim : 3 - k_dim, across = 3 - along;
  if (t.stride(along) != 1) return false;
  auto b = torch_ocl::buffer_of(t);
  const int64_t e = 16 / t.element_size();
  return t.stride(across) % e == 0 && (t.size(0) == 1 || t.stride(0) % e == 0) && (b.offset / t.element_size()) % e == 0;
}

// Whether two neighbouring (16-bit) results of C can be stored as one 32-bit word.
bool pairs(const Tensor& c) {
  auto b = torch_ocl::buffer_of(c);
  return c.element_size() == 2 && c.stride(2) == 1 && c.stride(1) % 2 == 0 &&
         (c.size(0) == 1 || c.stride(0) % 2 == 0) && (b.offset / c.element_size()) % 2 == 0;
}

}  // namespace

void set_thread_mma_config(const std::string& config, int device) {
  if (config.empty()) {
    thread_config.reset();
    return;
  }
  const MmaConfig c = parse_config(config.c_str(), "MMA configuration", true);
  const auto& info = torch_ocl::runtime::device_info(device);
  TORCH_CHECK(c.fits(info), "[ocl::gemm] MMA configuration \"", config, "\" does not fit device ", device,
              " (local memory ", c.local_bytes(), " of ", info.local_mem, " bytes, ", c.threads(), " of ",
              info.max_work_group_size, " work-items)");
  thread_config = c;
}

bool mma_config_fits(const std::string& config, int device) {
  try {
    return parse_config(config.c_str(), "MMA configuration", true).fits(torch_ocl::runtime::device_info(device));
  } catch (const c10::Error&) {
    return false;
  }
}

bool mma_emulated() {
  static const bool on = [] {
    const char* env = std::getenv("TORCH_OCL_MMA_EMULATE");
    return env != nullptr && std::string(env) == "1";
  }();
  return on;
}

bool mma_enabled(int device) {
  config_override();  // a bad TORCH_OCL_GEMM_MMA_CONFIG or _SHARE is an error on every device
  share_override();
  std::lock_guard<std::mutex> lock(mma_mutex);
  if (mma_state.size() <= size_t(device)) mma_state.resize(device + 1, -1);
  if (mma_state[device] < 0) {
    const char* env = std::getenv("TORCH_OCL_GEMM_MMA");
    const bool on = env == nullptr || std::string(env) != "0";
    mma_state[device] = on && (mma_emulated() || nv_major(device) >= 8) ? 1 : 0;
  }
  return mma_state[device] == 1;
}

namespace {
// Whether the products of the convolution running on this thread may take TF32 (ConvTf32Scope).
thread_local bool conv_tf32 = false;

// float32 products may be TF32: torch.set_float32_matmul_precision("high"/"medium"), or inside a
// convolution with torch.backends.cudnn.allow_tf32.
bool tf32_allowed() {
  return conv_tf32 || at::globalContext().float32MatmulPrecision() != at::Float32MatmulPrecision::HIGHEST;
}
}  // namespace

ConvTf32Scope::ConvTf32Scope() : previous_(conv_tf32) { conv_tf32 = at::globalContext().allowTF32CuDNN(); }
ConvTf32Scope::~ConvTf32Scope() { conv_tf32 = previous_; }

bool tf32_enabled(int device) { return tf32_allowed() && mma_enabled(device); }

bool simt_enabled(int device) {
  // -1: the default (the SIMT variant where the tensor-core kernel runs natively: it beats
  // CLBlast there, 1.1-1.8x on an H100; emulated, CLBlast), 0: clblast, 1: simt
  static const int asked = [] {
    const char* env = std::getenv("TORCH_OCL_GEMM_F32");
    if (env == nullptr || *env == 0) return -1;
    if (std::string(env) == "clblast") return 0;
    TORCH_CHECK(std::string(env) == "simt", "[ocl::gemm] TORCH_OCL_GEMM_F32=\"", env, "\" is not clblast or simt");
    return 1;
  }();
  const bool on = asked < 0 ? !mma_emulated() : asked == 1;
  return on && !tf32_allowed() && mma_enabled(device);
}

bool mma_vector_atomics(int device) { return mma_emulated() || nv_major(device) >= 9; }

std::string mma_prelude(ScalarType t, int device) {
  const bool sm90 = !mma_emulated() && nv_major(device) >= 9;
  return std::string("#define MMA_BF16 ") + (t == kBFloat16 ? "1" : "0") + "\n#define MMA_TF32 " +
         (t == kFloat ? "1" : "0") + "\n#define MMA_EMULATE " + (mma_emulated() ? "1" : "0") + "\n#define MMA_SM90 " +
         (sm90 ? "1" : "0") + "\n" + torch_ocl::runtime::kernel_source("mma.cl") + "\n";
}

bool gemm_mma(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S,
              const Window* conv, bool conv_b) {
  const int device = C.device().index();
  const auto& info = torch_ocl::runtime::device_info(device);
  const ScalarType t = C.scalar_type();
  const bool conv_a = conv && !conv_b;
  conv_b = conv && conv_b;
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2), k = conv_a ? conv->rows() : A.size(2);
  const std::optional<MmaConfig> fixed = thread_config ? thread_config : config_override();
  const bool simt = t == kFloat && !tf32_enabled(device);  // exact float32 (see simt_enabled)
  MmaConfig cfg = fixed ? *fixed : simt ? choose_simt(info, batch, m, n, k) : choose(info, batch, m, n, k);
  TORCH_CHECK(!fixed || !simt || (cfg.bm / cfg.wm == 32 && cfg.bn / cfg.wn == 64),
              "[ocl::gemm] TORCH_OCL_GEMM_MMA_CONFIG: the float32 SIMT kernel takes warps of 32 x 64 (bm = 32 wm, ",
              "bn = 64 wn)");
  TORCH_CHECK(!fixed || cfg.fits(info), "[ocl::gemm] TORCH_OCL_GEMM_MMA_CONFIG: ", cfg.bm, "x", cfg.bn, "x", cfg.bk,
              ", ", cfg.stages, " stages, ", cfg.wm, "x", cfg.wn, " warps, ", cfg.splits,
              " splits does not fit this device (local memory ", cfg.local_bytes(), " of ", info.local_mem, " bytes, ",
              cfg.threads(), " of ", info.max_work_group_size, " work-items)");
  const int64_t bk = cfg.depth(t), k_chunk = (((k + cfg.splits - 1) / cfg.splits + bk - 1) / bk) * bk;
  const int splits = int((k + k_chunk - 1) / k_chunk);
  if (splits == 1) cfg.splits = 1;
  if (const auto share = thread_config ? std::nullopt : share_override()) {
    cfg.teams = share->teams;
    cfg.l1 = share->l1;
  }

  // a convolution operand moves as 16-byte chunks of channels, A's along k, B's along n (the
  // caller checks)
  const bool a_k = conv_a || A.stride(2) == 1, b_k = !conv_b && B.stride(1) == 1;
  const bool va = conv_a || vec16(A, a_k, 2), vb = conv_b || vec16(B, b_k, 1), pc = pairs(C);
  const std::string flags = std::string(conv_a ? "c" : a_k ? "k" : "m") + (conv_b ? "c" : b_k ? "k" : "n") +
                            (va ? "v" : "s") + (vb ? "v" : "s") + (pc ? "p" : "s");
  auto source = [&] {
    auto flag = [](const char* name, bool v) { return std::string("#define ") + name + (v ? " 1\n" : " 0\n"); };
    return typed_source(t, false, "gemm_mma.cl",
                        flag("A_K_CONTIG", a_k) + flag("B_K_CONTIG", b_k) + flag("VEC_A", va) + flag("VEC_B", vb) +
                            flag("PAIR_C", pc) + flag("CONV_A", conv_a) + flag("CONV_B", conv_b) +
                            mma_prelude(t, device));
  };
  const std::string options = cfg.options(t) + (simt ? " -DMMA_SIMT=1" : "");
  const std::string program =
      std::string("gemm_mma_") + (t == kBFloat16 ? "B" : t == kHalf ? "h" : simt ? "s" : "f") + flags;
  if (conv) {
    std::lock_guard<std::mutex> lock(mma_mutex);
    if (conv_off.size() > size_t(device) && conv_off[device]) return false;
  }
  try {  // builds (or finds) the program; a build failure turns the path off rather than failing the op
    torch_ocl::runtime::get_kernel(device, program, "gemm_mma", source, options);
  } catch (const torch_ocl::runtime::BuildError& e) {
    if (fixed) throw;  // a configuration asked for by name must build
    if (conv) {  // only the implicit-GEMM convolutions go back to columns
      std::lock_guard<std::mutex> lock(mma_mutex);
      if (conv_off.size() <= size_t(device)) conv_off.resize(device + 1, 0);
      conv_off[device] = 1;
      TORCH_WARN("[ocl::conv] the implicit-GEMM convolution kernel failed to build; convolutions use columns on ",
                 "this device: ", e.what());
      return false;
    }
    disable_mma(device, e.what());
    return false;
  }
  Tensor work;  // float partial sums [batch][split][m][n]
  if (splits > 1) work = at::empty({batch * splits * m * n}, C.options().dtype(kFloat));
  KernelArgs args(device, program, "gemm_mma", source, options);
  // a convolution's image stands as its operand: its buffer, offset and, for a batch of groups,
  // each group's first channel as the batch stride; the kernel reads nothing else of it
  const int64_t group_stride = batch > 1 && conv ? conv->C : 0;
  add_gemm_operands(args, C, conv_a ? A.as_strided({batch, m, k}, {group_stride, 0, 0}) : A,
                    conv_b ? B.as_strided({batch, k, n}, {group_stride, 0, 0}) : B, alpha, beta, S);
  args.add<cl_int>(splits).add<cl_long>(k_chunk);
  const auto w = torch_ocl::buffer_of(splits > 1 ? work : C);
  args.add_mem(w.mem).add<cl_ulong>(splits > 1 ? w.offset / sizeof(float) : 0);
  const int64_t work_groups = groups(cfg, batch, m, n) * splits;
  args.add<cl_long>(work_groups);
  int64_t launched = work_groups;
  Tensor claims;  // with teams: the blocks' counters (gemm_mma.cl's claim())
  if (cfg.teams) {
    const int sh_n = cfg.teams % 2 == 0 && cfg.teams >= 4 ? 2 : 1, sh_m = cfg.teams / sh_n;
    const int64_t tiles_m = (m + cfg.bm - 1) / cfg.bm, tiles_n = (n + cfg.bn - 1) / cfg.bn;
    const int64_t blocks = batch * splits * ((tiles_m + sh_m - 1) / sh_m) * ((tiles_n + sh_n - 1) / sh_n);
    TORCH_CHECK(blocks < (int64_t(1) << 26), "[ocl::gemm] TORCH_OCL_GEMM_SHARE: ", blocks,
                " blocks of tiles is too many");
    const int64_t units = std::min<int64_t>(std::max<cl_uint>(info.compute_units, 1), blocks);
    claims = at::zeros({units + 1}, C.options().dtype(kInt));
    const auto cb = torch_ocl::buffer_of(claims);
    args.add_mem(cb.mem).add<cl_ulong>(cb.offset / sizeof(int32_t)).add<cl_int>(static_cast<cl_int>(units));
    launched = units * cfg.teams;  // a whole number per unit
  }
  if (conv) {
    const Window& g = *conv;
    const int64_t pixel = (conv_a ? A : B).size(1);  // the image's channels (all groups)
    for (const int64_t v : {g.C, g.D, g.H, g.W, g.KD, g.KH, g.KW, g.SD, g.SH, g.SW, g.PD, g.PH, g.PW, g.DD, g.DH, g.DW,
                            g.OD, g.OH, g.OW, pixel})
      args.add<cl_int>(static_cast<cl_int>(v));
  }
  const size_t threads = cfg.threads();
  args.launch(static_cast<size_t>(launched * threads), threads);
  if (splits > 1) {
    KernelArgs red(device, program, "gemm_mma_reduce", source, options);
    red.add_mem(w.mem).add<cl_ulong>(w.offset / sizeof(float)).add<cl_int>(splits);
    const bool use_s = S != nullptr && beta != 0.0f;
    add_gemm_matrix(red, C);
    add_gemm_matrix(red, use_s ? S->expand({batch, m, n}) : C);
    red.add<cl_long>(batch).add<cl_long>(m).add<cl_long>(n);
    red.add<cl_float>(alpha).add<cl_float>(beta).add<cl_int>(use_s ? 1 : 0);
    red.launch_1d(uint64_t(batch * m * n));
  }
  return true;
}

}  // namespace at::native::ocl::detail
