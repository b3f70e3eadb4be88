// Pinned host memory: CL_MEM_ALLOC_HOST_PTR buffers mapped once, cached, reused only after
// the copies that used them have finished (events recorded per use).
#pragma once

#include <cstddef>
#include <cstdint>

#include "cl.h"

namespace torch_ocl::runtime {

struct HostStats {
  int64_t allocated_bytes = 0, reserved_bytes = 0, allocations = 0, segments = 0;
};

// Pinned memory lives in the context of the given device's platform.
void* host_alloc(size_t size, int device = 0);
void host_free(void* ptr);
bool is_pinned(const void* ptr);
// The pinned buffer holding ptr and ptr's offset in it; false when ptr is not pinned.
bool host_resolve(const void* ptr, cl_mem* mem, size_t* offset, cl_context* ctx);
// Keeps the block holding ptr from reuse until ev completes (retains ev).
void host_record_event(const void* ptr, cl_event ev);
void host_empty_cache();
HostStats host_stats();

}  // namespace torch_ocl::runtime
