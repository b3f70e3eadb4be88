// KernelArgs: argument setting and enqueueing (see Launch.h).
#include "aten/native/Launch.h"

#include <c10/util/Exception.h>

#include <algorithm>

#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace rt = torch_ocl::runtime;

KernelArgs::KernelArgs(int device, const std::string& program, const std::string& kernel,
                       const std::function<std::string()>& make_source, const std::string& options)
    : device_(device), name_(program) {
  kernel_ = torch_ocl::translate_errors(
      [&] { return rt::get_kernel(device, program, kernel, make_source, options, &num_args_); });
}

void KernelArgs::set(size_t size, const void* value) {
  cl_int err = clSetKernelArg(kernel_, index_, size, value);
  if (err != CL_SUCCESS)
    TORCH_CHECK(false, "[ocl::kernel] ", name_, ": setting argument ", index_, " failed: ", rt::error_name(err));
  ++index_;
}

KernelArgs& KernelArgs::add_scalar(c10::ScalarType type, const c10::Scalar& v) {
  switch (type) {
    case c10::kFloat:
    case c10::kHalf:
    case c10::kBFloat16:
      return add<cl_float>(v.to<float>());
    case c10::kDouble:
      return add<cl_double>(v.to<double>());
    case c10::kLong:
      return add<cl_long>(v.to<int64_t>());
    case c10::kInt:
      return add<cl_int>(v.to<int32_t>());
    case c10::kShort:
      return add<cl_short>(v.to<int16_t>());
    case c10::kChar:
      return add<cl_char>(v.to<int8_t>());
    case c10::kByte:
      return add<cl_uchar>(v.to<uint8_t>());
    case c10::kBool:
      return add<cl_uchar>(v.to<bool>() ? 1 : 0);
    default:
      TORCH_CHECK_TYPE(false, "[ocl::kernel] unsupported scalar type ", type);
  }
}

KernelArgs& KernelArgs::add_index(int64_t v, bool idx64) {
  if (idx64) return add<cl_ulong>(static_cast<cl_ulong>(v));
  return add<cl_uint>(static_cast<cl_uint>(v));
}

void KernelArgs::launch_1d(uint64_t n) {
  const auto& info = rt::device_info(device_);
  size_t local = std::min<size_t>(256, info.max_work_group_size);
  uint64_t groups = (n + local - 1) / local;
  uint64_t max_groups = std::max<uint64_t>(1, uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4));
  launch(static_cast<size_t>(std::min(groups, max_groups) * local), local);
}

void KernelArgs::launch(size_t global, size_t local) {
  // Some drivers crash instead of returning CL_INVALID_KERNEL_ARGS: check the count first (the
  // kernel cache asked the driver for it once).
  if (num_args_ != rt::kNumArgsUnknown)
    TORCH_CHECK(index_ == num_args_, "[ocl::kernel] launching ", name_, " failed: CL_INVALID_KERNEL_ARGS (",
                index_, " of ", num_args_, " arguments set)");
  auto e = torch_ocl::enqueue_current(static_cast<c10::DeviceIndex>(device_));
  cl_int err = clEnqueueNDRangeKernel(e.queue(), kernel_, 1, nullptr, &global, &local, 0, nullptr, nullptr);
  if (err != CL_SUCCESS)
    TORCH_CHECK(false, "[ocl::kernel] launching ", name_, " (global ", global, ", local ", local,
                ") failed: ", rt::error_name(err), " (", err, ")");
}

}  // namespace at::native::ocl
