// Registrations: tensor construction (upstream TensorFactories.cpp / RangeFactories.cpp; eye as
// upstream cuda/TensorFactories.cu).
#include <ATen/native/RangeFactories.h>
#include <ATen/ops/arange_native.h>
#include <ATen/ops/as_strided.h>
#include <torch/library.h>

#include "aten/native/Fill.h"
#include "aten/native/TensorFactories.h"

namespace at::native {

REGISTER_PRIVATEUSE1_DISPATCH(arange_stub, &ocl::arange_kernel)

}  // namespace at::native

namespace {

// torch.eye as CUDA builds it: zeros, then ones along the diagonal (a strided view of the result).
at::Tensor& eye_out(int64_t n, int64_t m, at::Tensor& result) {
  TORCH_CHECK(n >= 0, "n must be greater or equal to 0, got ", n);
  TORCH_CHECK(m >= 0, "m must be greater or equal to 0, got ", m);
  result.resize_({n, m});
  result.zero_();
  const int64_t diag = std::min(n, m);
  if (diag > 0) result.as_strided({diag}, {result.stride(0) + result.stride(1)}).fill_(1);
  return result;
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("empty.memory_format", at::native::ocl::empty);
  m.impl("empty_strided", at::native::ocl::empty_strided);
  m.impl("_efficientzerotensor", at::native::ocl::efficient_zero_tensor);
  m.impl("eye.m_out", eye_out);
  m.impl("arange.start_out", static_cast<at::Tensor& (*)(const at::Scalar&, const at::Scalar&, const at::Scalar&, at::Tensor&)>(at::native::arange_out));
}
