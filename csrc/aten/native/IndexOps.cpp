// Advanced indexing, index_select/add/copy/fill, take/put_ and flip on the indexed-copy
// generator (see IndexOps.h). Index tensors may be int64 or int32; bounds are checked on
// the device and raised after the launch.
#include "aten/native/IndexOps.h"

#include <ATen/Dispatch.h>
#include <ATen/WrapDimUtils.h>
#include <ATen/ExpandUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/native/IndexingUtils.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/index_meta.h>
#include <ATen/ops/index_native.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/zeros_like.h>

#include <algorithm>
#include <limits>

#include "aten/native/IndexKernel.h"
#include "aten/native/Launch.h"
#include "aten/native/Structured.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

std::vector<int64_t> element_strides(IntArrayRef byte_strides, ScalarType t) {
  std::vector<int64_t> s;
  for (auto b : byte_strides) s.push_back(b / static_cast<int64_t>(c10::elementSize(t)));
  return s;
}

std::vector<int64_t> nonempty_sizes(const Tensor& t) {
  return t.dim() == 0 ? std::vector<int64_t>{1} : t.sizes().vec();
}

// index (1-D or 0-dim) seen with `sizes`, running along dim.
Tensor index_along(const Tensor& index, int64_t dim, IntArrayRef sizes) {
  std::vector<int64_t> st(sizes.size(), 0);
  st[dim] = index.dim() == 0 ? 1 : index.stride(0);
  return index.as_strided(sizes, st);
}

void check_index_dtype(const Tensor& index, const char* op) {
  TORCH_CHECK(index.scalar_type() == kLong || index.scalar_type() == kInt, op,
              "(): Expected dtype int32 or int64 for index");
}

void raise_index(const char* op, int64_t bad, int64_t dim, int64_t size) {
  TORCH_CHECK_INDEX(false, op, "(): index ", bad, " is out of bounds for dimension ", dim, " with size ", size);
}

// The iterator owns its operands: callers pass temporaries (restrided views).
TensorIterator build(const Tensor& dst, std::initializer_list<Tensor> inputs) {
  TensorIteratorConfig config;
  config.set_check_mem_overlap(false).check_all_same_dtype(false).resize_outputs(false).add_owned_output(dst);
  for (auto& t : inputs) config.add_owned_const_input(t);
  return config.build();
}

}  // namespace

void index_kernel(TensorIteratorBase& iter, IntArrayRef sizes, IntArrayRef strides) {
  IndexSpec spec{"index", IndexMode::Gather, ReduceOp::Add, sizes.vec(), element_strides(strides, iter.dtype(1))};
  index_launch(iter, spec);
}

void index_put_kernel(TensorIterator& iter, IntArrayRef sizes, IntArrayRef strides, bool accumulate) {
  IndexSpec spec{"index_put", accumulate ? IndexMode::Reduce : IndexMode::Assign, ReduceOp::Add, sizes.vec(),
                 element_strides(strides, iter.dtype(0))};
  index_launch(iter, spec);
}

void index_put_with_sort_kernel(Tensor& self, const c10::List<std::optional<Tensor>>& indices, const Tensor& value,
                                bool accumulate, bool unsafe) {
  // ATen routes accumulate (and deterministic) puts here; ours are atomic, not sorted. The
  // layout is ATen's AdvancedIndex (not exported): indexed dims made adjacent, src seen with
  // the broadcast index shape (stride 0) in their place, indices reshaped to match.
  Tensor src = self;
  auto list = expandTensors(self, at::IOptTensorListRef(indices));
  try {
    list = expand_outplace(list);
  } catch (std::exception&) {
    TORCH_CHECK_INDEX(false, "shape mismatch: indexing tensors could not be broadcast together");
  }
  while (list.size() < static_cast<size_t>(self.dim())) list.emplace_back();
  if (!hasContiguousSubspace(list)) std::tie(src, list) = transposeToFront(src, list);
  int64_t before = 0, after = 0, indexed = 0;
  std::vector<int64_t> sizes, strides, shape;
  for (size_t d = 0; d < list.size(); ++d) {
    if (!list[d].defined()) {
      (indexed == 0 ? before : after)++;
      continue;
    }
    ++indexed;
    shape = list[d].sizes().vec();
    sizes.push_back(src.size(d));
    strides.push_back(src.stride(d));
    TORCH_CHECK_INDEX(src.size(d) != 0 || list[d].numel() == 0, "index is out of bounds for dimension ", d,
                      " with size 0");
  }
  std::vector<int64_t> rs(src.sizes().begin(), src.sizes().begin() + before), rt(src.strides().begin(),
                                                                                 src.strides().begin() + before);
  rs.insert(rs.end(), shape.begin(), shape.end());
  rt.insert(rt.end(), shape.size(), 0);
  rs.insert(rs.end(), src.sizes().begin() + before + indexed, src.sizes().end());
  rt.insert(rt.end(), src.strides().begin() + before + indexed, src.strides().end());
  Tensor dst = src.as_strided(rs, rt);
  TORCH_CHECK_INDEX(is_expandable_to(value.sizes(), dst.sizes()), "shape mismatch: value tensor of shape ",
                    value.sizes(), " cannot be broadcast to indexing result of shape ", dst.sizes());
  TORCH_CHECK(value.scalar_type() == self.scalar_type(), "Index put requires the source and destination dtypes "
              "match, got ", self.scalar_type(), " for the destination and ", value.scalar_type(), " for the source.");
  TensorIteratorConfig config;
  config.set_check_mem_overlap(false).resize_outputs(false).check_all_same_dtype(false);
  config.add_owned_output(dst).add_owned_const_input(value);
  for (auto& index : list) {
    if (!index.defined()) continue;
    std::vector<int64_t> v(before, 1);
    v.insert(v.end(), index.sizes().begin(), index.sizes().end());
    v.insert(v.end(), after, 1);
    config.add_owned_const_input(index.reshape(v));
  }
  auto iter = config.build();
  IndexSpec spec{"index_put", accumulate ? IndexMode::Reduce : IndexMode::Assign, ReduceOp::Add, sizes, strides};
  index_launch(iter, spec);
}

void index_copy_kernel(TensorIterator& iter, int64_t dim, int64_t self_dim_size, int64_t self_dim_stride) {
  // ATen orders (self, index, source); the generator wants (self, source, index).
  auto it = build(iter.tensor(0), {iter.tensor(2), iter.tensor(1)});
  IndexSpec spec{"index_copy", IndexMode::Assign, ReduceOp::Add, {self_dim_size}, {self_dim_stride}, false};
  index_launch(it, spec, [&](int, int64_t bad) { raise_index("index_copy_", bad, dim, self_dim_size); });
}

void index_fill_kernel(TensorIterator& iter, int64_t dim, int64_t self_dim_size, int64_t self_dim_stride,
                       const Scalar& value) {
  IndexSpec spec{"index_fill", IndexMode::Assign, ReduceOp::Add, {self_dim_size}, {self_dim_stride}, true, value};
  index_launch(iter, spec, [&](int, int64_t bad) { raise_index("index_fill_", bad, dim, self_dim_size); });
}

Tensor index(const Tensor& self, const c10::List<std::optional<Tensor>>& indices) {
  detail::Functional<at::native::structured_index_out> op;
  auto pre = op.meta(self, at::IOptTensorListRef(indices));
  op.impl(self, pre.sizes, pre.strides, op.maybe_get_output(0));
  return std::move(op.outputs_[0]);
}

Tensor& index_out(const Tensor& self, const c10::List<std::optional<Tensor>>& indices, Tensor& out) {
  detail::Into<at::native::structured_index_out> op(out, false);
  auto pre = op.meta(self, at::IOptTensorListRef(indices));
  op.impl(self, pre.sizes, pre.strides, op.maybe_get_output(0));
  op.finish();
  return out;
}

// index_select of contiguous self into contiguous out: whole slices (the dims after dim) copied
// by gather_rows.cl instead of element by element; false where that form does not apply.
bool gather_rows(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& out) {
  if (self.dim() == 0 || !self.is_contiguous() || !out.is_contiguous() || self.scalar_type() != out.scalar_type())
    return false;
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < self.dim(); ++d) inner *= self.size(d);
  const int64_t size = self.size(dim), nidx = index.numel(), slices = out.numel() / std::max<int64_t>(inner, 1);
  if (inner < 16) return false;  // short slices: the element-wise kernel spreads them as well
  auto so = torch_ocl::element_buffer_of(self), oo = torch_ocl::element_buffer_of(out);
  auto io = torch_ocl::element_buffer_of(index);
  // 4 elements per move where every slice starts 4-aligned
  const int64_t es = self.element_size();
  const bool vec4 = inner % 4 == 0 && so.off % 4 == 0 && oo.off % 4 == 0 && es <= 4;
  const int64_t v = vec4 ? 4 : 1, lanes = std::min<int64_t>(64, int64_t(1) << (64 - __builtin_clzll(inner / v - 1)));
  const std::string E = std::string(cl_bits_type(size_t(es))) + (vec4 ? "4" : "");
  const std::string I = index.scalar_type() == kLong ? "long" : "int";
  const int device = self.device().index();
  const int64_t local = std::min<int64_t>(256, int64_t(torch_ocl::runtime::device_info(device).max_work_group_size));
  if (local % lanes != 0) return false;  // launch_1d's groups must hold whole slices' lanes
  KernelArgs k(device, "gather_rows_" + E + "_" + I + "_" + std::to_string(lanes), "gather_rows", [&] {
    return "#define E " + E + "\n#define I " + I + "\n#define LANES " + std::to_string(lanes) + "\n" +
           torch_ocl::runtime::kernel_source("gather_rows.cl");
  });
  Tensor err = at::zeros({2}, TensorOptions().dtype(kLong).device(self.device()));
  auto eo = torch_ocl::element_buffer_of(err);
  k.add_mem(oo.mem).add<cl_ulong>(oo.off / v).add_mem(so.mem).add<cl_ulong>(so.off / v);
  k.add_mem(io.mem).add(io.off).add<cl_long>(index.dim() == 0 ? 1 : index.stride(0));
  k.add<cl_long>(slices).add<cl_long>(nidx).add<cl_long>(size).add<cl_long>(inner / v);
  k.add_mem(eo.mem).add(eo.off);
  k.launch_1d(uint64_t(slices * lanes));
  Tensor host = err.cpu();
  const int64_t* e = host.const_data_ptr<int64_t>();
  if (e[0] != 0) raise_index("index_select", e[1], dim, size);
  return true;
}

Tensor& index_select_out(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out) {
  dim = maybe_wrap_dim(dim, self.dim());
  TORCH_CHECK_INDEX(index.dim() <= 1, "index_select(): Index is supposed to be a vector");
  TORCH_CHECK(!(self.dim() == 0 && index.numel() != 1), "index_select(): Index to scalar can have only 1 value, got ",
              index.numel(), " value(s)");
  check_index_dtype(index, "index_select");
  TORCH_CHECK(self.scalar_type() == out.scalar_type(), "index_select(): self and result must have the same scalar type");
  TORCH_CHECK(self.device() == index.device() && self.device() == out.device(), "Expected all tensors to be on the "
              "same device, but found at least two devices, ", self.device(), " and ",
              (self.device() == index.device() ? out.device() : index.device()), "!");
  auto sizes = self.sizes().vec();
  if (self.dim() > 0) sizes[dim] = index.numel();
  at::native::resize_output(out, sizes);
  if (out.numel() == 0) return out;
  if (gather_rows(self, dim, index, out)) return out;
  auto full = nonempty_sizes(out);
  Tensor o = out.dim() == 0 ? out.reshape({1}) : out;
  auto iter = build(o, {restride_dim(self, dim, full), index_along(index, dim, full)});
  const int64_t size = self.dim() == 0 ? 1 : self.size(dim);
  IndexSpec spec{"index_select", IndexMode::Gather, ReduceOp::Add, {size}, {self.dim() == 0 ? 1 : self.stride(dim)},
                 false};
  index_launch(iter, spec, [&](int, int64_t bad) { raise_index("index_select", bad, dim, size); });
  return out;
}

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  Tensor out = at::empty({0}, self.options());
  return index_select_out(self, dim, index, out);
}

namespace {
// result[..., index[i], ...] op= source[..., i, ...] along `dim` (atomically); `on_bad` raises the
// op's error for an index out of range.
void reduce_along(const Tensor& result, int64_t dim, const Tensor& index, const Tensor& source, ReduceOp op,
                  const char* name, const Scalar& alpha, const IndexErrorFn& on_bad) {
  auto full = nonempty_sizes(source);
  Tensor src = source.dim() == 0 ? source.reshape({1}) : source;
  auto iter = build(restride_dim(result, dim, full), {src, index_along(index, dim, full)});
  const int64_t size = result.dim() == 0 ? 1 : result.size(dim);
  IndexSpec spec{name, IndexMode::Reduce, op, {size}, {result.dim() == 0 ? 1 : result.stride(dim)}, false};
  if (!(alpha.isIntegral(true) && alpha.to<int64_t>() == 1)) spec.alpha = alpha;
  index_launch(iter, spec, on_bad);
}

void index_out_of_range(int, int64_t) {  // index_reduce's IndexError, as on the CPU
  TORCH_CHECK_INDEX(false, "index out of range in self");
}
}  // namespace

void index_add_impl(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha,
                    const Tensor& result) {
  if (!result.is_same(self)) result.copy_(self);
  if (index.numel() == 0 || result.numel() == 0) return;
  dim = maybe_wrap_dim(dim, result.dim());
  const int64_t size = result.dim() == 0 ? 1 : result.size(dim);
  reduce_along(result, dim, index, source, ReduceOp::Add, "index_add", alpha, [&](int, int64_t bad) {
    TORCH_CHECK(false, "index_add(): index ", bad, " is out of bounds for dimension ", dim, " with size ", size);
  });  // a RuntimeError, as on the CPU
}

void index_reduce_impl(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                       c10::string_view reduce, bool include_self, const Tensor& result) {
  if (!result.is_same(self)) result.copy_(self);
  if (index.numel() == 0 || result.numel() == 0) return;
  dim = maybe_wrap_dim(dim, result.dim());
  const bool floating = result.is_floating_point();
  AT_DISPATCH_ALL_TYPES_AND2(kHalf, kBFloat16, result.scalar_type(), "index_reduce", [] {});  // CPU's dtypes
  if (!include_self) {  // the indexed slices start from the reduction's identity, as on the CPU
    Scalar init = 0;
    if (reduce == "prod") {
      init = 1;
    } else if (reduce != "mean") {
      const bool max = reduce == "amax";
      const double inf = std::numeric_limits<double>::infinity();
      init = floating ? Scalar(max ? -inf : inf)
                      : AT_DISPATCH_INTEGRAL_TYPES(result.scalar_type(), "index_reduce", [&]() -> Scalar {
                          using L = std::numeric_limits<scalar_t>;
                          return max ? Scalar(L::lowest()) : Scalar(L::max());
                        });
    }
    result.index_fill_(dim, index.to(kLong), init);
  }
  if (reduce == "mean") {
    reduce_along(result, dim, index, source, ReduceOp::Add, "index_reduce", 1, index_out_of_range);
    Tensor counts = include_self ? at::ones_like(result) : at::zeros_like(result);
    counts.index_add_(dim, index, at::ones_like(source));
    counts.masked_fill_(counts.eq(0), 1);
    if (floating)
      result.div_(counts);
    else
      result.div_(counts, "floor");
    return;
  }
  const ReduceOp op = reduce == "prod" ? ReduceOp::Mul : reduce == "amax" ? ReduceOp::Max : ReduceOp::Min;
  reduce_along(result, dim, index, source, op, "index_reduce", 1, index_out_of_range);
}

Tensor& take_out(const Tensor& self, const Tensor& index, Tensor& out) {
  TORCH_CHECK(index.scalar_type() == kLong, "take(): Expected a long tensor for index, but got ", index.scalar_type());
  TORCH_CHECK(self.scalar_type() == out.scalar_type(), "take(): self and out expected to have the same dtype, but got "
              "self.dtype = ", self.scalar_type(), " and out.dtype = ", out.scalar_type());
  TORCH_CHECK_INDEX(!(self.numel() == 0 && index.numel() != 0), "take(): tried to take from an empty tensor");
  at::native::resize_output(out, index.sizes());
  if (index.numel() == 0) return out;
  auto full = nonempty_sizes(index);
  Tensor flat = self.contiguous();
  Tensor o = out.dim() == 0 ? out.reshape({1}) : out;
  auto iter = build(o, {flat.as_strided(full, std::vector<int64_t>(full.size(), 0)), index.reshape(full)});
  const int64_t n = self.numel();
  IndexSpec spec{"take", IndexMode::Gather, ReduceOp::Add, {n}, {1}, true};
  index_launch(iter, spec, [&](int, int64_t bad) {
    TORCH_CHECK_INDEX(false, "out of range: tried to access index ", bad, " on a tensor of ", n, " elements.");
  });
  return out;
}

Tensor take(const Tensor& self, const Tensor& index) {
  Tensor out = at::empty(index.sizes(), self.options());
  return take_out(self, index, out);
}

Tensor& put_(Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  TORCH_CHECK(index.scalar_type() == kLong, "put_(): Expected a long tensor for index, but got ", index.scalar_type());
  TORCH_CHECK(self.scalar_type() == source.scalar_type(), "put_(): self and source expected to have the same dtype, "
              "but got self.dtype = ", self.scalar_type(), " and source.dtype = ", source.scalar_type());
  TORCH_CHECK(index.numel() == source.numel(), "put_(): Expected source and index to have the same number of "
              "elements, but got source.numel() = ", source.numel(), ", index.numel() = ", index.numel());
  TORCH_CHECK_INDEX(!(self.numel() == 0 && index.numel() != 0), "put_(): Tried to put elements into an empty tensor");
  if (index.numel() == 0) return self;
  Tensor target = self.is_contiguous() ? self : self.contiguous();
  auto full = nonempty_sizes(index);
  auto iter = build(target.as_strided(full, std::vector<int64_t>(full.size(), 0)),
                    {source.reshape(full), index.reshape(full)});
  const int64_t n = self.numel();
  IndexSpec spec{"put", accumulate ? IndexMode::Reduce : IndexMode::Assign, ReduceOp::Add, {n}, {1}, true};
  index_launch(iter, spec, [&](int, int64_t bad) {
    TORCH_CHECK_INDEX(false, "out of range: tried to access index ", bad, " on a tensor of ", n, " elements.");
  });
  if (!target.is_same(self)) self.copy_(target);
  return self;
}

Tensor flip(const Tensor& self, IntArrayRef dims) {
  const int64_t nd = self.dim();
  std::vector<bool> flipped(std::max<int64_t>(nd, 1), false);
  for (auto d : dims) {
    int64_t w = maybe_wrap_dim(d, nd);
    TORCH_CHECK(!flipped[w], "dims has duplicates, original flip dims size=", dims.size(), ", but unique flip dims size=",
                dims.size() - 1);
    flipped[w] = true;
  }
  Tensor out = at::empty_like(self, MemoryFormat::Preserve);
  if (self.numel() == 0 || nd == 0) {
    if (self.numel()) out.copy_(self);
    return out;
  }
  std::vector<Tensor> reversed;
  IndexSpec spec{"flip", IndexMode::Gather, ReduceOp::Add, {}, {}, false};
  auto src_strides = self.strides().vec();
  for (int64_t d = 0; d < nd; ++d) {
    if (!flipped[d] || self.size(d) == 1) continue;
    Tensor r = at::arange(self.size(d) - 1, -1, -1, self.options().dtype(kLong));
    reversed.push_back(index_along(r, d, self.sizes()));
    spec.sizes.push_back(self.size(d));
    spec.strides.push_back(self.stride(d));
    src_strides[d] = 0;
  }
  if (reversed.empty()) {
    out.copy_(self);
    return out;
  }
  TensorIteratorConfig config;
  config.set_check_mem_overlap(false).check_all_same_dtype(false).resize_outputs(false).add_output(out);
  config.add_owned_const_input(self.as_strided(self.sizes(), src_strides));
  for (auto& r : reversed) config.add_const_input(r);
  auto iter = config.build();
  spec.check = false;  // reversed aranges are in range
  index_launch(iter, spec);
  return out;
}

}  // namespace at::native::ocl
