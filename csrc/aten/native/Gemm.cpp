// Matrix product dispatch: empty reductions, self (beta) handling, CLBlast or gemm.cl.
#include "aten/native/Gemm.h"

#include <c10/util/Exception.h>

#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

bool is_16bit(ScalarType t) { return t == kHalf || t == kBFloat16; }

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

}  // namespace

void check_blas_dtype(ScalarType t, const char* name, int device) {
  check_dtype_supported(t, device);
  TORCH_CHECK_NOT_IMPLEMENTED(t == kFloat || t == kDouble || is_16bit(t), "\"", name, "\" not implemented for '",
                              toString(t), "'");
}

void gemm(const Tensor& C, const Tensor& A, const Tensor& B, const Scalar& alpha, const Scalar& beta,
          const Tensor* S) {
  if (C.numel() == 0) return;
  const bool use_s = S != nullptr && beta.toComplexDouble() != 0.0;
  if (A.size(2) == 0) return scale_into(C, beta, S, use_s);
  if (is_16bit(C.scalar_type())) {
    detail::gemm_kernel(C, A, B, alpha.to<float>(), beta.to<float>(), use_s ? S : nullptr);
    return;
  }
  // CLBlast skips reading C when beta is 0, so an uninitialised output needs no zeroing
  bool with_c = prepare_beta(C, S, use_s);
  detail::clblast_gemm(C, A, B, alpha.to<double>(), with_c ? beta.to<double>() : 0.0);
}

void gemv(const Tensor& y, const Tensor& A, const Tensor& x, const Scalar& alpha, const Scalar& beta,
          const Tensor* S) {
  if (y.numel() == 0) return;
  const bool use_s = S != nullptr && beta.toComplexDouble() != 0.0;
  if (A.size(1) == 0) return scale_into(y, beta, S, use_s);
  if (is_16bit(y.scalar_type())) {
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
  if (x.numel() == 0) {
    out.zero_();
    return;
  }
  if (is_16bit(out.scalar_type())) {
    detail::gemm_kernel(out.view({1, 1, 1}), x.unsqueeze(0).unsqueeze(0), y.unsqueeze(-1).unsqueeze(0), 1.0f, 0.0f, nullptr);
    return;
  }
  detail::clblast_dot(out, x, y);
}

}  // namespace at::native::ocl
