// 2d pooling launchers (see Pool.h). Every tensor goes to the kernels as (cl_mem, element
// offset, (n, c, h, w) strides); a 3d (C, H, W) tensor is one image.
#include "aten/native/Pool.h"

#include <array>
#include <limits>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"

namespace at::native::ocl {
namespace {

// Largest element offset + 1 a tensor's view reaches.
int64_t span(const Tensor& t) {
  int64_t s = 1;
  for (int64_t d = 0; d < t.dim(); ++d) s += (t.size(d) - 1) * t.stride(d);
  return s;
}

bool needs_idx64(std::initializer_list<const Tensor*> ts) {
  constexpr int64_t lim = std::numeric_limits<int32_t>::max();
  for (const Tensor* t : ts)
    if (t->numel() > lim || span(*t) > lim) return true;
  return false;
}

template <typename I>
std::array<I, 4> strides4(const Tensor& t) {
  if (t.dim() == 3) return {0, I(t.stride(0)), I(t.stride(1)), I(t.stride(2))};
  return {I(t.stride(0)), I(t.stride(1)), I(t.stride(2)), I(t.stride(3))};
}

void check_float(const Tensor& t, const char* op) {
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t.scalar_type()), "\"", op, "_ocl\" not implemented for '",
                              c10::toString(t.scalar_type()), "'");
  check_dtype_supported(t.scalar_type(), t.device().index());
}

// One launch: `kernel` of pool.cl for dtype of `ref`, over `total` elements.
class PoolLaunch {
 public:
  PoolLaunch(const char* kernel, const Tensor& ref, std::initializer_list<const Tensor*> all)
      : t_(ref.scalar_type()), idx64_(needs_idx64(all)),
        args_(ref.device().index(), "pool_" + typed_suffix(t_, idx64_), kernel,
              [&] { return typed_source(t_, idx64_, "pool.cl"); }) {}

  PoolLaunch& tensor(const Tensor& t) {
    auto b = torch_ocl::buffer_of(t);
    size_t es = t.element_size();
    TORCH_INTERNAL_ASSERT(b.offset % es == 0, "[ocl::pool] misaligned tensor");
    args_.add_mem(b.mem).add<cl_ulong>(b.offset / es);
    if (idx64_)
      args_.add(strides4<cl_ulong>(t));
    else
      args_.add(strides4<cl_uint>(t));
    return *this;
  }
  // The Pool struct: input planes (C, H, W), output planes (OH, OW) and the window.
  PoolLaunch& pool(const Tensor& in, const Tensor& out, const PoolWindow& w) {
    int64_t d = in.dim();
    std::array<cl_int, 13> p{cl_int(in.size(d - 3)), cl_int(in.size(d - 2)), cl_int(in.size(d - 1)),
                             cl_int(out.size(d - 2)), cl_int(out.size(d - 1)), cl_int(w.KH), cl_int(w.KW),
                             cl_int(w.SH), cl_int(w.SW), cl_int(w.PH), cl_int(w.PW), cl_int(w.DH), cl_int(w.DW)};
    args_.add(p);
    return *this;
  }
  PoolLaunch& integer(int64_t v) {
    args_.add<cl_int>(static_cast<cl_int>(v));
    return *this;
  }
  void run(int64_t total) {
    args_.add_index(total, idx64_);
    args_.launch_1d(static_cast<uint64_t>(total));
  }

 private:
  ScalarType t_;
  bool idx64_;
  KernelArgs args_;
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
