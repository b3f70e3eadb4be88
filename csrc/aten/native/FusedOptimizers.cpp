// Fused Adam/AdamW and SGD steps (_fused_adam_, _fused_adamw_, _fused_sgd_): one launch per
// parameter over its contiguous storage, states and optional grad_scale/found_inf on device.
#include "aten/native/FusedOptimizers.h"

#include <ATen/ops/empty.h>

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
  const Tensor& first = params[0];
  auto [scale, has_scale] = optional_scalar(grad_scale, first);
  auto [inf, has_inf] = optional_scalar(found_inf, first);
  bool lr_is_tensor = lr_tensor && lr_tensor->defined();
  Tensor lr_dev = lr_is_tensor ? lr_tensor->to(first.device()).contiguous() : at::empty({1}, first.options().dtype(kFloat));
  for (size_t i = 0; i < params.size(); ++i) {
    ScalarType pt = params[i].scalar_type();
    const int device = params[i].device().index();
    check_dtype_supported(pt, device);
    if (params[i].numel() == 0) continue;
    auto [p, p_back] = work(params[i], pt);
    auto [g, g_back] = work(grads[i], pt);
    auto [m, m_back] = work(exp_avgs[i], pt);
    auto [v, v_back] = work(exp_avg_sqs[i], pt);
    auto [mx, mx_back] = amsgrad ? work(max_exp_avg_sqs[i], pt) : std::pair<Tensor, bool>{p, false};
    Tensor step = state_steps[i].to(params[i].device());
    TORCH_CHECK(step.numel() == 1, name, ": state steps must have one element");
    ScalarType st = step.scalar_type(), lt = lr_dev.scalar_type();
    ScalarType c = compute_type(pt);
    KernelArgs args(device, program_name(pt, st, lt, kFloat), "fused_adam", [&] { return source(pt, st, lt, kFloat); });
    for (const Tensor* t : {&p, &g, &m, &v, &mx, &step, &lr_dev, &scale, &inf}) {
      Arg a = arg_of(*t);
      args.add_mem(a.mem).add<cl_ulong>(a.offset);
    }
    args.add<cl_ulong>(p.numel());
    args.add_scalar(c, lr).add_scalar(c, beta1).add_scalar(c, beta2).add_scalar(c, weight_decay).add_scalar(c, eps);
    args.add<cl_int>(amsgrad).add<cl_int>(maximize).add<cl_int>(adamw).add<cl_int>(lr_is_tensor);
    args.add<cl_int>(has_scale).add<cl_int>(has_inf);
    launch(args, device, p.numel());
    if (p_back) params[i].copy_(p);
    if (g_back && has_scale) grads[i].copy_(g);
    if (m_back) exp_avgs[i].copy_(m);
    if (v_back) exp_avg_sqs[i].copy_(v);
    if (mx_back) max_exp_avg_sqs[i].copy_(mx);
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
  const Tensor& first = params[0];
  auto [scale, has_scale] = optional_scalar(grad_scale, first);
  auto [inf, has_inf] = optional_scalar(found_inf, first);
  bool lr_is_tensor = lr_tensor && lr_tensor->defined();
  Tensor lr_dev = lr_is_tensor ? lr_tensor->to(first.device()).contiguous() : at::empty({1}, first.options().dtype(kFloat));
  for (size_t i = 0; i < params.size(); ++i) {
    ScalarType pt = params[i].scalar_type();
    const int device = params[i].device().index();
    check_dtype_supported(pt, device);
    if (params[i].numel() == 0) continue;
    auto [p, p_back] = work(params[i], pt);
    auto [g, g_back] = work(grads[i], pt);
    auto [b, b_back] = use_buf ? work(momentum_buffers[i], pt) : std::pair<Tensor, bool>{p, false};
    ScalarType lt = lr_dev.scalar_type(), c = compute_type(pt);
    KernelArgs args(device, program_name(pt, kFloat, lt, kFloat), "fused_sgd", [&] { return source(pt, kFloat, lt, kFloat); });
    for (const Tensor* t : {&p, &g, &b, &lr_dev, &scale, &inf}) {
      Arg a = arg_of(*t);
      args.add_mem(a.mem).add<cl_ulong>(a.offset);
    }
    args.add<cl_ulong>(p.numel());
    args.add_scalar(c, lr).add_scalar(c, weight_decay).add_scalar(c, momentum).add_scalar(c, dampening);
    args.add<cl_int>(nesterov).add<cl_int>(maximize).add<cl_int>(is_first_step).add<cl_int>(lr_is_tensor);
    args.add<cl_int>(has_scale).add<cl_int>(has_inf);
    launch(args, device, p.numel());
    if (p_back) params[i].copy_(p);
    if (g_back && has_scale) grads[i].copy_(g);
    if (b_back) momentum_buffers[i].copy_(b);
  }
}

}  // namespace at::native::ocl
