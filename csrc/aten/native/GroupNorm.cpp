// Group norm: per-(sample, group) statistics from the row kernel, the affine map as one
// pointwise kernel; the backward from per-channel sums (ATen's formulas) in the accumulate type.
#include <ATen/ops/empty.h>

#include "aten/native/Normalization.h"
#include "aten/native/Pointwise.h"

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
  Tensor x = X.to(acc).reshape({N, C, HxW}), dy = dY.to(acc).reshape({N, C, HxW});
  Tensor m = mean.to(acc).reshape({N, group, 1}), r = rstd.to(acc).reshape({N, group, 1});
  Tensor ds = dy.mul(x).sum(2).view({N, group, D}), db = dy.sum(2).view({N, group, D});
  Tensor dx, dgamma, dbeta;
  if (mask[0]) {
    Tensor gam = has_w ? gamma->to(acc).view({1, group, D}) : Tensor();
    Tensor ds_g = (has_w ? ds.mul(gam) : ds).sum(2, true), db_g = (has_w ? db.mul(gam) : db).sum(2, true);
    const double s = 1.0 / double(D * HxW);
    Tensor c1 = has_w ? r.mul(gam) : r.expand({N, group, D});                       // N, G, D
    Tensor c2 = db_g.mul(m).sub(ds_g).mul(r.mul(r).mul(r)).mul(s);                  // N, G, 1
    Tensor c3 = c2.mul(m).neg().sub(db_g.mul(r).mul(s));                            // N, G, 1
    Tensor dy4 = dy.view({N, group, D, HxW}), x4 = x.view({N, group, D, HxW});
    dx = c1.unsqueeze(3).mul(dy4).add(c2.unsqueeze(3).mul(x4)).add(c3.unsqueeze(3)).view(X.sizes()).to(X.scalar_type());
  }
  if (mask[1] && has_w) dgamma = ds.sub(db.mul(m)).mul(r).sum(0).reshape({C}).to(gamma->scalar_type());
  if (mask[2]) dbeta = db.sum(0).reshape({C}).to(has_w ? gamma->scalar_type() : X.scalar_type());
  return {dx, dgamma, dbeta};
}

}  // namespace at::native::ocl
