// Multi-tensor pointwise kernels for the _foreach_* operators the optimizers use: one launch
// covers a group of tensors (one kernel argument set per tensor) instead of one launch each.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/ArrayRef.h>

#include <string>
#include <vector>

namespace at::native::ocl {

// Whether `lists` (equally long, tensor i of each the same shape) can take the multi-tensor
// path: every tensor on one ocl device, one floating dtype, dense with the same strides as
// its peers. Otherwise the caller takes ATen's per-tensor path, with its checks and errors.
bool foreach_fast_route(const std::vector<TensorList>& lists);

// out[i] = expr over inputs[0][i] (a), inputs[1][i] (b), inputs[2][i] (c), computed in the
// dtype's compute type, with u0, u1, ... = `uniform` and s = per_tensor[i] (when given).
// out may alias inputs[0] (in-place forms).
void foreach_apply(const char* name, const std::string& expr, const std::vector<TensorList>& inputs, TensorList out,
                   const std::vector<double>& uniform, c10::ArrayRef<double> per_tensor = {});

}  // namespace at::native::ocl
