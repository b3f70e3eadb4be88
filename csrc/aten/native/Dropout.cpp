// native_dropout: a Philox mask kernel (keep with probability 1 - p) and one pointwise
// kernel for the scaled output; the backward is grad * mask * scale.
#include "aten/native/Dropout.h"

#include <ATen/TensorIterator.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/zeros_like.h>

#include <mutex>

#include "aten/native/Pointwise.h"
#include "core/Generator.h"

namespace at::native::ocl {
namespace {

void bernoulli_mask(const Tensor& mask, double keep) {
  auto* g = torch_ocl::default_generator(mask.device().index()).get<torch_ocl::OclGeneratorImpl>();
  std::pair<uint64_t, uint64_t> philox;
  {
    std::lock_guard<std::mutex> lock(g->mutex_);
    philox = g->philox_inputs(1);
  }
  auto iter = TensorIteratorConfig().add_output(mask).resize_outputs(false).check_all_same_dtype(false).build();
  pointwise(iter, {"dropout_mask", "rand_uniform_float(rand_word((ulong)s0, (ulong)s1, i)) < s2 ? 1 : 0", kFloat,
                   {{kLong, static_cast<int64_t>(philox.first)},
                    {kLong, static_cast<int64_t>(philox.second)},
                    {kFloat, keep}},
                   "random.cl"});
}

// out = a * mask * scale, in a's compute type.
void masked_scale(const Tensor& out, const Tensor& a, const Tensor& mask, double scale) {
  auto iter = TensorIteratorConfig()
                  .add_output(out)
                  .add_const_input(a)
                  .add_const_input(mask)
                  .check_all_same_dtype(false)
                  .build();
  ScalarType c = compute_type(a.scalar_type());
  pointwise(iter, {"dropout_scale", "a * b * s0", c, {{c, scale}}});
}

}  // namespace

std::tuple<Tensor, Tensor> native_dropout(const Tensor& input, double p, std::optional<bool> train) {
  TORCH_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  auto bool_opts = input.options().dtype(kBool);
  if ((train.has_value() && !*train) || p == 0) return {input.clone(), at::ones_like(input, bool_opts)};
  if (p == 1) return {at::zeros_like(input), at::zeros_like(input, bool_opts)};
  Tensor mask = at::empty(input.sizes(), bool_opts);
  Tensor out = at::empty_like(input);
  if (input.numel() == 0) return {out, mask};
  bernoulli_mask(mask, 1.0 - p);
  masked_scale(out, input, mask, 1.0 / (1.0 - p));
  return {out, mask};
}

Tensor native_dropout_backward(const Tensor& grad_output, const Tensor& mask, double scale) {
  TORCH_CHECK(mask.scalar_type() == kBool, "Mask should be Bool Scalar Type", mask.scalar_type());
  Tensor grad_input = at::empty_like(grad_output);
  if (grad_output.numel() > 0) masked_scale(grad_input, grad_output, mask, scale);
  return grad_input;
}

}  // namespace at::native::ocl
