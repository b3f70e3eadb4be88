// Building nn-family kernels from csrc/kernels sources with per-dtype macros (see NnKernel.h).
#include "aten/native/NnKernel.h"

#include <algorithm>
#include <functional>

#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {

KernelArgs nn_kernel(int device, const std::string& file, const std::string& kernel, const Roles& roles,
                     ScalarType acc, const std::string& defines) {
  check_dtype_supported(acc, device);
  bool fp64 = acc == kDouble;
  // Only the requested kernel is compiled (the others may use roles this call lacks).
  std::string defs = defines + "#define KERNEL_" + kernel + " 1\ntypedef " + cl_type(acc) + " acc_t;\n";
  for (auto& [role, t] : roles) {
    check_dtype_supported(t, device);
    fp64 |= t == kDouble;
    defs += "#define LD_" + role + "(p, i) (" + cl_load(t, "(p)", "(i)") + ")\n";
    defs += "#define ST_" + role + "(p, i, v) " + cl_store(t, "(p)", "(i)", "(v)") + "\n";
    defs += "typedef " + cl_storage_type(t) + " " + role + "_t;\n";
  }
  if (fp64) defs = "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define OCL_HAS_FP64 1\n" + defs;
  // The program name covers everything the source depends on.
  std::string name = file + "_" + std::to_string(std::hash<std::string>{}(defs) & 0xffffffffu);
  return KernelArgs(device, name, kernel, [=] {
    return defs + torch_ocl::runtime::kernel_source("common.cl") + "\n" + torch_ocl::runtime::kernel_source("rows.cl") +
           "\n" + torch_ocl::runtime::kernel_source(file);
  });
}

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

}  // namespace at::native::ocl
