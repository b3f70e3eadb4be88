// nll_loss / nll_loss2d: one kernel per element for reduction='none' and the backward, one
// work-group for the sum/mean; targets are range-checked on the host first (IndexError).
#include "aten/native/LossNLL.h"

#include <limits>

#include <ATen/core/Reduction.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/nll_loss_backward_meta.h>
#include <ATen/ops/nll_loss_forward_meta.h>
#include <ATen/ops/zeros.h>

#include "aten/native/NnKernel.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Structured.h"

namespace at::native::ocl {
namespace {

// Input as [batch, C, S], target as [batch, S].
struct Geometry {
  int64_t count, C, S;
};

Geometry geometry(const Tensor& self, const Tensor& target) {
  int64_t C = self.dim() == 0 ? 1 : (self.dim() == 1 ? self.size(0) : self.size(1));
  int64_t S = 1;
  for (int64_t d = 2; d < self.dim(); ++d) S *= self.size(d);
  return {target.numel(), C, S};
}

// Raises IndexError (as the CPU does) when a forward kernel reported a target outside [0, C)
// that is not ignore_index (bad: [flag, target], zeroed before the launch).
void raise_bad_target(const Tensor& bad) {
  Tensor host = bad.cpu();
  const int64_t* b = host.const_data_ptr<int64_t>();
  TORCH_CHECK_INDEX(b[0] == 0, "Target ", b[1], " is out of bounds.");
}

ScalarType acc_of(ScalarType t) { return t == kDouble ? kDouble : kFloat; }

std::string has_w(const Tensor& w) { return std::string("#define HAS_W ") + (w.defined() ? "1" : "0") + "\n"; }

void nll_forward(const Tensor& self_, const Tensor& target_, const Tensor& weight_, int64_t reduction,
             int64_t ignore_index, const Tensor& output, const Tensor& total_weight) {
  Tensor self = self_.contiguous(), target = target_.contiguous();
  Tensor weight = weight_.defined() ? weight_.contiguous() : Tensor();
  TORCH_CHECK(target.scalar_type() == kLong || target.scalar_type() == kByte,
              "expected scalar type Long but found ", target.scalar_type());
  Geometry g = geometry(self, target);
  const int device = self.device().index();
  Roles roles{{"X", self.scalar_type()}, {"T", target.scalar_type()},
              {"W", weight.defined() ? weight.scalar_type() : self.scalar_type()}, {"Y", output.scalar_type()}};
  ScalarType acc = acc_of(self.scalar_type());
  if (reduction == at::Reduction::None) {
    total_weight.fill_(0);  // unused without a reduction; zero as on the CPU and CUDA
    if (g.count == 0) return;
    TORCH_INTERNAL_ASSERT(output.is_contiguous());
    Tensor bad = at::zeros({2}, target.options().dtype(kLong));
    auto args = nn_kernel(device, "nll.cl", "nll_none", roles, acc, has_w(weight));
    add_tensor(args, output);
    add_tensor(args, self);
    add_tensor(args, target);
    add_tensor(args, weight.defined() ? weight : self);
    add_tensor(args, bad);
    args.add<cl_ulong>(g.count).add<cl_ulong>(g.C).add<cl_ulong>(g.S).add<cl_long>(ignore_index);
    args.launch_1d(g.count);
    raise_bad_target(bad);
    return;
  }
  if (g.count == 0) {  // no buffers to bind: the sum is 0, the mean 0/0
    total_weight.fill_(0);
    output.fill_(reduction == at::Reduction::Mean ? std::numeric_limits<double>::quiet_NaN() : 0.0);
    return;
  }
  int wg = row_group_size(device, g.count);
  Tensor bad = at::zeros({2}, target.options().dtype(kLong));
  auto args = nn_kernel(device, "nll.cl", "nll_reduce", roles, acc,
                        has_w(weight) + "#define MEAN " + (reduction == at::Reduction::Mean ? "1" : "0") +
                            "\n#define WG " + std::to_string(wg) + "\n");
  add_tensor(args, output);
  add_tensor(args, total_weight);
  add_tensor(args, self);
  add_tensor(args, target);
  add_tensor(args, weight.defined() ? weight : self);
  add_tensor(args, bad);
  args.add<cl_ulong>(g.count).add<cl_ulong>(g.C).add<cl_ulong>(g.S).add<cl_long>(ignore_index);
  args.launch(wg, wg);
  raise_bad_target(bad);
}

void nll_backward(const Tensor& grad_output_, const Tensor& self, const Tensor& target_, const Tensor& weight_,
              int64_t reduction, int64_t ignore_index, const Tensor& total_weight_, const Tensor& grad_input) {
  grad_input.fill_(0);
  Tensor target = target_.contiguous(), grad_output = grad_output_.contiguous();
  const Tensor& total_weight = total_weight_;
  Tensor weight = weight_.defined() ? weight_.contiguous() : Tensor();
  Geometry g = geometry(self, target);
  if (g.count == 0) return;
  TORCH_INTERNAL_ASSERT(grad_input.is_contiguous());
  const int device = self.device().index();
  Roles roles{{"GI", grad_input.scalar_type()}, {"G", grad_output.scalar_type()}, {"T", target.scalar_type()},
              {"W", weight.defined() ? weight.scalar_type() : self.scalar_type()}};
  int red = reduction == at::Reduction::None ? 0 : (reduction == at::Reduction::Mean ? 1 : 2);
  auto args = nn_kernel(device, "nll.cl", "nll_backward", roles, acc_of(self.scalar_type()),
                        has_w(weight) + "#define REDUCTION " + std::to_string(red) + "\n");
  add_tensor(args, grad_input);
  add_tensor(args, grad_output);
  Tensor tw = total_weight.to(grad_output.scalar_type());
  add_tensor(args, tw);
  add_tensor(args, target);
  add_tensor(args, weight.defined() ? weight : grad_input);
  args.add<cl_ulong>(g.count).add<cl_ulong>(g.C).add<cl_ulong>(g.S).add<cl_long>(ignore_index);
  args.launch_1d(g.count);
}

Tensor from_opt(const std::optional<Tensor>& w) { return w.has_value() ? *w : Tensor(); }

void check_2d(const Tensor& self, const Tensor& target, const Tensor& weight) {
  TORCH_CHECK(target.dim() == 3,
              "only batches of spatial targets supported (3D tensors) but got targets of dimension: ", target.dim());
  TORCH_CHECK(self.dim() == 4,
              "only batches of spatial inputs supported (4D tensors), but got input of dimension: ", self.dim());
  TORCH_CHECK(!weight.defined() || weight.numel() == self.size(1),
              "weight tensor should be defined either for all or no classes");
  TORCH_CHECK(self.size(0) == target.size(0) && self.size(2) == target.size(1) && self.size(3) == target.size(2),
              "input and target batch or spatial sizes don't match: target ", target.sizes(), ", input ",
              self.sizes());
}

}  // namespace

std::tuple<Tensor, Tensor> nll_loss_forward(const Tensor& self, const Tensor& target,
                                            const std::optional<Tensor>& weight, int64_t reduction,
                                            int64_t ignore_index) {
  detail::Functional<at::meta::structured_nll_loss_forward> op;
  Tensor w = from_opt(weight);
  OptionalTensorRef ref = w.defined() ? OptionalTensorRef(w) : OptionalTensorRef();
  op.meta(self, target, ref, reduction, ignore_index);
  nll_forward(self, target, w, reduction, ignore_index, op.outputs_[0], op.outputs_[1]);
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                         const std::optional<Tensor>& weight, int64_t reduction, int64_t ignore_index,
                         const Tensor& total_weight) {
  detail::Functional<at::meta::structured_nll_loss_backward> op;
  Tensor w = from_opt(weight);
  OptionalTensorRef ref = w.defined() ? OptionalTensorRef(w) : OptionalTensorRef();
  op.meta(grad_output, self, target, ref, reduction, ignore_index, total_weight);
  Tensor gi = op.outputs_[0].is_contiguous() ? op.outputs_[0] : at::empty(self.sizes(), self.options());
  nll_backward(grad_output, self, target, w, reduction, ignore_index, total_weight, gi);
  return gi;
}

std::tuple<Tensor, Tensor> nll_loss2d_forward(const Tensor& self, const Tensor& target,
                                              const std::optional<Tensor>& weight, int64_t reduction,
                                              int64_t ignore_index) {
  Tensor w = from_opt(weight);
  check_2d(self, target, w);
  Tensor output = reduction == at::Reduction::None ? at::empty(target.sizes(), self.options())
                                                   : at::empty({}, self.options());
  Tensor total_weight = at::empty({}, self.options());
  nll_forward(self, target, w, reduction, ignore_index, output, total_weight);
  return {output, total_weight};
}

Tensor nll_loss2d_backward(const Tensor& grad_output, const Tensor& self, const Tensor& target,
                           const std::optional<Tensor>& weight, int64_t reduction, int64_t ignore_index,
                           const Tensor& total_weight) {
  Tensor w = from_opt(weight);
  check_2d(self, target, w);
  if (reduction == at::Reduction::None) {
    TORCH_CHECK(grad_output.sizes() == target.sizes(), "grad_output must have the target's shape ", target.sizes(),
                ", but got ", grad_output.sizes());
  } else {
    TORCH_CHECK(grad_output.numel() == 1, "grad_output must have one element, but got ", grad_output.numel());
  }
  Tensor gi = at::empty(self.sizes(), self.options());
  nll_backward(grad_output, self, target, w, reduction, ignore_index, total_weight, gi);
  return gi;
}

}  // namespace at::native::ocl
