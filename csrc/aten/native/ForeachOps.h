// The _foreach_* operators of the optimizers' hot path on the multi-tensor launcher, with
// ATen's per-tensor path for the lists it does not take (see foreach_fast_route).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Scalar.h>

#include <vector>

namespace at::native::ocl {

void foreach_add_scalar_(TensorList self, const Scalar& s);
void foreach_add_list_(TensorList self, TensorList other, const Scalar& alpha);
std::vector<Tensor> foreach_add_list(TensorList self, TensorList other, const Scalar& alpha);
void foreach_mul_scalar_(TensorList self, const Scalar& s);
void foreach_mul_list_(TensorList self, TensorList other);
void foreach_div_scalar_(TensorList self, const Scalar& s);
void foreach_div_scalarlist_(TensorList self, ArrayRef<Scalar> s);
void foreach_lerp_scalar_(TensorList self, TensorList end, const Scalar& weight);
void foreach_addcmul_scalar_(TensorList self, TensorList t1, TensorList t2, const Scalar& value);
void foreach_addcdiv_scalar_(TensorList self, TensorList t1, TensorList t2, const Scalar& value);
void foreach_addcdiv_scalarlist_(TensorList self, TensorList t1, TensorList t2, ArrayRef<Scalar> values);
std::vector<Tensor> foreach_sqrt(TensorList self);
void foreach_sqrt_(TensorList self);

}  // namespace at::native::ocl
