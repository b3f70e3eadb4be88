// Registrations: pointwise losses (upstream Loss.cpp): mse, smooth_l1 and huber through
// ATen's own implementations and our stub kernels; binary cross-entropy (with logits: through
// log_sigmoid, registered with the activations).
// Dtypes: float32 float16 bfloat16 float64
#include <ATen/core/Tensor.h>
#include <ATen/native/BinaryOps.h>
#include <ATen/native/PointwiseOps.h>
#include <ATen/ops/huber_loss_backward_native.h>
#include <ATen/ops/huber_loss_native.h>
#include <ATen/ops/mse_loss_backward_native.h>
#include <ATen/ops/mse_loss_native.h>
#include <ATen/ops/smooth_l1_loss_backward_native.h>
#include <ATen/ops/smooth_l1_loss_native.h>
#include <torch/library.h>

#include "aten/native/Loss.h"
#include "aten/native/Structured.h"

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(mse_stub, &ocl::mse_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(mse_backward_stub, &ocl::mse_backward_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(smooth_l1_stub, &ocl::smooth_l1_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(smooth_l1_backward_stub, &ocl::smooth_l1_backward_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(huber_stub, &ocl::huber_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(huber_backward_stub, &ocl::huber_backward_kernel)
}  // namespace at::native

namespace {
namespace ocl = at::native::ocl;
using at::Tensor;
using K_mse = at::native::structured_mse_loss_out;
using K_smooth_l1 = at::native::structured_smooth_l1_loss_out;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("mse_loss", &ocl::functional<K_mse, const Tensor&, const Tensor&, int64_t>);
  m.impl("mse_loss.out", &ocl::out<K_mse, const Tensor&, const Tensor&, int64_t>);
  m.impl("mse_loss_backward", at::native::mse_loss_backward);
  m.impl("mse_loss_backward.grad_input", at::native::mse_loss_backward_out);
  m.impl("smooth_l1_loss", &ocl::functional<K_smooth_l1, const Tensor&, const Tensor&, int64_t, double>);
  m.impl("smooth_l1_loss.out", &ocl::out<K_smooth_l1, const Tensor&, const Tensor&, int64_t, double>);
  m.impl("smooth_l1_loss_backward", at::native::smooth_l1_loss_backward);
  m.impl("smooth_l1_loss_backward.grad_input", at::native::smooth_l1_loss_backward_out);
  m.impl("huber_loss", at::native::huber_loss);
  m.impl("huber_loss.out", at::native::huber_loss_out);
  m.impl("huber_loss_backward", at::native::huber_loss_backward);
  m.impl("huber_loss_backward.out", at::native::huber_loss_backward_out);
  m.impl("binary_cross_entropy", ocl::binary_cross_entropy);
  m.impl("binary_cross_entropy.out", ocl::binary_cross_entropy_out);
  m.impl("binary_cross_entropy_backward", ocl::binary_cross_entropy_backward);
  m.impl("binary_cross_entropy_backward.grad_input", ocl::binary_cross_entropy_backward_out);
}
