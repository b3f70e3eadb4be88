// nonzero, masked_select and masked_scatter_ through one prefix sum of the mask: the count
// (read back for the output size) is the last prefix value; each kernel writes slot pos - 1.
#include "aten/native/Compact.h"

#include <ATen/ExpandUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>

#include <algorithm>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Scan.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

KernelArgs kernel(int device, size_t bytes, const char* name) {
  const std::string E = cl_bits_type(bytes);
  return KernelArgs(device, "compact_" + E, name,
                    [&] { return "#define E " + E + "\n" + torch_ocl::runtime::kernel_source("compact.cl"); });
}

int64_t last(const Tensor& pos) { return pos.numel() ? pos[pos.numel() - 1].item<int64_t>() : 0; }

void check_nonzero_input(const Tensor& self) {
  check_dtype_supported(self.scalar_type(), self.device().index());
}

// Writes the coordinates of up to `limit` nonzero elements of self into out ([>=count, ndim]).
void nonzero_into(const Tensor& self, const Tensor& pos, const Tensor& out, int64_t limit) {
  const int64_t n = self.numel(), ndim = self.dim();
  if (n == 0 || ndim == 0 || limit == 0) return;
  Tensor sizes_cpu = at::empty({ndim}, at::TensorOptions().dtype(kLong));
  std::copy(self.sizes().begin(), self.sizes().end(), sizes_cpu.data_ptr<int64_t>());
  Tensor sizes = sizes_cpu.to(self.device());
  torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(pos), mo = torch_ocl::element_buffer_of(out), ms = torch_ocl::element_buffer_of(sizes);
  KernelArgs k = kernel(self.device().index(), 8, "nonzero_write");
  k.add_mem(mp.mem).add(mp.off).add_mem(mo.mem).add(mo.off).add_mem(ms.mem).add(ms.off);
  k.add<cl_ulong>(n).add<cl_int>(static_cast<cl_int>(ndim)).add<cl_ulong>(limit);
  k.launch_1d(n);
}

}  // namespace

void compact_into(const Tensor& pos, const Tensor& x, const Tensor& out, int64_t width) {
  const int64_t n = pos.numel();
  if (n == 0 || width == 0 || out.numel() == 0) return;
  torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(pos), mx = torch_ocl::element_buffer_of(x), mo = torch_ocl::element_buffer_of(out);
  KernelArgs k = kernel(x.device().index(), x.element_size(), "compact");
  k.add_mem(mp.mem).add(mp.off).add_mem(mx.mem).add(mx.off).add_mem(mo.mem).add(mo.off);
  k.add<cl_ulong>(n).add<cl_ulong>(width);
  k.launch_1d(n * width);
}

Tensor& nonzero_out(const Tensor& self, Tensor& out) {
  TORCH_CHECK(out.scalar_type() == kLong, "nonzero: Expected out tensor to have scalar type Long but got scalar type",
              out.scalar_type());
  TORCH_CHECK(self.device() == out.device(), "expected self and out to be on the same device, but got out on ",
              out.device(), " and self on ", self.device());
  check_nonzero_input(self);
  Tensor pos = count_prefix(self);
  const int64_t count = last(pos);
  at::native::resize_output(out, {count, self.dim()});
  if (!out.is_contiguous()) {
    Tensor tmp = at::empty({count, self.dim()}, out.options());
    nonzero_into(self, pos, tmp, count);
    out.copy_(tmp);
  } else {
    nonzero_into(self, pos, out, count);
  }
  return out;
}

Tensor nonzero(const Tensor& self) {
  Tensor out = at::empty({0}, self.options().dtype(kLong));
  return nonzero_out(self, out);
}

Tensor& nonzero_static_out(const Tensor& self, int64_t size, int64_t fill_value, Tensor& out) {
  TORCH_CHECK(size >= 0, "nonzero_static: 'size' must be an non-negative integer");
  TORCH_CHECK(out.scalar_type() == kLong, "nonzero_static: Expected out tensor to have scalar type Long but got ",
              out.scalar_type());
  check_nonzero_input(self);
  at::native::resize_output(out, {size, self.dim()});
  if (out.numel() == 0) return out;
  Tensor tmp = out.is_contiguous() ? out : at::empty({size, self.dim()}, out.options());
  tmp.fill_(fill_value);
  nonzero_into(self, count_prefix(self), tmp, size);
  if (!tmp.is_same(out)) out.copy_(tmp);
  return out;
}

Tensor nonzero_static(const Tensor& self, int64_t size, int64_t fill_value) {
  Tensor out = at::empty({0}, self.options().dtype(kLong));
  return nonzero_static_out(self, size, fill_value, out);
}

Tensor& masked_select_out(const Tensor& self, const Tensor& mask, Tensor& out) {
  TORCH_CHECK(mask.scalar_type() == kBool, "masked_select: expected BoolTensor for mask");
  TORCH_CHECK(self.scalar_type() == out.scalar_type(),
              "masked_select(): self and result must have the same scalar type");
  check_dtype_supported(self.scalar_type(), self.device().index());
  auto [s, m] = expand_outplace(self, mask);
  Tensor x = s->contiguous();
  Tensor pos = count_prefix(*m);
  const int64_t count = last(pos);
  at::native::resize_output(out, {count});
  Tensor dst = out.is_contiguous() ? out : at::empty({count}, out.options());
  compact_into(pos, x, dst);
  if (!dst.is_same(out)) out.copy_(dst);
  return out;
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  Tensor out = at::empty({0}, self.options());
  return masked_select_out(self, mask, out);
}

Tensor& masked_scatter_(Tensor& self, const Tensor& mask, const Tensor& source) {
  TORCH_CHECK(self.scalar_type() == source.scalar_type(),
              "masked_scatter: expected self and source to have same dtypes but got", self.scalar_type(), " and ",
              source.scalar_type());
  TORCH_CHECK(mask.scalar_type() == kBool, "masked_scatter_ only supports boolean masks, but got mask with dtype ",
              mask.scalar_type());
  check_dtype_supported(self.scalar_type(), self.device().index());
  auto m = expand_inplace(self, mask);
  Tensor pos = count_prefix(*m);
  const int64_t count = last(pos);
  TORCH_CHECK(count <= source.numel(), "Number of elements of source < number of ones in mask");
  if (count == 0) return self;
  Tensor dst = self.is_contiguous() ? self : self.contiguous();
  Tensor src = source.contiguous();
  torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(pos), md = torch_ocl::element_buffer_of(dst), ms = torch_ocl::element_buffer_of(src);
  KernelArgs k = kernel(self.device().index(), self.element_size(), "expand");
  k.add_mem(mp.mem).add(mp.off).add_mem(md.mem).add(md.off).add_mem(ms.mem).add(ms.off).add<cl_ulong>(dst.numel());
  k.launch_1d(dst.numel());
  if (!dst.is_same(self)) self.copy_(dst);
  return self;
}

}  // namespace at::native::ocl
