// Registrations: softmax and log-softmax, forward and backward (upstream SoftMax.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <ATen/core/Tensor.h>
#include <ATen/ops/_log_softmax_backward_data_meta.h>
#include <ATen/ops/_log_softmax_meta.h>
#include <ATen/ops/_softmax_backward_data_meta.h>
#include <ATen/ops/_softmax_meta.h>
#include <torch/library.h>

#include "aten/native/SoftMax.h"
#include "aten/native/Structured.h"

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
using at::Tensor;
using K_softmax = ocl::Fn<structured__softmax, &ocl::softmax_impl>;
using K_log_softmax = ocl::Fn<structured__log_softmax, &ocl::log_softmax_impl>;
using K_softmax_bw = ocl::Fn<structured__softmax_backward_data, &ocl::softmax_backward_impl>;
using K_log_softmax_bw = ocl::Fn<structured__log_softmax_backward_data, &ocl::log_softmax_backward_impl>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("_softmax", &ocl::functional<K_softmax, const Tensor&, int64_t, bool>);
  m.impl("_softmax.out", &ocl::out<K_softmax, const Tensor&, int64_t, bool>);
  m.impl("_log_softmax", &ocl::functional<K_log_softmax, const Tensor&, int64_t, bool>);
  m.impl("_log_softmax.out", &ocl::out<K_log_softmax, const Tensor&, int64_t, bool>);
  m.impl("_softmax_backward_data",
         &ocl::functional<K_softmax_bw, const Tensor&, const Tensor&, int64_t, at::ScalarType>);
  m.impl("_softmax_backward_data.out", &ocl::out<K_softmax_bw, const Tensor&, const Tensor&, int64_t, at::ScalarType>);
  m.impl("_log_softmax_backward_data",
         &ocl::functional<K_log_softmax_bw, const Tensor&, const Tensor&, int64_t, at::ScalarType>);
  m.impl("_log_softmax_backward_data.out",
         &ocl::out<K_log_softmax_bw, const Tensor&, const Tensor&, int64_t, at::ScalarType>);
}
