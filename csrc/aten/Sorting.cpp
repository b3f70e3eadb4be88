// Registrations: sort, topk, kthvalue, randperm (upstream Sorting.cpp, TensorTopK.cpp, Randperm).
// Dtypes: all ten (topk, kthvalue: all but bool, as on CUDA)
#include <ATen/core/Tensor.h>
#include <ATen/ops/sort_meta.h>
#include <ATen/ops/topk_meta.h>
#include <torch/library.h>

#include "aten/native/Sort.h"
#include "aten/native/StructuredPair.h"

namespace {
namespace ocl = at::native::ocl;
using at::Tensor;
using K_sort = ocl::Fn<at::meta::structured_sort_stable, &ocl::sort_stable_impl>;
using K_topk = ocl::Fn<at::meta::structured_topk, &ocl::topk_impl>;

std::tuple<Tensor, Tensor> sort_stable(const Tensor& self, std::optional<bool> stable, int64_t dim, bool descending) {
  return ocl::functional_pair<K_sort, const Tensor&, std::optional<bool>, int64_t, bool>(self, stable, dim, descending);
}
std::tuple<Tensor&, Tensor&> sort_stable_out(const Tensor& self, std::optional<bool> stable, int64_t dim,
                                             bool descending, Tensor& values, Tensor& indices) {
  return ocl::out_pair<K_sort, const Tensor&, std::optional<bool>, int64_t, bool>(self, stable, dim, descending, values,
                                                                                  indices);
}
std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted) {
  return ocl::functional_pair<K_topk, const Tensor&, int64_t, int64_t, bool, bool>(self, k, dim, largest, sorted);
}
std::tuple<Tensor&, Tensor&> topk_out(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted,
                                      Tensor& values, Tensor& indices) {
  return ocl::out_pair<K_topk, const Tensor&, int64_t, int64_t, bool, bool>(self, k, dim, largest, sorted, values,
                                                                             indices);
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("sort.stable", sort_stable);
  m.impl("sort.values_stable", sort_stable_out);
  m.impl("topk", topk);
  m.impl("topk.values", topk_out);
  m.impl("kthvalue.values", ocl::kthvalue_out);
  m.impl("randperm.generator_out", ocl::randperm_out);
}
