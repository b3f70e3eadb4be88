// Setting kernel arguments and launching on the current stream, with errors translated.
#pragma once

#include <c10/core/Scalar.h>
#include <c10/core/ScalarType.h>

#include <functional>
#include <string>

#include "runtime/cl.h"

namespace at::native::ocl {

class KernelArgs {
 public:
  // Fetches (building on first use) kernel `kernel` of program `program` for `device`.
  KernelArgs(int device, const std::string& program, const std::string& kernel,
             const std::function<std::string()>& make_source, const std::string& options = "");

  template <typename T>
  KernelArgs& add(const T& v) {
    set(sizeof(T), &v);
    return *this;
  }
  KernelArgs& add_mem(cl_mem m) { return add<cl_mem>(m); }
  // A scalar as the OpenCL type of `type` (see cl_type).
  KernelArgs& add_scalar(c10::ScalarType type, const c10::Scalar& v);
  // An index-typed value: ulong when idx64, else uint.
  KernelArgs& add_index(int64_t v, bool idx64);

  // Enqueues over n work items' worth of elements (grid-stride kernels).
  void launch_1d(uint64_t n);
  // Enqueues with an explicit global/local size.
  void launch(size_t global, size_t local);

 private:
  void set(size_t size, const void* value);
  int device_;
  cl_kernel kernel_;
  std::string name_;
  cl_uint index_ = 0;
  cl_uint num_args_ = 0;  // the kernel's argument count (see runtime::get_kernel)
};

}  // namespace at::native::ocl
