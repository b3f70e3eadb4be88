// Current-stream helpers for launchers.
#include "core/Stream.h"

#include "core/Errors.h"
#include "runtime/device.h"

namespace torch_ocl {

c10::DeviceIndex current_device() { return static_cast<c10::DeviceIndex>(runtime::current_device()); }

c10::Stream make_stream(c10::DeviceIndex device, runtime::StreamId id) {
  return c10::Stream(c10::Stream::UNSAFE, c10::Device(c10::DeviceType::PrivateUse1, device), id);
}

c10::Stream current_stream(c10::DeviceIndex device) {
  if (device < 0) device = current_device();
  return make_stream(device, runtime::current_stream(device));
}

cl_command_queue current_queue(c10::DeviceIndex device) {
  if (device < 0) device = current_device();
  return translate_errors([&] { return runtime::queue(device, runtime::current_stream(device)); });
}

runtime::Enqueue enqueue_current(c10::DeviceIndex device) {
  if (device < 0) device = current_device();
  return translate_errors([&] { return runtime::Enqueue(device, runtime::current_stream(device)); });
}

}  // namespace torch_ocl
