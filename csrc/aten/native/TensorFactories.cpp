// Allocation-side tensor construction: empty, empty_strided, resize_, set_.
#include "aten/native/TensorFactories.h"

#include <ATen/EmptyTensor.h>
#include <ATen/native/Resize.h>
#include <ATen/native/TensorFactories.h>
#include <ATen/ops/empty_native.h>
#include <c10/core/DeviceGuard.h>

#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"

namespace at::native::ocl {
namespace {

constexpr c10::DispatchKeySet kKeys(c10::DispatchKey::PrivateUse1);

Device check_device(std::optional<Device> device) {
  Device d = device.value_or(Device(c10::DeviceType::PrivateUse1, -1));
  TORCH_CHECK(d.type() == c10::DeviceType::PrivateUse1, "[ocl] expected an ocl device, got ", d);
  if (!d.has_index()) d = Device(c10::DeviceType::PrivateUse1, torch_ocl::current_device());
  torch_ocl::translate_errors([&] { torch_ocl::runtime::check_device_index(d.index()); });
  return d;
}

void check_dtype(ScalarType t, const Device& d) {
  TORCH_CHECK_TYPE(!isComplexType(t) && !isQIntType(t) && !isBitsType(t) && !isFloat8Type(t) &&
                       t != kComplexHalf && t != kUInt16 && t != kUInt32 && t != kUInt64,
                   "[ocl] dtype ", dtype_name(t), " is not supported on ocl devices (supported: float32, float16, bfloat16, "
                   "float64 where the device has cl_khr_fp64, int8, uint8, int16, int32, int64, bool)");
  check_dtype_supported(t, d.index());
}

}  // namespace

Tensor empty(IntArrayRef size, std::optional<ScalarType> dtype, std::optional<Layout> layout,
             std::optional<Device> device, std::optional<bool> pin_memory,
             std::optional<MemoryFormat> memory_format) {
  Device d = check_device(device);
  ScalarType t = dtype_or_default(dtype);
  check_dtype(t, d);
  TORCH_CHECK(!pin_memory.value_or(false), "Only dense CPU tensors can be pinned");
  c10::DeviceGuard guard(d);
  return at::detail::empty_generic(size, torch_ocl::device_allocator(), kKeys, t, memory_format);
}

Tensor empty_strided(IntArrayRef size, IntArrayRef stride, std::optional<ScalarType> dtype,
                     std::optional<Layout> layout, std::optional<Device> device, std::optional<bool> pin_memory) {
  Device d = check_device(device);
  ScalarType t = dtype_or_default(dtype);
  check_dtype(t, d);
  TORCH_CHECK(!pin_memory.value_or(false), "Only dense CPU tensors can be pinned");
  c10::DeviceGuard guard(d);
  return at::detail::empty_strided_generic(size, stride, torch_ocl::device_allocator(), kKeys, t);
}

// A tensor of zeros without storage (autograd's zero gradients): ops see the ZeroTensor key.
Tensor efficient_zero_tensor(IntArrayRef size, std::optional<ScalarType> dtype, std::optional<Layout> layout,
                             std::optional<Device> device, std::optional<bool> pin_memory) {
  Device d = check_device(device);
  ScalarType t = dtype_or_default(dtype);
  check_dtype(t, d);
  ZeroTensorAllocator allocator(d);
  auto keys = kKeys | c10::DispatchKeySet(c10::DispatchKey::ZeroTensor);
  return at::detail::empty_generic(size, &allocator, keys, t, std::nullopt);
}

const Tensor& resize_(const Tensor& self, c10::SymIntArrayRef size_sym, std::optional<MemoryFormat> memory_format) {
  auto size = C10_AS_INTARRAYREF_SLOW(size_sym);
  auto* impl = self.unsafeGetTensorImpl();
  int64_t old_numel = impl->numel();
  // Shape and strides first (as the CPU does), then grow the storage if needed.
  impl->set_sizes_contiguous(size);
  auto fmt = memory_format.value_or(MemoryFormat::Contiguous);
  TORCH_CHECK(fmt != MemoryFormat::Preserve, "Unsupported memory format", fmt);
  impl->empty_tensor_restride(fmt);
  (void)old_numel;
  size_t needed = at::detail::computeStorageNbytesContiguous(size, self.dtype().itemsize(), impl->storage_offset());
  if (impl->numel() > 0 && needed > self.storage().nbytes()) {
    c10::DeviceGuard guard(self.device());
    torch_ocl::resize_storage_bytes(self.storage(), needed);
  }
  return self;
}

Tensor& set_storage_(Tensor& self, Storage source, int64_t storage_offset, IntArrayRef size, IntArrayRef stride) {
  at::native::checkSetStorage(self, source, storage_offset, size, stride);
  self.unsafeGetTensorImpl()->set_storage_offset(storage_offset);
  at::OptionalIntArrayRef stride_opt = stride.data() != nullptr ? at::OptionalIntArrayRef(stride) : std::nullopt;
  // Sizes/strides only: the storage is already big enough (checked above) or grown here.
  auto* impl = self.unsafeGetTensorImpl();
  if (stride_opt)
    impl->set_sizes_and_strides(size, *stride_opt);
  else
    impl->set_sizes_contiguous(size);
  size_t needed = stride_opt ? at::detail::computeStorageNbytes(size, *stride_opt, self.dtype().itemsize(), storage_offset)
                             : at::detail::computeStorageNbytesContiguous(size, self.dtype().itemsize(), storage_offset);
  if (impl->numel() > 0 && needed > self.storage().nbytes()) {
    c10::DeviceGuard guard(self.device());
    torch_ocl::resize_storage_bytes(self.storage(), needed);
  }
  return self;
}

Tensor& set_storage_(Tensor& self, Storage source) {
  int64_t new_size = static_cast<int64_t>(source.nbytes() / self.dtype().itemsize());
  return set_storage_(self, std::move(source), 0, {new_size}, {});
}

Tensor& set_tensor_(Tensor& self, const Tensor& source) {
  if (self.unsafeGetTensorImpl() != source.unsafeGetTensorImpl())
    return set_storage_(self, source.storage(), source.storage_offset(), source.sizes(), source.strides());
  return self;
}

Tensor& set_empty_(Tensor& self) {
  Storage storage(Storage::use_byte_size_t(), 0, torch_ocl::device_allocator(), true);
  return set_storage_(self, std::move(storage), 0, {0}, {});
}

}  // namespace at::native::ocl
