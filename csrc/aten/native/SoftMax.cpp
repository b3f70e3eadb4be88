// Softmax launchers: a work-group per row when the dim is innermost, a work-item per
// column otherwise, over contiguous operands (a non-contiguous output gets a temporary).
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

void forward(const Tensor& input, int64_t dim, const Tensor& output, bool log) {
  if (input.numel() == 0) return;
  const int device = input.device().index();
  Tensor x = input.contiguous();
  Shape s = split(x, dim);
  ScalarType acc = compute_type(output.scalar_type()) == kDouble ? kDouble : kFloat;
  Roles roles{{"X", x.scalar_type()}, {"Y", output.scalar_type()}};
  into_contiguous(output, [&](const Tensor& y) {
    if (s.inner == 1) {
      int wg = row_group_size(device, s.n);
      auto args = nn_kernel(device, "softmax.cl", "softmax_rows", roles, acc,
                            log_define(log) + "#define WG " + std::to_string(wg) + "\n");
      add_tensor(args, y);
      add_tensor(args, x);
      args.add<cl_ulong>(s.outer).add<cl_ulong>(s.n);
      args.launch(row_groups(device, s.outer) * wg, wg);
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
    bool rows = s.inner == 1;
    int wg = rows ? row_group_size(device, s.n) : 0;
    auto args = nn_kernel(device, "softmax.cl", rows ? "softmax_backward_rows" : "softmax_backward_cols", roles, acc,
                          log_define(log) + (rows ? "#define WG " + std::to_string(wg) + "\n" : ""));
    add_tensor(args, gi);
    add_tensor(args, g);
    add_tensor(args, y);
    args.add<cl_ulong>(s.outer).add<cl_ulong>(s.n);
    if (rows) {
      args.launch(row_groups(device, s.outer) * wg, wg);
    } else {
      args.add<cl_ulong>(s.inner);
      args.launch_1d(s.outer * s.inner);
    }
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
