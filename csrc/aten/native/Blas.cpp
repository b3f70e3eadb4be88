// Matrix product operators on ocl (see Blas.h): shape checks beyond ATen's meta, then Gemm.h.
#include "aten/native/Blas.h"

#include <ATen/ExpandUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>
#include <c10/util/Exception.h>

#include "aten/native/Gemm.h"

namespace at::native::ocl {
namespace {

int dev(const Tensor& t) { return t.device().index(); }

// S for gemm: the 3-D output view itself when self is the output (in-place), else self.
const Tensor* self_operand(const Tensor& self, const Tensor& out, const Tensor& out3) {
  return self.is_same(out) ? &out3 : &self;
}

void check_same_device(const Tensor& a, const Tensor& b) {
  TORCH_CHECK(a.device() == b.device(),
              "Expected all tensors to be on the same device, but found at least two devices, ", a.device(), " and ",
              b.device(), "!");
}

// ATen's meta functions check shapes and dtypes, not devices (torchgen adds that for CUDA).
void check_devices(const Tensor& out, std::initializer_list<const Tensor*> args) {
  for (const Tensor* t : args) check_same_device(out, *t);
}

// ATen's meta functions leave mixed dtypes to the backend; CUDA raises these.
void check_same_dtype(const Tensor& a, const Tensor& b, const char* an, const char* bn) {
  TORCH_CHECK(a.scalar_type() == b.scalar_type(), "expected ", an, " and ", bn,
              " to have the same dtype, but got: ", a.scalar_type(), " != ", b.scalar_type());
}

}  // namespace

void mm_impl(const Tensor& self, const Tensor& mat2, const Tensor& out) {
  check_devices(out, {&self, &mat2});
  check_same_dtype(self, mat2, "m1", "m2");
  check_blas_dtype(self.scalar_type(), "addmm_ocl", dev(out));
  gemm(out.unsqueeze(0), self.unsqueeze(0), mat2.unsqueeze(0), 1, 0, nullptr);
}

void bmm_impl(const Tensor& self, const Tensor& mat2, const Tensor& out) {
  check_devices(out, {&self, &mat2});
  check_same_dtype(self, mat2, "batch1", "batch2");
  check_blas_dtype(self.scalar_type(), "bmm_ocl", dev(out));
  gemm(out, self, mat2, 1, 0, nullptr);
}

void addmm_impl(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha,
                const Tensor& out) {
  check_devices(out, {&self, &mat1, &mat2});
  check_same_dtype(mat1, mat2, "m1", "m2");
  check_same_dtype(self, mat1, "self", "m1");
  check_blas_dtype(mat1.scalar_type(), "addmm_ocl", dev(out));
  Tensor out3 = out.unsqueeze(0);
  gemm(out3, mat1.unsqueeze(0), mat2.unsqueeze(0), alpha, beta, self_operand(self, out, out3));
}

void baddbmm_impl(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
                  const Scalar& alpha, const Tensor& out) {
  check_devices(out, {&self, &batch1, &batch2});
  check_same_dtype(batch1, batch2, "batch1", "batch2");
  check_same_dtype(self, batch1, "self", "batch1");
  check_blas_dtype(batch1.scalar_type(), "baddbmm_ocl", dev(out));
  gemm(out, batch1, batch2, alpha, beta, self.is_same(out) ? &out : &self);
}

void addmv_impl(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha,
                const Tensor& out) {
  check_devices(out, {&self, &mat, &vec});
  check_same_dtype(mat, vec, "mat", "vec");
  check_same_dtype(self, mat, "self", "mat");
  check_blas_dtype(mat.scalar_type(), "addmv_impl_ocl", dev(out));
  gemv(out, mat, vec, alpha, beta, self.is_same(out) ? &out : &self);
}

Tensor& addbmm_out(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
                   const Scalar& alpha, Tensor& out) {
  TORCH_CHECK(batch1.dim() == 3, "batch1 must be a 3D tensor");
  TORCH_CHECK(batch2.dim() == 3, "batch2 must be a 3D tensor");
  TORCH_CHECK(batch1.size(0) == batch2.size(0), "batch1 and batch2 must have same number of batches, got ",
              batch1.size(0), " and ", batch2.size(0));
  TORCH_CHECK(batch1.size(2) == batch2.size(1), "Incompatible matrix sizes for bmm (", batch1.size(1), "x",
              batch1.size(2), " and ", batch2.size(1), "x", batch2.size(2), ")");
  check_devices(self, {&batch1, &batch2, &out});
  TORCH_CHECK(self.scalar_type() == batch1.scalar_type() && batch1.scalar_type() == batch2.scalar_type(),
              "expected self, batch1 and batch2 to have the same dtype, but got: ", self.scalar_type(), ", ",
              batch1.scalar_type(), " and ", batch2.scalar_type());
  TORCH_CHECK(out.scalar_type() == self.scalar_type(), "Expected out tensor to have dtype ", self.scalar_type(),
              ", but got ", out.scalar_type(), " instead");
  const int64_t batch = batch1.size(0), m = batch1.size(1), k = batch1.size(2), n = batch2.size(2);
  const bool inplace = self.is_same(out);
  auto self_e = expand_size(self, {m, n}, "addbmm");  // raises when self does not broadcast
  if (inplace) {
    TORCH_CHECK(out.sizes() == IntArrayRef({m, n}), "addbmm_: self of shape ", self.sizes(),
                " does not match the result shape [", m, ", ", n, "]");
  } else {
    at::native::resize_output(out, {m, n});
  }
  check_blas_dtype(self.scalar_type(), "addbmm_ocl", dev(out));
  // sum over batches of A_b @ B_b is one product over the joined (batch, k) dimension
  Tensor a = batch1.transpose(0, 1).reshape({1, m, batch * k});
  Tensor b = batch2.reshape({1, batch * k, n});
  Tensor out3 = out.unsqueeze(0);
  Tensor s = inplace ? out3 : self_e->unsqueeze(0);
  gemm(out3, a, b, alpha, beta, &s);
  return out;
}

Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha) {
  Tensor out = at::empty({0}, self.options());
  addbmm_out(self, batch1, batch2, beta, alpha, out);
  return out;
}

Tensor& addbmm_(Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha) {
  return addbmm_out(self, batch1, batch2, beta, alpha, self);
}

namespace {
Tensor dot_common(const Tensor& self, const Tensor& other, const char* name) {
  TORCH_CHECK(self.dim() == 1 && other.dim() == 1, "1D tensors expected, but got ", self.dim(), "D and ",
              other.dim(), "D tensors");
  TORCH_CHECK(self.scalar_type() == other.scalar_type(), name,
              " : expected both vectors to have same dtype, but found ", self.scalar_type(), " and ",
              other.scalar_type());
  TORCH_CHECK(self.numel() == other.numel(), "inconsistent tensor size, expected tensor [", self.numel(),
              "] and src [", other.numel(), "] to have the same number of elements, but got ", self.numel(), " and ",
              other.numel(), " elements respectively");
  check_same_device(self, other);
  check_blas_dtype(self.scalar_type(), name, dev(self));
  Tensor out = at::empty({}, self.options());
  ocl::dot(out, self, other);
  return out;
}
}  // namespace

Tensor dot(const Tensor& self, const Tensor& other) { return dot_common(self, other, "dot"); }

// Real dtypes only (complex is not supported on ocl), where vdot equals dot.
Tensor vdot(const Tensor& self, const Tensor& other) { return dot_common(self, other, "vdot"); }

}  // namespace at::native::ocl
