// Registrations: negative log-likelihood loss, 1d and 2d, forward and backward (upstream
// LossNLL.cpp, LossNLL2d.cpp).
// Dtypes: float32 float16 bfloat16 float64 (targets int64/uint8)
#include <torch/library.h>

#include "aten/native/LossNLL.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  namespace ocl = at::native::ocl;
  m.impl("nll_loss_forward", ocl::nll_loss_forward);
  m.impl("nll_loss_forward.output", ocl::nll_forward_out<ocl::nll_loss_forward>);
  m.impl("nll_loss_backward", ocl::nll_loss_backward);
  m.impl("nll_loss_backward.grad_input", ocl::nll_backward_out<ocl::nll_loss_backward>);
  m.impl("nll_loss2d_forward", ocl::nll_loss2d_forward);
  m.impl("nll_loss2d_forward.output", ocl::nll_forward_out<ocl::nll_loss2d_forward>);
  m.impl("nll_loss2d_backward", ocl::nll_loss2d_backward);
  m.impl("nll_loss2d_backward.grad_input", ocl::nll_backward_out<ocl::nll_loss2d_backward>);
}
