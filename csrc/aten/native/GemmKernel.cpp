// Launcher of the portable tiled GEMM kernel (csrc/kernels/gemm.cl): 16-bit floats, float32 on request.
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "aten/native/Gemm.h"
#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
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
  if (torch_ocl::runtime::device_info(device).is_gpu) t = GemmTiles{128, 128, 16, 8, 8};
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

}  // namespace

void gemm_kernel(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S) {
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2), k = A.size(2);
  const ScalarType t = C.scalar_type();
  const bool a_k = A.stride(2) == 1, b_n = B.stride(2) == 1;
  const GemmTiles tiles = tiles_for(C.device().index());
  const char codes[] = {t == kHalf ? 'h' : t == kBFloat16 ? 'B' : 'f', a_k ? 'k' : 'm', b_n ? 'n' : 'k', 0};
  KernelArgs args(C.device().index(), std::string("gemm_") + codes, "gemm", [&] { return source(t, a_k, b_n); },
                  tiles.options());
  const bool use_s = S != nullptr && beta != 0.0f;
  Tensor s = use_s ? S->expand({batch, m, n}) : C;
  add_matrix(args, A);
  add_matrix(args, B);
  add_matrix(args, C);
  add_matrix(args, s);
  args.add<cl_long>(m).add<cl_long>(n).add<cl_long>(k);
  args.add<cl_float>(alpha).add<cl_float>(beta).add<cl_int>(use_s ? 1 : 0);
  const uint64_t groups = uint64_t(batch) * ((m + tiles.tm - 1) / tiles.tm) * ((n + tiles.tn - 1) / tiles.tn);
  args.launch(static_cast<size_t>(groups * tiles.threads()), tiles.threads());
}

}  // namespace at::native::ocl::detail
