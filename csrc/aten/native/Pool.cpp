// Pooling launchers (see Pool.h). Every tensor goes to the kernels as (cl_mem, element
// offset, (n, c, d, h, w) strides); a tensor without the batch dimension is one image, and
// 2d tensors have depth 1.
#include "aten/native/Pool.h"

#include <array>

#include "aten/native/NchwLaunch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"

namespace at::native::ocl {
namespace {

void check_float(const Tensor& t, const char* op) {
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t.scalar_type()), "\"", op, "_ocl\" not implemented for '",
                              c10::toString(t.scalar_type()), "'");
  check_dtype_supported(t.scalar_type(), t.device().index());
}

// Size of spatial dimension i (0 = depth) of a tensor with `spatial` trailing ones; 1 if absent.
int64_t dim_size(const Tensor& t, int spatial, int i) {
  int first = 3 - spatial;
  return i < first ? 1 : t.size(t.dim() - 3 + i);
}

// One launch: `kernel` of pool.cl for dtype of `ref`, over `total` elements.
class PoolLaunch {
 public:
  // walk: the tensor whose elements the kernel numbers (for their order and channel groups, see
  // NchwLaunch), where the kernel decodes them only through nchw.cl and handles CVEC channels
  PoolLaunch(const char* kernel, const Tensor& ref, std::initializer_list<const Tensor*> all, int spatial,
             const Tensor* walk = nullptr)
      : spatial_(spatial), launch_("pool.cl", kernel, ref, all, spatial, walk, true) {}

  PoolLaunch& tensor(const Tensor& t) {
    launch_.tensor(t);
    return *this;
  }
  // The kernels' Pool struct: input and output sizes, then the window.
  PoolLaunch& pool(const Tensor& in, const Tensor& out, const PoolWindow& w) {
    int s = spatial_;
    std::array<cl_int, 19> p{cl_int(in.size(in.dim() - s - 1)),
                             cl_int(dim_size(in, s, 0)), cl_int(dim_size(in, s, 1)), cl_int(dim_size(in, s, 2)),
                             cl_int(dim_size(out, s, 0)), cl_int(dim_size(out, s, 1)), cl_int(dim_size(out, s, 2)),
                             cl_int(w.KD), cl_int(w.KH), cl_int(w.KW), cl_int(w.SD), cl_int(w.SH), cl_int(w.SW),
                             cl_int(w.PD), cl_int(w.PH), cl_int(w.PW), cl_int(w.DD), cl_int(w.DH), cl_int(w.DW)};
    launch_.args().add(p);
    return *this;
  }
  PoolLaunch& integer(int64_t v) {
    launch_.args().add<cl_int>(static_cast<cl_int>(v));
    return *this;
  }
  KernelArgs& args() { return launch_.args(); }
  void run(int64_t total) { launch_.run(total); }

 private:
  int spatial_;
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

PoolWindow pool_window3d(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation) {
  // element i of a one- or three-element argument, dflt when empty
  auto at = [](IntArrayRef a, size_t i, int64_t dflt) { return a.empty() ? dflt : a.size() == 1 ? a[0] : a[i]; };
  PoolWindow w;
  w.KD = at(kernel_size, 0, 1), w.KH = at(kernel_size, 1, 1), w.KW = at(kernel_size, 2, 1);
  w.SD = at(stride, 0, w.KD), w.SH = at(stride, 1, w.KH), w.SW = at(stride, 2, w.KW);
  w.PD = at(padding, 0, 0), w.PH = at(padding, 1, 0), w.PW = at(padding, 2, 0);
  w.DD = at(dilation, 0, 1), w.DH = at(dilation, 1, 1), w.DW = at(dilation, 2, 1);
  return w;
}

void max_pool_kernel(const Tensor& input, const PoolWindow& w, const Tensor& out, const Tensor& indices,
                     int spatial) {
  check_float(input, "max_pool");
  if (out.numel() == 0) return;
  PoolLaunch("max_pool", input, {&input, &out, &indices}, spatial, &out)
      .tensor(input).tensor(out).tensor(indices).pool(input, out, w).run(out.numel());
}

void max_pool_backward_kernel(const Tensor& grad_output, const Tensor& indices, const PoolWindow& w,
                              const Tensor& grad_input, int spatial) {
  check_float(grad_input, "max_pool_backward");
  if (grad_input.numel() == 0) return;
  if (grad_output.numel() == 0) {
    grad_input.zero_();
    return;
  }
  PoolLaunch("max_pool_backward", grad_input, {&grad_output, &indices, &grad_input}, spatial, &grad_input)
      .tensor(grad_output).tensor(indices).tensor(grad_input).pool(grad_input, grad_output, w).integer(0)
      .run(grad_input.numel());
}

void avg_pool_kernel(const Tensor& input, const PoolWindow& w, bool count_include_pad,
                     std::optional<int64_t> divisor, const Tensor& out, int spatial) {
  check_float(input, "avg_pool");
  if (out.numel() == 0) return;
  PoolLaunch("avg_pool", input, {&input, &out}, spatial, &out)
      .tensor(input).tensor(out).pool(input, out, w).integer(count_include_pad).integer(divisor.value_or(0))
      .run(out.numel());
}

void avg_pool_backward_kernel(const Tensor& grad_output, const PoolWindow& w, bool count_include_pad,
                              std::optional<int64_t> divisor, const Tensor& grad_input, int spatial) {
  check_float(grad_input, "avg_pool_backward");
  if (grad_input.numel() == 0) return;
  if (grad_output.numel() == 0) {
    grad_input.zero_();
    return;
  }
  PoolLaunch("avg_pool_backward", grad_input, {&grad_output, &grad_input}, spatial, &grad_input)
      .tensor(grad_output).tensor(grad_input).pool(grad_input, grad_output, w).integer(count_include_pad)
      .integer(divisor.value_or(0)).run(grad_input.numel());
}

void adaptive_avg_pool_kernel(const Tensor& input, const Tensor& out, int spatial) {
  check_float(input, "adaptive_avg_pool");
  if (out.numel() == 0) return;
  PoolLaunch("adaptive_avg_pool", input, {&input, &out}, spatial, &out)
      .tensor(input).tensor(out).pool(input, out, {}).run(out.numel());
}

void adaptive_avg_pool_backward_kernel(const Tensor& grad_output, const Tensor& grad_input, int spatial) {
  check_float(grad_input, "adaptive_avg_pool_backward");
  if (grad_input.numel() == 0) return;
  PoolLaunch("adaptive_avg_pool_backward", grad_input, {&grad_output, &grad_input}, spatial, &grad_input)
      .tensor(grad_output).tensor(grad_input).pool(grad_input, grad_output, {}).run(grad_input.numel());
}

void adaptive_max_pool_kernel(const Tensor& input, const Tensor& out, const Tensor& indices, int spatial) {
  check_float(input, "adaptive_max_pool");
  if (out.numel() == 0) return;
  PoolLaunch("adaptive_max_pool", input, {&input, &out, &indices}, spatial, &out)
      .tensor(input).tensor(out).tensor(indices).pool(input, out, {}).run(out.numel());
}

void adaptive_max_pool_backward_kernel(const Tensor& grad_output, const Tensor& indices, const Tensor& grad_input,
                                       int spatial) {
  check_float(grad_input, "adaptive_max_pool_backward");
  if (grad_input.numel() == 0) return;
  PoolLaunch("max_pool_backward", grad_input, {&grad_output, &indices, &grad_input}, spatial, &grad_input)
      .tensor(grad_output).tensor(indices).tensor(grad_input).pool(grad_input, grad_output, {}).integer(1)
      .run(grad_input.numel());
}

void max_unpool_kernel(const Tensor& input, const Tensor& indices, const Tensor& out, int spatial) {
  check_float(input, "max_unpool");
  if (input.numel() == 0) return;
  PoolLaunch("max_unpool", input, {&input, &indices, &out}, spatial)
      .tensor(input).tensor(indices).tensor(out).pool(input, out, {}).run(input.numel());
}

void fractional_max_pool_kernel(const Tensor& input, const Tensor& samples, const PoolWindow& w, const Tensor& out,
                                const Tensor& indices, int spatial) {
  check_float(input, "fractional_max_pool");
  if (out.numel() == 0) return;
  // samples in the compute type (float for 16-bit inputs), as CUDA reads them
  Tensor s = samples.to(input.scalar_type() == kDouble ? kDouble : kFloat).contiguous();
  auto b = torch_ocl::buffer_of(s);
  PoolLaunch l("fractional_max_pool", input, {&input, &out, &indices}, spatial);
  l.tensor(input).tensor(out).tensor(indices);
  l.args().add_mem(b.mem).add<cl_ulong>(b.offset / s.element_size()).add<cl_int>(spatial);
  l.pool(input, out, w).run(out.numel());
}

}  // namespace at::native::ocl
