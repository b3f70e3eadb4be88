// embedding_dense_backward: atomic accumulation of gradient rows into the weight gradient;
// embedding_renorm_: max_norm rescaling of the looked-up rows.
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

Tensor embedding_dense_backward(const Tensor& grad_output, const Tensor& indices, int64_t num_weights,
                                int64_t padding_idx, bool scale_grad_by_freq);

Tensor& embedding_renorm_(Tensor& self, const Tensor& indices, double max_norm, double norm_type);

}  // namespace at::native::ocl
