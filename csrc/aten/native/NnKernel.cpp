// Building nn-family kernels from csrc/kernels sources with per-dtype macros (see NnKernel.h).
#include "aten/native/NnKernel.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {

namespace {

// LDV_/STV_ for a floating role: one vector access of vec stored elements (16-bit types as
// their bits), lanes converted to and from acc_t.
std::string vector_helpers(const std::string& role, ScalarType t, int vec) {
  const std::string sv =
      (t == kHalf || t == kBFloat16 ? std::string("ushort") : cl_storage_type(t)) + std::to_string(vec);
  std::string load, store;
  for (int l = 0; l < vec; ++l) {
    const std::string lane = "v.s" + std::to_string(l);
    const std::string sep = l ? ", " : "";
    if (t == kHalf) {
      load += sep + "(acc_t)half_bits_to_float(" + lane + ")";
      store += sep + "float_to_half_bits((float)" + lane + ")";
    } else if (t == kBFloat16) {
      load += sep + "(acc_t)bf16_to_float(" + lane + ")";
      store += sep + "float_to_bf16((float)" + lane + ")";
    } else {
      load += sep + "(acc_t)" + lane;
      store += sep + "(" + cl_storage_type(t) + ")" + lane;
    }
  }
  const std::string pt = role + "_t";
  return "inline accv_t ldv_" + role + "(__global const " + pt + "* p, uint i) {\n  const " + sv +
         " v = *(__global const " + sv + "*)(p + i);\n  return (accv_t)(" + load + ");\n}\n" +
         "inline void stv_" + role + "(__global " + pt + "* p, uint i, accv_t v) {\n  *(__global " + sv +
         "*)(p + i) = (" + sv + ")(" + store + ");\n}\n#define LDV_" + role + "(p, i) ldv_" + role +
         "((p), (i))\n#define STV_" + role + "(p, i, v) stv_" + role + "((p), (i), (v))\n";
}

}  // namespace

KernelArgs nn_kernel(int device, const std::string& file, const std::string& kernel, const Roles& roles,
                     ScalarType acc, const std::string& defines, int vec) {
  check_dtype_supported(acc, device);
  // The program name covers everything the source depends on (file, kernel, roles, acc, vec,
  // defines); the source itself is only assembled when the kernel is not cached yet.
  std::string key = defines;
  key.reserve(key.size() + 64);
  key += '|';
  key += kernel;
  key += '|';
  key += std::to_string(static_cast<int>(acc));
  key += '|';
  key += std::to_string(vec);
  for (const auto& [role, t] : roles) {
    check_dtype_supported(t, device);
    key += '|';
    key += role;
    key += ':';
    key += std::to_string(static_cast<int>(t));
  }
  char hash[17];
  std::snprintf(hash, sizeof(hash), "%016zx", std::hash<std::string>{}(key));
  return KernelArgs(device, file + "_" + hash, kernel, [&] {
    bool fp64 = acc == kDouble;
    const std::string at = cl_type(acc);
    // Only the requested kernel is compiled (the others may use roles this call lacks).
    std::string defs = defines + "#define KERNEL_" + kernel + " 1\ntypedef " + at + " acc_t;\ntypedef " + at +
                       "2 acc2_t;\n#define VW " + std::to_string(vec) + "\ntypedef " + at +
                       (vec > 1 ? std::to_string(vec) : "") + " accv_t;\n";
    std::string vecs;  // after common.cl, whose conversions they use
    for (const auto& [role, t] : roles) {
      fp64 |= t == kDouble;
      defs += "#define LD_" + role + "(p, i) (" + cl_load(t, "(p)", "(i)") + ")\n";
      defs += "#define ST_" + role + "(p, i, v) " + cl_store(t, "(p)", "(i)", "(v)") + "\n";
      defs += "typedef " + cl_storage_type(t) + " " + role + "_t;\n";
      if (!isFloatingType(t)) continue;
      if (vec > 1)
        vecs += vector_helpers(role, t, vec);
      else
        vecs += "#define LDV_" + role + "(p, i) LD_" + role + "(p, i)\n#define STV_" + role + "(p, i, v) ST_" +
                role + "(p, i, v)\n";
    }
    if (fp64) defs = "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define OCL_HAS_FP64 1\n" + defs;
    return defs + torch_ocl::runtime::kernel_source("common.cl") + "\n" + vecs +
           torch_ocl::runtime::kernel_source("rows.cl") + "\n" + torch_ocl::runtime::kernel_source(file);
  });
}

std::string define_flag(const char* name, bool v) { return std::string("#define ") + name + (v ? " 1\n" : " 0\n"); }

void add_tensor(KernelArgs& args, const TensorBase& t) {
  auto buf = torch_ocl::buffer_of(t);
  size_t es = t.element_size();
  TORCH_INTERNAL_ASSERT(buf.offset % es == 0, "[ocl] misaligned tensor");
  args.add_mem(buf.mem).add<cl_ulong>(buf.offset / es);
}

int row_group_size(int device, int64_t n) {
  int local = 32;
  while (local < 256 && local < n) local <<= 1;
  return static_cast<int>(std::min<size_t>(local, torch_ocl::runtime::device_info(device).max_work_group_size));
}

size_t row_groups(int device, int64_t rows) {
  const auto& info = torch_ocl::runtime::device_info(device);
  uint64_t cap = uint64_t(info.compute_units) * (info.is_gpu ? 64 : 8);
  return static_cast<size_t>(std::max<uint64_t>(1, std::min<uint64_t>(rows, cap)));
}

int row_vector_width(int64_t n, std::initializer_list<const TensorBase*> tensors) {
  const TensorBase& first = **tensors.begin();
  int vec = std::min<int>(8, 16 / static_cast<int>(first.element_size()));
  auto aligned = [&](int v) {
    if (n % v) return false;
    for (const TensorBase* t : tensors)
      if (t->defined() && torch_ocl::buffer_of(*t).offset % (t->element_size() * v)) return false;
    return true;
  };
  while (vec > 1 && !aligned(vec)) vec /= 2;
  return vec;
}

std::string RowPlan::defines() const {
  // SEG_P: items of a segment that combine the first level of its reduction, about sqrt(t)
  // so both levels are short (two barriers per reduction, not log2(t)).
  int log_t = 0;
  while ((1 << log_t) < t) ++log_t;
  const int p = 1 << ((log_t + 1) / 2);
  return "#define WG " + std::to_string(wg) + "\n#define SEG_T " + std::to_string(t) + "\n#define SEG_P " +
         std::to_string(p) + "\n#define VK " + std::to_string(k) + "\n";
}

RowPlan row_plan(int device, int64_t rows, int64_t n, int vec, int elems, int max_elems) {
  RowPlan plan;
  plan.vec = vec;
  const auto& info = torch_ocl::runtime::device_info(device);
  const int max_wg = static_cast<int>(std::min<uint64_t>(1024, info.max_work_group_size));
  const int64_t nv = (n + vec - 1) / vec;
  const int64_t per_item = std::max(1, elems / vec);
  int t = 1;
  while (t < max_wg && t * per_item < nv) t <<= 1;
  plan.t = t;
  plan.k = static_cast<int>((nv + t - 1) / t);
  // TORCH_OCL_NN_ROWS=0 keeps every row on the multi-pass kernels (comparison, tuning)
  static const bool resident = [] {
    const char* v = std::getenv("TORCH_OCL_NN_ROWS");
    return v == nullptr || std::string(v) != "0";
  }();
  plan.fits = resident && n > 0 && int64_t(plan.k) * vec <= max_elems;
  // Short rows share a work-group so that it keeps enough items (several rows per group).
  plan.wg = std::max(t, std::min(256, max_wg));
  const int64_t blocks = (rows + plan.wg / t - 1) / (plan.wg / t);
  plan.groups = row_groups(device, blocks);
  return plan;
}

std::string StreamPlan::defines() const { return "#define WG " + std::to_string(wg) + "\n"; }

StreamPlan stream_plan(int device, int64_t rows, int64_t n, int64_t reread, ScalarType acc,
                       std::initializer_list<const TensorBase*> tensors) {
  StreamPlan plan;
  const TensorBase& first = **tensors.begin();
  // Each item holds UNROLL (4) vectors per operand in accumulator registers: 16 floats, the
  // float32 case measured fast with 1024 items per work-group (16-bit rows read 8 wide, 32 floats
  // per operand, ran at a quarter to a half of its rate on an H100; registers are the likely cause).
  plan.vec = std::min<int>(16 / static_cast<int>(first.element_size()), 16 / static_cast<int>(elementSize(acc)));
  auto congruent = [&](int v) {
    const int64_t r = int64_t(torch_ocl::buffer_of(first).offset / first.element_size()) % v;
    for (const TensorBase* t : tensors)
      if (int64_t(torch_ocl::buffer_of(*t).offset / t->element_size()) % v != r) return false;
    return true;
  };
  while (plan.vec > 1 && !congruent(plan.vec)) plan.vec /= 2;
  const auto& info = torch_ocl::runtime::device_info(device);
  if (!info.is_gpu) {
    plan.wg = row_group_size(device, n);
    plan.groups = row_groups(device, rows);
    return plan;
  }
  // enough items for the row's vectors four at a time, up to 1024
  const int max_wg = static_cast<int>(std::min<uint64_t>(1024, info.max_work_group_size));
  while (plan.wg < max_wg && int64_t(plan.wg) * plan.vec * 4 < n) plan.wg <<= 1;
  const int64_t cus = std::max<int64_t>(1, info.compute_units);
  const int64_t per_cu = std::max<int64_t>(1, 1024 / plan.wg);  // items resident per unit, counting low
  const int64_t in_l2 = std::max<int64_t>(cus, (int64_t(24) << 20) / std::max<int64_t>(1, reread));
  plan.groups = size_t(std::max<int64_t>(1, std::min({rows, cus * per_cu, in_l2})));
  return plan;
}

size_t resident_groups(int device, int wg, size_t blocks) {
  const auto& info = torch_ocl::runtime::device_info(device);
  // A GPU compute unit keeps about 2048 items in flight; a CPU core runs one group at a time.
  size_t per_cu = info.is_gpu ? std::max<size_t>(1, 2048 / wg) : 2;
  return std::max<size_t>(1, std::min<size_t>(blocks, size_t(info.compute_units) * per_cu));
}

}  // namespace at::native::ocl
