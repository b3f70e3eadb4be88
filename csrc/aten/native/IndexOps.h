// Advanced indexing and index_* kernels: ATen's index/index_put/index_copy/index_fill stubs
// and our index_select, index_add, take, put_ on the indexed-copy generator.
#pragma once

#include <ATen/TensorIterator.h>
#include <ATen/core/List.h>

namespace at::native::ocl {

// DispatchStub kernels (ATen does the checks and builds the iterators).
void index_kernel(TensorIteratorBase& iter, IntArrayRef indexed_sizes, IntArrayRef indexed_strides);
void index_put_kernel(TensorIterator& iter, IntArrayRef indexed_sizes, IntArrayRef indexed_strides, bool accumulate);
// The index_put_with_sort_stub slot (accumulate and deterministic puts): atomic, unsorted.
void index_put_with_sort_kernel(Tensor& self, const c10::List<std::optional<Tensor>>& indices, const Tensor& value,
                                bool accumulate, bool unsafe);
void index_copy_kernel(TensorIterator& iter, int64_t dim, int64_t self_dim_size, int64_t self_dim_stride);
void index_fill_kernel(TensorIterator& iter, int64_t dim, int64_t self_dim_size, int64_t self_dim_stride,
                       const Scalar& value);

// index.Tensor through ATen's structured meta and index_stub.
Tensor index(const Tensor& self, const c10::List<std::optional<Tensor>>& indices);
Tensor& index_out(const Tensor& self, const c10::List<std::optional<Tensor>>& indices, Tensor& out);

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
Tensor& index_select_out(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out);
// impl of the structured index_add (ATen's meta checked shapes and dtypes).
void index_add_impl(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha,
                    const Tensor& result);
// impl of the structured index_reduce (prod, mean, amax, amin; include_self as on the CPU).
void index_reduce_impl(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                       c10::string_view reduce, bool include_self, const Tensor& result);
Tensor take(const Tensor& self, const Tensor& index);
Tensor& take_out(const Tensor& self, const Tensor& index, Tensor& out);
Tensor& put_(Tensor& self, const Tensor& index, const Tensor& source, bool accumulate);
// Reverses dims (each a gather through a reversed arange).
Tensor flip(const Tensor& self, IntArrayRef dims);

}  // namespace at::native::ocl
