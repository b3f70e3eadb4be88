// Names PrivateUse1 "ocl" as soon as the library loads, so C++ programs can say "ocl:0".
#include <c10/core/DeviceType.h>

namespace torch_ocl {
namespace {

struct RegisterBackendName {
  RegisterBackendName() { c10::register_privateuse1_backend("ocl"); }
} g_register_backend_name;

}  // namespace
}  // namespace torch_ocl
