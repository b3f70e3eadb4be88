// Matrix product dispatch: empty reductions, self (beta) handling, CLBlast or gemm.cl (and the
// tensor-core kernel behind it); 16-bit products off the tensor cores through CLBlast on float copies.
#include "aten/native/Gemm.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/sum.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "aten/native/Pointwise.h"
#include "runtime/device.h"

namespace at::native::ocl {
namespace {

// Above this length a 16-bit dot runs as a float32 BLAS dot of widened copies.
constexpr int64_t kLongDot = 16384;

bool is_16bit(ScalarType t) { return t == kHalf || t == kBFloat16; }

// TORCH_OCL_BLAS=kernel: every float16/bfloat16/float32 product on gemm.cl (to compare it with
// CLBlast on a device, or where CLBlast has no tuned parameters).
bool kernel_forced() {
  static const bool on = [] {
    const char* v = std::getenv("TORCH_OCL_BLAS");
    return v != nullptr && std::string(v) == "kernel";
  }();
  return on;
}

// float16/bfloat16 run on gemm.cl (unless widened_blas takes them), float32 on CLBlast.
bool on_kernel(ScalarType t) { return is_16bit(t) || (t == kFloat && kernel_forced()); }

// The kernels read every operand as the output's dtype: a mismatch here is a missed check.
void check_dtypes(const Tensor& out, std::initializer_list<const Tensor*> ins) {
  for (const Tensor* t : ins)
    TORCH_CHECK(t->scalar_type() == out.scalar_type(), "[ocl::blas] operand of dtype ", t->scalar_type(),
                " for a result of dtype ", out.scalar_type());
}

// Whether s (already expanded to dst's shape) is exactly dst's memory and layout.
bool same_view(const Tensor& s, const Tensor& dst) {
  return s.data_ptr() == dst.data_ptr() && s.strides() == dst.strides();
}

// dst = beta * S (broadcast), or zeros when S is absent: the product of an empty reduction.
void scale_into(const Tensor& dst, const Scalar& beta, const Tensor* S, bool use_s) {
  if (!use_s) {
    dst.zero_();
    return;
  }
  Tensor s = S->expand(dst.sizes());
  if (!same_view(s, dst)) dst.copy_(s);
  dst.mul_(beta);
}

// Puts S (broadcast) into dst for BLAS's beta * C; false when the product must ignore C.
bool prepare_beta(const Tensor& dst, const Tensor* S, bool use_s) {
  if (!use_s) return false;
  Tensor s = S->expand(dst.sizes());
  if (!same_view(s, dst)) dst.copy_(s);
  return true;
}

// A product with few outputs over a long reduction, such as a convolution's grad_weight over all
// positions ((OC, positions) @ (positions, taps x C), OC x taps x C a few thousand): one GEMM
// launch gives it a handful of work-groups that each walk the whole reduction while the device
// idles. It runs instead as one batched product over `slices` slices of the reduction into float
// (double for double) partials, which are then summed, as a split-K kernel keeps its partials.
// Returns false where the shape does not call for it.
bool split_long_reduction(const Tensor& C, const Tensor& A, const Tensor& B, const Scalar& alpha,
                          const Scalar& beta, const Tensor* S, bool use_s) {
  const int64_t m = C.size(1), n = C.size(2), k = A.size(2), out = m * n;
  if (C.size(0) != 1 || k < 8192 || k < 32 * std::max(m, n)) return false;
  const int64_t units = std::max<int64_t>(1, torch_ocl::runtime::device_info(C.device().index()).compute_units);
  if (out > 1024 * units) return false;  // enough outputs to fill the device
  const ScalarType acc = C.scalar_type() == kDouble ? kDouble : kFloat;
  const int64_t es = c10::elementSize(acc);
  // slices: enough work-groups for every unit, each slice at least 2048 long, the partials within 64 MiB
  int64_t slices = std::min<int64_t>({k / 2048, 256, std::max<int64_t>(2, 16384 * units / out),
                                      (int64_t(64) << 20) / (out * es)});
  if (slices < 2 || int64_t(k) * (m + n) * es > (int64_t(1) << 30)) return false;
  const int64_t kc = k / slices, rest = k - slices * kc;
  const Tensor a = A[0].to(acc), b = B[0].to(acc);  // (m, k), (k, n)
  const Tensor as = a.as_strided({slices, m, kc}, {kc * a.stride(1), a.stride(0), a.stride(1)});
  const Tensor bs = b.as_strided({slices, kc, n}, {kc * b.stride(0), b.stride(0), b.stride(1)});
  Tensor partial = at::empty({slices, m, n}, C.options().dtype(acc));
  gemm(partial, as, bs, 1, 0, nullptr);
  Tensor r = at::sum(partial, {0}, true);
  if (rest > 0)
    gemm(r, a.narrow(1, slices * kc, rest).unsqueeze(0), b.narrow(0, slices * kc, rest).unsqueeze(0), 1, 1, &r);
  if (alpha.toDouble() != 1.0) r.mul_(alpha);
  if (use_s) r.add_(S->expand(C.sizes()), beta);
  C.copy_(r);
  return true;
}

// A single 16-bit product off the tensor-core kernel with enough work per element: float32
// copies of the operands through CLBlast's tuned SGEMM, the result rounded once into C. CLBlast's
// float32 rate is well above gemm.cl's 16-bit one (2.5x on PoCL; 33.4 against 19.8 TFLOP/s at
// 8192^3 on an NVIDIA H100), and the copies cost a few bytes per element against k multiply-adds.
// Batched products stay on gemm.cl, which beats CLBlast's strided-batched GEMM there (H100, 64 x
// 1024x1024x128: 19.1 against 13.5 TFLOP/s). The float copies take at most `widened_bytes` at a
// time (row blocks of C otherwise); a B too large for that stays on gemm.cl. Same numerics as
// gemm.cl: float products and sums of the 16-bit values, one rounding at the end.
constexpr int64_t kWidenMinDim = 32, kWidenMinMacs = int64_t(1) << 24;

// A sixteenth of the device's memory within [64 MiB, 1 GiB]; TORCH_OCL_GEMM_WIDEN_MB sets it
// (0: 16-bit products stay on gemm.cl).
int64_t widened_bytes(int device) {
  static const int64_t env = [] {
    const char* v = std::getenv("TORCH_OCL_GEMM_WIDEN_MB");
    if (v == nullptr) return int64_t(-1);
    char* end = nullptr;
    const long long mb = std::strtoll(v, &end, 10);
    TORCH_CHECK(*v != '\0' && *end == '\0' && mb >= 0, "[ocl::blas] TORCH_OCL_GEMM_WIDEN_MB=\"", v,
                "\" is not a number of MiB (0 or more)");
    return int64_t(mb) << 20;
  }();
  if (env >= 0) return env;
  const int64_t mem = int64_t(torch_ocl::runtime::device_info(device).global_mem);
  return std::clamp<int64_t>(mem / 16, int64_t(64) << 20, int64_t(1) << 30);
}

bool widened_blas(const Tensor& C, const Tensor& A, const Tensor& B, const Scalar& alpha, const Scalar& beta,
                  const Tensor* S, bool use_s) {
  const int64_t m = C.size(1), n = C.size(2), k = A.size(2);
  if (!is_16bit(C.scalar_type()) || kernel_forced() || C.size(0) != 1 || std::min({m, n, k}) < kWidenMinDim ||
      m * n * k < kWidenMinMacs)
    return false;
  // rows of C per block: float copies of A's and C's rows beside all of B's
  const int64_t cap = widened_bytes(C.device().index()), b_bytes = 4 * k * n, per_row = 4 * (k + n);
  if (b_bytes > cap / 2 || b_bytes + kWidenMinDim * per_row > cap) return false;
  const int64_t rows = std::min<int64_t>(m, std::max<int64_t>(kWidenMinDim, (cap - b_bytes) / per_row));
  const Tensor b = B.to(kFloat);
  const Tensor s = use_s ? S->expand(C.sizes()) : Tensor();
  for (int64_t r0 = 0; r0 < m; r0 += rows) {
    const int64_t mc = std::min(rows, m - r0);
    Tensor c = C.narrow(1, r0, mc);
    Tensor cf = use_s ? s.narrow(1, r0, mc).to(kFloat) : at::empty(c.sizes(), c.options().dtype(kFloat));
    detail::clblast_gemm(cf, A.narrow(1, r0, mc).to(kFloat), b, alpha.to<double>(), use_s ? beta.to<double>() : 0.0);
    c.copy_(cf);
  }
  return true;
}

}  // namespace

void check_blas_dtype(ScalarType t, const char* name, int device) {
  check_dtype_supported(t, device);
  TORCH_CHECK_NOT_IMPLEMENTED(t == kFloat || t == kDouble || is_16bit(t), "\"", name, "\" not implemented for '",
                              toString(t), "'");
}

void gemm(const Tensor& C, const Tensor& A, const Tensor& B, const Scalar& alpha, const Scalar& beta,
          const Tensor* S) {
  check_dtypes(C, {&A, &B});
  if (S) check_dtypes(C, {S});
  if (C.numel() == 0) return;
  const bool use_s = S != nullptr && beta.toComplexDouble() != 0.0;
  if (A.size(2) == 0) return scale_into(C, beta, S, use_s);
  // float32 as TF32 on tensor cores where torch.set_float32_matmul_precision allows it, or on
  // gemm_mma.cl's SIMT variant where it runs (simt_enabled)
  const int dev = C.device().index();
  const bool f32_kernel = C.scalar_type() == kFloat && C.size(1) > 16 && C.size(2) > 16 &&
                    (detail::tf32_enabled(dev) || detail::simt_enabled(dev));
  // gemm_mma.cl splits a long reduction itself (split-K, operands read in their dtype); the
  // slices of split_long_reduction (float copies of both operands) are for the other kernels
  const bool mma = f32_kernel || (is_16bit(C.scalar_type()) && C.size(1) > 16 && C.size(2) > 16 &&
                                  detail::mma_enabled(dev));
  if (!mma && split_long_reduction(C, A, B, alpha, beta, S, use_s)) return;
  if (!mma && widened_blas(C, A, B, alpha, beta, S, use_s)) return;
  if (on_kernel(C.scalar_type()) || f32_kernel) {
    detail::gemm_kernel(C, A, B, alpha.to<float>(), beta.to<float>(), use_s ? S : nullptr);
    return;
  }
  // CLBlast skips reading C when beta is 0, so an uninitialised output needs no zeroing
  bool with_c = prepare_beta(C, S, use_s);
  detail::clblast_gemm(C, A, B, alpha.to<double>(), with_c ? beta.to<double>() : 0.0);
}

void gemv(const Tensor& y, const Tensor& A, const Tensor& x, const Scalar& alpha, const Scalar& beta,
          const Tensor* S) {
  check_dtypes(y, {&A, &x});
  if (S) check_dtypes(y, {S});
  if (y.numel() == 0) return;
  const bool use_s = S != nullptr && beta.toComplexDouble() != 0.0;
  if (A.size(1) == 0) return scale_into(y, beta, S, use_s);
  if (on_kernel(y.scalar_type())) {
    Tensor s3;
    if (use_s) s3 = S->expand(y.sizes()).unsqueeze(-1).unsqueeze(0);
    detail::gemm_kernel(y.unsqueeze(-1).unsqueeze(0), A.unsqueeze(0), x.unsqueeze(-1).unsqueeze(0), alpha.to<float>(),
                        beta.to<float>(), use_s ? &s3 : nullptr);
    return;
  }
  bool with_c = prepare_beta(y, S, use_s);
  if (!with_c) y.zero_();  // a vector: cheap, and GEMV's handling of beta == 0 is not documented
  detail::clblast_gemv(y, A, x, alpha.to<double>(), with_c ? beta.to<double>() : 0.0);
}

void dot(const Tensor& out, const Tensor& x, const Tensor& y) {
  check_dtypes(out, {&x, &y});
  if (x.numel() == 0) {
    out.zero_();
    return;
  }
  const ScalarType t = out.scalar_type();
  if (is_16bit(t) && x.numel() > kLongDot) {
    // one work-group would walk the whole vector: widen to float and use BLAS's parallel dot
    Tensor acc = at::empty({}, out.options().dtype(kFloat));
    detail::clblast_dot(acc, x.to(kFloat), y.to(kFloat));
    out.copy_(acc);
    return;
  }
  if (on_kernel(t)) {
    detail::gemm_kernel(out.view({1, 1, 1}), x.unsqueeze(0).unsqueeze(0), y.unsqueeze(-1).unsqueeze(0), 1.0f, 0.0f,
                        nullptr);
    return;
  }
  detail::clblast_dot(out, x, y);
}

}  // namespace at::native::ocl
