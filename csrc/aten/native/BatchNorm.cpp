// Batch norm, training and evaluation, forward and backward, in the accumulate type (float for
// 16-bit inputs), in any layout (channels_last stays channels_last). Forward: one Welford pass
// for the statistics, then y = x * a + b with per-channel a, b (one pass). Backward: sum(dy) and
// sum(dy * (x - mean)) (two reductions and one product), then dx = dy * k1 + (x - mean) * k2 + k3
// (one pass). Running statistics are updated in place as CUDA does (unbiased variance).
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/sum.h>

#include <vector>

#include "aten/native/Normalization.h"
#include "aten/native/Pointwise.h"
#include "aten/native/ReduceOps.h"

namespace at::native::ocl {
namespace {

ScalarType acc_of(ScalarType t) { return t == kDouble ? kDouble : kFloat; }

bool defined(const OptTensor& t) { return t.has_value() && t->defined(); }

struct Layout {
  std::vector<int64_t> dims;      // every dim but the channels
  std::vector<int64_t> channels;  // [1, C, 1, ...] for broadcasting
  int64_t per_channel = 1;        // elements per channel
};

Layout layout_of(const Tensor& input) {
  TORCH_CHECK(input.dim() >= 2, "batch_norm: expected input with at least 2 dimensions, but got ", input.dim());
  Layout L;
  L.channels.assign(input.dim(), 1);
  L.channels[1] = input.size(1);
  for (int64_t d = 0; d < input.dim(); ++d)
    if (d != 1) {
      L.dims.push_back(d);
      L.per_channel *= input.size(d);
    }
  return L;
}

void check_param(const OptTensor& t, int64_t C, const char* what) {
  TORCH_CHECK(!defined(t) || t->numel() == C, "batch_norm: expected ", what, " to have ", C, " elements, but got ",
              t->numel());
}

Tensor like(const Tensor& t, ScalarType dtype) {
  return at::empty_like(t, t.options().dtype(dtype), t.suggest_memory_format());
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                                              const OptTensor& running_mean, const OptTensor& running_var,
                                              bool training, double momentum, double eps) {
  Layout L = layout_of(input);
  const int64_t C = input.size(1);
  check_param(weight, C, "weight");
  check_param(bias, C, "bias");
  check_param(running_mean, C, "running_mean");
  check_param(running_var, C, "running_var");
  const ScalarType acc = acc_of(input.scalar_type());
  const auto opts = input.options().dtype(acc);
  Tensor mean, invstd;
  if (training) {
    TORCH_CHECK(L.per_channel > 1, "Expected more than 1 value per channel when training, got input size ",
                input.sizes());
    Tensor var = at::empty({C}, opts);
    mean = at::empty({C}, opts);
    std_var_mean_out("batch_norm", var, mean, input, L.dims, Scalar(0), false, false);
    invstd = var.add(eps).rsqrt();
    if (defined(running_mean))
      running_mean->mul_(1 - momentum).add_(mean.mul(momentum).to(running_mean->scalar_type()));
    if (defined(running_var)) {
      double unbias = double(L.per_channel) / double(L.per_channel - 1);
      running_var->mul_(1 - momentum).add_(var.mul(momentum * unbias).to(running_var->scalar_type()));
    }
  } else {
    TORCH_CHECK(defined(running_mean) && defined(running_var),
                "running_mean and running_var must be defined in evaluation mode");
    mean = running_mean->to(acc);
    invstd = running_var->to(acc).add(eps).rsqrt();
  }
  // y = x * a + b: a = invstd * weight, b = bias - mean * a (per channel)
  Tensor a = defined(weight) ? invstd.mul(weight->to(acc)) : invstd;
  Tensor b = defined(bias) ? bias->to(acc).sub(mean.mul(a)) : mean.mul(a).neg();
  Tensor y = like(input, input.scalar_type());
  pointwise_into(y, {input, a.view(L.channels), b.view(L.channels)}, {"bn_affine", "a * b + c", acc});
  if (!training) {  // CUDA returns empty statistics in evaluation mode
    mean = at::empty({0}, opts);
    invstd = at::empty({0}, opts);
  }
  return {y, mean, invstd};
}

std::tuple<Tensor, Tensor, Tensor> batch_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       const OptTensor& weight, const OptTensor& running_mean,
                                                       const OptTensor& running_var, const OptTensor& save_mean,
                                                       const OptTensor& save_invstd, bool train, double eps,
                                                       std::array<bool, 3> mask) {
  Layout L = layout_of(input);
  ScalarType acc = acc_of(input.scalar_type());
  Tensor mean, invstd;
  if (train) {
    TORCH_CHECK(defined(save_mean) && defined(save_invstd), "batch_norm_backward: saved statistics are required");
    mean = save_mean->to(acc);
    invstd = save_invstd->to(acc);
  } else {
    TORCH_CHECK(defined(running_mean) && defined(running_var), "batch_norm_backward: running statistics are required");
    mean = running_mean->to(acc);
    invstd = running_var->to(acc).add(eps).rsqrt();
  }
  const Tensor m = mean.view(L.channels);
  const bool need_sums = mask[1] || mask[2] || (mask[0] && train);
  Tensor sum_dy, dot;  // sum(dy) and sum(dy * (x - mean)) per channel
  if (need_sums) {
    sum_dy = at::sum(grad_out, L.dims, false, acc);
    Tensor prod = like(grad_out, acc);
    pointwise_into(prod, {grad_out, input, m}, {"bn_centred_dy", "a * (b - c)", acc});
    dot = at::sum(prod, L.dims, false, acc);
  }
  Tensor dx, dw, db;
  if (mask[0]) {
    Tensor k1 = defined(weight) ? invstd.mul(weight->to(acc)) : invstd;
    dx = like(input, input.scalar_type());
    if (train) {  // dx = k1 * (dy - sum_dy / n - (x - mean) * invstd^2 * dot / n)
      const double n = double(L.per_channel);
      Tensor k2 = k1.mul(invstd).mul(invstd).mul(dot).div(-n), k3 = k1.mul(sum_dy).div(-n);
      pointwise_into(dx, {grad_out, input, m, k1.view(L.channels), k2.view(L.channels), k3.view(L.channels)},
                     {"bn_dx", "a * d + (b - c) * e + f", acc});
    } else {
      pointwise_into(dx, {grad_out, k1.view(L.channels)}, {"bn_dx_eval", "a * b", acc});
    }
  }
  ScalarType pt = defined(weight) ? weight->scalar_type() : input.scalar_type();
  if (mask[1]) dw = dot.mul(invstd).to(pt);
  if (mask[2]) db = sum_dy.to(pt);
  return {dx, dw, db};
}

std::tuple<Tensor, Tensor, Tensor> batch_norm_legit(const Tensor& input, const OptTensor& weight,
                                                    const OptTensor& bias, Tensor& running_mean, Tensor& running_var,
                                                    bool training, double momentum, double eps) {
  return batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps);
}

std::tuple<Tensor, Tensor, Tensor> batch_norm_legit_no_stats(const Tensor& input, const OptTensor& weight,
                                                             const OptTensor& bias, bool training, double momentum,
                                                             double eps) {
  return batch_norm(input, weight, bias, std::nullopt, std::nullopt, training, momentum, eps);
}

std::tuple<Tensor, Tensor, Tensor, Tensor> batch_norm_with_update(const Tensor& input, const OptTensor& weight,
                                                                  const OptTensor& bias, Tensor& running_mean,
                                                                  Tensor& running_var, double momentum, double eps) {
  auto [y, mean, invstd] = batch_norm(input, weight, bias, running_mean, running_var, true, momentum, eps);
  return {y, mean, invstd, at::empty({0}, input.options().dtype(kByte))};
}

std::tuple<Tensor, Tensor, Tensor> batch_norm_backward_reserve(
    const Tensor& grad_out, const Tensor& input, const Tensor& weight, const OptTensor& running_mean,
    const OptTensor& running_var, const OptTensor& save_mean, const OptTensor& save_var, bool update, double eps,
    std::array<bool, 3> mask, const Tensor&) {
  return batch_norm_backward(grad_out, input, weight, running_mean, running_var, save_mean, save_var, update, eps,
                             mask);
}

}  // namespace at::native::ocl
