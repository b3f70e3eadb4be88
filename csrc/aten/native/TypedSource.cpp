// Per-dtype kernel sources (see TypedSource.h).
#include "aten/native/TypedSource.h"

#include "aten/native/Pointwise.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {

std::string typed_source(ScalarType t, bool idx64, const std::string& file, const std::string& defines) {
  std::string s = t == kDouble ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "";
  s += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  s += std::string("#define IDX ") + (idx64 ? "ulong" : "uint") + "\n";
  s += "#define T " + cl_storage_type(t) + "\n#define ACC " + cl_type(t) + "\n";
  s += "#define LOAD(p, i) " + cl_load(t, "(p)", "(i)") + "\n";
  s += "#define STORE(p, i, v) " + cl_store(t, "(p)", "(i)", "(v)") + "\n";
  s += "#define LOWEST (-INFINITY)\n";
  return s + defines + torch_ocl::runtime::kernel_source(file);
}

std::string typed_suffix(ScalarType t, bool idx64) {
  return std::string(c10::toString(t)) + (idx64 ? "_i64" : "_i32");
}

const char* cl_bits_type(size_t bytes) {
  switch (bytes) {
    case 1: return "uchar";
    case 2: return "ushort";
    case 4: return "uint";
    case 8: return "ulong";
  }
  TORCH_CHECK(false, "[ocl::kernel] no OpenCL type of ", bytes, " bytes");
  return "";
}

}  // namespace at::native::ocl
