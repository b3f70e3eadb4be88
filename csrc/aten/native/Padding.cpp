// Reflection/replication padding forward and backward (see Padding.h).
#include "aten/native/Padding.h"

#include <ATen/native/Padding.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/index_add.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <vector>

namespace at::native::ocl {
namespace {

// For each output position along one dimension, the input position it reads.
Tensor source_positions(int64_t in, int64_t left, int64_t right, PadMode mode, const Device& device) {
  const int64_t n = in + left + right;
  std::vector<int64_t> v(static_cast<size_t>(std::max<int64_t>(n, 0)));
  for (int64_t j = 0; j < n; ++j) {
    int64_t p = j - left;
    if (mode == PadMode::Reflect) {
      if (p < 0) p = -p;
      if (p >= in) p = 2 * (in - 1) - p;
    } else {
      p = std::min(std::max<int64_t>(p, 0), in - 1);
    }
    v[j] = p;
  }
  Tensor host = at::empty({n}, TensorOptions().dtype(kLong));
  std::copy(v.begin(), v.end(), host.data_ptr<int64_t>());
  return host.to(device);
}

}  // namespace

void pad_forward(const Tensor& self, IntArrayRef padding, PadMode mode, const Tensor& out) {
  if (out.numel() == 0) return;
  Tensor x = self;
  const int64_t nd = static_cast<int64_t>(padding.size()) / 2;
  for (int64_t i = 0; i < nd; ++i) {  // padding pairs start at the last dimension
    const int64_t dim = self.dim() - 1 - i;
    x = at::index_select(x, dim, source_positions(x.size(dim), padding[2 * i], padding[2 * i + 1], mode, self.device()));
  }
  out.copy_(x);
}

void pad_backward(const Tensor& grad_output, const Tensor& self, IntArrayRef padding, PadMode mode,
                  const Tensor& grad_input) {
  if (grad_input.numel() == 0) return;
  const int64_t nd = static_cast<int64_t>(padding.size()) / 2;
  // the forward applied dims -1, -2, ...; the transposes run in the reverse order
  std::vector<int64_t> sizes = self.sizes().vec();
  std::vector<std::vector<int64_t>> shapes{sizes};
  for (int64_t i = 0; i < nd; ++i) {
    const int64_t dim = self.dim() - 1 - i;
    sizes[dim] += padding[2 * i] + padding[2 * i + 1];
    shapes.push_back(sizes);
  }
  Tensor g = grad_output;
  for (int64_t i = nd - 1; i >= 0; --i) {
    const int64_t dim = self.dim() - 1 - i;
    const auto& in_shape = shapes[i];
    Tensor pos = source_positions(in_shape[dim], padding[2 * i], padding[2 * i + 1], mode, self.device());
    g = at::zeros(in_shape, grad_output.options()).index_add_(dim, pos, g);
  }
  grad_input.copy_(g);
}

Tensor& reflection_pad2d_out(const Tensor& self, IntArrayRef padding, Tensor& out) {
  TORCH_CHECK(padding.size() == 4, "padding size is expected to be 4");
  // upstream's check: a batch of 0 is allowed, other empty dimensions are not
  at::native::padding::check_valid_input<2>(self, padding);
  const int64_t h = self.size(-2), w = self.size(-1);
  TORCH_CHECK(padding[0] < w && padding[1] < w, "Argument #4: Padding size should be less than the corresponding "
              "input dimension, but got: padding (", padding[0], ", ", padding[1], ") at dimension ", self.dim() - 1,
              " of input ", self.sizes());
  TORCH_CHECK(padding[2] < h && padding[3] < h, "Argument #6: Padding size should be less than the corresponding "
              "input dimension, but got: padding (", padding[2], ", ", padding[3], ") at dimension ", self.dim() - 2,
              " of input ", self.sizes());
  auto sizes = self.sizes().vec();
  sizes[self.dim() - 1] += padding[0] + padding[1];
  sizes[self.dim() - 2] += padding[2] + padding[3];
  TORCH_CHECK(sizes[self.dim() - 1] >= 1 && sizes[self.dim() - 2] >= 1, "input (H: ", h, ", W: ", w,
              ") is too small. Calculated output H: ", sizes[self.dim() - 2], " W: ", sizes[self.dim() - 1]);
  at::native::resize_output(out, sizes);
  pad_forward(self, padding, PadMode::Reflect, out);
  return out;
}

Tensor reflection_pad2d(const Tensor& self, IntArrayRef padding) {
  Tensor out = at::empty({0}, self.options());
  return reflection_pad2d_out(self, padding, out);
}

}  // namespace at::native::ocl
