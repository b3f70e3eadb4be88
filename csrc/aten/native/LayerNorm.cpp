// Layer norm and RMS norm: rows held in registers (several per work-group when short), the
// input gradient fused with per-work-group partial sums of the weight/bias gradients; rows too
// long for registers take one work-group per row and a separate column-partials kernel.
#include <ATen/native/layer_norm.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "aten/native/NnKernel.h"
#include "aten/native/Normalization.h"
#include "aten/native/Pointwise.h"
#include "runtime/device.h"

namespace at::native::ocl {
namespace {

ScalarType acc_of(ScalarType t) { return t == kDouble ? kDouble : kFloat; }

std::string flags(bool rms, bool has_w, bool has_b, bool write_y, int wg) {
  return "#define RMS " + std::to_string(rms) + "\n#define HAS_W " + std::to_string(has_w) + "\n#define HAS_B " +
         std::to_string(has_b) + "\n#define WRITE_Y " + std::to_string(write_y) + "\n#define WG " +
         std::to_string(wg) + "\n";
}

// Elements per item of the register-resident row kernels: the aim (loads in flight) and the
// limit (registers; the backward holds g, x and two partial sums per element).
constexpr int kForwardElems = 16, kForwardMaxElems = 32;
constexpr int kBackwardElems = 8, kBackwardMaxElems = 16;

}  // namespace

void norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& y, const Tensor& mean,
                  const Tensor& rstd, int64_t rows, int64_t n, double eps, bool rms) {
  if (rows == 0) return;
  const int device = x.device().index();
  ScalarType acc = acc_of(x.scalar_type());
  Roles roles{{"X", x.scalar_type()},
              {"Y", y.defined() ? y.scalar_type() : x.scalar_type()},
              {"W", w.defined() ? w.scalar_type() : x.scalar_type()},
              {"B", b.defined() ? b.scalar_type() : x.scalar_type()},
              {"S", rstd.scalar_type()}};
  RowPlan plan = row_plan(device, rows, n, row_vector_width(n, {&x, &y, &w, &b}), kForwardElems, kForwardMaxElems);
  // rows held in registers, or one work-group per row with several passes (same arguments;
  // n is 32-bit in the register kernel)
  const bool reg = plan.fits;
  const int wg = reg ? plan.wg : row_group_size(device, n);
  const std::string defs = flags(rms, w.defined(), b.defined(), y.defined(), wg);
  auto args = reg ? nn_kernel(device, "norm.cl", "norm_rows_reg", roles, acc, defs + plan.defines(), plan.vec)
                  : nn_kernel(device, "norm.cl", "norm_rows", roles, acc, defs);
  add_tensor(args, y.defined() ? y : x);  // unused operands point at x
  add_tensor(args, mean.defined() ? mean : rstd);
  add_tensor(args, rstd);
  add_tensor(args, x);
  add_tensor(args, w.defined() ? w : x);
  add_tensor(args, b.defined() ? b : x);
  args.add<cl_ulong>(rows);
  if (reg)
    args.add<cl_uint>(static_cast<cl_uint>(n));
  else
    args.add<cl_ulong>(n);
  args.add_scalar(acc, eps);
  args.launch((reg ? plan.groups : row_groups(device, rows)) * wg, wg);
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

// dw / db (either may be skipped: dw_type / db_type undefined) from the [chunks, n] partial
// sums pw / pb: summed over chunks and stored in their dtypes in one launch.
std::pair<Tensor, Tensor> param_finish(const Tensor& pw, const Tensor& pb, std::optional<ScalarType> dw_type,
                                       std::optional<ScalarType> db_type, int64_t n) {
  const Tensor& any = pw.defined() ? pw : pb;
  Tensor dw = dw_type ? at::empty({n}, any.options().dtype(*dw_type)) : Tensor();
  Tensor db = db_type ? at::empty({n}, any.options().dtype(*db_type)) : Tensor();
  if (n == 0) return {dw, db};
  const int device = any.device().index();
  const int wg = static_cast<int>(std::min<size_t>(256, torch_ocl::runtime::device_info(device).max_work_group_size));
  const int cols = std::min(32, wg);
  ScalarType acc = any.scalar_type();
  Roles roles{{"DW", dw_type.value_or(acc)}, {"DB", db_type.value_or(acc)}};
  std::string defs = "#define WG " + std::to_string(wg) + "\n#define COLS " + std::to_string(cols) + "\n" +
                     define_flag("DW", dw_type.has_value()) + define_flag("DB", db_type.has_value());
  auto args = nn_kernel(device, "norm.cl", "norm_param_finish", roles, acc, defs);
  add_tensor(args, dw.defined() ? dw : any);  // unused operands point at a partials buffer
  add_tensor(args, db.defined() ? db : any);
  add_tensor(args, pw.defined() ? pw : any);
  add_tensor(args, pb.defined() ? pb : any);
  args.add<cl_ulong>(any.size(0)).add<cl_ulong>(n);
  args.launch(row_groups(device, (n + cols - 1) / cols) * wg, wg);
  return {dw, db};
}

// dw = sum over rows of g * xhat, db = sum over rows of g per column, in the given dtypes
// (either may be skipped).
std::pair<Tensor, Tensor> norm_param_grads(const Tensor& g, const Tensor& x, const Tensor& mean,
                                           const Tensor& rstd, int64_t rows, int64_t n, bool rms,
                                           std::optional<ScalarType> dw_type, std::optional<ScalarType> db_type) {
  ScalarType acc = acc_of(x.scalar_type());
  if (rows == 0 || n == 0) {
    auto zeros = [&](std::optional<ScalarType> t) { return t ? at::zeros({n}, x.options().dtype(*t)) : Tensor(); };
    return {zeros(dw_type), zeros(db_type)};
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
  return param_finish(dw_type ? pw : Tensor(), db_type ? pb : Tensor(), dw_type, db_type, n);
}

// The register-resident backward: dx (when gi is defined) and the weight/bias gradients
// (dw/db: g * xhat and g summed over rows, stored in dw_type / db_type; either may be skipped)
// from one pass over g and x. Returns false, doing nothing, when rows are too long for registers.
bool norm_backward_fused(const Tensor& g, const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& w,
                         const Tensor& gi, std::optional<ScalarType> dw_type, std::optional<ScalarType> db_type,
                         int64_t rows, int64_t n, bool rms, Tensor& dw, Tensor& db) {
  // layer_norm (not RMS) keeps the multi-pass kernels: measured on an H100 at [8192, 1024]
  // float32, this kernel ran its backward at 0.47 of CUDA against 0.78 for those (rms_norm's
  // went 0.32 -> 0.95 with it); the cause is not found yet.
  if (rows == 0 || n == 0 || !rms) return false;
  const int device = x.device().index();
  ScalarType acc = acc_of(x.scalar_type());
  RowPlan plan =
      row_plan(device, rows, n, row_vector_width(n, {&x, &g, &gi, &w}), kBackwardElems, kBackwardMaxElems);
  if (!plan.fits) return false;
  const bool want_dw = dw_type.has_value(), want_db = db_type.has_value(), partials = want_dw || want_db;
  if (!partials && !gi.defined()) return true;
  const size_t blocks = (rows + plan.wg / plan.t - 1) / (plan.wg / plan.t);
  // With partials, every group sums its rows into one row of [groups, n]: fill the device once
  // instead of one group per row block, so that buffer stays small.
  if (partials) plan.groups = resident_groups(device, plan.wg, blocks);
  Tensor pw, pb;
  if (want_dw) pw = at::empty({int64_t(plan.groups), n}, x.options().dtype(acc));
  if (want_db) pb = at::empty({int64_t(plan.groups), n}, x.options().dtype(acc));
  Roles roles{{"GI", gi.defined() ? gi.scalar_type() : x.scalar_type()},
              {"G", g.scalar_type()},
              {"X", x.scalar_type()},
              {"S", rstd.scalar_type()},
              {"W", w.defined() ? w.scalar_type() : x.scalar_type()},
              {"P", acc}};
  std::string defs = flags(rms, w.defined(), false, false, plan.wg) + plan.defines() + define_flag("DW", want_dw) +
                     define_flag("DB", want_db) + define_flag("WRITE_GI", gi.defined());
  auto args = nn_kernel(device, "norm.cl", "norm_backward_rows_reg", roles, acc, defs, plan.vec);
  add_tensor(args, gi.defined() ? gi : x);  // unused operands point at x / rstd
  add_tensor(args, g);
  add_tensor(args, x);
  add_tensor(args, mean.defined() ? mean : rstd);
  add_tensor(args, rstd);
  add_tensor(args, w.defined() ? w : x);
  add_tensor(args, pw.defined() ? pw : rstd);
  add_tensor(args, pb.defined() ? pb : rstd);
  args.add<cl_ulong>(rows).add<cl_uint>(n);
  args.launch(plan.groups * plan.wg, plan.wg);
  if (partials) std::tie(dw, db) = param_finish(pw, pb, dw_type, db_type, n);
  return true;
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
  if (mask[0]) dx = at::empty(input.sizes(), input.options().memory_format(MemoryFormat::Contiguous));
  ScalarType pt = w.defined() ? w.scalar_type() : (b.defined() ? b.scalar_type() : input.scalar_type());
  std::optional<ScalarType> dw_type, db_type;
  if (mask[1]) dw_type = pt;
  if (mask[2]) db_type = b.defined() ? b.scalar_type() : pt;
  if (!norm_backward_fused(g, x, m, r, w, dx, dw_type, db_type, M, N, false, dw, db)) {
    if (mask[0] && N > 0) norm_backward_input(g, x, m, r, w, dx, M, N, false);
    if (dw_type || db_type) std::tie(dw, db) = norm_param_grads(g, x, m, r, M, N, false, dw_type, db_type);
  }
  if (dw.defined()) dw = dw.view(normalized_shape);
  if (db.defined()) db = db.view(normalized_shape);
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
  if (mask[0]) dx = at::empty(input.sizes(), input.options().memory_format(MemoryFormat::Contiguous));
  std::optional<ScalarType> dw_type;
  if (mask[1] && w.defined()) dw_type = w.scalar_type();
  Tensor unused;
  if (!norm_backward_fused(g, x, Tensor(), r, w, dx, dw_type, std::nullopt, M, N, true, dw, unused)) {
    if (mask[0] && N > 0) norm_backward_input(g, x, Tensor(), r, w, dx, M, N, true);
    if (dw_type) dw = norm_param_grads(g, x, Tensor(), r, M, N, true, dw_type, std::nullopt).first;
  }
  if (dw.defined()) dw = dw.view(normalized_shape);
  return {dx, dw};
}

}  // namespace at::native::ocl
