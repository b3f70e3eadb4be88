// unique launchers: rows (single elements or slices along a dim) are sorted stably, group
// starts flagged, the flags prefix-summed; values, inverse and counts follow from the sums.
#include "aten/native/Unique.h"

#include <ATen/WrapDimUtils.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include "aten/native/Compact.h"
#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Scan.h"
#include "aten/native/Sort.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

ScalarType key_type(ScalarType t) { return t == kBool ? kByte : compute_type(t); }

KernelArgs kernel(const Tensor& keys, const char* name) {
  const std::string K = cl_type(keys.scalar_type());
  const bool fp64 = keys.scalar_type() == kDouble;
  return KernelArgs(keys.device().index(), "unique_" + K, name, [&] {
    return "#define K " + K + "\n" + (fp64 ? "#define OCL_FP64 1\n" : "") +
           torch_ocl::runtime::kernel_source("unique.cl");
  });
}

struct Groups {
  Tensor values;   // [groups, width] in the key dtype
  Tensor inverse;  // [n]
  Tensor counts;   // [groups]
};

// Groups equal consecutive rows of keys ([n, width], contiguous, key dtype); perm (when
// defined) maps sorted row i to its original position, for the inverse.
Groups group_rows(const Tensor& keys, const Tensor& perm, bool want_inverse, bool want_counts) {
  const int64_t n = keys.size(0), width = keys.size(1);
  auto opts = keys.options().dtype(kLong);
  Tensor flags = at::empty({1, n}, opts);
  torch_ocl::ElementBuffer mk = torch_ocl::element_buffer_of(keys), mf = torch_ocl::element_buffer_of(flags);
  {
    KernelArgs k = kernel(keys, "group_starts");
    k.add_mem(mk.mem).add(mk.off).add_mem(mf.mem).add(mf.off).add<cl_ulong>(n).add<cl_ulong>(width);
    k.launch_1d(n);
  }
  Tensor pos = at::empty_like(flags);
  scan_rows(flags, pos, ScanKind::Sum);
  pos = pos.view({n});
  const int64_t groups = pos[n - 1].item<int64_t>();
  Groups g;
  g.values = at::empty({groups, width}, keys.options());
  compact_into(pos, keys, g.values, width);
  if (want_inverse) {
    g.inverse = at::empty({n}, opts);
    torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(pos), mi = torch_ocl::element_buffer_of(g.inverse);
    torch_ocl::ElementBuffer mperm = perm.defined() ? torch_ocl::element_buffer_of(perm) : mp;  // unused without a permutation
    KernelArgs k = kernel(keys, "group_inverse");
    k.add_mem(mp.mem).add(mp.off).add_mem(mperm.mem).add(mperm.off).add<cl_int>(perm.defined() ? 1 : 0);
    k.add_mem(mi.mem).add(mi.off).add<cl_ulong>(n);
    k.launch_1d(n);
  }
  if (want_counts) {
    Tensor starts = at::empty({groups}, opts);
    compact_into(pos, at::arange(n, opts), starts);
    g.counts = at::empty({groups}, opts);
    torch_ocl::ElementBuffer ms = torch_ocl::element_buffer_of(starts), mc = torch_ocl::element_buffer_of(g.counts);
    KernelArgs k = kernel(keys, "group_counts");
    k.add_mem(ms.mem).add(ms.off).add_mem(mc.mem).add(mc.off).add<cl_ulong>(groups).add<cl_ulong>(n);
    k.launch_1d(groups);
  }
  return g;
}

// Rows of x ([n, width], key dtype) in lexicographic order: (sorted rows, permutation).
std::pair<Tensor, Tensor> sort_rows_lex(const Tensor& x) {
  const int64_t n = x.size(0), width = x.size(1);
  auto opts = x.options().dtype(kLong);
  Tensor perm = at::arange(n, opts);
  Tensor column = at::empty({1, n}, x.options());
  torch_ocl::ElementBuffer mx = torch_ocl::element_buffer_of(x), mc = torch_ocl::element_buffer_of(column);
  // Least significant column first; stable sorts keep the order of the columns after it.
  for (int64_t col = width - 1; col >= 0; --col) {
    torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(perm);
    {
      KernelArgs k = kernel(x, "gather_column");
      k.add_mem(mx.mem).add(mx.off).add_mem(mp.mem).add(mp.off).add_mem(mc.mem).add(mc.off);
      k.add<cl_ulong>(n).add<cl_ulong>(width).add<cl_ulong>(col);
      k.launch_1d(n);
    }
    Tensor p = std::get<1>(sort_rows(column, false)).contiguous();
    Tensor next = at::empty({n}, opts);
    torch_ocl::ElementBuffer mpp = torch_ocl::element_buffer_of(p), mn = torch_ocl::element_buffer_of(next);
    KernelArgs k = kernel(x, "compose");
    k.add_mem(mp.mem).add(mp.off).add_mem(mpp.mem).add(mpp.off).add_mem(mn.mem).add(mn.off).add<cl_ulong>(n);
    k.launch_1d(n);
    perm = next;
  }
  Tensor sorted = at::empty_like(x);
  torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(perm), ms = torch_ocl::element_buffer_of(sorted);
  KernelArgs k = kernel(x, "gather_rows");
  k.add_mem(mx.mem).add(mx.off).add_mem(mp.mem).add(mp.off).add_mem(ms.mem).add(ms.off);
  k.add<cl_ulong>(n).add<cl_ulong>(width);
  k.launch_1d(n * width);
  return {sorted, perm};
}

// unique over a dim (sort) or unique_consecutive over a dim: inverse and counts always come back.
std::tuple<Tensor, Tensor, Tensor> unique_along(const Tensor& self, int64_t dim, bool sort) {
  dim = maybe_wrap_dim(dim, self.dim());
  auto sizes = self.sizes().vec();
  if (self.numel() == 0 || sizes[dim] == 0) {
    for (int64_t d = 0; d < self.dim(); ++d)
      TORCH_CHECK(d == dim || sizes[d] > 0,
                  "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
    auto opts = self.options().dtype(kLong);
    return {at::empty(sizes, self.options()), at::empty({0}, opts), at::empty({0}, opts)};
  }
  Tensor moved = self.movedim(dim, 0);
  const int64_t n = sizes[dim], width = self.numel() / n;
  check_dtype_supported(key_type(self.scalar_type()), self.device().index());
  Tensor rows = moved.to(key_type(self.scalar_type())).contiguous().view({n, width});
  Tensor perm;
  if (sort) std::tie(rows, perm) = sort_rows_lex(rows);
  Groups g = group_rows(rows, perm, true, true);
  std::vector<int64_t> out_sizes = moved.sizes().vec();
  out_sizes[0] = g.values.size(0);
  Tensor values = g.values.view(out_sizes).movedim(0, dim).to(self.scalar_type());
  return {values, g.inverse, g.counts};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> unique2(const Tensor& self, bool, bool return_inverse, bool return_counts) {
  auto opts = self.options().dtype(kLong);
  const int64_t n = self.numel();
  if (n == 0)
    return {at::empty({0}, self.options()), at::empty(return_inverse ? self.sizes() : IntArrayRef{0}, opts),
            at::empty({0}, opts)};
  auto [keys, perm] = sort_rows(self.reshape({1, n}), false);
  Groups g = group_rows(keys.contiguous().view({n, 1}), perm.contiguous().view({n}), return_inverse, return_counts);
  Tensor values = g.values.view({-1}).to(self.scalar_type());
  Tensor inverse = return_inverse ? g.inverse.view(self.sizes()) : at::empty({0}, opts);
  Tensor counts = return_counts ? g.counts : at::empty({0}, opts);
  return {values, inverse, counts};
}

std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, bool return_inverse, bool return_counts,
                                                      std::optional<int64_t> dim) {
  if (dim && self.dim() > 0) return unique_along(self, *dim, false);
  auto opts = self.options().dtype(kLong);
  const int64_t n = self.numel();
  if (n == 0)
    return {at::empty({0}, self.options()), at::empty(return_inverse ? self.sizes() : IntArrayRef{0}, opts),
            at::empty({0}, opts)};
  ScalarType kt = key_type(self.scalar_type());
  check_dtype_supported(kt, self.device().index());
  Tensor keys = self.reshape({n, 1}).to(kt).contiguous();
  Groups g = group_rows(keys, Tensor(), return_inverse, return_counts);
  Tensor values = g.values.view({-1}).to(self.scalar_type());
  Tensor inverse = return_inverse ? g.inverse.view(self.sizes()) : at::empty({0}, opts);
  Tensor counts = return_counts ? g.counts : at::empty({0}, opts);
  return {values, inverse, counts};
}

std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& self, int64_t dim, bool, bool, bool) {
  return unique_along(self, dim, true);
}

std::tuple<Tensor, Tensor, Tensor> unique_dim_consecutive(const Tensor& self, int64_t dim, bool, bool) {
  return unique_along(self, dim, false);
}

std::tuple<Tensor, Tensor> unique(const Tensor& self, bool sorted, bool return_inverse) {
  auto [values, inverse, counts] = unique2(self, sorted, return_inverse, false);
  return {values, inverse};
}

}  // namespace at::native::ocl
