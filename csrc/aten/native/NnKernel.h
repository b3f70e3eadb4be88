// Hand-written kernels of the nn family (softmax, norms, losses, dropout): a csrc/kernels
// source with per-operand load/store macros for the dtypes of one call.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

#include "aten/native/Launch.h"

namespace at::native::ocl {

// One operand role of a kernel: `LD_<role>(p, i)` loads element i of p in the compute type,
// `ST_<role>(p, i, v)` stores, `<role>_t` is the storage type.
using Roles = std::vector<std::pair<std::string, c10::ScalarType>>;

// Kernel `kernel` of csrc/kernels/`file` built for `roles`, accumulating in `acc` (float or
// double: `acc_t`), with `defines` (e.g. "#define WG 256\n") in front.
KernelArgs nn_kernel(int device, const std::string& file, const std::string& kernel, const Roles& roles,
                     c10::ScalarType acc, const std::string& defines = "");

// Adds t's buffer and its element offset (a `__global T* p, ulong off` pair).
void add_tensor(KernelArgs& args, const TensorBase& t);

// Work-group size for one row of n elements: a power of two in [32, 256].
int row_group_size(int device, int64_t n);
// Number of work-groups for `rows` rows (grid-stride over the rest).
size_t row_groups(int device, int64_t rows);

}  // namespace at::native::ocl
