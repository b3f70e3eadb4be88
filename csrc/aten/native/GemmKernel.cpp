// Launchers of the GEMM kernels: the tensor-core kernel (csrc/kernels/gemm_mma.cl) for 16-bit floats
// on NVIDIA GPUs of compute capability 8.0+, else the portable tiled kernel (csrc/kernels/gemm.cl).
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

#include "aten/native/Gemm.h"
#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/program_cache.h"

namespace at::native::ocl::detail {
namespace {

// Tile shape (see the tunables at the top of gemm.cl).
struct GemmTiles {
  int tm = 64, tn = 64, tk = 16, wm = 4, wn = 4;
  int threads() const { return (tm / wm) * (tn / wn); }
  std::string options() const {
    using std::to_string;
    return "-DTM=" + to_string(tm) + " -DTN=" + to_string(tn) + " -DTK=" + to_string(tk) + " -DWM=" + to_string(wm) +
           " -DWN=" + to_string(wn);
  }
};

// GPUs get 128 x 128 tiles with 8 x 8 outputs per work-item (more reuse per load); CPUs
// 64 x 64 with 4 x 4. TORCH_OCL_GEMM_TILES="tm,tn,tk,wm,wn" overrides both (tuning, tests).
GemmTiles tiles_for(int device) {
  GemmTiles t;
  if (const char* env = std::getenv("TORCH_OCL_GEMM_TILES")) {
    int ok = std::sscanf(env, "%d,%d,%d,%d,%d", &t.tm, &t.tn, &t.tk, &t.wm, &t.wn);
    TORCH_CHECK(ok == 5 && t.wm > 0 && t.wn > 0 && t.tm % t.wm == 0 && t.tn % t.wn == 0 &&
                    (t.tm * t.tk) % t.threads() == 0 && (t.tk * t.tn) % t.threads() == 0,
                "[ocl::gemm] TORCH_OCL_GEMM_TILES=\"", env, "\" is not tm,tn,tk,wm,wn with tiles that divide ",
                "evenly among the work-items");
    return t;
  }
  const auto& info = torch_ocl::runtime::device_info(device);
  if (info.is_gpu) t = GemmTiles{128, 128, 16, 8, 8};
  // devices with small work-groups get smaller tiles (same work per work-item)
  while (uint64_t(t.threads()) > info.max_work_group_size && t.tm > t.wm && t.tn > t.wn) t.tm /= 2, t.tn /= 2;
  return t;
}

std::string source(ScalarType t, bool a_k_contig, bool b_n_contig) {
  std::string s = torch_ocl::runtime::kernel_source("common.cl") + "\n";
  s += "#define T " + cl_storage_type(t) + "\n";
  s += "#define LOAD(p, i) " + cl_load(t, "(p)", "(i)") + "\n";
  s += "#define STORE(p, i, v) " + cl_store(t, "(p)", "(i)", "(v)") + "\n";
  s += "#define A_K_CONTIG " + std::to_string(a_k_contig ? 1 : 0) + "\n";
  s += "#define B_N_CONTIG " + std::to_string(b_n_contig ? 1 : 0) + "\n";
  return s + torch_ocl::runtime::kernel_source("gemm.cl");
}

// A tensor argument: buffer, element offset and the three strides of a (batch, rows, cols) view.
void add_matrix(KernelArgs& k, const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  k.add_mem(b.mem).add<cl_ulong>(b.offset / t.element_size());
  for (int d = 0; d < 3; ++d) k.add<cl_long>(t.stride(d));
}

void add_operands(KernelArgs& args, const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta,
                  const Tensor* S) {
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2), k = A.size(2);
  const bool use_s = S != nullptr && beta != 0.0f;
  Tensor s = use_s ? S->expand({batch, m, n}) : C;
  add_matrix(args, A);
  add_matrix(args, B);
  add_matrix(args, C);
  add_matrix(args, s);
  args.add<cl_long>(m).add<cl_long>(n).add<cl_long>(k);
  args.add<cl_float>(alpha).add<cl_float>(beta).add<cl_int>(use_s ? 1 : 0);
}

// Warps of a gemm_mma work-group along m and n (each takes a (128 / wm) x (128 / wn) part of
// the 128 x 128 tile); TORCH_OCL_GEMM_MMA_WARPS="wm,wn" overrides (tuning, tests).
std::pair<int, int> mma_warps() {
  static const std::pair<int, int> warps = [] {
    std::pair<int, int> w{2, 2};  // 64 x 64 per warp: measured best on an H100 (vs 2,4 4,2 4,4)
    if (const char* env = std::getenv("TORCH_OCL_GEMM_MMA_WARPS")) {
      int ok = std::sscanf(env, "%d,%d", &w.first, &w.second);
      TORCH_CHECK(ok == 2 && (w.first == 1 || w.first == 2 || w.first == 4) &&
                      (w.second == 1 || w.second == 2 || w.second == 4) && w.first * w.second >= 2,
                  "[ocl::gemm] TORCH_OCL_GEMM_MMA_WARPS=\"", env, "\" is not wm,wn with each 1, 2 or 4 and ",
                  "at least 2 warps");
    }
    return w;
  }();
  return warps;
}

// cl_nv_device_attribute_query's CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV
constexpr cl_device_info kComputeCapabilityMajorNV = 0x4000;

// Whether the device runs gemm_mma.cl: NVIDIA, compute capability 8.0+ (mma.sync with bfloat16),
// TORCH_OCL_GEMM_MMA not 0, and the kernel has not failed to build there before.
std::mutex mma_mutex;
std::vector<int> mma_state;  // per device: -1 unknown, 0 no, 1 yes

bool mma_enabled(int device) {
  mma_warps();  // a bad TORCH_OCL_GEMM_MMA_WARPS is an error on every device
  std::lock_guard<std::mutex> lock(mma_mutex);
  if (mma_state.size() <= size_t(device)) mma_state.resize(device + 1, -1);
  if (mma_state[device] < 0) {
    const char* env = std::getenv("TORCH_OCL_GEMM_MMA");
    const auto& info = torch_ocl::runtime::device_info(device);
    cl_uint major = 0;
    const bool nv = info.vendor_id == 0x10DE && info.has_extension("cl_nv_device_attribute_query") &&
                    clGetDeviceInfo(info.id, kComputeCapabilityMajorNV, sizeof(major), &major, nullptr) == CL_SUCCESS;
    mma_state[device] = (env == nullptr || std::string(env) != "0") && nv && major >= 8 ? 1 : 0;
  }
  return mma_state[device] == 1;
}

void disable_mma(int device, const std::string& why) {
  std::lock_guard<std::mutex> lock(mma_mutex);
  mma_state[device] = 0;
  TORCH_WARN("[ocl::gemm] the tensor-core GEMM kernel failed to build; 16-bit matrix products use the portable ",
             "kernel on this device: ", why);
}

// Whether an operand's tiles move as 16-byte vectors: the dimension gemm_mma.cl reads along
// (k when k_contig, else the other matrix dimension) has stride 1, and the other stride, the
// batch stride and the offset are multiples of 8 elements.
bool vec8(const Tensor& t, bool k_contig, int k_dim) {
  const int along = k_contig ? k_dim : 3 - k_dim, across = 3 - along;
  if (t.stride(along) != 1) return false;
  auto b = torch_ocl::buffer_of(t);
  return t.stride(across) % 8 == 0 && (t.size(0) == 1 || t.stride(0) % 8 == 0) &&
         (b.offset / t.element_size()) % 8 == 0;
}

// Returns false (after disabling the path) when the kernel cannot be built on this device.
bool gemm_mma(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S) {
  const int device = C.device().index();
  const ScalarType t = C.scalar_type();
  const bool a_k = A.stride(2) == 1, b_k = B.stride(1) == 1;
  const bool va = vec8(A, a_k, 2), vb = vec8(B, b_k, 1);
  const std::string flags = std::string(a_k ? "k" : "m") + (b_k ? "k" : "n") + (va ? "v" : "s") + (vb ? "v" : "s");
  auto source = [&] {
    std::string s = torch_ocl::runtime::kernel_source("common.cl") + "\n";
    s += "#define T " + cl_storage_type(t) + "\n";
    s += "#define LOAD(p, i) " + cl_load(t, "(p)", "(i)") + "\n";
    s += "#define STORE(p, i, v) " + cl_store(t, "(p)", "(i)", "(v)") + "\n";
    s += std::string("#define MMA_BF16 ") + (t == kBFloat16 ? "1" : "0") + "\n";
    s += std::string("#define A_K_CONTIG ") + (a_k ? "1" : "0") + "\n#define B_K_CONTIG " + (b_k ? "1" : "0") + "\n";
    s += std::string("#define VEC_A ") + (va ? "1" : "0") + "\n#define VEC_B " + (vb ? "1" : "0") + "\n";
    return s + torch_ocl::runtime::kernel_source("gemm_mma.cl");
  };
  const auto [wm, wn] = mma_warps();
  const std::string options = "-DWARPS_M=" + std::to_string(wm) + " -DWARPS_N=" + std::to_string(wn);
  const std::string program = std::string("gemm_mma_") + (t == kBFloat16 ? "B" : "h") + flags;
  try {  // builds (or finds) the program; a build failure turns the path off rather than failing the op
    torch_ocl::runtime::get_kernel(device, program, "gemm_mma", source, options);
  } catch (const torch_ocl::runtime::BuildError& e) {
    disable_mma(device, e.what());
    return false;
  }
  KernelArgs args(device, program, "gemm_mma", source, options);
  add_operands(args, C, A, B, alpha, beta, S);
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2);
  const uint64_t groups = uint64_t(batch) * ((m + 127) / 128) * ((n + 127) / 128);
  const size_t threads = 32 * wm * wn;
  args.launch(static_cast<size_t>(groups * threads), threads);
  return true;
}

}  // namespace

void gemm_kernel(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S) {
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2);
  const ScalarType t = C.scalar_type();
  // mma tiles are 128 x 128: matrix-vector shapes stay on the portable kernel
  if ((t == kHalf || t == kBFloat16) && m > 16 && n > 16 && mma_enabled(C.device().index()) &&
      gemm_mma(C, A, B, alpha, beta, S))
    return;
  const bool a_k = A.stride(2) == 1, b_n = B.stride(2) == 1;
  const GemmTiles tiles = tiles_for(C.device().index());
  const char codes[] = {t == kHalf ? 'h' : t == kBFloat16 ? 'B' : 'f', a_k ? 'k' : 'm', b_n ? 'n' : 'k', 0};
  KernelArgs args(C.device().index(), std::string("gemm_") + codes, "gemm", [&] { return source(t, a_k, b_n); },
                  tiles.options());
  add_operands(args, C, A, B, alpha, beta, S);
  const uint64_t groups = uint64_t(batch) * ((m + tiles.tm - 1) / tiles.tm) * ((n + tiles.tn - 1) / tiles.tn);
  args.launch(static_cast<size_t>(groups * tiles.threads()), tiles.threads());
}

}  // namespace at::native::ocl::detail
