// Radix select launchers: one work-group per row for short rows (or many rows), a
// histogram pass per 8-bit digit over many work-groups per row for long ones.
#include "aten/native/RadixSelect.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

constexpr int kWG = 256;           // work-group size the kernels are written for (one item per digit)
constexpr int64_t kTile = 16 * kWG;  // elements per work-group in the long-row kernels
// Largest k sorted in local memory. The rank sort is O(k^2) per row; above this the full
// bitonic sort of the row costs about as much, and k is then a large share of most rows.
constexpr int64_t kSortCap = 1024;

struct KeyInfo {
  int bits;          // key width: the element's
  bool wide;         // 64-bit keys
  std::string defs;  // BT, KT, KEY_BITS, KIND_*, SIGN_BIT, EXP_MASK
};

KeyInfo key_info(ScalarType t) {
  const int bytes = static_cast<int>(c10::elementSize(t));
  KeyInfo ki{bytes * 8, bytes == 8, ""};
  const std::string KT = ki.wide ? "ulong" : "uint", suffix = ki.wide ? "UL" : "u";
  ki.defs = std::string("#define BT ") + cl_bits_type(bytes) + "\n#define KT " + KT +
            "\n#define KEY_BITS " + std::to_string(ki.bits) + "\n";
  auto hex = [&](uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
    return "((KT)" + std::string(buf) + suffix + ")";
  };
  const uint64_t sign = uint64_t(1) << (ki.bits - 1);
  if (isFloatingType(t)) {
    uint64_t exp = 0;
    switch (t) {
      case kHalf: exp = 0x7c00; break;
      case kBFloat16: exp = 0x7f80; break;
      case kFloat: exp = 0x7f800000; break;
      default: exp = 0x7ff0000000000000ULL;
    }
    ki.defs += "#define KIND_FLOAT 1\n#define SIGN_BIT " + hex(sign) + "\n#define EXP_MASK " + hex(exp) + "\n";
  } else if (t == kByte || t == kBool) {
    ki.defs += "#define KIND_UNSIGNED 1\n";
  } else {
    ki.defs += "#define KIND_SIGNED 1\n#define SIGN_BIT " + hex(sign) + "\n";
  }
  return ki;
}

struct Program {
  int device;
  std::string name, defs;
  KernelArgs kernel(const char* k) const {
    return KernelArgs(device, name, k, [&] { return defs + torch_ocl::runtime::kernel_source("radix_select.cl"); });
  }
};

// cache > 0: the one-group-per-row kernel keeping up to `cache` keys in local memory;
// cache = 0 with rows: that kernel reading the row from global memory each pass; else the
// long-row kernels.
Program program(int device, ScalarType t, const KeyInfo& ki, bool rows, int64_t cache, int64_t kcap) {
  Program p{device,
            "radix_select_" + std::string(c10::toString(t)) + (rows ? "_rows_c" + std::to_string(cache) : "_long") +
                "_s" + std::to_string(kcap),
            ki.defs};
  p.defs += "#define WG " + std::to_string(kWG) + "\n#define TILE " + std::to_string(kTile) + "\n#define CACHE " +
            std::to_string(cache) + "\n#define KCAP " + std::to_string(kcap) + "\n";
  if (rows) p.defs += "#define ROWS_KERNEL 1\n";
  return p;
}

enum class Path { Auto, Rows, Long, Sort };

// TORCH_OCL_TOPK_PATH = rows | long | sort forces a path (for tests and comparisons; sort
// leaves every call to the caller's full sort); unset, the shape decides.
Path forced_path() {
  static const Path path = [] {
    const char* env = std::getenv("TORCH_OCL_TOPK_PATH");
    const std::string v = env ? env : "";
    if (v.empty()) return Path::Auto;
    if (v == "rows") return Path::Rows;
    if (v == "long") return Path::Long;
    if (v == "sort") return Path::Sort;
    TORCH_CHECK(false, "[ocl::topk] TORCH_OCL_TOPK_PATH must be rows, long or sort, got '", v, "'");
    return Path::Auto;
  }();
  return path;
}

void add_flip(KernelArgs& a, const KeyInfo& ki, bool largest) {
  // largest=False selects by the complemented key (NaN, the largest value, becomes the worst)
  const uint64_t all = ki.bits == 64 ? ~uint64_t(0) : (uint64_t(1) << ki.bits) - 1;
  if (ki.wide)
    a.add<cl_ulong>(largest ? 0 : all);
  else
    a.add<cl_uint>(static_cast<cl_uint>(largest ? 0 : all));
}

}  // namespace

bool radix_select(const Tensor& x, int64_t k, int64_t first, bool largest, bool sorted, const Tensor& values,
                  const Tensor& indices) {
  TORCH_INTERNAL_ASSERT(x.dim() == 2 && x.is_contiguous() && values.is_contiguous() && indices.is_contiguous());
  const int64_t rows = x.size(0), n = x.size(1);
  TORCH_INTERNAL_ASSERT(k >= 1 && k <= n && first >= 0 && first < k);
  const int device = x.device().index();
  const auto& info = torch_ocl::runtime::device_info(device);
  const ScalarType t = x.scalar_type();
  check_dtype_supported(t, device);
  const Path forced = forced_path();
  if (forced == Path::Sort) return false;
  if (n > std::numeric_limits<int32_t>::max() || info.max_work_group_size < uint64_t(kWG)) return false;
  // Sorted, most of a row: sorting whole rows costs about as much as selecting and then
  // rank-sorting k (O(k^2) per row).
  if (sorted && (k > kSortCap || (k > 256 && 2 * k > n))) return false;
  const KeyInfo ki = key_info(t);
  const int64_t kb = ki.bits / 8 < 4 ? 4 : ki.bits / 8;  // local key bytes
  // Two sizes of the in-group sort's arrays (small k keeps local memory, so occupancy,
  // free), so few kernel variants to compile; the long-row kernels always take the larger.
  const int64_t kcap = sorted && k > 64 ? kSortCap : 64;
  const uint64_t fixed = 4 * 256 + 8 * (kWG + 17) + 64;  // histogram, scan buffer, digit
  if (uint64_t(kSortCap) * (kb + 8) + fixed > info.local_mem) return false;
  if (rows == 0) return true;

  torch_ocl::ElementBuffer mx = torch_ocl::element_buffer_of(x), mv = torch_ocl::element_buffer_of(values),
                           mi = torch_ocl::element_buffer_of(indices);
  const uint64_t fill_groups = uint64_t(info.compute_units) * (info.is_gpu ? 16 : 4);
  // One work-group per row while the rows fill the device (or are short); else many per row.
  const bool by_rows = n <= 4 * kTile || uint64_t(rows) * 4 >= fill_groups;
  if (forced == Path::Rows || (forced == Path::Auto && by_rows)) {
    // Keys of a row stay in local memory through the passes when they fit beside the rest.
    int64_t cache = n <= 1024 ? 1024 : n <= 4096 ? 4096 : 0;
    const uint64_t used = fixed + uint64_t(kcap) * (kb + 4);
    if (used + uint64_t(cache) * kb > info.local_mem * 3 / 4) cache = 0;
    const Program p = program(device, t, ki, true, cache, kcap);
    KernelArgs a = p.kernel("topk_rows");
    a.add_mem(mx.mem).add(mx.off).add_mem(mv.mem).add(mv.off).add_mem(mi.mem).add(mi.off);
    a.add<cl_ulong>(rows).add<cl_uint>(n).add<cl_uint>(k).add<cl_uint>(first).add<cl_uint>(sorted);
    add_flip(a, ki, largest);
    const uint64_t groups = std::min<uint64_t>(rows, info.is_gpu ? uint64_t(1) << 20 : fill_groups);
    a.launch(static_cast<size_t>(groups * kWG), kWG);
    return true;
  }

  const Program p = program(device, t, ki, false, 0, kSortCap);
  const int64_t tiles = (n + kTile - 1) / kTile;
  const int64_t parts = std::clamp<int64_t>(int64_t(fill_groups) / rows, 1, tiles);
  auto opts = x.options();
  Tensor hist = at::zeros({rows, 256}, opts.dtype(kInt));
  Tensor state = at::empty({rows, 4}, opts.dtype(kLong));
  Tensor cnt = at::empty({rows, tiles, 2}, opts.dtype(kInt));
  Tensor off = at::empty({rows, tiles + 1, 2}, opts.dtype(kInt));
  torch_ocl::ElementBuffer mh = torch_ocl::element_buffer_of(hist), ms = torch_ocl::element_buffer_of(state),
                           mc = torch_ocl::element_buffer_of(cnt), mo = torch_ocl::element_buffer_of(off);
  // cnt and off are read as uint2: their offsets in those units (blocks are 512-byte aligned)
  const cl_ulong oc = mc.off / 2, oo = mo.off / 2;
  for (int shift = ki.bits - 8; shift >= 0; shift -= 8) {
    KernelArgs h = p.kernel("radix_hist");
    h.add_mem(mx.mem).add(mx.off).add_mem(mh.mem).add(mh.off).add_mem(ms.mem).add(ms.off);
    h.add<cl_uint>(n).add<cl_uint>(parts).add<cl_int>(shift);
    add_flip(h, ki, largest);
    h.launch(static_cast<size_t>(rows * parts * kWG), kWG);
    KernelArgs f = p.kernel("radix_find");
    f.add_mem(mh.mem).add(mh.off).add_mem(ms.mem).add(ms.off).add<cl_ulong>(rows).add<cl_uint>(k).add<cl_int>(shift);
    f.launch_1d(rows);
  }
  {
    KernelArgs c = p.kernel("tile_count");
    c.add_mem(mx.mem).add(mx.off).add_mem(ms.mem).add(ms.off).add_mem(mc.mem).add(oc).add<cl_uint>(n).add<cl_uint>(tiles);
    add_flip(c, ki, largest);
    c.launch(static_cast<size_t>(rows * tiles * kWG), kWG);
  }
  {
    KernelArgs o = p.kernel("tile_offsets");
    o.add_mem(mc.mem).add(oc).add_mem(mo.mem).add(oo).add<cl_uint>(tiles);
    o.launch(static_cast<size_t>(rows * kWG), kWG);
  }
  // Sorted output goes through a [rows, k] buffer that rank_sort orders into the outputs.
  Tensor uv = sorted ? at::empty({rows, k}, values.options()) : values;
  Tensor ui = sorted ? at::empty({rows, k}, indices.options()) : indices;
  torch_ocl::ElementBuffer muv = torch_ocl::element_buffer_of(uv), mui = torch_ocl::element_buffer_of(ui);
  {
    KernelArgs s = p.kernel("tile_scatter");
    s.add_mem(mx.mem).add(mx.off).add_mem(ms.mem).add(ms.off).add_mem(mo.mem).add(oo).add_mem(muv.mem).add(muv.off).add_mem(mui.mem).add(
        mui.off);
    s.add<cl_uint>(n).add<cl_uint>(tiles).add<cl_uint>(k).add<cl_uint>(first);
    add_flip(s, ki, largest);
    s.launch(static_cast<size_t>(rows * tiles * kWG), kWG);
  }
  if (sorted) {
    KernelArgs s = p.kernel("rank_sort");
    s.add_mem(muv.mem).add(muv.off).add_mem(mui.mem).add(mui.off).add_mem(mv.mem).add(mv.off).add_mem(mi.mem).add(
        mi.off);
    s.add<cl_ulong>(rows).add<cl_uint>(k);
    add_flip(s, ki, largest);
    s.launch(static_cast<size_t>(std::min<uint64_t>(rows, fill_groups) * kWG), kWG);
  }
  return true;
}

}  // namespace at::native::ocl
