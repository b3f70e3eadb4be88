// Registrations: activations and their backward (upstream Activation.cpp); relu through
// ATen's relu (clamp_min) and threshold_backward.
#include <ATen/ops/relu_native.h>
#include <ATen/ops/elu_meta.h>
#include <ATen/ops/elu_backward_meta.h>
#include <ATen/ops/gelu_meta.h>
#include <ATen/ops/gelu_backward_meta.h>
#include <ATen/ops/hardsigmoid_meta.h>
#include <ATen/ops/hardsigmoid_backward_meta.h>
#include <ATen/ops/leaky_relu_meta.h>
#include <ATen/ops/leaky_relu_backward_meta.h>
#include <ATen/ops/sigmoid_backward_meta.h>
#include <ATen/ops/silu_meta.h>
#include <ATen/ops/silu_backward_meta.h>
#include <ATen/ops/softplus_meta.h>
#include <ATen/ops/softplus_backward_meta.h>
#include <ATen/ops/tanh_backward_meta.h>
#include <ATen/ops/threshold_meta.h>
#include <ATen/ops/threshold_backward_meta.h>
#include <ATen/native/Activation.h>
#include <ATen/ops/hardshrink_meta.h>
#include <ATen/ops/hardshrink_backward_meta.h>
#include <ATen/ops/hardswish_native.h>
#include <ATen/ops/hardswish_backward_native.h>
#include <ATen/ops/hardtanh_native.h>
#include <ATen/ops/hardtanh_backward_native.h>
#include <ATen/ops/mish_meta.h>
#include <ATen/ops/mish_backward_native.h>
#include <ATen/ops/softshrink_meta.h>
#include <ATen/ops/softshrink_backward_meta.h>
#include <torch/library.h>

#include "aten/native/ActivationOps.h"

#include "aten/native/PointwiseOps.h"
#include "aten/native/Structured.h"

namespace {
using namespace at::meta;
namespace ocl = at::native::ocl;
using K_gelu = ocl::TI<structured_gelu, &ocl::gelu_kernel>;
using K_silu = ocl::TI<structured_silu, &ocl::silu_kernel>;
using K_threshold = ocl::TI<structured_threshold, &ocl::threshold_kernel>;
using K_leaky_relu = ocl::TI<structured_leaky_relu, &ocl::leaky_relu_kernel>;
using K_elu = ocl::TI<structured_elu, &ocl::elu_kernel>;
using K_softplus = ocl::TI<structured_softplus, &ocl::softplus_kernel>;
using K_hardsigmoid = ocl::TI<structured_hardsigmoid, &ocl::hardsigmoid_kernel>;
using K_gelu_bw = ocl::TI<structured_gelu_backward, &ocl::gelu_backward_kernel>;
using K_silu_bw = ocl::TI<structured_silu_backward, &ocl::silu_backward_kernel>;
using K_threshold_bw = ocl::TI<structured_threshold_backward, &ocl::threshold_backward_kernel>;
using K_sigmoid_bw = ocl::TI<structured_sigmoid_backward, &ocl::sigmoid_backward_kernel>;
using K_tanh_bw = ocl::TI<structured_tanh_backward, &ocl::tanh_backward_kernel>;
using K_leaky_relu_bw = ocl::TI<structured_leaky_relu_backward, &ocl::leaky_relu_backward_kernel>;
using K_elu_bw = ocl::TI<structured_elu_backward, &ocl::elu_backward_kernel>;
using K_softplus_bw = ocl::TI<structured_softplus_backward, &ocl::softplus_backward_kernel>;
using K_hardsigmoid_bw = ocl::TI<structured_hardsigmoid_backward, &ocl::hardsigmoid_backward_kernel>;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("relu", at::native::relu);
  m.impl("relu_", at::native::relu_);
  OCL_STRUCTURED(m, K_gelu, "gelu", "gelu_", "gelu.out", c10::string_view);
  OCL_STRUCTURED(m, K_silu, "silu", "silu_", "silu.out");
  OCL_STRUCTURED(m, K_threshold, "threshold", "threshold_", "threshold.out", const at::Scalar&, const at::Scalar&);
  OCL_STRUCTURED(m, K_leaky_relu, "leaky_relu", "leaky_relu_", "leaky_relu.out", const at::Scalar&);
  OCL_STRUCTURED(m, K_elu, "elu", "elu_", "elu.out", const at::Scalar&, const at::Scalar&, const at::Scalar&);
  m.impl("softplus", &ocl::functional<K_softplus, const at::Tensor&, const at::Scalar&, const at::Scalar&>);
  m.impl("softplus.out", &ocl::out<K_softplus, const at::Tensor&, const at::Scalar&, const at::Scalar&>);
  OCL_STRUCTURED(m, K_hardsigmoid, "hardsigmoid", "hardsigmoid_", "hardsigmoid.out");
  m.impl("gelu_backward", &ocl::functional<K_gelu_bw, const at::Tensor&, const at::Tensor&, c10::string_view>);
  m.impl("gelu_backward.grad_input", &ocl::out<K_gelu_bw, const at::Tensor&, const at::Tensor&, c10::string_view>);
  m.impl("silu_backward", &ocl::functional<K_silu_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("silu_backward.grad_input", &ocl::out<K_silu_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("threshold_backward", &ocl::functional<K_threshold_bw, const at::Tensor&, const at::Tensor&, const at::Scalar&>);
  m.impl("threshold_backward.grad_input", &ocl::out<K_threshold_bw, const at::Tensor&, const at::Tensor&, const at::Scalar&>);
  m.impl("sigmoid_backward", &ocl::functional<K_sigmoid_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("sigmoid_backward.grad_input", &ocl::out<K_sigmoid_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("tanh_backward", &ocl::functional<K_tanh_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("tanh_backward.grad_input", &ocl::out<K_tanh_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("leaky_relu_backward", &ocl::functional<K_leaky_relu_bw, const at::Tensor&, const at::Tensor&, const at::Scalar&, bool>);
  m.impl("leaky_relu_backward.grad_input", &ocl::out<K_leaky_relu_bw, const at::Tensor&, const at::Tensor&, const at::Scalar&, bool>);
  m.impl("elu_backward", &ocl::functional<K_elu_bw, const at::Tensor&, const at::Scalar&, const at::Scalar&, const at::Scalar&, bool, const at::Tensor&>);
  m.impl("elu_backward.grad_input", &ocl::out<K_elu_bw, const at::Tensor&, const at::Scalar&, const at::Scalar&, const at::Scalar&, bool, const at::Tensor&>);
  m.impl("softplus_backward", &ocl::functional<K_softplus_bw, const at::Tensor&, const at::Tensor&, const at::Scalar&, const at::Scalar&>);
  m.impl("softplus_backward.grad_input", &ocl::out<K_softplus_bw, const at::Tensor&, const at::Tensor&, const at::Scalar&, const at::Scalar&>);
  m.impl("hardsigmoid_backward", &ocl::functional<K_hardsigmoid_bw, const at::Tensor&, const at::Tensor&>);
  m.impl("hardsigmoid_backward.grad_input", &ocl::out<K_hardsigmoid_bw, const at::Tensor&, const at::Tensor&>);
}

namespace at::native {
REGISTER_PRIVATEUSE1_DISPATCH(hardtanh_backward_stub, &ocl::hardtanh_backward_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(hardswish_stub, &ocl::hardswish_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(hardswish_backward_stub, &ocl::hardswish_backward_kernel)
REGISTER_PRIVATEUSE1_DISPATCH(mish_backward_stub, &ocl::mish_backward_kernel)
}  // namespace at::native

// hardtanh, hardswish, mish, shrinks, glu, prelu, rrelu, log_sigmoid.
namespace {
using K_mish = ocl::TI<structured_mish, &ocl::mish_kernel>;
using K_softshrink = ocl::TI<structured_softshrink, &ocl::softshrink_kernel>;
using K_hardshrink = ocl::TI<structured_hardshrink, &ocl::hardshrink_kernel>;
using K_softshrink_bw = ocl::TI<structured_softshrink_backward, &ocl::shrink_backward_kernel>;
using K_hardshrink_bw = ocl::TI<structured_hardshrink_backward, &ocl::shrink_backward_kernel>;
using Sc = const at::Scalar&;
using Ten = const at::Tensor&;
}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("hardtanh", at::native::hardtanh);
  m.impl("hardtanh_", at::native::hardtanh_);
  m.impl("hardtanh.out", at::native::hardtanh_out);
  m.impl("hardtanh_backward", at::native::hardtanh_backward);
  m.impl("hardtanh_backward.grad_input", at::native::hardtanh_backward_out);
  m.impl("hardswish", at::native::hardswish);
  m.impl("hardswish_", at::native::hardswish_);
  m.impl("hardswish.out", at::native::hardswish_out);
  m.impl("hardswish_backward", at::native::hardswish_backward);
  m.impl("hardswish_backward.out", at::native::hardswish_backward_out);
  OCL_STRUCTURED(m, K_mish, "mish", "mish_", "mish.out");
  m.impl("mish_backward", at::native::mish_backward);
  m.impl("softshrink", &ocl::functional<K_softshrink, Ten, Sc>);
  m.impl("softshrink.out", &ocl::out<K_softshrink, Ten, Sc>);
  m.impl("hardshrink", &ocl::functional<K_hardshrink, Ten, Sc>);
  m.impl("hardshrink.out", &ocl::out<K_hardshrink, Ten, Sc>);
  m.impl("softshrink_backward", &ocl::functional<K_softshrink_bw, Ten, Ten, Sc>);
  m.impl("softshrink_backward.grad_input", &ocl::out<K_softshrink_bw, Ten, Ten, Sc>);
  m.impl("hardshrink_backward", &ocl::functional<K_hardshrink_bw, Ten, Ten, Sc>);
  m.impl("hardshrink_backward.grad_input", &ocl::out<K_hardshrink_bw, Ten, Ten, Sc>);
  m.impl("glu", ocl::glu);
  m.impl("glu.out", ocl::glu_out);
  m.impl("glu_backward", ocl::glu_backward);
  m.impl("glu_backward.grad_input", ocl::glu_backward_out);
  m.impl("_prelu_kernel", ocl::prelu_kernel);
  m.impl("_prelu_kernel_backward", ocl::prelu_kernel_backward);
  m.impl("rrelu_with_noise", ocl::rrelu_with_noise);
  m.impl("rrelu_with_noise_", ocl::rrelu_with_noise_);
  m.impl("rrelu_with_noise.out", ocl::rrelu_with_noise_out);
  m.impl("log_sigmoid_forward", ocl::log_sigmoid_forward);
  m.impl("log_sigmoid_forward.output", ocl::log_sigmoid_forward_out);
  m.impl("log_sigmoid_backward", ocl::log_sigmoid_backward);
  m.impl("log_sigmoid_backward.grad_input", ocl::log_sigmoid_backward_out);
}
