// Fused optimizer steps: Adam/AdamW and SGD over lists of parameters (see FusedOptimizers.cpp).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

// lr_tensor, when given, replaces lr (read on the device).
void fused_adam(TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                TensorList max_exp_avg_sqs, TensorList state_steps, const std::optional<Tensor>& lr_tensor,
                double lr, double beta1, double beta2, double weight_decay, double eps, bool amsgrad, bool maximize,
                const std::optional<Tensor>& grad_scale, const std::optional<Tensor>& found_inf, bool adamw);

void fused_sgd(TensorList params, TensorList grads, TensorList momentum_buffers, double weight_decay,
               double momentum, const std::optional<Tensor>& lr_tensor, double lr, double dampening, bool nesterov,
               bool maximize, bool is_first_step, const std::optional<Tensor>& grad_scale,
               const std::optional<Tensor>& found_inf);

}  // namespace at::native::ocl
