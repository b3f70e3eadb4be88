// PrivateUse1HooksInterface: availability, generators, pointers, pinned memory, device state.
#include <ATen/detail/PrivateUse1HooksInterface.h>

#include "core/Allocator.h"
#include "core/Errors.h"
#include "core/Generator.h"
#include "core/Stream.h"
#include "runtime/caching_allocator.h"
#include "runtime/device.h"
#include "runtime/host_allocator.h"

namespace torch_ocl {
namespace {
namespace rt = runtime;

struct OclHooks final : public at::PrivateUse1HooksInterface {
  bool isBuilt() const override { return true; }
  bool isAvailable() const override { return rt::device_count() > 0; }

  void init() const override {
    TORCH_CHECK(rt::device_count() > 0, "[ocl] no OpenCL device available: ", rt::discovery_error());
  }

  const at::Generator& getDefaultGenerator(c10::DeviceIndex device_index) const override {
    return default_generator(device_index);
  }

  at::Generator getNewGenerator(c10::DeviceIndex device_index) const override {
    return make_generator(device_index);
  }

  at::Device getDeviceFromPtr(void* data) const override {
    int device = -1;
    TORCH_CHECK(rt::resolve_address(reinterpret_cast<uintptr_t>(data), &device, nullptr, nullptr),
                "[ocl] pointer ", data, " is not an ocl device pointer");
    return at::Device(c10::DeviceType::PrivateUse1, static_cast<c10::DeviceIndex>(device));
  }

  bool isPinnedPtr(const void* data) const override { return rt::is_pinned(data); }
  at::Allocator* getPinnedMemoryAllocator() const override { return host_allocator(); }
  bool hasPrimaryContext(c10::DeviceIndex) const override { return true; }

  c10::DeviceIndex deviceCount() const override { return static_cast<c10::DeviceIndex>(rt::device_count()); }
  void setCurrentDevice(c10::DeviceIndex device) const override {
    translate_errors([&] { rt::set_device(device); });
  }
  c10::DeviceIndex getCurrentDevice() const override { return current_device(); }
  c10::DeviceIndex exchangeDevice(c10::DeviceIndex device) const override {
    c10::DeviceIndex old = current_device();
    if (device >= 0 && device != old) setCurrentDevice(device);
    return old;
  }
  c10::DeviceIndex maybeExchangeDevice(c10::DeviceIndex device) const override { return exchangeDevice(device); }

  void resizePrivateUse1Bytes(const c10::Storage& storage, size_t newsize) const override {
    resize_storage_bytes(storage, newsize);
  }
};

struct RegisterHooks {
  RegisterHooks() { at::RegisterPrivateUse1HooksInterface(new OclHooks()); }
} g_register_hooks;

}  // namespace
}  // namespace torch_ocl
