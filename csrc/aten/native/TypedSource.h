// Sources of hand-written kernels instantiated per dtype: the defines their .cl files expect.
#pragma once

#include <c10/core/ScalarType.h>

#include <string>

namespace at::native::ocl {

// `file` preceded by fp64 enabling (float64), common.cl and the defines IDX (uint/ulong),
// T (storage type), ACC (compute type), LOAD(p, i), STORE(p, i, v) and LOWEST (-infinity), then
// `defines` (the kernel's own variant switches).
std::string typed_source(c10::ScalarType t, bool idx64, const std::string& file, const std::string& defines = "");
// A kernel-name suffix naming what typed_source depends on.
std::string typed_suffix(c10::ScalarType t, bool idx64);
// The unsigned OpenCL type of `bytes`-byte elements: pure copies move bits as it, so all
// dtypes of one size share a kernel.
const char* cl_bits_type(size_t bytes);

}  // namespace at::native::ocl
