// im2col / col2im launchers over csrc/kernels/im2col.cl (see Im2Col.h).
#include "aten/native/Im2Col.h"

#include <array>
#include <limits>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

bool needs_idx64(int64_t a, int64_t b) {
  constexpr int64_t lim = std::numeric_limits<int32_t>::max();
  return a > lim || b > lim;
}

template <typename I>
std::array<I, 19> geometry(const Window& w) {
  return {I(w.C),  I(w.D),  I(w.H),  I(w.W),  I(w.KD), I(w.KH), I(w.KW), I(w.SD), I(w.SH), I(w.SW),
          I(w.PD), I(w.PH), I(w.PW), I(w.DD), I(w.DH), I(w.DW), I(w.OD), I(w.OH), I(w.OW)};
}

// Element offset of t's first element in its cl_mem.
size_t element_offset(const torch_ocl::Buffer& b, const Tensor& t) {
  size_t es = t.element_size();
  TORCH_INTERNAL_ASSERT(b.offset % es == 0, "[ocl::im2col] misaligned tensor");
  return b.offset / es;
}

// Adds the geometry, image count, column strides and element count as IDX values.
void add_shape(KernelArgs& args, const Window& w, int64_t nimg, int64_t rs, int64_t ns, int64_t total,
               bool idx64) {
  add_window(args, w, idx64);
  args.add_index(nimg, idx64).add_index(rs, idx64).add_index(ns, idx64).add_index(total, idx64);
}

// A pure-copy window kernel file (im2col.cl, im2col_cl.cl) for elements of `bits` (an unsigned
// type of their size: half, bfloat16 and float share a kernel).
std::string bits_window_source(const std::string& bits, const std::string& idx, const char* file) {
  return "#define IDX " + idx + "\n#define BITS " + bits + "\n" + torch_ocl::runtime::kernel_source("window.cl") + "\n" +
         torch_ocl::runtime::kernel_source(file);
}

}  // namespace

void add_window(KernelArgs& args, const Window& w, bool idx64) {
  if (idx64)
    args.add(geometry<cl_ulong>(w));
  else
    args.add(geometry<cl_uint>(w));
}

std::string typed_window_source(ScalarType t, bool idx64, const std::string& file) {
  return typed_source(t, idx64, "window.cl") + "\n" + torch_ocl::runtime::kernel_source(file);
}

void im2col(const Tensor& x, int64_t n0, int64_t nimg, const Window& w, const Tensor& col, int64_t rs, int64_t ns) {
  int64_t total = w.rows() * nimg * w.windows();
  if (total == 0) return;
  TORCH_INTERNAL_ASSERT(x.is_contiguous() && x.scalar_type() == col.scalar_type());
  bool idx64 = needs_idx64(total, x.numel()) || needs_idx64(col.numel(), 0);
  std::string bits = cl_bits_type(x.element_size());
  std::string idx = idx64 ? "ulong" : "uint";
  std::string name = "im2col_" + bits + "_" + idx;
  KernelArgs args(col.device().index(), name, "im2col", [&] { return bits_window_source(bits, idx, "im2col.cl"); });
  auto xb = torch_ocl::buffer_of(x);
  auto cb = torch_ocl::buffer_of(col);
  args.add_mem(xb.mem).add<cl_ulong>(element_offset(xb, x) + n0 * w.image());
  args.add_mem(cb.mem).add<cl_ulong>(element_offset(cb, col));
  add_shape(args, w, nimg, rs, ns, total, idx64);
  args.launch_1d(total);
}

void col2im(const Tensor& col, int64_t rs, int64_t ns, const Window& w, const Tensor& x, int64_t n0, int64_t nimg) {
  int64_t total = nimg * w.image();
  if (total == 0) return;
  TORCH_INTERNAL_ASSERT(x.is_contiguous() && x.scalar_type() == col.scalar_type());
  ScalarType t = x.scalar_type();
  check_dtype_supported(t, x.device().index());
  bool idx64 = needs_idx64(total, col.numel()) || needs_idx64(x.numel(), 0);
  KernelArgs args(x.device().index(), "col2im_" + typed_suffix(t, idx64), "col2im",
                  [&] { return typed_window_source(t, idx64, "im2col.cl"); });
  auto cb = torch_ocl::buffer_of(col);
  auto xb = torch_ocl::buffer_of(x);
  args.add_mem(cb.mem).add<cl_ulong>(element_offset(cb, col));
  args.add_mem(xb.mem).add<cl_ulong>(element_offset(xb, x) + n0 * w.image());
  add_shape(args, w, nimg, rs, ns, total, idx64);
  args.launch_1d(total);
}

void im2col_channels_last(const Tensor& x, int64_t n0, int64_t nimg, const Window& w, const Tensor& col) {
  const int64_t total = nimg * w.windows() * w.rows();
  if (total == 0) return;
  TORCH_INTERNAL_ASSERT(x.scalar_type() == col.scalar_type() && col.is_contiguous());
  const bool idx64 = needs_idx64(total, x.numel());
  const std::string bits = cl_bits_type(x.element_size()), idx = idx64 ? "ulong" : "uint";
  KernelArgs args(col.device().index(), "im2col_cl_" + bits + "_" + idx, "im2col_cl",
                  [&] { return bits_window_source(bits, idx, "im2col_cl.cl"); });
  auto xb = torch_ocl::buffer_of(x);
  auto cb = torch_ocl::buffer_of(col);
  args.add_mem(xb.mem).add<cl_ulong>(element_offset(xb, x) + n0 * w.image());
  args.add_mem(cb.mem).add<cl_ulong>(element_offset(cb, col));
  add_window(args, w, idx64);
  args.add_index(total, idx64);
  args.launch_1d(total);
}

void col2im_channels_last(const Tensor& col, const Window& w, const Tensor& x, int64_t n0, int64_t nimg) {
  const int64_t total = nimg * w.image();
  if (total == 0) return;
  TORCH_INTERNAL_ASSERT(x.scalar_type() == col.scalar_type() && col.is_contiguous());
  const ScalarType t = x.scalar_type();
  check_dtype_supported(t, x.device().index());
  const bool idx64 = needs_idx64(total, col.numel()) || needs_idx64(x.numel(), 0);
  KernelArgs args(x.device().index(), "col2im_cl_" + typed_suffix(t, idx64), "col2im_cl",
                  [&] { return typed_window_source(t, idx64, "im2col_cl.cl"); });
  auto cb = torch_ocl::buffer_of(col);
  auto xb = torch_ocl::buffer_of(x);
  args.add_mem(cb.mem).add<cl_ulong>(element_offset(cb, col));
  args.add_mem(xb.mem).add<cl_ulong>(element_offset(xb, x) + n0 * w.image());
  add_window(args, w, idx64);
  args.add_index(total, idx64);
  args.launch_1d(total);
}

}  // namespace at::native::ocl
