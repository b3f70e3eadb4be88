// multinomial: with replacement, a binary search of uniform draws in each row's cumulative
// weights; without, the largest log(u)/p keys of each row (a sort on device).
#include "aten/native/Multinomial.h"

#include <ATen/core/DistributionsHelper.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include <cmath>
#include <mutex>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/Scan.h"
#include "aten/native/Sort.h"
#include "core/Allocator.h"
#include "core/Generator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

std::pair<uint64_t, uint64_t> next_philox(std::optional<Generator> gen, const Tensor& self) {
  auto* g = get_generator_or_default<torch_ocl::OclGeneratorImpl>(
      gen, torch_ocl::default_generator(self.device().index()));
  std::lock_guard<std::mutex> lock(g->mutex_);
  return g->philox_inputs(1);
}

KernelArgs kernel(int device, ScalarType f, const char* name) {
  const std::string F = cl_type(f);
  return KernelArgs(device, "multinomial_" + F, name, [&] {
    std::string s = f == kDouble ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define OCL_HAS_FP64 1\n" : "";
    s += "#define F " + F + "\n";
    return s + torch_ocl::runtime::kernel_source("random.cl") + "\n" +
           torch_ocl::runtime::kernel_source("multinomial.cl");
  });
}

}  // namespace

Tensor& multinomial_out(const Tensor& self, int64_t n_sample, bool replacement, std::optional<Generator> gen,
                        Tensor& result) {
  TORCH_CHECK(result.device() == self.device(), "multinomial arguments must have the same device");
  TORCH_CHECK(self.dim() > 0 && self.dim() <= 2, "prob_dist must be 1 or 2 dim");
  TORCH_CHECK(isFloatingType(self.scalar_type()), "multinomial only supports floating-point dtypes for input, got: ",
              self.scalar_type());
  TORCH_CHECK(result.scalar_type() == kLong, "multinomial expects Long tensor out, got: ", result.scalar_type());
  TORCH_CHECK(n_sample > 0, "cannot sample n_sample <= 0 samples");
  const int64_t cats = self.size(-1);
  TORCH_CHECK(replacement || n_sample <= cats,
              "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  TORCH_CHECK(cats <= (int64_t(1) << 24), "number of categories cannot exceed 2^24");
  const int64_t rows = self.dim() == 1 ? 1 : self.size(0);
  if (self.dim() == 1)
    result.resize_({n_sample});
  else
    result.resize_({rows, n_sample});
  if (result.numel() == 0) return result;
  const int device = self.device().index();
  ScalarType f = compute_type(self.scalar_type());
  check_dtype_supported(f, device);
  Tensor p = self.to(f).contiguous().view({rows, cats});
  // The CPU's checks: no NaN, inf or negative weight; every row with a positive total.
  const double mn = p.min().item<double>(), mx = p.max().item<double>();
  TORCH_CHECK(mn >= 0 && std::isfinite(mx), "probability tensor contains either `inf`, `nan` or element < 0");
  Tensor cdf = at::empty_like(p);
  scan_rows(p, cdf, ScanKind::Sum);
  TORCH_CHECK(cdf.select(1, cats - 1).min().item<double>() > 0,
              "invalid multinomial distribution (sum of probabilities <= 0)");
  auto [seed, offset] = next_philox(gen, self);
  Tensor dst = result.is_contiguous() ? result : at::empty(result.sizes(), result.options());
  if (replacement) {
    torch_ocl::ElementBuffer mc = torch_ocl::element_buffer_of(cdf), mo = torch_ocl::element_buffer_of(dst);
    KernelArgs k = kernel(device, f, "multinomial_with");
    k.add_mem(mc.mem).add(mc.off).add_mem(mo.mem).add(mo.off);
    k.add<cl_ulong>(rows).add<cl_ulong>(cats).add<cl_ulong>(n_sample).add<cl_ulong>(seed).add<cl_ulong>(offset);
    k.launch_1d(static_cast<uint64_t>(rows * n_sample));
  } else {
    Tensor keys = at::empty_like(p);
    torch_ocl::ElementBuffer mp = torch_ocl::element_buffer_of(p), mk = torch_ocl::element_buffer_of(keys);
    KernelArgs k = kernel(device, f, "multinomial_keys");
    k.add_mem(mp.mem).add(mp.off).add_mem(mk.mem).add(mk.off);
    k.add<cl_ulong>(p.numel()).add<cl_ulong>(seed).add<cl_ulong>(offset);
    k.launch_1d(static_cast<uint64_t>(p.numel()));
    Tensor order = std::get<1>(sort_rows(keys, true));
    dst.view({rows, n_sample}).copy_(order.narrow(1, 0, n_sample));
  }
  if (!dst.is_same(result)) result.copy_(dst);
  return result;
}

Tensor multinomial(const Tensor& self, int64_t n_sample, bool replacement, std::optional<Generator> gen) {
  Tensor result = at::empty({0}, self.options().dtype(kLong));
  return multinomial_out(self, n_sample, replacement, gen, result);
}

}  // namespace at::native::ocl
