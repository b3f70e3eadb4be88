// Scan launchers: rows of a contiguous [rows, n] buffer are scanned chunk by chunk; chunk
// totals are scanned recursively and combined back, so one long row still fills the device.
#include "aten/native/Scan.h"

#include <ATen/WrapDimUtils.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include <algorithm>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

const char* kind_name(ScanKind kind) {
  switch (kind) {
    case ScanKind::Sum: return "sum";
    case ScanKind::Prod: return "prod";
    case ScanKind::Max: return "max";
    case ScanKind::Min: return "min";
    case ScanKind::LogSumExp: return "logsumexp";
  }
  return "?";
}

// The #defines that specialise scan.cl for a value type and an operation.
std::string defines(ScalarType t, ScanKind kind, int wg) {
  std::string d = "#define T " + cl_type(t) + "\n#define WG " + std::to_string(wg) + "\n";
  if (t == kDouble) d += "#define OCL_FP64 1\n";
  switch (kind) {
    case ScanKind::Sum:
      return d + "#define IDENTITY 0\n#define COMBINE(a, b) ((a) + (b))\n";
    case ScanKind::Prod:
      return d + "#define IDENTITY 1\n#define COMBINE(a, b) ((a) * (b))\n";
    case ScanKind::LogSumExp:
      return d + "#define NEED_LOG_ADD_EXP 1\n#define IDENTITY (-INFINITY)\n#define COMBINE(a, b) log_add_exp(a, b)\n";
    case ScanKind::Max:
    case ScanKind::Min: {
      // NaN wins and stays (a later NaN takes the index); ties go to the later element.
      std::string cmp = kind == ScanKind::Max ? ">=" : "<=";
      std::string rep = isFloatingType(t) ? "(IS_NAN(b) || (!IS_NAN(a) && (b) " + cmp + " (a)))"
                                          : "((b) " + cmp + " (a))";
      return d + "#define HAS_INDEX 1\n#define IDENTITY 0\n#define REPLACES(a, b) " + rep + "\n";
    }
  }
  return d;
}

struct Program {
  std::string name, defs;
};

Program program(ScalarType t, ScanKind kind, int wg) {
  return {std::string("scan_") + kind_name(kind) + "_" + cl_type(t) + "_" + std::to_string(wg), defines(t, kind, wg)};
}

int work_group(int device) {
  return static_cast<int>(std::min<uint64_t>(256, torch_ocl::runtime::device_info(device).max_work_group_size));
}

KernelArgs kernel(int device, const Program& p, const char* name) {
  return KernelArgs(device, p.name, name, [&] { return p.defs + torch_ocl::runtime::kernel_source("scan.cl"); });
}

}  // namespace

void scan_rows(const Tensor& x, const Tensor& y, ScanKind kind, const Tensor* indices) {
  TORCH_INTERNAL_ASSERT(x.dim() == 2 && x.is_contiguous() && y.is_contiguous());
  const int64_t rows = x.size(0), n = x.size(1);
  if (rows == 0 || n == 0) return;
  const int device = x.device().index();
  ScalarType t = x.scalar_type();
  check_dtype_supported(t, device);
  const bool with_index = kind == ScanKind::Max || kind == ScanKind::Min;
  TORCH_INTERNAL_ASSERT(!with_index || indices);
  const auto& info = torch_ocl::runtime::device_info(device);
  const int wg = work_group(device);
  const Program prog = program(t, kind, wg);
  // Enough groups to fill the device: long rows are cut into chunks of whole tiles.
  const int64_t target = int64_t(info.compute_units) * (info.is_gpu ? 8 : 2);
  int64_t chunks = 1;
  if (rows < target && n > 4 * wg) chunks = std::min<int64_t>((target + rows - 1) / rows, (n + 4 * wg - 1) / (4 * wg));
  int64_t chunk_len = ((n + chunks - 1) / chunks + wg - 1) / wg * wg;
  chunks = (n + chunk_len - 1) / chunk_len;
  Tensor tot = at::empty({rows, chunks}, x.options());
  Tensor toti = with_index ? at::empty({rows, chunks}, x.options().dtype(kLong)) : Tensor();
  torch_ocl::ElementBuffer mx = torch_ocl::element_buffer_of(x), my = torch_ocl::element_buffer_of(y), mt = torch_ocl::element_buffer_of(tot);
  {
    KernelArgs k = kernel(device, prog, "scan_chunks");
    k.add_mem(mx.mem).add(mx.off).add_mem(my.mem).add(my.off).add_mem(mt.mem).add(mt.off);
    if (with_index) {
      torch_ocl::ElementBuffer mi = torch_ocl::element_buffer_of(*indices), mti = torch_ocl::element_buffer_of(toti);
      // the first level numbers elements by position; xi is unused (any buffer will do)
      k.add_mem(mi.mem).add(mi.off).add_mem(mi.mem).add(mi.off).add_mem(mti.mem).add(mti.off).add<cl_int>(0);
    }
    k.add<cl_ulong>(rows).add<cl_ulong>(n).add<cl_ulong>(chunks).add<cl_ulong>(chunk_len);
    uint64_t groups = std::min<uint64_t>(rows * chunks, uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4));
    k.launch(static_cast<size_t>(groups * wg), wg);
  }
  if (chunks == 1) return;
  // Scan the chunk totals (recursively), then fold each chunk's predecessors into it.
  Tensor tot_scan = at::empty_like(tot);
  Tensor toti_scan;
  if (with_index) {
    toti_scan = at::empty_like(toti);
    // second level: scan pairs whose indices come from toti
    torch_ocl::ElementBuffer a = torch_ocl::element_buffer_of(tot), b = torch_ocl::element_buffer_of(tot_scan), ai = torch_ocl::element_buffer_of(toti), bi = torch_ocl::element_buffer_of(toti_scan);
    Tensor t2 = at::empty({rows, 1}, x.options()), t2i = at::empty({rows, 1}, x.options().dtype(kLong));
    TORCH_CHECK(chunks <= 4 * wg * target, "[ocl::scan] row too long");  // one level of recursion suffices
    torch_ocl::ElementBuffer c = torch_ocl::element_buffer_of(t2), ci = torch_ocl::element_buffer_of(t2i);
    KernelArgs k = kernel(device, prog, "scan_chunks");
    k.add_mem(a.mem).add(a.off).add_mem(b.mem).add(b.off).add_mem(c.mem).add(c.off);
    k.add_mem(ai.mem).add(ai.off).add_mem(bi.mem).add(bi.off).add_mem(ci.mem).add(ci.off).add<cl_int>(1);
    k.add<cl_ulong>(rows).add<cl_ulong>(chunks).add<cl_ulong>(1).add<cl_ulong>(chunks);
    k.launch(static_cast<size_t>(std::min<int64_t>(rows, 4096) * wg), wg);
  } else {
    scan_rows(tot, tot_scan, kind);
  }
  torch_ocl::ElementBuffer mts = torch_ocl::element_buffer_of(tot_scan);
  KernelArgs k = kernel(device, prog, "scan_carry");
  k.add_mem(my.mem).add(my.off).add_mem(mts.mem).add(mts.off);
  if (with_index) {
    torch_ocl::ElementBuffer mi = torch_ocl::element_buffer_of(*indices), mtis = torch_ocl::element_buffer_of(toti_scan);
    k.add_mem(mi.mem).add(mi.off).add_mem(mtis.mem).add(mtis.off);
  }
  k.add<cl_ulong>(rows).add<cl_ulong>(n).add<cl_ulong>(chunks).add<cl_ulong>(chunk_len);
  k.launch_1d(static_cast<uint64_t>(rows * n));
}

Tensor count_prefix(const Tensor& t) {
  Tensor flags = t.reshape({1, -1}).to(kBool).to(kLong).contiguous();
  Tensor pos = at::empty_like(flags);
  scan_rows(flags, pos, ScanKind::Sum);
  return pos.view({-1});
}

namespace {

// The dtype scans accumulate in: float for 16-bit floats, int64 for integers and bool.
ScalarType scan_acc(ScalarType t) {
  if (t == kDouble) return kDouble;
  if (isFloatingType(t)) return kFloat;
  return kLong;
}

// Scans `input` (already in the result's dtype) along dim into the outputs.
void scan_dim(const Tensor& input, int64_t dim, ScanKind kind, const Tensor& values, const Tensor* indices) {
  if (input.numel() == 0) return;
  dim = maybe_wrap_dim(dim, input.dim());
  Tensor moved = (input.dim() == 0 ? input.view({1}) : input).movedim(dim, -1);
  const int64_t n = moved.size(-1);
  Tensor x = moved.to(scan_acc(input.scalar_type())).contiguous().view({-1, n});
  Tensor y = at::empty_like(x);
  Tensor idx = indices ? at::empty(x.sizes(), x.options().dtype(kLong)) : Tensor();
  scan_rows(x, y, kind, indices ? &idx : nullptr);
  auto back = [&](const Tensor& src, const Tensor& dst) {
    Tensor d = (dst.dim() == 0 ? dst.view({1}) : dst).movedim(dim, -1);
    d.copy_(src.view(moved.sizes()));
  };
  back(y, values);
  if (indices) back(idx, *indices);
}

}  // namespace

void cumsum_impl(const Tensor& self, int64_t dim, std::optional<ScalarType>, const Tensor& result) {
  scan_dim(self.to(result.scalar_type()), dim, ScanKind::Sum, result, nullptr);
}

void cumprod_impl(const Tensor& self, int64_t dim, std::optional<ScalarType>, const Tensor& result) {
  scan_dim(self.to(result.scalar_type()), dim, ScanKind::Prod, result, nullptr);
}

void cummax_helper(const Tensor& self, Tensor& values, Tensor& indices, int64_t dim) {
  scan_dim(self, dim, ScanKind::Max, values, &indices);
}

void cummin_helper(const Tensor& self, Tensor& values, Tensor& indices, int64_t dim) {
  scan_dim(self, dim, ScanKind::Min, values, &indices);
}

Tensor logcumsumexp(const Tensor& self, int64_t dim) {
  Tensor result = at::empty_like(self, MemoryFormat::Contiguous);
  return logcumsumexp_out(self, dim, result);
}

Tensor& logcumsumexp_out(const Tensor& self, int64_t dim, Tensor& out) {
  TORCH_CHECK(isFloatingType(self.scalar_type()), "logcumsumexp(): expected floating point dtype, got ",
              self.scalar_type());
  maybe_wrap_dim(dim, self.dim());
  at::native::resize_output(out, self.sizes());
  scan_dim(self, dim, ScanKind::LogSumExp, out, nullptr);
  return out;
}

}  // namespace at::native::ocl
