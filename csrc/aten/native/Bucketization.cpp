// searchsorted and bucketize: ATen's argument checks, one binary-search kernel.
#define AT_PER_OPERATOR_HEADERS  // BucketizationUtils.h: per-operator headers, not all of ATen
#include "aten/native/Bucketization.h"

#include <ATen/native/BucketizationUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

// The sorter checks of searchsorted_pre_check, with amin/amax instead of aminmax.
void check_sorter(const Tensor& boundaries, const Tensor& sorter) {
  TORCH_CHECK(sorter.device() == boundaries.device(), "torch.searchsorted(): sorter and boundary tensors should ",
              "have same device type, but got sorter tensor device type ", sorter.device(), " and input value tensor ",
              "device type ", boundaries.device());
  TORCH_CHECK(sorter.sizes() == boundaries.sizes(), "torch.searchsorted(): boundary and sorter must have the same ",
              "size, but got boundary tensor ", boundaries.sizes(), "and got sorter tensor ", sorter.sizes());
  TORCH_CHECK(sorter.scalar_type() == ScalarType::Long, "torch.searchsorted(): sorter must be a tensor of long ",
              "dtype but got dtype ", sorter.scalar_type());
  if (sorter.numel() > 0) {
    int64_t vmin = sorter.min().item<int64_t>(), vmax = sorter.max().item<int64_t>();
    TORCH_CHECK(vmin >= 0 && vmax < sorter.sizes().back(), "torch.searchsorted(): sorter index out of range");
  }
}

}  // namespace

Tensor& searchsorted_out(const Tensor& boundaries, const Tensor& self, bool out_int32, bool right,
                         std::optional<c10::string_view> side, const std::optional<Tensor>& sorter_opt, Tensor& out) {
  const Tensor sorter = sorter_opt.value_or(Tensor());
  if (sorter.defined()) check_sorter(boundaries, sorter);
  searchsorted_pre_check(boundaries, self, out, out_int32, right, side, Tensor());
  at::native::resize_output(out, self.sizes());
  if (self.numel() == 0) return out;
  const bool is_right = (side && *side == "right") || right;
  Tensor in, bd, so;
  searchsorted_maybe_trim_input_tensors(in, bd, so, self, boundaries, sorter);
  in = in.defined() ? in : self;
  bd = bd.defined() ? bd : boundaries;
  so = so.defined() ? so : sorter;
  // Compare in the compute type (float for 16-bit floats), both sides contiguous.
  ScalarType kt = compute_type(in.scalar_type() == kBool ? kByte : in.scalar_type());
  const int device = self.device().index();
  check_dtype_supported(kt, device);
  in = in.to(kt).contiguous();
  bd = bd.to(kt).contiguous();
  Tensor dst = out.is_contiguous() ? out : at::empty(self.sizes(), out.options());
  const int64_t m = bd.size(-1);
  const int64_t inner = bd.dim() == 1 ? 0 : (in.dim() ? in.size(-1) : 1);
  const std::string K = cl_type(kt), O = out_int32 ? "int" : "long";
  KernelArgs k(device, "searchsorted_" + K + "_" + O, "searchsorted", [&] {
    return "#define K " + K + "\n#define OUT " + O + "\n" + (kt == kDouble ? "#define OCL_FP64 1\n" : "") +
           torch_ocl::runtime::kernel_source("bucketize.cl");
  });
  torch_ocl::ElementBuffer mb = torch_ocl::element_buffer_of(bd), mv = torch_ocl::element_buffer_of(in), mo = torch_ocl::element_buffer_of(dst);
  torch_ocl::ElementBuffer ms = so.defined() ? torch_ocl::element_buffer_of(so) : mb;  // unused without a sorter
  k.add_mem(mb.mem).add(mb.off).add_mem(ms.mem).add(ms.off).add<cl_int>(so.defined() ? 1 : 0);
  k.add_mem(mv.mem).add(mv.off).add_mem(mo.mem).add(mo.off);
  k.add<cl_ulong>(in.numel()).add<cl_ulong>(inner).add<cl_ulong>(m).add<cl_int>(is_right ? 1 : 0);
  k.launch_1d(in.numel());
  if (!dst.is_same(out)) out.copy_(dst);
  return out;
}

Tensor searchsorted(const Tensor& boundaries, const Tensor& self, bool out_int32, bool right,
                    std::optional<c10::string_view> side, const std::optional<Tensor>& sorter) {
  Tensor out = at::empty({0}, self.options().dtype(out_int32 ? kInt : kLong));
  return searchsorted_out(boundaries, self, out_int32, right, side, sorter, out);
}

Tensor searchsorted_scalar(const Tensor& boundaries, const Scalar& self, bool out_int32, bool right,
                           std::optional<c10::string_view> side, const std::optional<Tensor>& sorter) {
  return searchsorted(boundaries, searchsorted_scalar_tensor(self, boundaries.device()), out_int32, right, side,
                      sorter);
}

Tensor& searchsorted_scalar_out(const Tensor& boundaries, const Scalar& self, bool out_int32, bool right,
                                std::optional<c10::string_view> side, const std::optional<Tensor>& sorter,
                                Tensor& out) {
  return searchsorted_out(boundaries, searchsorted_scalar_tensor(self, boundaries.device()), out_int32, right, side,
                          sorter, out);
}

Tensor& bucketize_out(const Tensor& self, const Tensor& boundaries, bool out_int32, bool right, Tensor& out) {
  TORCH_CHECK(boundaries.dim() == 1, "boundaries tensor must be 1 dimension, but got dim(", boundaries.dim(), ")");
  return searchsorted_out(boundaries, self, out_int32, right, std::nullopt, std::nullopt, out);
}

Tensor bucketize(const Tensor& self, const Tensor& boundaries, bool out_int32, bool right) {
  Tensor out = at::empty({0}, self.options().dtype(out_int32 ? kInt : kLong));
  return bucketize_out(self, boundaries, out_int32, right, out);
}

Tensor bucketize_scalar(const Scalar& self, const Tensor& boundaries, bool out_int32, bool right) {
  return bucketize(searchsorted_scalar_tensor(self, boundaries.device()), boundaries, out_int32, right);
}

}  // namespace at::native::ocl
