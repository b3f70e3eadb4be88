// Boxed fallback registered for every aten op on PrivateUse1 (see Fallback.h).
#include "core/Fallback.h"

#include <ATen/native/CPUFallback.h>
#include <torch/library.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>

namespace torch_ocl {
namespace {

struct State {
  std::mutex mutex;
  std::map<std::string, int64_t> counts;
  std::set<std::string> warned;
  std::atomic<bool> enabled{true};
  State() {
    const char* env = std::getenv("TORCH_OCL_FALLBACK");
    if (env && (std::string(env) == "0" || std::string(env) == "off" || std::string(env) == "false")) enabled = false;
  }
};

State& state() {
  static auto* s = new State();
  return *s;
}

// Tensors on two different ocl devices are an error, as on CUDA (the CPU would accept them).
void check_same_device(const c10::OperatorHandle& op, torch::jit::Stack* stack) {
  std::optional<c10::Device> device;
  auto check = [&](const at::Tensor& t) {
    if (!t.defined() || t.device().type() != c10::DeviceType::PrivateUse1) return;
    if (!device) device = t.device();
    TORCH_CHECK(*device == t.device(), "Expected all tensors to be on the same device, but found at least two "
                "devices, ", *device, " and ", t.device(), "! (in ", op.schema().operator_name(), ")");
  };
  for (const auto& v : torch::jit::last(*stack, op.schema().arguments().size())) {
    if (v.isTensor()) check(v.toTensor());
    else if (v.isTensorList())
      for (const at::Tensor& t : v.toTensorList()) check(t);
    else if (v.isOptionalTensorList())
      for (const std::optional<at::Tensor>& t : v.toOptionalTensorList())
        if (t) check(*t);
  }
}

void ocl_cpu_fallback(const c10::OperatorHandle& op, torch::jit::Stack* stack) {
  State& s = state();
  const std::string name = c10::toString(op.schema().operator_name());
  check_same_device(op, stack);
  TORCH_CHECK_NOT_IMPLEMENTED(s.enabled.load(), "[ocl] the operator '", name,
                              "' has no native ocl kernel, and the CPU fallback is off (TORCH_OCL_FALLBACK=0)");
  bool warn = false;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.counts[name]++;
    warn = s.warned.insert(name).second;
  }
  if (warn)
    TORCH_WARN("[ocl] the operator '", name,
               "' has no native ocl kernel and runs on the CPU (copies both ways; slow). "
               "This warning is shown once per operator.");
  at::native::cpu_fallback(op, stack);
}

}  // namespace

std::map<std::string, int64_t> fallback_counts() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().counts;
}

void reset_fallback_counts() {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().counts.clear();
}

bool fallback_enabled() { return state().enabled.load(); }
void set_fallback_enabled(bool enabled) { state().enabled = enabled; }

TORCH_LIBRARY_IMPL(_, PrivateUse1, m) {
  m.fallback(torch::CppFunction::makeFromBoxedFunction<&ocl_cpu_fallback>());
}

}  // namespace torch_ocl
