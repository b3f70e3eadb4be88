// A first-fit range allocator over one mmap(PROT_NONE) reservation, with coalescing on release.
#include "address_space.h"

#include <sys/mman.h>

#include <map>
#include <mutex>
#include <string>

#include "error.h"

namespace torch_ocl::runtime {
namespace {

struct Space {
  uintptr_t base = 0;
  size_t size = 0, in_use = 0;
  std::map<uintptr_t, size_t> free_ranges;  // base -> size
  std::mutex mutex;

  Space() {
    // Try large reservations first; MAP_NORESERVE + PROT_NONE costs no memory.
    for (int shift : {44, 42, 40, 38, 36}) {
      size_t want = size_t(1) << shift;
      void* p = mmap(nullptr, want + kAddressGranularity, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) continue;
      uintptr_t b = (reinterpret_cast<uintptr_t>(p) + kAddressGranularity - 1) & ~(kAddressGranularity - 1);
      base = b;
      size = want;
      free_ranges[b] = want;
      return;
    }
  }
};

Space& space() {
  static Space* s = new Space();  // never unmapped: pointers may be compared during teardown
  return *s;
}

size_t round_up(size_t n) { return (n + kAddressGranularity - 1) / kAddressGranularity * kAddressGranularity; }

}  // namespace

uintptr_t reserve_addresses(size_t size) {
  Space& s = space();
  size = round_up(size == 0 ? 1 : size);
  std::lock_guard<std::mutex> lock(s.mutex);
  for (auto it = s.free_ranges.begin(); it != s.free_ranges.end(); ++it) {
    if (it->second < size) continue;
    uintptr_t b = it->first;
    size_t left = it->second - size;
    s.free_ranges.erase(it);
    if (left) s.free_ranges[b + size] = left;
    s.in_use += size;
    return b;
  }
  throw OutOfMemory(CL_OUT_OF_HOST_MEMORY, "[ocl::malloc] device address space exhausted (" +
                                               std::to_string(s.in_use >> 20) + " MiB of " +
                                               std::to_string(s.size >> 20) + " MiB in use)");
}

void release_addresses(uintptr_t base, size_t size) {
  Space& s = space();
  size = round_up(size == 0 ? 1 : size);
  std::lock_guard<std::mutex> lock(s.mutex);
  s.in_use -= size;
  auto next = s.free_ranges.lower_bound(base);
  if (next != s.free_ranges.end() && next->first == base + size) {
    size += next->second;
    next = s.free_ranges.erase(next);
  }
  if (next != s.free_ranges.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == base) {
      prev->second += size;
      return;
    }
  }
  s.free_ranges[base] = size;
}

bool in_address_space(uintptr_t addr) {
  Space& s = space();
  return addr >= s.base && addr < s.base + s.size;
}

size_t address_space_size() { return space().size; }

size_t address_space_in_use() {
  Space& s = space();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.in_use;
}

}  // namespace torch_ocl::runtime
