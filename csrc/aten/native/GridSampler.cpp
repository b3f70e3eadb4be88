// grid_sampler_2d/3d launchers over csrc/kernels/grid_sample.cl (see GridSampler.h): ATen's own
// argument checks, one work item per grid point.
#include "aten/native/GridSampler.h"

#include <ATen/native/GridSamplerUtils.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/zeros.h>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

// The kernels' Grid struct.
struct GridArg {
  cl_int C, IH, IW, H, W, mode, padding, align_corners;
};

void check(const Tensor& input, const Tensor& grid, int64_t mode, int64_t padding) {
  check_grid_sampler_common(input, grid);
  if (grid.size(-1) == 3)
    check_grid_sampler_3d(input, grid, mode);
  else
    check_grid_sampler_2d(input, grid);
  ScalarType t = input.scalar_type();
  TORCH_CHECK_NOT_IMPLEMENTED(isFloatingType(t), "\"grid_sampler_ocl\" not implemented for '", c10::toString(t),
                              "'");
  TORCH_CHECK(grid.scalar_type() == t, "grid_sampler(): expected grid to have the input's dtype ", t, ", but got ",
              grid.scalar_type());
  TORCH_CHECK(mode >= 0 && mode <= 2, "grid_sampler(): unknown interpolation mode ", mode);
  TORCH_CHECK(padding >= 0 && padding <= 2, "grid_sampler(): unknown padding mode ", padding);
  check_dtype_supported(t, input.device().index());
}

KernelArgs kernel(const char* name, ScalarType t, int device) {
  // float64 accumulates its input gradient with 64-bit compare-and-swap
  std::string program = std::string("grid_sample_") + c10::toString(t);
  return KernelArgs(device, program, name, [t] {
    std::string pre = t == kDouble ? "#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable\n"
                                     "#define OCL_ATOMIC64 1\n#define OCL_HAS_FP64 1\n#define ACC_IS_DOUBLE 1\n"
                                   : "";
    return pre + typed_source(t, true, "atomics.cl") + "\n" + torch_ocl::runtime::kernel_source("grid_sample.cl");
  });
}

// (buffer, element offset, four or five strides); a grid's strides are (n, [d,] h, w, coordinate).
void add_tensor(KernelArgs& a, const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  a.add_mem(b.mem).add<cl_ulong>(b.offset / t.element_size());
  if (t.dim() == 5)
    a.add(std::array<cl_long, 5>{t.stride(0), t.stride(1), t.stride(2), t.stride(3), t.stride(4)});
  else
    a.add(std::array<cl_long, 4>{t.stride(0), t.stride(1), t.stride(2), t.stride(3)});
}

// The kernels' Grid3 struct.
struct Grid3Arg {
  cl_int C, ID, IH, IW, D, H, W, mode, padding, align_corners;
};

// The Grid or Grid3 struct of a 2d or 3d call.
void add_grid(KernelArgs& a, const Tensor& input, const Tensor& grid, int64_t mode, int64_t padding, bool align) {
  auto i = input.sizes();
  auto g = grid.sizes();
  if (input.dim() == 5)
    a.add(Grid3Arg{cl_int(i[1]), cl_int(i[2]), cl_int(i[3]), cl_int(i[4]), cl_int(g[1]), cl_int(g[2]), cl_int(g[3]),
                   cl_int(mode), cl_int(padding), cl_int(align)});
  else
    a.add(GridArg{cl_int(i[1]), cl_int(i[2]), cl_int(i[3]), cl_int(g[1]), cl_int(g[2]), cl_int(mode),
                  cl_int(padding), cl_int(align)});
}

// Output (and grad_output) sizes: (N, C, grid's spatial sizes).
std::vector<int64_t> out_sizes(const Tensor& input, const Tensor& grid) {
  std::vector<int64_t> s{input.size(0), input.size(1)};
  s.insert(s.end(), grid.sizes().begin() + 1, grid.sizes().end() - 1);
  return s;
}

}  // namespace

namespace {

Tensor grid_sampler(const Tensor& input, const Tensor& grid, int64_t mode, int64_t padding, bool align) {
  check(input, grid, mode, padding);
  Tensor out = at::empty(out_sizes(input, grid), input.options());
  int64_t points = grid.numel() / grid.size(-1);
  if (points == 0 || input.size(1) == 0) return out;
  KernelArgs a = kernel(input.dim() == 5 ? "grid_sampler_3d" : "grid_sampler_2d", input.scalar_type(),
                        input.device().index());
  add_tensor(a, input);
  add_tensor(a, grid);
  add_tensor(a, out);
  add_grid(a, input, grid, mode, padding, align);
  a.add<cl_long>(points);
  a.launch_1d(static_cast<uint64_t>(points));
  return out;
}

std::tuple<Tensor, Tensor> grid_sampler_backward(const Tensor& grad_output, const Tensor& input, const Tensor& grid,
                                                 int64_t mode, int64_t padding, bool align,
                                                 std::array<bool, 2> output_mask) {
  check(input, grid, mode, padding);
  TORCH_CHECK(grad_output.device() == input.device() && grad_output.scalar_type() == input.scalar_type(),
              "grid_sampler_2d_backward(): expected grad_output on ", input.device(), " with dtype ",
              input.scalar_type());
  auto sizes = out_sizes(input, grid);
  TORCH_CHECK(grad_output.sizes() == IntArrayRef(sizes), "grid_sampler_backward(): expected grad_output of sizes ",
              IntArrayRef(sizes), ", but got ", grad_output.sizes());
  const bool need_input = output_mask[0];
  ScalarType t = input.scalar_type();
  // atomics accumulate in the compute type: float for 16-bit inputs, cast once at the end
  ScalarType acc_t = t == kDouble ? kDouble : kFloat;
  Tensor acc = need_input ? at::zeros(input.sizes(), input.options().dtype(acc_t)) : Tensor();
  Tensor grad_grid = at::empty_like(grid, LEGACY_CONTIGUOUS_MEMORY_FORMAT);
  int64_t points = grid.numel() / grid.size(-1);
  if (points > 0) {
    if (input.size(1) == 0) {
      grad_grid.zero_();
    } else {
      KernelArgs a = kernel(input.dim() == 5 ? "grid_sampler_3d_backward" : "grid_sampler_2d_backward", t,
                            input.device().index());
      add_tensor(a, grad_output);
      add_tensor(a, input);
      add_tensor(a, grid);
      Tensor dst = need_input ? acc : grad_grid;  // any buffer when unused
      auto b = torch_ocl::buffer_of(dst);
      a.add_mem(b.mem).add<cl_ulong>(need_input ? b.offset / dst.element_size() : 0).add<cl_int>(need_input);
      add_tensor(a, grad_grid);
      add_grid(a, input, grid, mode, padding, align);
      a.add<cl_long>(points);
      a.launch_1d(static_cast<uint64_t>(points));
    }
  }
  Tensor grad_input;
  if (need_input) grad_input = acc_t == t ? acc : acc.to(t);
  return {grad_input, grad_grid};
}

}  // namespace

Tensor grid_sampler_2d(const Tensor& input, const Tensor& grid, int64_t mode, int64_t padding, bool align) {
  check_grid_sampler_2d(input, grid);
  return grid_sampler(input, grid, mode, padding, align);
}

std::tuple<Tensor, Tensor> grid_sampler_2d_backward(const Tensor& grad_output, const Tensor& input, const Tensor& grid,
                                                    int64_t mode, int64_t padding, bool align,
                                                    std::array<bool, 2> output_mask) {
  check_grid_sampler_2d(input, grid);
  return grid_sampler_backward(grad_output, input, grid, mode, padding, align, output_mask);
}

Tensor grid_sampler_3d(const Tensor& input, const Tensor& grid, int64_t mode, int64_t padding, bool align) {
  check_grid_sampler_3d(input, grid, mode);
  return grid_sampler(input, grid, mode, padding, align);
}

std::tuple<Tensor, Tensor> grid_sampler_3d_backward(const Tensor& grad_output, const Tensor& input, const Tensor& grid,
                                                    int64_t mode, int64_t padding, bool align,
                                                    std::array<bool, 2> output_mask) {
  check_grid_sampler_3d(input, grid, mode);
  return grid_sampler_backward(grad_output, input, grid, mode, padding, align, output_mask);
}

}  // namespace at::native::ocl
