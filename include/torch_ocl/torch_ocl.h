// Public C++ API of libtorch_ocl.so for LibTorch programs (no Python needed): linking the
// library registers the "ocl" device; these functions query and synchronize it.
#pragma once

namespace torch_ocl {

// Number of selected OpenCL devices (TORCH_OCL_DEVICES); never throws.
int device_count();
bool is_available();
// Waits for all work on a device (-1: the current device).
void synchronize(int device = -1);

}  // namespace torch_ocl
