// GradScaler's operators (torch.amp): _amp_foreach_non_finite_check_and_unscale_ and
// _amp_update_scale_, on ocl kernels (csrc/kernels/amp.cl), with CUDA's argument checks.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/ArrayRef.h>

namespace at::native::ocl {

void amp_foreach_non_finite_check_and_unscale_(TensorList scaled_grads, Tensor& found_inf, const Tensor& inv_scale);

Tensor& amp_update_scale_(Tensor& current_scale, Tensor& growth_tracker, const Tensor& found_inf,
                          double growth_factor, double backoff_factor, int64_t growth_interval);

}  // namespace at::native::ocl
