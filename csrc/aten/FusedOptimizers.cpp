// Registrations: fused optimizer steps (upstream FusedAdam.cpp, FusedAdamW.cpp, FusedSGD.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/FusedOptimizers.h"

namespace {
namespace ocl = at::native::ocl;
using at::Tensor;
using at::TensorList;
using Opt = const std::optional<Tensor>&;

template <bool AdamW>
void adam(TensorList self, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs, TensorList max_exp_avg_sqs,
          TensorList state_steps, double lr, double beta1, double beta2, double weight_decay, double eps, bool amsgrad,
          bool maximize, Opt grad_scale, Opt found_inf) {
  ocl::fused_adam(self, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, std::nullopt, lr, beta1, beta2,
                  weight_decay, eps, amsgrad, maximize, grad_scale, found_inf, AdamW);
}

template <bool AdamW>
void adam_tensor_lr(TensorList self, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                    TensorList max_exp_avg_sqs, TensorList state_steps, const Tensor& lr, double beta1, double beta2,
                    double weight_decay, double eps, bool amsgrad, bool maximize, Opt grad_scale, Opt found_inf) {
  ocl::fused_adam(self, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, lr, 0.0, beta1, beta2,
                  weight_decay, eps, amsgrad, maximize, grad_scale, found_inf, AdamW);
}

void sgd(TensorList self, TensorList grads, TensorList bufs, double weight_decay, double momentum, double lr,
         double dampening, bool nesterov, bool maximize, bool is_first_step, Opt grad_scale, Opt found_inf) {
  ocl::fused_sgd(self, grads, bufs, weight_decay, momentum, std::nullopt, lr, dampening, nesterov, maximize,
                 is_first_step, grad_scale, found_inf);
}

void sgd_tensor_lr(TensorList self, TensorList grads, TensorList bufs, double weight_decay, double momentum,
                   const Tensor& lr, double dampening, bool nesterov, bool maximize, bool is_first_step,
                   Opt grad_scale, Opt found_inf) {
  ocl::fused_sgd(self, grads, bufs, weight_decay, momentum, lr, 0.0, dampening, nesterov, maximize, is_first_step,
                 grad_scale, found_inf);
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("_fused_adam_", adam<false>);
  m.impl("_fused_adam_.tensor_lr", adam_tensor_lr<false>);
  m.impl("_fused_adamw_", adam<true>);
  m.impl("_fused_adamw_.tensor_lr", adam_tensor_lr<true>);
  m.impl("_fused_sgd_", sgd);
  m.impl("_fused_sgd_.tensor_lr", sgd_tensor_lr);
}
