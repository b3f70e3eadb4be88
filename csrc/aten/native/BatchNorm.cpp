// Batch norm, training and evaluation, forward and backward, in the accumulate type (float for
// 16-bit inputs), in any layout (channels_last stays channels_last). Forward: one Welford pass
// for the statistics, one per-channel kernel (invstd, y = x * a + b's a and b, running
// statistics), then the y pass. Backward: sum(dy) and sum(dy * (x - mean)) in one two-input
// reduction, one per-channel kernel (dx's coefficients, dw, db), then the dx pass. Running
// statistics are updated in place as CUDA does (unbiased variance).
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include <vector>

#include "aten/native/NnKernel.h"
#include "aten/native/Normalization.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Reduce.h"
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

// A per-channel operand as the kernels index it: contiguous, 1-d (absent: undefined).
Tensor channel_vector(const OptTensor& t) {
  if (!defined(t)) return Tensor();
  return t->is_contiguous() ? t->view(-1) : t->contiguous().view(-1);
}

// sum(dy) and sum(dy * (x - mean)) per channel in one pass over dy and x.
std::pair<Tensor, Tensor> backward_sums(const Tensor& dy, const Tensor& x, const Tensor& mean, const Layout& L,
                                        ScalarType acc) {
  const int64_t C = x.size(1);
  Tensor sum_dy = at::empty({C}, x.options().dtype(acc)), dot = at::empty({C}, x.options().dtype(acc));
  // x: dy, y: input, z: mean
  sum_pair(sum_dy.view(L.channels), dot.view(L.channels), {dy, x, mean.view(L.channels)}, "bn_backward_sums",
           "x, x * (y - z)");
  return {sum_dy, dot};
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
  Tensor mean, var, invstd = at::empty({C}, opts);
  if (training) {
    TORCH_CHECK(L.per_channel > 1, "Expected more than 1 value per channel when training, got input size ",
                input.sizes());
    var = at::empty({C}, opts);
    mean = at::empty({C}, opts);
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < input.dim(); ++d)
      if (d != 1) dims.push_back(d);
    std_var_mean_out("batch_norm", var, mean, input, dims, Scalar(0), false, false);
  } else {
    TORCH_CHECK(defined(running_mean) && defined(running_var),
                "running_mean and running_var must be defined in evaluation mode");
    mean = channel_vector(running_mean);
    var = channel_vector(running_var);
  }
  // Running statistics are updated in place: a non-contiguous one goes through a copy.
  auto in_place = [&](const OptTensor& t) { return training && defined(t); };
  Tensor rm = in_place(running_mean) ? channel_vector(running_mean) : Tensor();
  Tensor rv = in_place(running_var) ? channel_vector(running_var) : Tensor();
  Tensor a = at::empty({C}, opts), b = at::empty({C}, opts), w = channel_vector(weight), bs = channel_vector(bias);
  if (C > 0) {
    const int device = input.device().index();
    Roles roles{{"M", mean.scalar_type()},
                {"W", w.defined() ? w.scalar_type() : acc},
                {"B", bs.defined() ? bs.scalar_type() : acc},
                {"R", rm.defined() ? rm.scalar_type() : (rv.defined() ? rv.scalar_type() : acc)}};
    TORCH_CHECK(!rm.defined() || !rv.defined() || rm.scalar_type() == rv.scalar_type(),
                "batch_norm: running_mean and running_var must have the same dtype, got ", rm.scalar_type(), " and ",
                rv.scalar_type());
    auto args = nn_kernel(device, "batch_norm.cl", "bn_coefficients", roles, acc,
                          define_flag("TRAIN", training) + define_flag("HAS_W", w.defined()) +
                              define_flag("HAS_B", bs.defined()) + define_flag("HAS_RM", rm.defined()) +
                              define_flag("HAS_RV", rv.defined()));
    add_tensor(args, invstd);
    add_tensor(args, a);
    add_tensor(args, b);
    add_tensor(args, mean);
    add_tensor(args, var);
    add_tensor(args, w.defined() ? w : a);  // absent operands point at a (unused)
    add_tensor(args, bs.defined() ? bs : a);
    add_tensor(args, rm.defined() ? rm : a);
    add_tensor(args, rv.defined() ? rv : a);
    const double unbias = L.per_channel > 1 ? double(L.per_channel) / double(L.per_channel - 1) : 1.0;
    args.add<cl_ulong>(C).add_scalar(acc, eps).add_scalar(acc, momentum).add_scalar(acc, unbias);
    args.launch_1d(C);
    if (rm.defined() && !rm.is_same(*running_mean)) running_mean->copy_(rm.view_as(*running_mean));
    if (rv.defined() && !rv.is_same(*running_var)) running_var->copy_(rv.view_as(*running_var));
  }
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
  const int64_t C = input.size(1);
  check_param(weight, C, "weight");
  ScalarType acc = acc_of(input.scalar_type());
  Tensor mean, stat;  // stat: invstd (training) or the running variance
  if (train) {
    TORCH_CHECK(defined(save_mean) && defined(save_invstd), "batch_norm_backward: saved statistics are required");
    mean = channel_vector(save_mean);
    stat = channel_vector(save_invstd);
  } else {
    TORCH_CHECK(defined(running_mean) && defined(running_var), "batch_norm_backward: running statistics are required");
    mean = channel_vector(running_mean);
    stat = channel_vector(running_var);
  }
  check_param(mean, C, train ? "save_mean" : "running_mean");
  check_param(stat, C, train ? "save_invstd" : "running_var");
  const bool need_sums = mask[1] || mask[2] || (mask[0] && train);
  Tensor sum_dy, dot;  // sum(dy) and sum(dy * (x - mean)) per channel
  if (need_sums) std::tie(sum_dy, dot) = backward_sums(grad_out, input, mean, L, acc);
  const ScalarType pt = defined(weight) ? weight->scalar_type() : input.scalar_type();
  const auto opts = input.options().dtype(acc);
  Tensor k = at::empty({3, C}, opts), dw, db, dx;
  if (mask[1]) dw = at::empty({C}, input.options().dtype(pt));
  if (mask[2]) db = at::empty({C}, input.options().dtype(pt));
  Tensor w = channel_vector(weight);
  if (C > 0) {
    Roles roles{{"M", stat.scalar_type()}, {"W", w.defined() ? w.scalar_type() : acc}, {"P", pt}};
    auto args = nn_kernel(input.device().index(), "batch_norm.cl", "bn_backward_coefficients", roles, acc,
                          define_flag("TRAIN", train) + define_flag("HAS_W", w.defined()) +
                              define_flag("HAS_SUMS", need_sums) + define_flag("INVSTD_FROM_VAR", !train) +
                              define_flag("WANT_DW", mask[1]) + define_flag("WANT_DB", mask[2]));
    add_tensor(args, k);
    add_tensor(args, mask[1] ? dw : k);  // absent operands point at k (unused)
    add_tensor(args, mask[2] ? db : k);
    add_tensor(args, need_sums ? sum_dy : k);
    add_tensor(args, need_sums ? dot : k);
    add_tensor(args, stat);
    add_tensor(args, w.defined() ? w : k);
    args.add<cl_ulong>(C).add_scalar(acc, double(L.per_channel)).add_scalar(acc, eps);
    args.launch_1d(C);
  }
  if (mask[0]) {
    dx = like(input, input.scalar_type());
    auto kv = [&](int i) { return k[i].view(L.channels); };
    if (train)  // dx = dy * k1 + (x - mean) * k2 + k3
      pointwise_into(dx, {grad_out, input, mean.view(L.channels), kv(0), kv(1), kv(2)},
                     {"bn_dx", "a * d + (b - c) * e + f", acc});
    else
      pointwise_into(dx, {grad_out, kv(0)}, {"bn_dx_eval", "a * b", acc});
  }
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
