// The public C++ API (include/torch_ocl/torch_ocl.h).
#include "torch_ocl/torch_ocl.h"

#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"
#include "runtime/stream.h"

namespace torch_ocl {

int device_count() { return runtime::device_count(); }
bool is_available() { return runtime::device_count() > 0; }

void synchronize(int device) {
  translate_errors([&] { runtime::synchronize_device(device < 0 ? current_device() : device); });
}

}  // namespace torch_ocl
