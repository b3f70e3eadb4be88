// Copies that change shape: cat, tril/triu, roll, repeat_interleave (upstream TensorShape.cpp,
// TriangularOps.cpp, TensorTransformations.cpp, Repeat.cpp).
#pragma once

#include <ATen/core/Tensor.h>
#include <ATen/core/IListRef.h>

#include <optional>

namespace at::native::ocl {

// impl of the structured cat: one copy per input into its slice of out.
void cat_impl(const ITensorListRef& tensors, int64_t dim, int64_t valid, bool all_contiguous, bool all_same_dtype,
              bool all_same_sizes_and_stride, MemoryFormat memory_format, const Tensor& out);
Tensor cat(const ITensorListRef& tensors, int64_t dim);
Tensor& cat_out(const ITensorListRef& tensors, int64_t dim, Tensor& out);

void tril_impl(const Tensor& self, int64_t diagonal, const Tensor& out);
void triu_impl(const Tensor& self, int64_t diagonal, const Tensor& out);

Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims);
// repeat_interleave.Tensor: the output's length needs the repeats on the host anyway (CUDA
// syncs too), so the index vector is built there and uploaded.
Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size);

}  // namespace at::native::ocl
