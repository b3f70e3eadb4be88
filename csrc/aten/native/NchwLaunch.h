// One launch of a per-dtype kernel over strided (n, c, d, h, w) tensors, for the kernel files
// built on csrc/kernels/nchw.cl (pool.cl, upsample.cl).
#pragma once

#include <ATen/core/Tensor.h>

#include <initializer_list>

#include "aten/native/Launch.h"

namespace at::native::ocl {

class NchwLaunch {
 public:
  // Kernel `kernel` of csrc/kernels/`file` for ref's dtype on ref's device, with 64-bit
  // indices when any of `all` has more elements, or reaches further, than 32 bits count.
  // Tensors are ([N,] C, ...) with `spatial` (1, 2 or 3) trailing spatial dimensions.
  // With `walk` (the tensor whose elements the kernel numbers) laid out dense channels-last, the
  // kernel numbers them channel innermost (nchw.cl's CHANNELS_INNER), in memory order; with
  // `channel_groups` (kernels written for nchw.cl's CVEC) each number then stands for up to 8
  // channels (fewer where the groups would not fill the device), and run() launches total / CVEC
  // items.
  NchwLaunch(const std::string& file, const char* kernel, const Tensor& ref,
             std::initializer_list<const Tensor*> all, int spatial = 2, const Tensor* walk = nullptr,
             bool channel_groups = false);
  // Adds t as (buffer, element offset, (n, c, d, h, w) strides); without N it is one image.
  NchwLaunch& tensor(const Tensor& t);
  KernelArgs& args() { return args_; }
  // Adds the element count (over CVEC) and launches over it.
  void run(int64_t total);

 private:
  int spatial_;
  bool idx64_;
  int cvec_;
  KernelArgs args_;
};

}  // namespace at::native::ocl
