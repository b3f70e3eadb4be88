// Lazy program compilation with an in-memory cache per device and an on-disk binary cache.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cl.h"

namespace torch_ocl::runtime {

struct ProgramCacheStats {
  uint64_t builds = 0;        // programs compiled from source
  uint64_t disk_loads = 0;    // programs loaded from the disk cache
  uint64_t disk_writes = 0;   // binaries written to the disk cache
  uint64_t disk_rejects = 0;  // corrupt or unusable cache files that were rebuilt
  uint64_t memory_hits = 0;   // programs found in memory
};

// A kernel object for the calling thread (clSetKernelArg is not thread-safe on a shared
// cl_kernel). `program` names the source uniquely; `make_source` runs only on a miss.
// A build failure throws BuildError with the program name, options and build log.
// num_args (when given) receives the kernel's argument count, asked of the driver once per
// kernel object (kNumArgsUnknown where the driver does not say).
constexpr cl_uint kNumArgsUnknown = ~cl_uint(0);
cl_kernel get_kernel(int device, const std::string& program, const std::string& kernel,
                     const std::function<std::string()>& make_source, const std::string& options = "",
                     cl_uint* num_args = nullptr);

ProgramCacheStats program_cache_stats();
void reset_program_cache_stats();
// Forgets programs held in memory (the disk cache stays): for tests of the disk cache.
void clear_memory_program_cache();
// Directory of the disk cache: TORCH_OCL_KERNEL_CACHE (0/off/none disables it), else
// $XDG_CACHE_HOME/torch_ocl/kernels or ~/.cache/torch_ocl/kernels. Empty when disabled.
std::string kernel_cache_dir();
// Creates `path` and its parents where missing; false when that fails.
bool make_directories(const std::string& path);
// The key a program's binary is stored under (sha256 of source, options, device, driver).
std::string program_cache_key(int device, const std::string& source, const std::string& options);

// Embedded OpenCL C sources by file name (e.g. "random.cl"), or read from
// TORCH_OCL_KERNEL_DIR when set (developer switch). Throws InvalidArgument when unknown.
std::string kernel_source(const std::string& file);

}  // namespace torch_ocl::runtime
