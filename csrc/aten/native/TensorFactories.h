// empty / empty_strided on ocl devices, and the set_/resize_ family that owns storage.
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

Tensor empty(IntArrayRef size, std::optional<ScalarType> dtype, std::optional<Layout> layout,
             std::optional<Device> device, std::optional<bool> pin_memory,
             std::optional<MemoryFormat> memory_format);
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, std::optional<ScalarType> dtype,
                     std::optional<Layout> layout, std::optional<Device> device, std::optional<bool> pin_memory);
Tensor efficient_zero_tensor(IntArrayRef size, std::optional<ScalarType> dtype, std::optional<Layout> layout,
                             std::optional<Device> device, std::optional<bool> pin_memory);
const Tensor& resize_(const Tensor& self, c10::SymIntArrayRef size, std::optional<MemoryFormat> memory_format);
Tensor& set_storage_(Tensor& self, Storage source, int64_t storage_offset, IntArrayRef size, IntArrayRef stride);
Tensor& set_storage_(Tensor& self, Storage source);
Tensor& set_tensor_(Tensor& self, const Tensor& source);
Tensor& set_empty_(Tensor& self);

}  // namespace at::native::ocl
