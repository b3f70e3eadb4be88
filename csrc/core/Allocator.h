// The ATen-facing allocators (device caching allocator, pinned host allocator) and the
// resolution of a tensor's data pointer to (cl_mem, byte offset).
#pragma once

#include <ATen/core/TensorBase.h>
#include <c10/core/CachingDeviceAllocator.h>

#include "runtime/cl.h"

namespace torch_ocl {

// Where a tensor's first element lives on the device.
struct Buffer {
  cl_mem mem = nullptr;
  size_t offset = 0;  // bytes from the start of mem
  int device = -1;
};

// O(1) through the storage's block when the storage came from our allocator, else a lookup.
Buffer buffer_of(const at::TensorBase& t);

// A tensor's buffer with its offset counted in elements (for kernels indexing typed pointers).
struct ElementBuffer {
  cl_mem mem;
  cl_ulong off;
};
ElementBuffer element_buffer_of(const at::TensorBase& t);
Buffer buffer_of_ptr(const c10::DataPtr& storage_ptr, const void* data);

c10::DeviceAllocator* device_allocator();
c10::Allocator* host_allocator();

void set_memory_fraction(double fraction, int device);
// Moves `bytes` bytes between device pointers of one device on its current stream.
void copy_device_bytes(int device, const void* dst, const void* src, size_t bytes);

}  // namespace torch_ocl

namespace torch_ocl {
// Grows or shrinks a storage to `bytes`, keeping min(old, new) bytes (device copy).
void resize_storage_bytes(const c10::Storage& storage, size_t bytes);
}  // namespace torch_ocl
