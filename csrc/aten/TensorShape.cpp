// Registrations: views, storage-level shape changes and cat (upstream TensorShape.cpp, Resize.cpp).
#include <ATen/ops/_reshape_alias_native.h>
#include <ATen/ops/as_strided_native.h>
#include <ATen/ops/unfold_native.h>
#include <ATen/ops/view_native.h>
#include <torch/library.h>

#include "aten/native/ShapeOps.h"
#include "aten/native/TensorFactories.h"

namespace {

at::Tensor& set_source_storage_offset(at::Tensor& self, at::Storage source, c10::SymInt offset,
                                      c10::SymIntArrayRef size, c10::SymIntArrayRef stride) {
  return at::native::ocl::set_storage_(self, std::move(source), offset.expect_int(), C10_AS_INTARRAYREF_SLOW(size),
                                       C10_AS_INTARRAYREF_SLOW(stride));
}

at::Tensor& set_source_storage(at::Tensor& self, at::Storage source) {
  return at::native::ocl::set_storage_(self, std::move(source));
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("as_strided", at::native::as_strided_tensorimpl);
  m.impl("view", at::native::view);
  m.impl("_reshape_alias", at::native::_reshape_alias);
  m.impl("unfold", at::native::unfold);
  m.impl("resize_", at::native::ocl::resize_);
  m.impl("set_.source_Storage_storage_offset", set_source_storage_offset);
  m.impl("set_.source_Storage", set_source_storage);
  m.impl("set_.source_Tensor", at::native::ocl::set_tensor_);
  m.impl("set_", at::native::ocl::set_empty_);
  m.impl("cat", at::native::ocl::cat);
  m.impl("cat.out", at::native::ocl::cat_out);
}
