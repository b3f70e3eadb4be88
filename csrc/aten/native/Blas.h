// Matrix product operators (upstream Blas.cpp, LinearAlgebra.cpp): the impl() halves of the
// structured ones (after ATen's meta checks) and the unstructured ones whole.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Scalar.h>

namespace at::native::ocl {

void mm_impl(const Tensor& self, const Tensor& mat2, const Tensor& out);
void bmm_impl(const Tensor& self, const Tensor& mat2, const Tensor& out);
void addmm_impl(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha,
                const Tensor& out);
void baddbmm_impl(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
                  const Scalar& alpha, const Tensor& out);
void addmv_impl(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha,
                const Tensor& out);

Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha);
Tensor& addbmm_(Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha);
Tensor& addbmm_out(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
                   const Scalar& alpha, Tensor& out);

Tensor dot(const Tensor& self, const Tensor& other);
Tensor vdot(const Tensor& self, const Tensor& other);

}  // namespace at::native::ocl
