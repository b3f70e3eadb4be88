// Group norm: per-(sample, group) statistics from the row kernel, the affine map as one
// pointwise kernel. Backward (ATen's formulas, in the accumulate type): sum(dy * x) and sum(dy)
// per (sample, channel) in one pass over dy and x (any layout), small per-channel and per-group
// coefficients, then dx in one pointwise pass.
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>

#include <vector>

#include "aten/native/Normalization.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Reduce.h"

namespace at::native::ocl {
namespace {

ScalarType acc_of(ScalarType t) { return t == kDouble ? kDouble : kFloat; }

void check_inputs(const Tensor& X, const OptTensor& gamma, const OptTensor& beta, int64_t N, int64_t C,
                  int64_t HxW, int64_t group) {
  TORCH_CHECK(group > 0 && C % group == 0, "Expected number of channels in input to be divisible by num_groups, ",
              "but got input of shape ", X.sizes(), " and num_groups=", group);
  TORCH_CHECK(X.numel() == N * C * HxW, "Expected input with ", N * C * HxW, " elements, but got ", X.numel());
  for (const OptTensor* p : {&gamma, &beta})
    TORCH_CHECK(!p->has_value() || !(*p)->defined() || (*p)->numel() == C,
                "Expected weight and bias to be a vector of size equal to the number of channels in input, but got "
                "a tensor of shape ", (*p)->sizes(), " and input of shape ", X.sizes());
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> group_norm(const Tensor& X, const OptTensor& gamma, const OptTensor& beta,
                                              int64_t N, int64_t C, int64_t HxW, int64_t group, double eps) {
  check_inputs(X, gamma, beta, N, C, HxW, group);
  const int64_t D = C / group;
  Tensor x = X.contiguous();
  // Statistics in the input's dtype, as CUDA keeps them.
  Tensor mean = at::empty({N, group}, X.options()), rstd = at::empty({N, group}, X.options());
  Tensor y = at::empty(X.sizes(), X.options().memory_format(MemoryFormat::Contiguous));
  if (N * group == 0) return {y, mean, rstd};
  norm_forward(x, Tensor(), Tensor(), Tensor(), mean, rstd, N * group, D * HxW, eps, false);
  if (X.numel() == 0) return {y, mean, rstd};
  bool has_w = gamma.has_value() && gamma->defined(), has_b = beta.has_value() && beta->defined();
  Tensor y4 = y.view({N, group, D, HxW}), x4 = x.view({N, group, D, HxW});
  Tensor m4 = mean.view({N, group, 1, 1}), r4 = rstd.view({N, group, 1, 1});
  Tensor w4 = has_w ? gamma->view({1, group, D, 1}) : Tensor(), b4 = has_b ? beta->view({1, group, D, 1}) : Tensor();
  const ScalarType acc = acc_of(X.scalar_type());
  if (has_w && has_b)
    pointwise_into(y4, {x4, m4, r4, w4, b4}, {"group_norm", "(a - b) * c * d + e", acc});
  else if (has_w)
    pointwise_into(y4, {x4, m4, r4, w4}, {"group_norm", "(a - b) * c * d", acc});
  else if (has_b)
    pointwise_into(y4, {x4, m4, r4, b4}, {"group_norm", "(a - b) * c + d", acc});
  else
    pointwise_into(y4, {x4, m4, r4}, {"group_norm", "(a - b) * c", acc});
  return {y, mean, rstd};
}

std::tuple<Tensor, Tensor, Tensor> group_norm_backward(const Tensor& dY, const Tensor& X, const Tensor& mean,
                                                       const Tensor& rstd, const OptTensor& gamma, int64_t N,
                                                       int64_t C, int64_t HxW, int64_t group,
                                                       std::array<bool, 3> mask) {
  check_inputs(X, gamma, std::nullopt, N, C, HxW, group);
  const int64_t D = C / group;
  ScalarType acc = acc_of(X.scalar_type());
  bool has_w = gamma.has_value() && gamma->defined();
  const Tensor dy = dY.sizes() == X.sizes() ? dY : dY.reshape(X.sizes());
  // ds = sum(dy * x) and db = sum(dy) per (n, c) over the positions: one pass over dY and X in
  // their dtypes and layouts
  std::vector<int64_t> per_channel(X.dim(), 1);  // [N, C, 1, ...]
  per_channel[0] = N;
  per_channel[1] = C;
  const auto so = X.options().dtype(acc);
  auto sums = [&] { return HxW > 0 ? at::empty({N, C}, so) : at::zeros({N, C}, so); };  // no positions: zeros
  Tensor ds = sums(), db = sums();
  if (HxW > 0) sum_pair(ds.view(per_channel), db.view(per_channel), {dy, X}, "gn_backward_sums", "x * y, x");
  Tensor ds3 = ds.view({N, group, D}), db3 = db.view({N, group, D});
  Tensor m = mean.to(acc).reshape({N, group, 1}), r = rstd.to(acc).reshape({N, group, 1});
  Tensor dx, dgamma, dbeta;
  if (mask[0]) {
    // dx = c1 * dy + c2 * x + c3 (ATen's formulas): c1 per (n, c), c2 and c3 per (n, group)
    Tensor gam = has_w ? gamma->to(acc).view({1, group, D}) : Tensor();
    Tensor ds_g = (has_w ? ds3.mul(gam) : ds3).sum(2, true), db_g = (has_w ? db3.mul(gam) : db3).sum(2, true);
    const double s = 1.0 / double(D * HxW);
    Tensor c1 = has_w ? r.mul(gam) : r.expand({N, group, D});                       // N, G, D
    Tensor c2 = db_g.mul(m).sub(ds_g).mul(r.mul(r).mul(r)).mul(s);                  // N, G, 1
    Tensor c3 = c2.mul(m).neg().sub(db_g.mul(r).mul(s));                            // N, G, 1
    auto channels = [&](const Tensor& t) { return t.expand({N, group, D}).reshape(per_channel); };
    dx = at::empty(X.sizes(), X.options().memory_format(MemoryFormat::Contiguous));  // as CUDA's
    if (X.numel() > 0)
      pointwise_into(dx, {dy, channels(c1), X, channels(c2), channels(c3)},
                     {"gn_dx", "a * b + c * d + e", acc});
  }
  if (mask[1] && has_w) dgamma = ds3.sub(db3.mul(m)).mul(r).sum(0).reshape({C}).to(gamma->scalar_type());
  if (mask[2]) dbeta = db.sum(0).reshape({C}).to(has_w ? gamma->scalar_type() : X.scalar_type());
  return {dx, dgamma, dbeta};
}

}  // namespace at::native::ocl
