// Depthwise convolution launchers over csrc/kernels/depthwise_conv.cl (see DepthwiseConv.h).
#include "aten/native/DepthwiseConv.h"

#include <ATen/ops/empty.h>

#include <algorithm>
#include <limits>
#include <string>

#include "aten/native/Launch.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"

namespace at::native::ocl {
namespace {

bool needs_idx64(std::initializer_list<int64_t> sizes) {
  return std::max(sizes) > std::numeric_limits<int32_t>::max();
}

KernelArgs& add_tensor(KernelArgs& args, const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  return args.add_mem(b.mem).add<cl_ulong>(b.offset / t.element_size());
}

std::string program(ScalarType t, bool idx64, bool channels_last) {
  return "depthwise_conv_" + typed_suffix(t, idx64) + (channels_last ? "_cl" : "");
}

std::string source(ScalarType t, bool idx64, bool channels_last) {
  return std::string(channels_last ? "#define CHANNELS_LAST 1\n" : "") + typed_window_source(t, idx64, "depthwise_conv.cl");
}

}  // namespace

bool is_depthwise(const Tensor& input, const Tensor& weight, int64_t groups, bool transposed) {
  return !transposed && groups > 1 && groups == input.size(1) && weight.size(1) == 1;
}

void depthwise_conv(const Tensor& input, const Tensor& weight, const Tensor* bias, const Window& w,
                    const Tensor& output, bool channels_last) {
  if (output.numel() == 0) return;
  ScalarType t = input.scalar_type();
  bool idx64 = needs_idx64({input.numel(), output.numel(), weight.numel()});
  KernelArgs args(input.device().index(), program(t, idx64, channels_last), "depthwise_conv",
                  [&] { return source(t, idx64, channels_last); });
  add_tensor(args, input);
  add_tensor(args, weight);
  add_tensor(args, bias ? *bias : weight);  // the weight stands in when there is no bias
  args.add<cl_int>(bias ? 1 : 0);
  add_tensor(args, output);
  add_window(args, w, idx64);
  args.add_index(output.size(1) / input.size(1), idx64).add_index(output.numel(), idx64);
  args.launch_1d(output.numel());
}

void depthwise_conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Window& w,
                                   const Tensor& grad_input, bool channels_last) {
  if (grad_input.numel() == 0) return;
  ScalarType t = grad_input.scalar_type();
  bool idx64 = needs_idx64({grad_input.numel(), grad_output.numel(), weight.numel()});
  KernelArgs args(grad_input.device().index(), program(t, idx64, channels_last), "depthwise_conv_backward_input",
                  [&] { return source(t, idx64, channels_last); });
  add_tensor(args, grad_output);
  add_tensor(args, weight);
  add_tensor(args, grad_input);
  add_window(args, w, idx64);
  args.add_index(grad_output.size(1) / grad_input.size(1), idx64).add_index(grad_input.numel(), idx64);
  args.launch_1d(grad_input.numel());
}

Tensor depthwise_conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                      const Window& w, bool channels_last) {
  const int64_t CO = grad_output.size(1), K = w.KD * w.KH * w.KW, N = input.size(0);
  const int64_t positions = N * w.windows();
  const ScalarType t = input.scalar_type(), acc = t == kDouble ? kDouble : kFloat;
  constexpr int64_t kChannels = 32, kThreads = 256;  // DW_CH, DW_CH * DW_LANES of the kernel
  const int64_t tiles = (CO + kChannels - 1) / kChannels;
  // enough work-groups to fill a large GPU, each still walking a few thousand positions
  const int64_t chunks = std::clamp<int64_t>(positions / 2048, 1, std::max<int64_t>(1, 1024 / tiles));
  const int64_t per_chunk = (positions + chunks - 1) / chunks;
  Tensor part = at::empty({chunks, CO, K}, input.options().dtype(acc));
  const bool idx64 = needs_idx64({input.numel(), grad_output.numel(), part.numel()});
  KernelArgs args(input.device().index(), program(t, idx64, channels_last), "depthwise_conv_backward_weight",
                  [&] { return source(t, idx64, channels_last); });
  add_tensor(args, grad_output);
  add_tensor(args, input);
  add_tensor(args, part);
  add_window(args, w, idx64);
  args.add_index(CO / input.size(1), idx64).add_index(positions, idx64).add_index(per_chunk, idx64);
  args.launch(static_cast<size_t>(tiles * chunks * kThreads), kThreads);
  return part.sum(0).to(t).view(weight.sizes());
}

}  // namespace at::native::ocl
