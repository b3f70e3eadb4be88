// c10::DeviceAllocator over the runtime's caching allocator, and the pinned host allocator.
#include "core/Allocator.h"

#include <c10/core/Allocator.h>
#include <c10/core/DeviceType.h>

#include <cstring>

#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/caching_allocator.h"
#include "runtime/device.h"
#include "runtime/host_allocator.h"

namespace torch_ocl {
namespace rt = runtime;
namespace {

void delete_block(void* ctx) {
  auto* b = static_cast<rt::Block*>(ctx);
  try {
    rt::caching_allocator(b->segment->device).free(b);
  } catch (const std::exception& e) {
    // deleters must not throw
    TORCH_WARN("[ocl::free] ", e.what());
  }
}

void delete_host(void* ctx) { rt::host_free(ctx); }

void fill_stat(c10::CachingAllocator::Stat& dst, const rt::Stat& src) {
  dst.current = src.current;
  dst.peak = src.peak;
  dst.allocated = src.allocated;
  dst.freed = src.freed;
}

void fill_array(c10::CachingAllocator::StatArray& dst, const rt::StatArray& src) {
  for (size_t i = 0; i < 3; ++i) fill_stat(dst[i], src[i]);
}

class OclDeviceAllocator final : public c10::DeviceAllocator {
 public:
  c10::DataPtr allocate(size_t n) override {
    c10::DeviceIndex device = current_device();
    if (n == 0) return {nullptr, nullptr, &delete_block, c10::Device(c10::DeviceType::PrivateUse1, device)};
    rt::Block* b = translate_errors([&] {
      return rt::caching_allocator(device).malloc(n, rt::current_stream(device));
    });
    return {reinterpret_cast<void*>(b->address()), b, &delete_block,
            c10::Device(c10::DeviceType::PrivateUse1, device)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return nullptr; }

  void copy_data(void* dest, const void* src, std::size_t count) const override {
    if (count == 0) return;
    int device = -1;
    TORCH_CHECK(rt::resolve_address(reinterpret_cast<uintptr_t>(src), &device, nullptr, nullptr),
                "[ocl::copy] source is not an ocl device pointer");
    copy_device_bytes(device, dest, src, count);
  }

  bool initialized() override { return true; }

  void emptyCache(c10::MempoolId_t) override {
    translate_errors([] {
      for (int d = 0; d < rt::device_count(); ++d) rt::caching_allocator(d).empty_cache();
    });
  }

  void recordStream(const c10::DataPtr& ptr, c10::Stream stream) override {
    if (ptr.get_deleter() != &delete_block || !ptr.get_context()) return;
    auto* b = static_cast<rt::Block*>(ptr.get_context());
    rt::caching_allocator(b->segment->device).record_stream(b, stream.id());
  }

  c10::CachingDeviceAllocator::DeviceStats getDeviceStats(c10::DeviceIndex device) override {
    rt::AllocatorStats s = translate_errors([&] { return rt::caching_allocator(device).stats(); });
    c10::CachingDeviceAllocator::DeviceStats d;
    fill_array(d.allocation, s.allocation);
    fill_array(d.segment, s.segment);
    fill_array(d.active, s.active);
    fill_array(d.inactive_split, s.inactive_split);
    fill_array(d.allocated_bytes, s.allocated_bytes);
    fill_array(d.reserved_bytes, s.reserved_bytes);
    fill_array(d.active_bytes, s.active_bytes);
    fill_array(d.inactive_split_bytes, s.inactive_split_bytes);
    fill_array(d.requested_bytes, s.requested_bytes);
    d.num_alloc_retries = s.num_alloc_retries;
    d.num_ooms = s.num_ooms;
    d.num_device_alloc = s.num_device_alloc;
    d.num_device_free = s.num_device_free;
    d.num_sync_all_streams = s.num_sync_all_streams;
    fill_stat(d.oversize_allocations, s.oversize_allocations);
    fill_stat(d.oversize_segments, s.oversize_segments);
    return d;
  }

  void resetAccumulatedStats(c10::DeviceIndex device) override {
    translate_errors([&] { rt::caching_allocator(device).reset_accumulated_stats(); });
  }

  void resetPeakStats(c10::DeviceIndex device) override {
    translate_errors([&] { rt::caching_allocator(device).reset_peak_stats(); });
  }

  // OpenCL has no portable free-memory query: free is the device total less what this
  // process holds (reserved), capped by the per-process fraction.
  std::pair<size_t, size_t> getMemoryInfo(c10::DeviceIndex device) override {
    return translate_errors([&] {
      auto& a = rt::caching_allocator(device);
      size_t reserved = static_cast<size_t>(a.stats().reserved_bytes[rt::kAggregate].current);
      size_t limit = a.memory_limit();
      return std::make_pair(limit > reserved ? limit - reserved : size_t(0), a.device_total());
    });
  }
};

class OclHostAllocator final : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t n) override {
    void* p = n ? translate_errors([&] { return rt::host_alloc(n, 0); }) : nullptr;
    return {p, p, &delete_host, c10::Device(c10::DeviceType::CPU)};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &delete_host; }
  void copy_data(void* dest, const void* src, std::size_t count) const override { std::memcpy(dest, src, count); }
};

OclDeviceAllocator g_device_allocator;
OclHostAllocator g_host_allocator;

struct RegisterAllocator {
  RegisterAllocator() { c10::SetAllocator(c10::DeviceType::PrivateUse1, &g_device_allocator); }
} g_register_allocator;

}  // namespace

Buffer buffer_of_ptr(const c10::DataPtr& storage_ptr, const void* data) {
  auto addr = reinterpret_cast<uintptr_t>(data);
  if (storage_ptr.get_deleter() == &delete_block && storage_ptr.get_context()) {
    auto* b = static_cast<rt::Block*>(storage_ptr.get_context());
    return {b->segment->mem, addr - b->segment->base, b->segment->device};
  }
  Buffer buf;
  TORCH_CHECK(rt::resolve_address(addr, &buf.device, &buf.mem, &buf.offset),
              "[ocl] pointer ", data, " does not belong to any ocl allocation");
  return buf;
}

Buffer buffer_of(const at::TensorBase& t) {
  TORCH_CHECK(t.device().type() == c10::DeviceType::PrivateUse1, "[ocl] expected an ocl tensor, got ", t.device());
  return buffer_of_ptr(t.storage().data_ptr(), t.const_data_ptr());
}

ElementBuffer element_buffer_of(const at::TensorBase& t) {
  Buffer b = buffer_of(t);
  return {b.mem, static_cast<cl_ulong>(b.offset / t.element_size())};
}

c10::DeviceAllocator* device_allocator() { return &g_device_allocator; }
c10::Allocator* host_allocator() { return &g_host_allocator; }

void set_memory_fraction(double fraction, int device) {
  translate_errors([&] { rt::caching_allocator(device).set_memory_fraction(fraction); });
}

void copy_device_bytes(int device, const void* dst, const void* src, size_t bytes) {
  if (bytes == 0) return;
  Buffer s, d;
  TORCH_CHECK(rt::resolve_address(reinterpret_cast<uintptr_t>(src), &s.device, &s.mem, &s.offset),
              "[ocl::copy] source is not an ocl device pointer");
  TORCH_CHECK(rt::resolve_address(reinterpret_cast<uintptr_t>(dst), &d.device, &d.mem, &d.offset),
              "[ocl::copy] destination is not an ocl device pointer");
  auto e = enqueue_current(static_cast<c10::DeviceIndex>(device));
  translate_errors([&] {
    OCL_CHECK(clEnqueueCopyBuffer(e.queue(), s.mem, d.mem, s.offset, d.offset, bytes, 0, nullptr, nullptr));
  });
}

}  // namespace torch_ocl

namespace torch_ocl {

void resize_storage_bytes(const c10::Storage& storage, size_t bytes) {
  TORCH_CHECK(storage.resizable(), "[ocl] trying to resize storage that is not resizable");
  size_t old = storage.nbytes();
  if (bytes == old) return;
  c10::DeviceIndex device = storage.device().index();
  c10::DeviceIndex prev = current_device();
  translate_errors([&] { runtime::set_device(device); });
  try {
    c10::DataPtr fresh = device_allocator()->allocate(bytes);
    size_t keep = std::min(old, bytes);
    if (keep) copy_device_bytes(device, fresh.get(), storage.data(), keep);
    const_cast<c10::Storage&>(storage).set_data_ptr_noswap(std::move(fresh));
    const_cast<c10::Storage&>(storage).set_nbytes(bytes);
  } catch (...) {
    runtime::set_device(prev);
    throw;
  }
  runtime::set_device(prev);
}

}  // namespace torch_ocl
