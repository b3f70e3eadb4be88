// Softmax launchers: rows held in registers (several rows per work-group when short), a
// work-group per row streamed twice for rows too long for that, a work-item per column when the dim is not
// innermost; over contiguous operands (a non-contiguous output gets a temporary).
#include "aten/native/SoftMax.h"

#include <ATen/WrapDimUtils.h>
#include <ATen/ops/empty.h>

#include "aten/native/NnKernel.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

struct Shape {
  int64_t outer = 1, n = 1, inner = 1;
};

Shape split(const Tensor& t, int64_t dim) {
  Shape s;
  if (t.dim() == 0) return s;
  dim = maybe_wrap_dim(dim, t.dim());
  for (int64_t d = 0; d < dim; ++d) s.outer *= t.size(d);
  s.n = t.size(dim);
  for (int64_t d = dim + 1; d < t.dim(); ++d) s.inner *= t.size(d);
  return s;
}

// Runs fn(dst) with dst = out when it is contiguous, else with a temporary copied back.
template <class F>
void into_contiguous(const Tensor& out, F fn) {
  if (out.is_contiguous()) {
    fn(out);
    return;
  }
  Tensor tmp = at::empty(out.sizes(), out.options());
  fn(tmp);
  out.copy_(tmp);
}

std::string log_define(bool log) { return std::string("#define LOG ") + (log ? "1" : "0") + "\n"; }

// Elements per item of the register-resident row kernels: the aim (loads in flight) and the
// limit (registers); longer rows take the multi-pass kernels.
constexpr int kForwardElems = 16, kForwardMaxElems = 32;
// The backward holds g and y (log-softmax: g only, so the forward's limits).
constexpr int kBackwardElems = 8, kBackwardMaxElems = 16;
// Rows up to this long stream through one work-group each (32-bit indices in the kernels); a
// longer one is walked by a single work-item (the column kernels with inner = 1).
constexpr int64_t kStreamMaxRow = (int64_t(1) << 31) - 1;

void forward(const Tensor& input, int64_t dim, const Tensor& output, bool log) {
  if (input.numel() == 0) return;
  const int device = input.device().index();
  Tensor x = input.contiguous();
  Shape s = split(x, dim);
  ScalarType acc = compute_type(output.scalar_type()) == kDouble ? kDouble : kFloat;
  Roles roles{{"X", x.scalar_type()}, {"Y", output.scalar_type()}};
  into_contiguous(output, [&](const Tensor& y) {
    RowPlan plan;
    if (s.inner == 1)
      plan = row_plan(device, s.outer, s.n, row_vector_width(s.n, {&x, &y}), kForwardElems, kForwardMaxElems);
    // the row kernels: (y, x, rows, n)
    auto rows_kernel = [&](const char* kernel, const std::string& defines, int vec, size_t groups, int wg) {
      auto args = nn_kernel(device, "softmax.cl", kernel, roles, acc, log_define(log) + defines, vec);
      add_tensor(args, y);
      add_tensor(args, x);
      args.add<cl_ulong>(s.outer).add<cl_uint>(s.n);
      args.launch(groups * wg, wg);
    };
    if (plan.fits) {
      rows_kernel("softmax_rows_reg", plan.defines(), plan.vec, plan.groups, plan.wg);
    } else if (s.inner == 1 && s.n <= kStreamMaxRow) {
      // the second pass rereads x
      const StreamPlan sp = stream_plan(device, s.outer, s.n, s.n * x.element_size(), acc, {&x, &y});
      rows_kernel("softmax_rows", sp.defines(), sp.vec, sp.groups, sp.wg);
    } else {
      auto args = nn_kernel(device, "softmax.cl", "softmax_cols", roles, acc, log_define(log));
      add_tensor(args, y);
      add_tensor(args, x);
      args.add<cl_ulong>(s.outer).add<cl_ulong>(s.n).add<cl_ulong>(s.inner);
      args.launch_1d(s.outer * s.inner);
    }
  });
}

void backward(const Tensor& grad_output, const Tensor& output, int64_t dim, const Tensor& grad_input, bool log) {
  if (grad_input.numel() == 0) return;
  const int device = grad_input.device().index();
  Tensor g = grad_output.contiguous(), y = output.contiguous();
  Shape s = split(y, dim);
  ScalarType acc = compute_type(y.scalar_type()) == kDouble ? kDouble : kFloat;
  Roles roles{{"G", g.scalar_type()}, {"Y", y.scalar_type()}, {"GI", grad_input.scalar_type()}};
  into_contiguous(grad_input, [&](const Tensor& gi) {
    RowPlan plan;
    if (s.inner == 1)
      plan = row_plan(device, s.outer, s.n, row_vector_width(s.n, {&g, &y, &gi}), log ? kForwardElems : kBackwardElems,
                      log ? kForwardMaxElems : kBackwardMaxElems);
    // the row kernels: (gi, g, y, rows, n)
    auto rows_kernel = [&](const char* kernel, const std::string& defines, int vec, size_t groups, int wg) {
      auto args = nn_kernel(device, "softmax.cl", kernel, roles, acc, log_define(log) + defines, vec);
      add_tensor(args, gi);
      add_tensor(args, g);
      add_tensor(args, y);
      args.add<cl_ulong>(s.outer).add<cl_uint>(s.n);
      args.launch(groups * wg, wg);
    };
    if (plan.fits) {
      rows_kernel("softmax_backward_rows_reg", plan.defines(), plan.vec, plan.groups, plan.wg);
      return;
    }
    if (s.inner == 1 && s.n <= kStreamMaxRow) {
      // the second pass rereads g, and y where the sum needed it
      const int64_t reread = s.n * (g.element_size() + (log ? 0 : y.element_size()));
      const StreamPlan sp = stream_plan(device, s.outer, s.n, reread, acc, {&g, &y, &gi});
      rows_kernel("softmax_backward_rows", sp.defines(), sp.vec, sp.groups, sp.wg);
      return;
    }
    auto args = nn_kernel(device, "softmax.cl", "softmax_backward_cols", roles, acc, log_define(log));
    add_tensor(args, gi);
    add_tensor(args, g);
    add_tensor(args, y);
    args.add<cl_ulong>(s.outer).add<cl_ulong>(s.n).add<cl_ulong>(s.inner);
    args.launch_1d(s.outer * s.inner);
  });
}

}  // namespace

void softmax_impl(const Tensor& input, int64_t dim, bool, const Tensor& output) { forward(input, dim, output, false); }

void log_softmax_impl(const Tensor& input, int64_t dim, bool, const Tensor& output) {
  forward(input, dim, output, true);
}

void softmax_backward_impl(const Tensor& grad_output, const Tensor& output, int64_t dim, ScalarType,
                           const Tensor& grad_input) {
  backward(grad_output, output, dim, grad_input, false);
}

void log_softmax_backward_impl(const Tensor& grad_output, const Tensor& output, int64_t dim, ScalarType,
                               const Tensor& grad_input) {
  backward(grad_output, output, dim, grad_input, true);
}

}  // namespace at::native::ocl
