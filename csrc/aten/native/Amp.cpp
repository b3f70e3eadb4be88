// GradScaler's operators on ocl (see Amp.h).
#include "aten/native/Amp.h"

#include <c10/util/Exception.h>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

bool on_ocl(const Tensor& t) { return t.device().type() == c10::DeviceType::PrivateUse1; }

// A 1-element device scalar's buffer and element offset.
template <typename T>
void add_scalar_tensor(KernelArgs& args, const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  args.add_mem(b.mem).add<cl_ulong>(b.offset / sizeof(T));
}

void unscale(const Tensor& g, Tensor& found_inf, const Tensor& inv_scale) {
  const int64_t n = g.numel();
  const bool idx64 = n >= (int64_t(1) << 31);
  const ScalarType t = g.scalar_type();
  KernelArgs args(g.device().index(), "amp_unscale_" + typed_suffix(t, idx64), "unscale",
                  [&] { return typed_source(t, idx64, "amp.cl"); });
  auto b = torch_ocl::buffer_of(g);
  args.add_mem(b.mem).add<cl_ulong>(b.offset / g.element_size()).add_index(n, idx64);
  add_scalar_tensor<float>(args, inv_scale);
  add_scalar_tensor<float>(args, found_inf);
  args.launch_1d(n);
}

}  // namespace

void amp_foreach_non_finite_check_and_unscale_(TensorList scaled_grads, Tensor& found_inf, const Tensor& inv_scale) {
  if (scaled_grads.empty()) return;
  TORCH_CHECK(on_ocl(inv_scale), "inv_scale must be an ocl tensor.");
  TORCH_CHECK(on_ocl(found_inf), "found_inf must be an ocl tensor.");
  TORCH_CHECK(inv_scale.numel() == 1, "inv_scale must be a 1-element tensor.");
  TORCH_CHECK(found_inf.numel() == 1, "found_inf must be a 1-element tensor.");
  TORCH_CHECK(inv_scale.scalar_type() == kFloat, "inv_scale must be a float tensor.");
  TORCH_CHECK(found_inf.scalar_type() == kFloat, "found_inf must be a float tensor.");
  TORCH_CHECK(inv_scale.device() == found_inf.device(), "inv_scale and found_inf must be on the same device.");
  for (const Tensor& g : scaled_grads) {
    TORCH_CHECK(on_ocl(g), "One of scaled_grads was not an ocl tensor.");
    TORCH_CHECK(g.device() == found_inf.device(), "scaled_grads must be on the same device as found_inf (",
                found_inf.device(), "), got ", g.device());
    TORCH_CHECK(g.layout() == c10::kStrided, "One of scaled_grads was not a strided tensor.");
    TORCH_CHECK(isFloatingType(g.scalar_type()), "One of scaled_grads was not a floating point tensor (got ",
                g.scalar_type(), ").");
    check_dtype_supported(g.scalar_type(), g.device().index());
  }
  for (const Tensor& g : scaled_grads) {
    if (g.numel() == 0) continue;
    // a dense tensor's elements fill [offset, offset + numel) whatever its strides
    if (g.is_non_overlapping_and_dense()) {
      unscale(g, found_inf, inv_scale);
    } else {
      Tensor tmp = g.contiguous();
      unscale(tmp, found_inf, inv_scale);
      const_cast<Tensor&>(g).copy_(tmp);
    }
  }
}

Tensor& amp_update_scale_(Tensor& current_scale, Tensor& growth_tracker, const Tensor& found_inf,
                          double growth_factor, double backoff_factor, int64_t growth_interval) {
  TORCH_CHECK(on_ocl(growth_tracker), "growth_tracker must be an ocl tensor.");
  TORCH_CHECK(on_ocl(current_scale), "current_scale must be an ocl tensor.");
  TORCH_CHECK(on_ocl(found_inf), "found_inf must be an ocl tensor.");
  TORCH_CHECK(growth_tracker.numel() == 1, "growth_tracker must be a 1-element tensor.");
  TORCH_CHECK(current_scale.numel() == 1, "current_scale must be a 1-element tensor.");
  TORCH_CHECK(found_inf.numel() == 1, "found_inf must be a 1-element tensor.");
  TORCH_CHECK(growth_tracker.scalar_type() == kInt, "growth_tracker must be an int tensor.");
  TORCH_CHECK(current_scale.scalar_type() == kFloat, "current_scale must be a float tensor.");
  TORCH_CHECK(found_inf.scalar_type() == kFloat, "found_inf must be a float tensor.");
  TORCH_CHECK(current_scale.device() == growth_tracker.device() && current_scale.device() == found_inf.device(),
              "current_scale, growth_tracker and found_inf must be on the same device.");
  KernelArgs args(current_scale.device().index(), "amp_update_scale", "update_scale",
                  [] { return torch_ocl::runtime::kernel_source("amp.cl"); });
  add_scalar_tensor<float>(args, current_scale);
  add_scalar_tensor<int32_t>(args, growth_tracker);
  add_scalar_tensor<float>(args, found_inf);
  args.add<cl_float>(static_cast<float>(growth_factor)).add<cl_float>(static_cast<float>(backoff_factor));
  args.add<cl_int>(static_cast<cl_int>(growth_interval));
  args.launch(1, 1);
  return current_scale;
}

}  // namespace at::native::ocl
