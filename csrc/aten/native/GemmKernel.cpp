// Launcher of the portable tiled GEMM kernel (csrc/kernels/gemm.cl), and the choice between it and
// the tensor-core kernel (GemmMma.cpp) for 16-bit floats.
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "aten/native/Gemm.h"
#include "aten/native/Launch.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/device.h"
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
  return typed_source(t, false, "gemm.cl",
                      std::string("#define A_K_CONTIG ") + (a_k_contig ? "1" : "0") + "\n#define B_N_CONTIG " +
                          (b_n_contig ? "1" : "0") + "\n");
}

}  // namespace

void add_gemm_matrix(KernelArgs& k, const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  k.add_mem(b.mem).add<cl_ulong>(b.offset / t.element_size());
  for (int d = 0; d < 3; ++d) k.add<cl_long>(t.stride(d));
}

void add_gemm_operands(KernelArgs& args, const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta,
                       const Tensor* S) {
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2), k = A.size(2);
  const bool use_s = S != nullptr && beta != 0.0f;
  add_gemm_matrix(args, A);
  add_gemm_matrix(args, B);
  add_gemm_matrix(args, C);
  add_gemm_matrix(args, use_s ? S->expand({batch, m, n}) : C);
  args.add<cl_long>(m).add<cl_long>(n).add<cl_long>(k);
  args.add<cl_float>(alpha).add<cl_float>(beta).add<cl_int>(use_s ? 1 : 0);
}

void gemm_kernel(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S) {
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2);
  const ScalarType t = C.scalar_type();
  // matrix-vector shapes stay on the portable kernel; float32 reaches here for gemm_mma.cl only as
  // TF32 or for its SIMT variant (see gemm)
  const int dev = C.device().index();
  if ((t == kHalf || t == kBFloat16 || t == kFloat) && m > 16 && n > 16 && mma_enabled(dev) &&
      (t != kFloat || tf32_enabled(dev) || simt_enabled(dev)) && gemm_mma(C, A, B, alpha, beta, S))
    return;
  const bool a_k = A.stride(2) == 1, b_n = B.stride(2) == 1;
  const GemmTiles tiles = tiles_for(C.device().index());
  const char codes[] = {t == kHalf ? 'h' : t == kBFloat16 ? 'B' : 'f', a_k ? 'k' : 'm', b_n ? 'n' : 'k', 0};
  KernelArgs args(C.device().index(), std::string("gemm_") + codes, "gemm", [&] { return source(t, a_k, b_n); },
                  tiles.options());
  add_gemm_operands(args, C, A, B, alpha, beta, S);
  const uint64_t groups = uint64_t(batch) * ((m + tiles.tm - 1) / tiles.tm) * ((n + tiles.tn - 1) / tiles.tn);
  args.launch(static_cast<size_t>(groups * tiles.threads()), tiles.threads());
}

}  // namespace at::native::ocl::detail
