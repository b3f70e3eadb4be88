// Caching pinned host allocator (see host_allocator.h).
#include "host_allocator.h"

#include <map>
#include <mutex>
#include <vector>

#include "device.h"
#include "error.h"
#include "stream.h"

namespace torch_ocl::runtime {
namespace {

struct HostBlock {
  cl_mem mem = nullptr;
  cl_context ctx = nullptr;
  cl_command_queue map_queue = nullptr;
  void* ptr = nullptr;
  size_t size = 0;
  bool allocated = false;
  std::vector<cl_event> events;
};

struct HostAllocator {
  std::mutex mutex;
  std::map<uintptr_t, HostBlock*> blocks;         // by host address
  std::multimap<size_t, HostBlock*> free_blocks;  // by size
  HostStats stats;
};

HostAllocator& state() {
  static auto* s = new HostAllocator();
  return *s;
}

size_t round_pow2(size_t n) {
  size_t r = 4096;
  while (r < n) r <<= 1;
  return r;
}

// Drops completed events; true when none is pending.
bool ready(HostBlock* b) {
  for (auto it = b->events.begin(); it != b->events.end();) {
    cl_int status = CL_COMPLETE;
    clGetEventInfo(*it, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr);
    if (status == CL_COMPLETE || status < 0) {
      clReleaseEvent(*it);
      it = b->events.erase(it);
    } else {
      ++it;
    }
  }
  return b->events.empty();
}

HostBlock* find(HostAllocator& s, const void* ptr) {
  auto addr = reinterpret_cast<uintptr_t>(ptr);
  auto it = s.blocks.upper_bound(addr);
  if (it == s.blocks.begin()) return nullptr;
  --it;
  HostBlock* b = it->second;
  return addr < it->first + b->size ? b : nullptr;
}

}  // namespace

void* host_alloc(size_t size, int device) {
  if (size == 0) return nullptr;
  HostAllocator& s = state();
  size_t rounded = round_pow2(size);
  std::lock_guard<std::mutex> lock(s.mutex);
  for (auto it = s.free_blocks.lower_bound(rounded); it != s.free_blocks.end() && it->first == rounded; ++it) {
    HostBlock* b = it->second;
    if (!ready(b)) continue;
    s.free_blocks.erase(it);
    b->allocated = true;
    s.stats.allocated_bytes += b->size;
    s.stats.allocations++;
    return b->ptr;
  }
  auto* b = new HostBlock();
  b->ctx = context(device);
  b->size = rounded;
  cl_int err = CL_SUCCESS;
  b->mem = clCreateBuffer(b->ctx, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, rounded, nullptr, &err);
  if (err != CL_SUCCESS) {
    delete b;
    OCL_CHECK(err);
  }
  b->map_queue = queue(device, 0);
  b->ptr = clEnqueueMapBuffer(b->map_queue, b->mem, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0, rounded, 0, nullptr,
                              nullptr, &err);
  if (err != CL_SUCCESS) {
    clReleaseMemObject(b->mem);
    delete b;
    OCL_CHECK(err);
  }
  b->allocated = true;
  s.blocks[reinterpret_cast<uintptr_t>(b->ptr)] = b;
  s.stats.allocated_bytes += rounded;
  s.stats.reserved_bytes += rounded;
  s.stats.allocations++;
  s.stats.segments++;
  return b->ptr;
}

void host_free(void* ptr) {
  if (!ptr || in_forked_child()) return;  // inherited from the parent: leave it
  HostAllocator& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  HostBlock* b = find(s, ptr);
  if (!b || !b->allocated) return;
  b->allocated = false;
  s.stats.allocated_bytes -= b->size;
  s.stats.allocations--;
  s.free_blocks.emplace(b->size, b);
}

bool is_pinned(const void* ptr) {
  HostAllocator& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return find(s, ptr) != nullptr;
}

bool host_resolve(const void* ptr, cl_mem* mem, size_t* offset, cl_context* ctx) {
  HostAllocator& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  HostBlock* b = find(s, ptr);
  if (!b) return false;
  if (mem) *mem = b->mem;
  if (offset) *offset = reinterpret_cast<uintptr_t>(ptr) - reinterpret_cast<uintptr_t>(b->ptr);
  if (ctx) *ctx = b->ctx;
  return true;
}

void host_record_event(const void* ptr, cl_event ev) {
  HostAllocator& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  HostBlock* b = find(s, ptr);
  if (!b) return;
  OCL_CHECK(clRetainEvent(ev));
  b->events.push_back(ev);
}

void host_empty_cache() {
  HostAllocator& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  for (auto it = s.free_blocks.begin(); it != s.free_blocks.end();) {
    HostBlock* b = it->second;
    if (!b->events.empty()) clWaitForEvents(static_cast<cl_uint>(b->events.size()), b->events.data());
    ready(b);
    OCL_CHECK_NOTHROW(clEnqueueUnmapMemObject(b->map_queue, b->mem, b->ptr, 0, nullptr, nullptr));
    OCL_CHECK_NOTHROW(clFinish(b->map_queue));
    OCL_CHECK_NOTHROW(clReleaseMemObject(b->mem));
    s.blocks.erase(reinterpret_cast<uintptr_t>(b->ptr));
    s.stats.reserved_bytes -= b->size;
    s.stats.segments--;
    delete b;
    it = s.free_blocks.erase(it);
  }
}

HostStats host_stats() {
  HostAllocator& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.stats;
}

}  // namespace torch_ocl::runtime
