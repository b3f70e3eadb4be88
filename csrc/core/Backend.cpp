// Names PrivateUse1 "ocl" when the library loads into a program without Python, so C++
// programs can say "ocl:0". In Python the package decides when (torch_ocl/_registration.py):
// the name makes PyTorch take ocl as the process's accelerator, ahead of CUDA.
#include <c10/core/DeviceType.h>

#include <dlfcn.h>

namespace torch_ocl {
namespace {

bool inside_python() {
  using Fn = int (*)();
  auto is_initialized = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "Py_IsInitialized"));
  return is_initialized && is_initialized();
}

struct RegisterBackendName {
  RegisterBackendName() {
    if (!inside_python()) c10::register_privateuse1_backend("ocl");
  }
} g_register_backend_name;

}  // namespace
}  // namespace torch_ocl
