// Mask-driven ops on a device prefix sum of the mask: nonzero, masked_select, masked_scatter_.
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

// Row slot of out = row i of x for each selected i (pos: inclusive prefix sum of the flags,
// as count_prefix returns; x [n, width] and out contiguous, same dtype).
void compact_into(const Tensor& pos, const Tensor& x, const Tensor& out, int64_t width = 1);

Tensor nonzero(const Tensor& self);
Tensor& nonzero_out(const Tensor& self, Tensor& out);
Tensor nonzero_static(const Tensor& self, int64_t size, int64_t fill_value);
Tensor& nonzero_static_out(const Tensor& self, int64_t size, int64_t fill_value, Tensor& out);
Tensor masked_select(const Tensor& self, const Tensor& mask);
Tensor& masked_select_out(const Tensor& self, const Tensor& mask, Tensor& out);
Tensor& masked_scatter_(Tensor& self, const Tensor& mask, const Tensor& source);

}  // namespace at::native::ocl
