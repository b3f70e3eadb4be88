// Registrations: autocast for ocl (AutocastPrivateUse1) with the op lists and policies CUDA
// uses (ATen's AT_FORALL_* lists in autocast_mode.h): matmul/conv/linear/attention in the
// autocast dtype, precision-sensitive ops (losses, norms, exp/log, softmax...) in float32,
// mixed-dtype ops at the widest input dtype; everything else falls through unchanged.
#include <ATen/autocast_mode.h>
#include <torch/library.h>

// Inside at::autocast: the lists' signatures name Tensor, Scalar, ScalarType unqualified.
namespace at::autocast {
namespace {

#define OCL_LOWER_PRECISION_FP(...) KERNEL_PRIVATEUSEONE(__VA_ARGS__, lower_precision_fp)
#define OCL_FP32(...) KERNEL_PRIVATEUSEONE(__VA_ARGS__, fp32)
#define OCL_FP32_SET_OPT_DTYPE(...) KERNEL_PRIVATEUSEONE(__VA_ARGS__, fp32_set_opt_dtype)
#define OCL_PROMOTE(...) KERNEL_PRIVATEUSEONE(__VA_ARGS__, promote)

// binary_cross_entropy after a sigmoid is not safe in 16-bit: refused under autocast, as on CUDA.
Tensor binary_cross_entropy_refused(const Tensor&, const Tensor&, const std::optional<Tensor>&, int64_t) {
  TORCH_CHECK(false, "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to autocast: "
              "use torch.nn.functional.binary_cross_entropy_with_logits or torch.nn.BCEWithLogitsLoss on the "
              "logits instead of a sigmoid followed by binary_cross_entropy (they are safe under autocast).");
}

TORCH_LIBRARY_IMPL(_, AutocastPrivateUse1, m) { m.fallback(torch::CppFunction::makeFallthrough()); }

TORCH_LIBRARY_IMPL(aten, AutocastPrivateUse1, m) {
  AT_FORALL_LOWER_PRECISION_FP(OCL_LOWER_PRECISION_FP)
  AT_FORALL_FP32(OCL_FP32)
  AT_FORALL_FP32_SET_OPT_DTYPE(OCL_FP32_SET_OPT_DTYPE)
  AT_FORALL_DIFFERENT_REDISPATCH_SIGNATURE(KERNEL_DIFFERENT_REDISPATCH_SIGNATURE_PRIVATEUSEONE)
  AT_FORALL_PROMOTE(OCL_PROMOTE)
  m.impl(TORCH_SELECTIVE_NAME("aten::binary_cross_entropy"), TORCH_FN((&binary_cross_entropy_refused)));
}

}  // namespace
}  // namespace at::autocast
