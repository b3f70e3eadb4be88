// cat, tril/triu, roll and repeat_interleave (see ShapeOps.h).
#include "aten/native/ShapeOps.h"

#include <ATen/TensorIterator.h>
#include <ATen/WrapDimUtils.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/cat_meta.h>
#include <ATen/ops/repeat_interleave_native.h>

#include "aten/native/Copy.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Structured.h"

namespace at::native::ocl {
namespace {

using CatOp = Fn<at::meta::structured_cat, &cat_impl>;

// out = where(mask(row, col), self, 0) with mask built from two small aranges.
void triangle(const Tensor& self, int64_t k, const Tensor& out, bool lower) {
  if (self.numel() == 0) return;
  auto lopt = self.options().dtype(kLong);
  Tensor diff = at::arange(self.size(-1), lopt).sub(at::arange(self.size(-2), lopt).unsqueeze(1));
  Tensor mask = lower ? diff.le(k) : diff.ge(k);
  auto iter = TensorIteratorConfig()
                  .add_output(out)
                  .add_const_input(self)
                  .add_const_input(mask)
                  .check_all_same_dtype(false)
                  .resize_outputs(false)
                  .build();
  pointwise(iter, {lower ? "tril" : "triu", "(b != 0) ? a : 0", compute_type(self.scalar_type())});
}

}  // namespace

void cat_impl(const ITensorListRef& tensors, int64_t dim, int64_t, bool, bool, bool, MemoryFormat, const Tensor& out) {
  if (out.numel() == 0) return;
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    if (t.dim() == 1 && t.numel() == 0) continue;  // legacy empty inputs take no room
    const int64_t size = t.size(dim);
    if (size > 0) copy_same_device(out.narrow(dim, offset, size), t);
    offset += size;
  }
}

Tensor cat(const ITensorListRef& tensors, int64_t dim) {
  detail::Functional<CatOp> op;
  auto p = op.meta(tensors, dim);
  op.impl(tensors, p.dim, p.valid, p.all_contiguous, p.all_same_dtype, p.all_same_sizes_and_stride, p.memory_format,
          op.maybe_get_output(0));
  return std::move(op.outputs_[0]);
}

Tensor& cat_out(const ITensorListRef& tensors, int64_t dim, Tensor& out) {
  detail::Into<CatOp> op(out, false);
  auto p = op.meta(tensors, dim);
  op.impl(tensors, p.dim, p.valid, p.all_contiguous, p.all_same_dtype, p.all_same_sizes_and_stride, p.memory_format,
          op.maybe_get_output(0));
  op.finish();
  return out;
}

void tril_impl(const Tensor& self, int64_t diagonal, const Tensor& out) { triangle(self, diagonal, out, true); }
void triu_impl(const Tensor& self, int64_t diagonal, const Tensor& out) { triangle(self, diagonal, out, false); }

Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  TORCH_CHECK(!shifts.empty(), "`shifts` required");
  if (dims.empty() && shifts.size() == 1) {
    const int64_t dim0 = 0;
    return ocl::roll(self.flatten(), shifts, IntArrayRef(dim0)).view(self.sizes());
  }
  TORCH_CHECK(shifts.size() == dims.size(), "shifts and dimensions must align. shifts: ", shifts.size(),
              ", dims:", dims.size());
  Tensor t = self;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = maybe_wrap_dim(dims[i], self.dim());
    const int64_t n = t.size(d);
    if (n == 0) continue;
    const int64_t s = ((shifts[i] % n) + n) % n;
    if (s == 0) continue;
    t = at::cat({t.narrow(d, n - s, s), t.narrow(d, 0, n - s)}, d);
  }
  return t.is_same(self) ? self.clone() : t;
}

Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size) {
  Tensor host = at::native::repeat_interleave_cpu(repeats.cpu(), output_size);
  return host.to(repeats.device());
}

}  // namespace at::native::ocl
