// Layer norm and RMS norm: one work-group per normalized row for the output and the input
// gradient; weight/bias gradients as per-column partial sums over chunks of rows.
#include <ATen/native/layer_norm.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <limits>

#include "aten/native/NnKernel.h"
#include "aten/native/Normalization.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

ScalarType acc_of(ScalarType t) { return t == kDouble ? kDouble : kFloat; }

std::string flags(bool rms, bool has_w, bool has_b, bool write_y, int wg) {
  return "#define RMS " + std::to_string(rms) + "\n#define HAS_W " + std::to_string(has_w) + "\n#define HAS_B " +
         std::to_string(has_b) + "\n#define WRITE_Y " + std::to_string(write_y) + "\n#define WG " +
         std::to_string(wg) + "\n";
}

}  // namespace

void norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& y, const Tensor& mean,
                  const Tensor& rstd, int64_t rows, int64_t n, double eps, bool rms) {
  if (rows == 0) return;
  const int device = x.device().index();
  int wg = row_group_size(device, n);
  ScalarType acc = acc_of(x.scalar_type());
  Roles roles{{"X", x.scalar_type()},
              {"Y", y.defined() ? y.scalar_type() : x.scalar_type()},
              {"W", w.defined() ? w.scalar_type() : x.scalar_type()},
              {"B", b.defined() ? b.scalar_type() : x.scalar_type()},
              {"S", rstd.scalar_type()}};
  auto args = nn_kernel(device, "norm.cl", "norm_rows", roles, acc,
                        flags(rms, w.defined(), b.defined(), y.defined(), wg));
  add_tensor(args, y.defined() ? y : x);  // unused operands point at x
  add_tensor(args, mean.defined() ? mean : rstd);
  add_tensor(args, rstd);
  add_tensor(args, x);
  add_tensor(args, w.defined() ? w : x);
  add_tensor(args, b.defined() ? b : x);
  args.add<cl_ulong>(rows).add<cl_ulong>(n).add_scalar(acc, eps);
  args.launch(row_groups(device, rows) * wg, wg);
}

namespace {

void norm_backward_input(const Tensor& g, const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& w,
                         const Tensor& gi, int64_t rows, int64_t n, bool rms) {
  if (rows == 0) return;
  const int device = x.device().index();
  int wg = row_group_size(device, n);
  Roles roles{{"GI", gi.scalar_type()}, {"G", g.scalar_type()}, {"X", x.scalar_type()},
              {"S", rstd.scalar_type()}, {"W", w.defined() ? w.scalar_type() : x.scalar_type()}};
  auto args = nn_kernel(device, "norm.cl", "norm_backward_rows", roles, acc_of(x.scalar_type()),
                        flags(rms, w.defined(), false, true, wg));
  add_tensor(args, gi);
  add_tensor(args, g);
  add_tensor(args, x);
  add_tensor(args, mean.defined() ? mean : rstd);
  add_tensor(args, rstd);
  add_tensor(args, w.defined() ? w : x);
  args.add<cl_ulong>(rows).add<cl_ulong>(n);
  args.launch(row_groups(device, rows) * wg, wg);
}

// (sum over rows of g * xhat, sum over rows of g) per column, in the accumulate type.
std::pair<Tensor, Tensor> norm_param_grads(const Tensor& g, const Tensor& x, const Tensor& mean,
                                           const Tensor& rstd, int64_t rows, int64_t n, bool rms) {
  ScalarType acc = acc_of(x.scalar_type());
  if (rows == 0 || n == 0) {
    auto z = at::zeros({n}, x.options().dtype(acc));
    return {z, z.clone()};
  }
  const int device = x.device().index();
  // Enough (chunk, column) work-items to fill the device; each sums `chunk` rows.
  int64_t chunks = std::clamp<int64_t>((int64_t(1) << 16) / std::max<int64_t>(n, 1), 1, rows);
  int64_t chunk = (rows + chunks - 1) / chunks;
  chunks = (rows + chunk - 1) / chunk;
  Tensor pw = at::empty({chunks, n}, x.options().dtype(acc)), pb = at::empty({chunks, n}, x.options().dtype(acc));
  Roles roles{{"G", g.scalar_type()}, {"X", x.scalar_type()}, {"S", rstd.scalar_type()}};
  auto args = nn_kernel(device, "norm.cl", "norm_param_partials", roles, acc, flags(rms, false, false, false, 32));
  add_tensor(args, pw);
  add_tensor(args, pb);
  add_tensor(args, g);
  add_tensor(args, x);
  add_tensor(args, mean.defined() ? mean : rstd);
  add_tensor(args, rstd);
  args.add<cl_ulong>(rows).add<cl_ulong>(n).add<cl_ulong>(chunk).add<cl_ulong>(chunks);
  args.launch_1d(chunks * n);
  return {pw.sum(0), pb.sum(0)};
}

std::vector<int64_t> stat_shape(const Tensor& input, size_t normalized_ndim) {
  std::vector<int64_t> shape(input.sizes().begin(), input.sizes().end());
  for (size_t k = shape.size() - normalized_ndim; k < shape.size(); ++k) shape[k] = 1;
  return shape;
}

Tensor contiguous_or_undefined(const OptTensor& t) {
  return t.has_value() && t->defined() ? t->contiguous() : Tensor();
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> layer_norm(const Tensor& input, IntArrayRef normalized_shape,
                                              const OptTensor& weight, const OptTensor& bias, double eps) {
  Tensor w = contiguous_or_undefined(weight), b = contiguous_or_undefined(bias);
  auto [M, N] = _check_layer_norm_inputs(input, normalized_shape, w, b);
  Tensor x = input.contiguous();
  Tensor y = at::empty(input.sizes(), input.options().memory_format(MemoryFormat::Contiguous));
  // Statistics in the accumulate type, as CUDA keeps them.
  auto so = input.options().dtype(acc_of(input.scalar_type()));
  Tensor mean = at::empty({M}, so), rstd = at::empty({M}, so);
  if (N == 0) {
    mean.fill_(std::numeric_limits<double>::quiet_NaN());
    rstd.fill_(std::numeric_limits<double>::quiet_NaN());
  } else {
    norm_forward(x, w, b, y, mean, rstd, M, N, eps, false);
  }
  auto shape = stat_shape(input, normalized_shape.size());
  return {y, mean.view(shape), rstd.view(shape)};
}

std::tuple<Tensor, Tensor, Tensor> layer_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       IntArrayRef normalized_shape, const Tensor& mean,
                                                       const Tensor& rstd, const OptTensor& weight,
                                                       const OptTensor& bias, std::array<bool, 3> mask) {
  Tensor w = contiguous_or_undefined(weight), b = contiguous_or_undefined(bias);
  auto [M, N] = _check_layer_norm_inputs(input, normalized_shape, w, b);
  Tensor x = input.contiguous(), g = grad_out.contiguous(), m = mean.contiguous(), r = rstd.contiguous();
  Tensor dx, dw, db;
  if (mask[0]) {
    dx = at::empty(input.sizes(), input.options().memory_format(MemoryFormat::Contiguous));
    if (N > 0) norm_backward_input(g, x, m, r, w, dx, M, N, false);
  }
  if (mask[1] || mask[2]) {
    auto [pw, pb] = norm_param_grads(g, x, m, r, M, N, false);
    ScalarType pt = w.defined() ? w.scalar_type() : (b.defined() ? b.scalar_type() : input.scalar_type());
    if (mask[1]) dw = pw.to(pt).view(normalized_shape);
    if (mask[2]) db = pb.to(b.defined() ? b.scalar_type() : pt).view(normalized_shape);
  }
  return {dx, dw, db};
}

std::tuple<Tensor, Tensor> rms_norm(const Tensor& input, IntArrayRef normalized_shape, const OptTensor& weight,
                                    std::optional<double> eps) {
  Tensor w = contiguous_or_undefined(weight);
  auto [M, N] = _check_layer_norm_inputs(input, normalized_shape, w, Tensor());
  ScalarType acc = acc_of(input.scalar_type());
  double e = eps.value_or(acc == kDouble ? std::numeric_limits<double>::epsilon()
                                         : double(std::numeric_limits<float>::epsilon()));
  Tensor x = input.contiguous();
  Tensor y = at::empty(input.sizes(), input.options().memory_format(MemoryFormat::Contiguous));
  Tensor rstd = at::empty({M}, input.options().dtype(acc));
  if (N > 0) norm_forward(x, w, Tensor(), y, Tensor(), rstd, M, N, e, true);
  return {y, rstd.view(stat_shape(input, normalized_shape.size()))};
}

std::tuple<Tensor, Tensor> rms_norm_backward(const Tensor& grad_out, const Tensor& input,
                                             IntArrayRef normalized_shape, const Tensor& rstd,
                                             const OptTensor& weight, std::array<bool, 2> mask) {
  Tensor w = contiguous_or_undefined(weight);
  auto [M, N] = _check_layer_norm_inputs(input, normalized_shape, w, Tensor());
  Tensor x = input.contiguous(), g = grad_out.contiguous(), r = rstd.contiguous();
  Tensor dx, dw;
  if (mask[0]) {
    dx = at::empty(input.sizes(), input.options().memory_format(MemoryFormat::Contiguous));
    if (N > 0) norm_backward_input(g, x, Tensor(), r, w, dx, M, N, true);
  }
  if (mask[1] && w.defined())
    dw = norm_param_grads(g, x, Tensor(), r, M, N, true).first.to(w.scalar_type()).view(normalized_shape);
  return {dx, dw};
}

}  // namespace at::native::ocl
