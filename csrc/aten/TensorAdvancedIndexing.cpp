// Registrations: advanced indexing, gather/scatter, index_select/add/copy/fill/reduce, take/put_
// (upstream TensorAdvancedIndexing.cpp, IndexKernel.cpp, ScatterGatherKernel.cpp).
// Dtypes: all ten (index_reduce: all but bool, as on the CPU)
#include <ATen/native/IndexKernel.h>
#include <ATen/native/TensorAdvancedIndexing.h>
#include <ATen/ops/_index_put_impl_native.h>
#include <ATen/ops/gather_native.h>
#include <ATen/ops/index_add_meta.h>
#include <ATen/ops/index_reduce_meta.h>
#include <ATen/ops/index_copy_native.h>
#include <ATen/ops/index_fill_native.h>
#include <ATen/ops/scatter_add_native.h>
#include <ATen/ops/scatter_native.h>
#include <ATen/ops/scatter_reduce_native.h>
#include <torch/library.h>

#include "aten/native/IndexOps.h"
#include "aten/native/ScatterGather.h"
#include "aten/native/Structured.h"

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(index_stub, &ocl::index_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(index_put_stub, &ocl::index_put_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(index_put_with_sort_stub, &ocl::index_put_with_sort_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(index_copy_stub, &ocl::index_copy_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(index_fill_stub, &ocl::index_fill_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(gather_stub, &ocl::gather_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(scatter_stub, &ocl::scatter_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(scatter_fill_stub, &ocl::scatter_fill_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(scatter_add_stub, &ocl::scatter_add_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(scatter_reduce_stub, &ocl::scatter_reduce_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(scatter_scalar_reduce_stub, &ocl::scatter_scalar_reduce_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(scatter_reduce_two_stub, &ocl::scatter_reduce_two_kernel)
}  // namespace at::native

namespace {
namespace ocl = at::native::ocl;
using at::Tensor;
using CT = const at::Tensor&;
using SV = c10::string_view;
using K_gather = at::native::structured_gather_out;
using K_scatter_src = at::native::structured_scatter_src_out;
using K_scatter_value = at::native::structured_scatter_value_out;
using K_scatter_reduce = at::native::structured_scatter_reduce_out;
using K_scatter_value_reduce = at::native::structured_scatter_value_reduce_out;
using K_scatter_add = at::native::structured_scatter_add;
using K_scatter_reduce_two = at::native::structured_scatter_reduce_two;
using K_index_copy = at::native::structured_index_copy_out;
using K_index_add = ocl::Fn<at::meta::structured_index_add, &ocl::index_add_impl>;
using K_index_reduce = ocl::Fn<at::meta::structured_index_reduce, &ocl::index_reduce_impl>;

// index_copy/index_add metas return the wrapped dim, which impl() must get.
template <class Op, class... A>
Tensor dim_functional(CT self, int64_t dim, A... a) {
  ocl::detail::Functional<Op> op;
  auto pre = op.meta(self, dim, a...);
  op.impl(self, pre.dim, a..., op.maybe_get_output(0));
  return std::move(op.outputs_[0]);
}
template <class Op, class... A>
Tensor& dim_inplace(Tensor& self, int64_t dim, A... a) {
  ocl::detail::Into<Op> op(self, true);
  auto pre = op.meta(self, dim, a...);
  op.impl(self, pre.dim, a..., op.maybe_get_output(0));
  op.finish();
  return self;
}
template <class Op, class... A>
Tensor& dim_out(CT self, int64_t dim, A... a, Tensor& out) {
  ocl::detail::Into<Op> op(out, false);
  auto pre = op.meta(self, dim, a...);
  op.impl(self, pre.dim, a..., op.maybe_get_output(0));
  op.finish();
  return out;
}
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("index.Tensor", ocl::index);
  m.impl("index.Tensor_out", ocl::index_out);
  m.impl("_index_put_impl_", at::native::_index_put_impl_);
  m.impl("gather", &ocl::functional<K_gather, CT, int64_t, CT, bool>);
  m.impl("gather.out", &ocl::out<K_gather, CT, int64_t, CT, bool>);
  OCL_STRUCTURED(m, K_scatter_src, "scatter.src", "scatter_.src", "scatter.src_out", int64_t, CT, CT);
  OCL_STRUCTURED(m, K_scatter_value, "scatter.value", "scatter_.value", "scatter.value_out", int64_t, CT,
                 const at::Scalar&);
  OCL_STRUCTURED(m, K_scatter_reduce, "scatter.reduce", "scatter_.reduce", "scatter.reduce_out", int64_t, CT, CT, SV);
  OCL_STRUCTURED(m, K_scatter_value_reduce, "scatter.value_reduce", "scatter_.value_reduce", "scatter.value_reduce_out",
                 int64_t, CT, const at::Scalar&, SV);
  OCL_STRUCTURED(m, K_scatter_add, "scatter_add", "scatter_add_", "scatter_add.out", int64_t, CT, CT);
  OCL_STRUCTURED(m, K_scatter_reduce_two, "scatter_reduce.two", "scatter_reduce_.two", "scatter_reduce.two_out",
                 int64_t, CT, CT, SV, bool);
  m.impl("index_copy", &dim_functional<K_index_copy, CT, CT>);
  m.impl("index_copy_", &dim_inplace<K_index_copy, CT, CT>);
  m.impl("index_copy.out", &dim_out<K_index_copy, CT, CT>);
  m.impl("index_add", &dim_functional<K_index_add, CT, CT, const at::Scalar&>);
  m.impl("index_add_", &dim_inplace<K_index_add, CT, CT, const at::Scalar&>);
  m.impl("index_add.out", &dim_out<K_index_add, CT, CT, const at::Scalar&>);
  m.impl("index_reduce", &dim_functional<K_index_reduce, CT, CT, SV, bool>);
  m.impl("index_reduce_", &dim_inplace<K_index_reduce, CT, CT, SV, bool>);
  m.impl("index_reduce.out", &dim_out<K_index_reduce, CT, CT, SV, bool>);
  m.impl("index_fill_.int_Scalar",
         static_cast<Tensor& (*)(Tensor&, int64_t, CT, const at::Scalar&)>(at::native::index_fill_));
  m.impl("index_fill_.int_Tensor", static_cast<Tensor& (*)(Tensor&, int64_t, CT, CT)>(at::native::index_fill_));
  m.impl("index_select", ocl::index_select);
  m.impl("index_select.out", ocl::index_select_out);
  m.impl("take", ocl::take);
  m.impl("take.out", ocl::take_out);
  m.impl("put_", ocl::put_);
}
