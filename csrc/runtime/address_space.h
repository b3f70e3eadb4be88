// Reserved, never-dereferenced virtual address range that device pointers are carved from.
#pragma once

#include <cstddef>
#include <cstdint>

namespace torch_ocl::runtime {

// Granularity and alignment of every range handed out (segment bases).
constexpr size_t kAddressGranularity = size_t(2) << 20;

// Returns the base of a fresh range of at least `size` bytes; the range is PROT_NONE, so a
// host dereference of a device pointer faults at once. Throws when the space is exhausted.
uintptr_t reserve_addresses(size_t size);
void release_addresses(uintptr_t base, size_t size);
// Whether an address lies inside the reserved space (used for cheap device-pointer checks).
bool in_address_space(uintptr_t addr);
// Total bytes of address space reserved and currently handed out.
size_t address_space_size();
size_t address_space_in_use();

}  // namespace torch_ocl::runtime
