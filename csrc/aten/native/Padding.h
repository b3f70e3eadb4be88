// Reflection and replication padding (1d/2d/3d) and their backward (upstream ReflectionPad.cpp,
// ReplicationPadding.cpp): per padded dimension, a gather (forward) or an atomic index_add
// (backward) through a source-index vector computed on the host.
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

enum class PadMode { Reflect, Replicate };

// out (already sized by ATen's meta or our checks) = pad(self)
void pad_forward(const Tensor& self, IntArrayRef padding, PadMode mode, const Tensor& out);
// grad_input (sized like self) = d pad / d self applied to grad_output
void pad_backward(const Tensor& grad_output, const Tensor& self, IntArrayRef padding, PadMode mode,
                  const Tensor& grad_input);

// reflection_pad2d is not structured upstream: ATen's checks and output shape, then pad_forward.
Tensor& reflection_pad2d_out(const Tensor& self, IntArrayRef padding, Tensor& out);
Tensor reflection_pad2d(const Tensor& self, IntArrayRef padding);

}  // namespace at::native::ocl
