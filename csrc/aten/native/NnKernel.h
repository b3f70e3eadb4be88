// Hand-written kernels of the nn family (softmax, norms, losses, dropout): a csrc/kernels
// source with per-operand load/store macros for the dtypes of one call.
#pragma once

#include <ATen/core/Tensor.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "aten/native/Launch.h"

namespace at::native::ocl {

// One operand role of a kernel: `LD_<role>(p, i)` loads element i of p in the compute type,
// `ST_<role>(p, i, v)` stores, `<role>_t` is the storage type.
using Roles = std::vector<std::pair<std::string, c10::ScalarType>>;

// Kernel `kernel` of csrc/kernels/`file` built for `roles`, accumulating in `acc` (float or
// double: `acc_t`, `acc2_t` its 2-vector), with `defines` (e.g. "#define WG 256\n") in front.
// vec > 1 also gives each floating role `LDV_<role>(p, i)` / `STV_<role>(p, i, v)`: elements
// i .. i + vec - 1 (i a multiple of vec, p vec-aligned) as one vector access of `accv_t`.
KernelArgs nn_kernel(int device, const std::string& file, const std::string& kernel, const Roles& roles,
                     c10::ScalarType acc, const std::string& defines = "", int vec = 1);

// "#define <name> 1" or "... 0", a line of `defines`.
std::string define_flag(const char* name, bool v);

// Adds t's buffer and its element offset (a `__global T* p, ulong off` pair).
void add_tensor(KernelArgs& args, const TensorBase& t);

// Work-group size for one row of n elements: a power of two in [32, 256].
int row_group_size(int device, int64_t n);
// Number of work-groups for `rows` rows (grid-stride over the rest).
size_t row_groups(int device, int64_t rows);

// The widest vector (elements; 16 bytes of the first tensor's dtype at most) that divides n and
// every tensor's element offset, so that rows of n elements start vector-aligned.
int row_vector_width(int64_t n, std::initializer_list<const TensorBase*> tensors);

// Register-resident rows: `t` items per row (a power of two), each holding `k` vectors of `vec`
// elements (element (item + j * t) * vec + lane of its row), `wg` / `t` rows per work-group of
// `wg` items, `groups` work-groups (grid-stride over the row blocks). `fits` is false when a row
// needs more than `max_elems` registers per item; the kernels then take one row per work-group
// with several passes over it.
struct RowPlan {
  bool fits = false;
  int vec = 1, t = 1, k = 1, wg = 1;
  size_t groups = 1;
  std::string defines() const;  // WG, SEG_T, SEG_P, VK, VW
};
// elems: elements per item to aim for (more: more loads in flight, more registers).
RowPlan row_plan(int device, int64_t rows, int64_t n, int vec, int elems, int max_elems);
// Long rows streamed by one work-group each (softmax.cl's *_rows: two passes over the row): `vec`
// the widest vector (16 bytes of the first tensor's dtype and of the accumulator `acc` at most) at
// which every tensor's element offset has the same remainder (row_span in rows.cl reads the
// unaligned ends element by element), `wg` items (up to 1024), `groups` work-groups. On a GPU the
// groups are few enough that the rows in flight, `reread` bytes each, fit in L2 for the second
// pass (24 MiB, at least one group per compute unit).
struct StreamPlan {
  int vec = 1, wg = 32;
  size_t groups = 1;
  std::string defines() const;  // WG
};
StreamPlan stream_plan(int device, int64_t rows, int64_t n, int64_t reread, c10::ScalarType acc,
                       std::initializer_list<const TensorBase*> tensors);
// Work-groups that fill the device once (persistent groups that each sum their own partials).
size_t resident_groups(int device, int wg, size_t blocks);

}  // namespace at::native::ocl
