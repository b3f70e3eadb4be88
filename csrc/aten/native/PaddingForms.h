// The ATen forms of reflection/replication padding that the registrations wire up: structured
// impl()s per mode, and the backward forms that are not structured upstream.
#pragma once

#include <ATen/native/Resize.h>
#include <ATen/ops/zeros_like.h>

#include "aten/native/Padding.h"
#include "aten/native/Structured.h"

namespace at::native::ocl::padding {

template <PadMode M>
void forward(const Tensor& self, IntArrayRef padding, const Tensor& out) {
  pad_forward(self, padding, M, out);
}
template <PadMode M>
void backward(const Tensor& grad_output, const Tensor& self, IntArrayRef padding, const Tensor& grad_input) {
  pad_backward(grad_output, self, padding, M, grad_input);
}

// Structured ops whose meta() (ATen's checks and output shape) is Meta.
template <class Meta, PadMode M>
using Forward = Fn<Meta, &forward<M>>;
template <class Meta, PadMode M>
using Backward = Fn<Meta, &backward<M>>;

// Backward of an N-dimensional padding that has no meta(): grad_output must be self padded.
template <PadMode M, int64_t N>
Tensor& backward_out(const Tensor& grad_output, const Tensor& self, IntArrayRef padding, Tensor& grad_input) {
  TORCH_CHECK(static_cast<int64_t>(padding.size()) == 2 * N, "padding size is expected to be ", 2 * N);
  auto expected = self.sizes().vec();
  for (int64_t i = 0; i < N; ++i) expected[self.dim() - 1 - i] += padding[2 * i] + padding[2 * i + 1];
  TORCH_CHECK(grad_output.sizes().vec() == expected, "gradOutput sizes unexpected: expected ", expected, ", got ",
              grad_output.sizes());
  at::native::resize_output(grad_input, self.sizes());
  pad_backward(grad_output, self, padding, M, grad_input);
  return grad_input;
}
template <PadMode M, int64_t N>
Tensor backward_functional(const Tensor& grad_output, const Tensor& self, IntArrayRef padding) {
  Tensor grad_input = at::zeros_like(self);
  return backward_out<M, N>(grad_output, self, padding, grad_input);
}

}  // namespace at::native::ocl::padding

// Registers the functional and out= forms of the structured padding op NAME (reflection_pad1d,
// ...) and of NAME_backward, both with padding mode MODE.
#define OCL_PAD_STRUCTURED(m, NAME, MODE)                                                          \
  m.impl(#NAME, &at::native::ocl::functional<                                                      \
                    at::native::ocl::padding::Forward<at::meta::structured_##NAME, MODE>,         \
                    const at::Tensor&, at::IntArrayRef>);                                          \
  m.impl(#NAME ".out", &at::native::ocl::out<                                                      \
                           at::native::ocl::padding::Forward<at::meta::structured_##NAME, MODE>,  \
                           const at::Tensor&, at::IntArrayRef>)
#define OCL_PAD_BACKWARD_STRUCTURED(m, NAME, MODE)                                                          \
  m.impl(#NAME "_backward",                                                                                 \
         &at::native::ocl::functional<                                                                      \
             at::native::ocl::padding::Backward<at::meta::structured_##NAME##_backward, MODE>,             \
             const at::Tensor&, const at::Tensor&, at::IntArrayRef>);                                       \
  m.impl(#NAME "_backward.grad_input",                                                                      \
         &at::native::ocl::out<at::native::ocl::padding::Backward<at::meta::structured_##NAME##_backward, MODE>, \
                               const at::Tensor&, const at::Tensor&, at::IntArrayRef>)
// The same for a backward that is not structured upstream, of an N-dimensional padding.
#define OCL_PAD_BACKWARD(m, NAME, MODE, N)                                               \
  m.impl(#NAME "_backward", &at::native::ocl::padding::backward_functional<MODE, N>); \
  m.impl(#NAME "_backward.grad_input", &at::native::ocl::padding::backward_out<MODE, N>)
