// Fused Adam/AdamW and SGD steps (_fused_adam_, _fused_adamw_, _fused_sgd_): one launch per
// parameter over its contiguous storage, states and optional grad_scale/found_inf on device.
#include "aten/native/FusedOptimizers.h"

#include <ATen/ops/empty.h>

#include <tuple>
#include <vector>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

struct Arg {
  cl_mem mem;
  cl_ulong offset;  // in elements
};

Arg arg_of(const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  return {b.mem, b.offset / c10::elementSize(t.scalar_type())};
}

// Program for a (param dtype, step dtype, lr dtype) combination; grad_scale/found_inf are float.
std::string source(ScalarType p, ScalarType s, ScalarType l, ScalarType f) {
  ScalarType c = compute_type(p);
  bool fp64 = c == kDouble || s == kDouble || l == kDouble || f == kDouble;
  std::string src;
  if (fp64) src += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  src += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  src += "#define T " + cl_type(c) + "\n#define P " + cl_storage_type(p) + "\n#define S " + cl_storage_type(s) +
         "\n#define L " + cl_storage_type(l) + "\n#define F " + cl_storage_type(f) + "\n";
  src += "#define LOAD(p, i) (" + cl_load(p, "(p)", "(i)") + ")\n";
  src += "#define STORE(p, i, v) " + cl_store(p, "(p)", "(i)", "(v)") + "\n";
  src += "#define LOADS(p, i) (" + cl_load(s, "(p)", "(i)") + ")\n";
  src += "#define LOADL(p, i) (" + cl_load(l, "(p)", "(i)") + ")\n";
  src += "#define LOADF(p, i) (" + cl_load(f, "(p)", "(i)") + ")\n";
  src += torch_ocl::runtime::kernel_source("optim.cl");
  return src;
}

std::string program_name(ScalarType p, ScalarType s, ScalarType l, ScalarType f) {
  return "optim_" + std::to_string(int(p)) + "_" + std::to_string(int(s)) + "_" + std::to_string(int(l)) + "_" +
         std::to_string(int(f));
}

void check_lists(const char* name, TensorList params, std::initializer_list<TensorList> others) {
  for (TensorList l : others)
    TORCH_CHECK(l.empty() || l.size() == params.size(), name, ": all tensor lists must have the same length, got ",
                params.size(), " and ", l.size());
  for (size_t i = 0; i < params.size(); ++i) {
    TORCH_CHECK(params[i].device().type() == c10::DeviceType::PrivateUse1, name, ": expected ocl tensors");
    TORCH_CHECK(isFloatingType(params[i].scalar_type()), name, ": params must be floating point, got ",
                params[i].scalar_type());
    for (TensorList l : others) {
      if (l.empty()) continue;
      TORCH_CHECK(l[i].device() == params[i].device(), name, ": all tensors must be on ", params[i].device());
      TORCH_CHECK(l[i].sizes() == params[i].sizes(), name, ": tensor ", i, " has mismatched sizes");
    }
  }
}

// A contiguous tensor to work on (the tensor itself when it is contiguous) and whether it
// must be copied back afterwards.
std::pair<Tensor, bool> work(const Tensor& t, ScalarType dtype) {
  if (t.is_contiguous() && t.scalar_type() == dtype) return {t, false};
  return {t.contiguous().to(dtype), true};
}

// An optional 0-dim float tensor as a kernel argument, or a placeholder with its flag off.
std::pair<Tensor, bool> optional_scalar(const std::optional<Tensor>& t, const Tensor& like) {
  if (t && t->defined()) {
    TORCH_CHECK(t->numel() == 1, "[ocl::fused_optim] grad_scale/found_inf must have one element");
    return {t->to(like.device(), kFloat).contiguous(), true};
  }
  return {at::empty({1}, like.options().dtype(kFloat)), false};
}

void launch(KernelArgs& args, int device, int64_t n) {
  const auto& info = torch_ocl::runtime::device_info(device);
  size_t local = std::min<size_t>(256, info.max_work_group_size);
  uint64_t groups = std::min<uint64_t>((n + local - 1) / local, uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4));
  args.launch(static_cast<size_t>(std::max<uint64_t>(groups, 1) * local), local);
}

// The device scalars both steps take: lr (when given as a tensor), grad_scale, found_inf.
struct DeviceScalars {
  Tensor lr, scale, inf;
  bool lr_is_tensor, has_scale, has_inf;
};

DeviceScalars device_scalars(const std::optional<Tensor>& lr_tensor, const std::optional<Tensor>& grad_scale,
                             const std::optional<Tensor>& found_inf, const Tensor& first) {
  DeviceScalars d;
  std::tie(d.scale, d.has_scale) = optional_scalar(grad_scale, first);
  std::tie(d.inf, d.has_inf) = optional_scalar(found_inf, first);
  d.lr_is_tensor = lr_tensor && lr_tensor->defined();
  d.lr = d.lr_is_tensor ? lr_tensor->to(first.device()).contiguous() : at::empty({1}, first.options().dtype(kFloat));
  return d;
}

// One launch of `kernel` over one parameter. tensors: the param, its grad, then the
// optimizer's states (undefined when unused: the param stands in), each worked on as a
// contiguous copy in the param's dtype and copied back when it is one (the grad only when
// the kernel unscales it). The kernel takes them, then `step` when defined, the device
// scalars, the element count, the optimizer's own scalars (add_own(args, compute type)) and
// the device scalars' flags.
template <class AddOwn>
void launch_step(const char* kernel, std::initializer_list<Tensor> tensors, const Tensor& step,
                 const DeviceScalars& d, AddOwn add_own) {
  const Tensor& param = *tensors.begin();
  const ScalarType pt = param.scalar_type(), c = compute_type(pt);
  const int device = param.device().index();
  check_dtype_supported(pt, device);
  if (param.numel() == 0) return;
  std::vector<std::pair<Tensor, bool>> copies;
  for (const Tensor& t : tensors) copies.push_back(t.defined() ? work(t, pt) : std::pair{copies[0].first, false});
  const ScalarType st = step.defined() ? step.scalar_type() : kFloat, lt = d.lr.scalar_type();
  KernelArgs args(device, program_name(pt, st, lt, kFloat), kernel, [&] { return source(pt, st, lt, kFloat); });
  auto add_tensor = [&](const Tensor& t) {
    Arg a = arg_of(t);
    args.add_mem(a.mem).add<cl_ulong>(a.offset);
  };
  for (const auto& copy : copies) add_tensor(copy.first);
  if (step.defined()) add_tensor(step);
  for (const Tensor* t : {&d.lr, &d.scale, &d.inf}) add_tensor(*t);
  args.add<cl_ulong>(param.numel());
  add_own(args, c);
  args.add<cl_int>(d.lr_is_tensor).add<cl_int>(d.has_scale).add<cl_int>(d.has_inf);
  launch(args, device, param.numel());
  size_t i = 0;
  for (const Tensor& t : tensors) {
    const auto& [copy, back] = copies[i];
    if (back && (i != 1 || d.has_scale)) t.copy_(copy);
    ++i;
  }
}

}  // namespace

void fused_adam(TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                TensorList max_exp_avg_sqs, TensorList state_steps, const std::optional<Tensor>& lr_tensor,
                double lr, double beta1, double beta2, double weight_decay, double eps, bool amsgrad, bool maximize,
                const std::optional<Tensor>& grad_scale, const std::optional<Tensor>& found_inf, bool adamw) {
  const char* name = adamw ? "_fused_adamw_" : "_fused_adam_";
  if (params.empty()) return;
  check_lists(name, params, {grads, exp_avgs, exp_avg_sqs});
  TORCH_CHECK(state_steps.size() == params.size(), name, ": one state step per param expected");
  if (amsgrad) check_lists(name, params, {max_exp_avg_sqs});
  DeviceScalars d = device_scalars(lr_tensor, grad_scale, found_inf, params[0]);
  for (size_t i = 0; i < params.size(); ++i) {
    Tensor step = state_steps[i].to(params[i].device());
    TORCH_CHECK(step.numel() == 1, name, ": state steps must have one element");
    launch_step("fused_adam",
                {params[i], grads[i], exp_avgs[i], exp_avg_sqs[i], amsgrad ? max_exp_avg_sqs[i] : Tensor()}, step,
                d, [&](KernelArgs& args, ScalarType c) {
                  args.add_scalar(c, lr).add_scalar(c, beta1).add_scalar(c, beta2);
                  args.add_scalar(c, weight_decay).add_scalar(c, eps);
                  args.add<cl_int>(amsgrad).add<cl_int>(maximize).add<cl_int>(adamw);
                });
  }
}

void fused_sgd(TensorList params, TensorList grads, TensorList momentum_buffers, double weight_decay,
               double momentum, const std::optional<Tensor>& lr_tensor, double lr, double dampening, bool nesterov,
               bool maximize, bool is_first_step, const std::optional<Tensor>& grad_scale,
               const std::optional<Tensor>& found_inf) {
  const char* name = "_fused_sgd_";
  if (params.empty()) return;
  check_lists(name, params, {grads});
  bool use_buf = momentum != 0;
  if (use_buf) {
    TORCH_CHECK(momentum_buffers.size() == params.size(), name, ": one momentum buffer per param expected");
    check_lists(name, params, {momentum_buffers});
  }
  DeviceScalars d = device_scalars(lr_tensor, grad_scale, found_inf, params[0]);
  for (size_t i = 0; i < params.size(); ++i) {
    launch_step("fused_sgd", {params[i], grads[i], use_buf ? momentum_buffers[i] : Tensor()}, Tensor(), d,
                [&](KernelArgs& args, ScalarType c) {
                  args.add_scalar(c, lr).add_scalar(c, weight_decay).add_scalar(c, momentum);
                  args.add_scalar(c, dampening);
                  args.add<cl_int>(nesterov).add<cl_int>(maximize).add<cl_int>(is_first_step);
                });
  }
}

}  // namespace at::native::ocl
