// Sort launchers: a bitonic network over rows padded to a power of two, with the stages
// that fit a work-group run in local memory; sort and randperm on top, topk and kthvalue
// through radix select (RadixSelect.cpp) with the sort where that does not apply.
#include "aten/native/Sort.h"

#include <ATen/WrapDimUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>

#include <algorithm>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/RadixSelect.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

// Keys sort in their compute type (exact for 16-bit floats); bool as uint8.
ScalarType key_type(ScalarType t) {
  if (t == kBool) return kByte;
  return compute_type(t);
}

struct Config {
  int wg;
  int64_t block;  // elements sorted per work-group in local memory
};

Config config(int device, ScalarType key) {
  const auto& info = torch_ocl::runtime::device_info(device);
  int wg = static_cast<int>(std::min<uint64_t>(256, info.max_work_group_size));
  int64_t block = 4 * wg;
  // keys plus int64 indices must fit local memory with room to spare
  while (block > 2 * wg && uint64_t(block) * (c10::elementSize(key) + 8) > info.local_mem / 2) block /= 2;
  return {wg, block};
}

}  // namespace

std::tuple<Tensor, Tensor> sort_rows(const Tensor& x_in, bool descending) {
  TORCH_INTERNAL_ASSERT(x_in.dim() == 2);
  const int device = x_in.device().index();
  ScalarType kt = key_type(x_in.scalar_type());
  check_dtype_supported(kt, device);
  Tensor x = x_in.to(kt).contiguous();
  const int64_t rows = x.size(0), n = x.size(1);
  int64_t P = 1;
  while (P < n) P <<= 1;
  Tensor keys = at::empty({rows, P}, x.options());
  Tensor idx = at::empty({rows, P}, x.options().dtype(kLong));
  if (rows == 0 || n == 0) return {keys.narrow(1, 0, n), idx.narrow(1, 0, n)};
  const Config cfg = config(device, kt);
  const std::string T = cl_type(kt);
  const std::string name = "sort_" + T + (descending ? "_desc_" : "_asc_") + std::to_string(cfg.wg) + "_" +
                           std::to_string(cfg.block);
  std::string defs = "#define K " + T + "\n#define WG " + std::to_string(cfg.wg) + "\n#define B " +
                     std::to_string(cfg.block) + "\n";
  if (descending) defs += "#define DESC 1\n";
  if (kt == kDouble) defs += "#define OCL_FP64 1\n";
  auto kernel = [&](const char* k) {
    return KernelArgs(device, name, k, [&] { return defs + torch_ocl::runtime::kernel_source("sort.cl"); });
  };
  torch_ocl::ElementBuffer mx = torch_ocl::element_buffer_of(x), mk = torch_ocl::element_buffer_of(keys), mi = torch_ocl::element_buffer_of(idx);
  const auto& info = torch_ocl::runtime::device_info(device);
  const uint64_t max_groups = uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4);
  {
    KernelArgs k = kernel("sort_init");
    k.add_mem(mx.mem).add(mx.off).add_mem(mk.mem).add(mk.off).add_mem(mi.mem).add(mi.off);
    k.add<cl_ulong>(rows).add<cl_ulong>(n).add<cl_ulong>(P);
    k.launch_1d(static_cast<uint64_t>(rows * P));
  }
  const int64_t blk = std::min<int64_t>(P, cfg.block);
  auto local = [&](int64_t k_first, int64_t k_last, int64_t j_first) {
    KernelArgs k = kernel("sort_local");
    k.add_mem(mk.mem).add(mk.off).add_mem(mi.mem).add(mi.off);
    k.add<cl_ulong>(rows).add<cl_ulong>(n).add<cl_ulong>(P).add<cl_ulong>(blk);
    k.add<cl_ulong>(k_first).add<cl_ulong>(k_last).add<cl_ulong>(j_first);
    uint64_t groups = std::min<uint64_t>(uint64_t(rows) * (P / blk), max_groups);
    k.launch(static_cast<size_t>(groups * cfg.wg), cfg.wg);
  };
  if (P >= 2) local(2, blk, 1);
  // Stages longer than a block: global steps down to the block size, then local ones.
  for (int64_t stage = 2 * blk; stage <= P; stage <<= 1) {
    for (int64_t j = stage / 2; j >= blk; j >>= 1) {
      KernelArgs k = kernel("sort_global");
      k.add_mem(mk.mem).add(mk.off).add_mem(mi.mem).add(mi.off);
      k.add<cl_ulong>(rows).add<cl_ulong>(n).add<cl_ulong>(P).add<cl_ulong>(stage).add<cl_ulong>(j);
      k.launch_1d(static_cast<uint64_t>(rows * (P / 2)));
    }
    local(stage, stage, blk / 2);
  }
  return {keys.narrow(1, 0, n), idx.narrow(1, 0, n)};
}

namespace {

// Sorts self along dim; returns (values in the key dtype, indices), both laid out with dim last.
std::tuple<Tensor, Tensor> sort_dim(const Tensor& self, int64_t dim, bool descending) {
  Tensor moved = (self.dim() == 0 ? self.view({1}) : self).movedim(dim, -1);
  const int64_t n = moved.size(-1);
  auto [k, i] = sort_rows(moved.reshape({-1, n}), descending);
  return {k.reshape(moved.sizes()), i.reshape(moved.sizes())};
}

// dst (in self's layout) <- src (dim last).
void copy_back(const Tensor& dst, const Tensor& src, int64_t dim) {
  Tensor d = (dst.dim() == 0 ? dst.view({1}) : dst).movedim(dim, -1);
  d.copy_(src);
}

// Runs radix_select over self's rows along dim into values/indices (dim last, positions
// first..k-1 of the selection); false where the caller must sort instead.
bool select_dim(const Tensor& self, int64_t k, int64_t first, int64_t dim, bool largest, bool sorted,
                const Tensor& values, const Tensor& indices) {
  Tensor moved = (self.dim() == 0 ? self.view({1}) : self).movedim(dim, -1);
  const int64_t n = moved.size(-1), m = k - first;
  Tensor x = moved.reshape({-1, n}).contiguous();
  Tensor vd = (values.dim() == 0 ? values.view({1}) : values).movedim(dim, -1);
  Tensor id = (indices.dim() == 0 ? indices.view({1}) : indices).movedim(dim, -1);
  // outputs laid out with dim last are written in place, others through a copy
  const bool direct = vd.is_contiguous() && id.is_contiguous();
  Tensor v = direct ? vd.view({-1, m}) : at::empty({x.size(0), m}, values.options());
  Tensor i = direct ? id.view({-1, m}) : at::empty({x.size(0), m}, indices.options());
  if (!radix_select(x, k, first, largest, sorted, v, i)) return false;
  if (!direct) {
    vd.copy_(v.view(vd.sizes()));
    id.copy_(i.view(id.sizes()));
  }
  return true;
}

}  // namespace

void sort_stable_impl(const Tensor& self, std::optional<bool>, int64_t dim, bool descending, const Tensor& values,
                      const Tensor& indices) {
  if (self.numel() == 0) return;
  dim = maybe_wrap_dim(dim, self.dim());
  auto [k, i] = sort_dim(self, dim, descending);
  copy_back(values, k, dim);
  copy_back(indices, i, dim);
}

void topk_impl(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted, const Tensor& values,
               const Tensor& indices) {
  TORCH_CHECK(self.scalar_type() != kBool, "topk does not support bool dtypes");
  if (self.dim() == 0) {  // the element itself, for k = 1 and (as on the CPU) k = 0
    values.copy_(self);
    indices.zero_();
    return;
  }
  if (k == 0 || self.numel() == 0) return;
  dim = maybe_wrap_dim(dim, self.dim());
  if (select_dim(self, k, 0, dim, largest, sorted, values, indices)) return;
  // sorted with a large k: sorting whole rows costs about as much as selecting and sorting k
  auto [sk, si] = sort_dim(self, dim, largest);
  copy_back(values, sk.narrow(-1, 0, k), dim);
  copy_back(indices, si.narrow(-1, 0, k), dim);
}

std::tuple<Tensor&, Tensor&> kthvalue_out(const Tensor& self, int64_t k, int64_t dim_, bool keepdim, Tensor& values,
                                          Tensor& indices) {
  const int64_t dim = maybe_wrap_dim(dim_, self.dim(), /*wrap_scalar=*/true);
  const int64_t slice = self.dim() == 0 ? 1 : self.size(dim);
  if (self.dim() > 0)
    TORCH_CHECK_INDEX(slice != 0, "kthvalue(): Expected reduction dim ", dim, " to have non-zero size.");
  TORCH_CHECK(k >= 1 && k <= slice, "kthvalue(): selected number k out of range for dimension ", dim);
  TORCH_CHECK_NOT_IMPLEMENTED(self.scalar_type() != kBool, "\"kthvalue_ocl\" not implemented for 'Bool'");
  TORCH_CHECK(values.scalar_type() == self.scalar_type(), "kthvalue(): expected values to have dtype ",
              self.scalar_type(), " but got ", values.scalar_type());
  TORCH_CHECK(indices.scalar_type() == kLong, "kthvalue(): expected indices to have dtype Long but got ",
              indices.scalar_type());
  std::vector<int64_t> shape(self.sizes().begin(), self.sizes().end());
  if (self.dim() > 0) {
    if (keepdim)
      shape[dim] = 1;
    else
      shape.erase(shape.begin() + dim);
  }
  at::native::resize_output(values, shape);
  at::native::resize_output(indices, shape);
  if (self.numel() == 0) return {values, indices};
  Tensor vd = values, id = indices;
  if (self.dim() > 0 && !keepdim) {
    vd = values.unsqueeze(dim);
    id = indices.unsqueeze(dim);
  }
  // The k-th smallest with the index a stable sort puts at position k - 1: among equal
  // values, the one whose rank by index completes the k.
  if (select_dim(self, k, k - 1, dim, /*largest=*/false, /*sorted=*/false, vd, id)) return {values, indices};
  auto [sk, si] = sort_dim(self, dim, false);
  Tensor v = sk.narrow(-1, k - 1, 1), i = si.narrow(-1, k - 1, 1);
  if (self.dim() == 0) {
    values.copy_(v.squeeze(-1));
    indices.copy_(i.squeeze(-1));
  } else {
    vd.movedim(dim, -1).copy_(v);
    id.movedim(dim, -1).copy_(i);
  }
  return {values, indices};
}

namespace {

// Every value of 0..n-1 must be representable in the result dtype (CPU's messages).
void check_randperm_precision(int64_t n, ScalarType t) {
  switch (t) {
    case kHalf:
      TORCH_CHECK(n <= (int64_t(1) << 11) + 1, "n cannot be greater than 2049 for Half type.");
      break;
    case kFloat:
      TORCH_CHECK(n <= (int64_t(1) << 24) + 1, "n cannot be greater than 2^24+1 for Float type.");
      break;
    case kDouble:
      TORCH_CHECK(n <= (int64_t(1) << 53) + 1, "n cannot be greater than 2^53+1 for Double type.");
      break;
    case kBFloat16:
      TORCH_CHECK(n <= (int64_t(1) << 8) + 1, "n cannot be greater than 257 for BFloat16 type.");
      break;
    case kBool:
      TORCH_CHECK(n <= 2, "n is too large for result tensor type: 'bool'");
      break;
    default:
      if (isIntegralType(t, false)) {
        const int bits = int(c10::elementSize(t)) * 8 - (t == kByte ? 0 : 1);
        TORCH_CHECK(bits >= 63 || n - 1 < (int64_t(1) << bits), "n is too large for result tensor type");
      }
  }
}

}  // namespace

Tensor& randperm_out(int64_t n, std::optional<Generator> gen, Tensor& result) {
  TORCH_CHECK(n >= 0, "n must be non-negative, got", n);
  check_randperm_precision(n, result.scalar_type());
  result.resize_({n});
  if (n == 0) return result;
  // The order of uniformly random 63-bit keys is a uniform permutation (ties keep index order).
  Tensor keys = at::empty({1, n}, result.options().dtype(kLong));
  keys.random_(gen);
  auto [k, i] = sort_rows(keys, false);
  result.copy_(i.view({n}));
  return result;
}

}  // namespace at::native::ocl
