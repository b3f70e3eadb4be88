// Output handling of structured ops (what torchgen emits for in-tree backends).
#include "aten/native/Structured.h"

namespace at::native::ocl::detail {

void resize_out(const Tensor& out, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options) {
  TORCH_CHECK(options.dtype() == out.dtype(), "Expected out tensor to have dtype ", options.dtype(), ", but got ",
              out.dtype(), " instead");
  TORCH_CHECK(options.device() == out.device(), "Expected out tensor to have device ", options.device(), ", but got ",
              out.device(), " instead");
  const bool resized = at::native::resize_output(out, sizes);
  // Restride only after a resize; otherwise the output keeps its own strides.
  if (resized) {
    if (!strides.empty())
      out.as_strided_(sizes, strides);
    else if (options.memory_format_opt().has_value())
      out.unsafeGetTensorImpl()->empty_tensor_restride(*options.memory_format_opt());
  }
}

void check_inplace(const Tensor& self, IntArrayRef sizes, const TensorOptions& options) {
  TORCH_CHECK(options.dtype() == self.dtype(), "Bad in-place call: input tensor dtype ", self.dtype(),
              " and output tensor dtype ", options.dtype(), " should match");
  TORCH_CHECK(options.device() == self.device(), "Bad in-place call: input tensor device ", self.device(),
              " and output tensor device ", options.device(), " should match");
  TORCH_CHECK(sizes == self.sizes(), "Bad in-place call: input tensor size ", self.sizes(), " and output tensor size ",
              sizes, " should match");
}

std::optional<Tensor> maybe_proxy(const Tensor& out, IntArrayRef sizes, IntArrayRef strides,
                                  const TensorOptions& options) {
  if (out.strides() != strides) return create_out(sizes, strides, options);
  return std::nullopt;
}

}  // namespace at::native::ocl::detail
