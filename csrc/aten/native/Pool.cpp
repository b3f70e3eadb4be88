// 2d pooling launchers (see Pool.h). Every tensor goes to the kernels as (cl_mem, element
// offset, (n, c, h, w) strides); a 3d (C, H, W) tensor is one image.
#include "aten/native/Pool.h"

#include <array>

#include "aten/native/NchwLaunch.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void check_float(const Tensor& t, const char* op) {
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t.scalar_type()), "\"", op, "_ocl\" not implemented for '",
                              c10::toString(t.scalar_type()), "'");
  check_dtype_supported(t.scalar_type(), t.device().index());
}

// One launch: `kernel` of pool.cl for dtype of `ref`, over `total` elements.
class PoolLaunch {
 public:
  PoolLaunch(const char* kernel, const Tensor& ref, std::initializer_list<const Tensor*> all)
      : launch_("pool.cl", kernel, ref, all) {}

  PoolLaunch& tensor(const Tensor& t) {
    launch_.tensor(t);
    return *this;
  }
  PoolLaunch& pool(const Tensor& in, const Tensor& out, const PoolWindow& w) {
    int64_t d = in.dim();
    std::array<cl_int, 13> p{cl_int(in.size(d - 3)), cl_int(in.size(d - 2)), cl_int(in.size(d - 1)),
                             cl_int(out.size(d - 2)), cl_int(out.size(d - 1)), cl_int(w.KH), cl_int(w.KW),
                             cl_int(w.SH), cl_int(w.SW), cl_int(w.PH), cl_int(w.PW), cl_int(w.DH), cl_int(w.DW)};
    launch_.args().add(p);
    return *this;
  }
  PoolLaunch& integer(int64_t v) {
    launch_.args().add<cl_int>(static_cast<cl_int>(v));
    return *this;
  }
  void run(int64_t total) { launch_.run(total); }

 private:
  NchwLaunch launch_;
};

}  // namespace

PoolWindow pool_window(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation) {
  auto second = [](IntArrayRef a, int64_t dflt) { return a.empty() ? dflt : a.size() == 1 ? a[0] : a[1]; };
  PoolWindow w;
  w.KH = kernel_size[0], w.KW = second(kernel_size, 1);
  w.SH = stride.empty() ? w.KH : stride[0], w.SW = stride.empty() ? w.KW : second(stride, 1);
  w.PH = padding.empty() ? 0 : padding[0], w.PW = second(padding, 0);
  w.DH = dilation.empty() ? 1 : dilation[0], w.DW = second(dilation, 1);
  return w;
}

void max_pool2d_kernel(const Tensor& input, const PoolWindow& w, const Tensor& out, const Tensor& indices) {
  check_float(input, "max_pool2d");
  if (out.numel() == 0) return;
  PoolLaunch("max_pool2d", input, {&input, &out, &indices})
      .tensor(input).tensor(out).tensor(indices).pool(input, out, w).run(out.numel());
}

void max_pool2d_backward_kernel(const Tensor& grad_output, const Tensor& indices, const PoolWindow& w,
                         const Tensor& grad_input) {
  check_float(grad_input, "max_pool2d_backward");
  if (grad_input.numel() == 0) return;
  PoolLaunch("max_pool2d_backward", grad_input, {&grad_output, &indices, &grad_input})
      .tensor(grad_output).tensor(indices).tensor(grad_input).pool(grad_input, grad_output, w).integer(0)
      .run(grad_input.numel());
}

void avg_pool2d_kernel(const Tensor& input, const PoolWindow& w, bool count_include_pad, std::optional<int64_t> divisor,
                const Tensor& out) {
  check_float(input, "avg_pool2d");
  if (out.numel() == 0) return;
  PoolLaunch("avg_pool2d", input, {&input, &out})
      .tensor(input).tensor(out).pool(input, out, w).integer(count_include_pad).integer(divisor.value_or(0))
      .run(out.numel());
}

void avg_pool2d_backward_kernel(const Tensor& grad_output, const PoolWindow& w, bool count_include_pad,
                         std::optional<int64_t> divisor, const Tensor& grad_input) {
  check_float(grad_input, "avg_pool2d_backward");
  if (grad_input.numel() == 0) return;
  PoolLaunch("avg_pool2d_backward", grad_input, {&grad_output, &grad_input})
      .tensor(grad_output).tensor(grad_input).pool(grad_input, grad_output, w).integer(count_include_pad)
      .integer(divisor.value_or(0)).run(grad_input.numel());
}

void adaptive_avg_pool2d_kernel(const Tensor& input, const Tensor& out) {
  check_float(input, "adaptive_avg_pool2d");
  if (out.numel() == 0) return;
  PoolLaunch("adaptive_avg_pool2d", input, {&input, &out})
      .tensor(input).tensor(out).pool(input, out, {}).run(out.numel());
}

void adaptive_avg_pool2d_backward_kernel(const Tensor& grad_output, const Tensor& grad_input) {
  check_float(grad_input, "adaptive_avg_pool2d_backward");
  if (grad_input.numel() == 0) return;
  PoolLaunch("adaptive_avg_pool2d_backward", grad_input, {&grad_output, &grad_input})
      .tensor(grad_output).tensor(grad_input).pool(grad_input, grad_output, {}).run(grad_input.numel());
}

void adaptive_max_pool2d_kernel(const Tensor& input, const Tensor& out, const Tensor& indices) {
  check_float(input, "adaptive_max_pool2d");
  if (out.numel() == 0) return;
  PoolLaunch("adaptive_max_pool2d", input, {&input, &out, &indices})
      .tensor(input).tensor(out).tensor(indices).pool(input, out, {}).run(out.numel());
}

void adaptive_max_pool2d_backward_kernel(const Tensor& grad_output, const Tensor& indices, const Tensor& grad_input) {
  check_float(grad_input, "adaptive_max_pool2d_backward");
  if (grad_input.numel() == 0) return;
  PoolLaunch("max_pool2d_backward", grad_input, {&grad_output, &indices, &grad_input})
      .tensor(grad_output).tensor(indices).tensor(grad_input).pool(grad_input, grad_output, {}).integer(1)
      .run(grad_input.numel());
}

}  // namespace at::native::ocl
