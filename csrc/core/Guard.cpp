// DeviceGuardImplInterface for PrivateUse1: devices, streams and events for device-agnostic code.
#include <c10/core/impl/DeviceGuardImplInterface.h>

#include "core/Allocator.h"
#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"
#include "runtime/stream.h"

namespace torch_ocl {
namespace {
namespace rt = runtime;
using c10::DeviceIndex;

class OclGuardImpl final : public c10::impl::DeviceGuardImplInterface {
 public:
  static constexpr c10::DeviceType kType = c10::DeviceType::PrivateUse1;

  c10::DeviceType type() const override { return kType; }

  c10::Device exchangeDevice(c10::Device d) const override {
    c10::Device old = getDevice();
    if (d.index() != old.index()) setDevice(d);
    return old;
  }

  c10::Device getDevice() const override { return c10::Device(kType, current_device()); }

  void setDevice(c10::Device d) const override {
    TORCH_CHECK(d.type() == kType, "[ocl] expected an ocl device, got ", d);
    translate_errors([&] { rt::set_device(d.index()); });
  }

  void uncheckedSetDevice(c10::Device d) const noexcept override {
    try {
      rt::set_device(d.index());
    } catch (...) {
    }
  }

  // A device without an index means the current device.
  static DeviceIndex index_of(c10::Device d) { return d.has_index() ? d.index() : current_device(); }

  c10::Stream getStream(c10::Device d) const override { return current_stream(index_of(d)); }

  c10::Stream getDefaultStream(c10::Device d) const override { return make_stream(index_of(d), 0); }

  c10::Stream getStreamFromGlobalPool(c10::Device d, bool isHighPriority = false) const override {
    DeviceIndex i = index_of(d);
    return translate_errors([&] { return make_stream(i, rt::pool_stream(i, isHighPriority)); });
  }

  c10::Stream getNewStream(c10::Device d, int priority = 0) const override {
    return getStreamFromGlobalPool(d, priority < 0);
  }

  c10::Stream exchangeStream(c10::Stream s) const override {
    c10::Stream old = current_stream(s.device_index());
    translate_errors([&] { rt::set_current_stream(s.device_index(), s.id()); });
    return old;
  }

  DeviceIndex deviceCount() const noexcept override { return static_cast<DeviceIndex>(rt::device_count()); }

  // Events are cl_event markers stored directly in *event; re-recording replaces the marker.
  void record(void** event, const c10::Stream& stream, const DeviceIndex device_index,
              const c10::EventFlag flag) const override {
    TORCH_CHECK(device_index == -1 || device_index == stream.device_index(), "[ocl::event] event device index ",
                device_index, " does not match the recording stream's device ", stream.device_index());
    cl_event ev = translate_errors([&] { return rt::record_marker(stream.device_index(), stream.id()); });
    if (*event) clReleaseEvent(static_cast<cl_event>(*event));
    *event = ev;
  }

  void block(void* event, const c10::Stream& stream) const override {
    if (!event) return;
    translate_errors([&] { rt::stream_wait_event(stream.device_index(), stream.id(), static_cast<cl_event>(event)); });
  }

  bool queryEvent(void* event) const override {
    if (!event) return true;
    return translate_errors([&] { return rt::event_done(static_cast<cl_event>(event)); });
  }

  void destroyEvent(void* event, const DeviceIndex) const noexcept override {
    if (event) clReleaseEvent(static_cast<cl_event>(event));
  }

  void synchronizeEvent(void* event) const override {
    if (!event) return;
    translate_errors([&] { rt::event_synchronize(static_cast<cl_event>(event)); });
  }

  double elapsedTime(void* start, void* end, const DeviceIndex) const override {
    TORCH_CHECK(start && end, "[ocl::event] both events must be recorded before elapsed_time()");
    return translate_errors(
        [&] { return rt::event_elapsed_ms(static_cast<cl_event>(start), static_cast<cl_event>(end)); });
  }

  bool queryStream(const c10::Stream& stream) const override {
    return translate_errors([&] { return rt::query_stream(stream.device_index(), stream.id()); });
  }

  void synchronizeStream(const c10::Stream& stream) const override {
    translate_errors([&] { rt::synchronize_stream(stream.device_index(), stream.id()); });
  }

  void synchronizeDevice(const DeviceIndex device_index) const override {
    translate_errors([&] { rt::synchronize_device(device_index < 0 ? current_device() : device_index); });
  }

  void recordDataPtrOnStream(const c10::DataPtr& data_ptr, const c10::Stream& stream) const override {
    device_allocator()->recordStream(data_ptr, stream);
  }
};

}  // namespace

C10_REGISTER_GUARD_IMPL(PrivateUse1, OclGuardImpl);

}  // namespace torch_ocl
