// Multi-tensor pointwise launcher (see Foreach.h). Each launch takes up to `slots` tensors;
// its work-groups are numbered across them (tensor k owns the groups from start_k on), and
// each group runs over one chunk of its tensor.
#include "aten/native/Foreach.h"

#include <algorithm>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

constexpr int64_t kChunk = 4096;  // elements per work-group
constexpr int kMaxSlots = 24;

std::string generate(const std::string& expr, ScalarType t, int nin, int slots, size_t nuniform, bool per_tensor,
                     int local) {
  using std::to_string;
  const std::string S = cl_storage_type(t), C = cl_type(compute_type(t));
  std::string s;
  if (t == kDouble) s += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  s += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  s += "__kernel __attribute__((reqd_work_group_size(" + to_string(local) + ", 1, 1))) void fe(ulong chunk";
  for (int k = 0; k < slots; ++k) {
    std::string K = to_string(k);
    s += ", __global " + S + "* po" + K + ", ulong oo" + K;
    for (int l = 0; l < nin; ++l) s += ", __global const " + S + "* pi" + to_string(l) + "_" + K + ", ulong oi" + to_string(l) + "_" + K;
    s += ", ulong n" + K + ", ulong start" + K;
    if (per_tensor) s += ", " + C + " s" + K;
  }
  for (size_t j = 0; j < nuniform; ++j) s += ", " + C + " u" + to_string(j);
  s += ") {\n  const ulong grp = get_group_id(0);\n  __global " + S + "* po;\n";
  for (int l = 0; l < nin; ++l) s += "  __global const " + S + "* pi" + to_string(l) + ";\n";
  s += "  ulong n, start;\n  " + C + " s = 0;\n";
  // Slots start in increasing order; unused ones start past every group.
  for (int k = slots - 1; k >= 0; --k) {
    std::string K = to_string(k);
    s += std::string(k == slots - 1 ? "  if" : "  else if") + " (" + (k ? "grp >= start" + K : "1") + ") {";
    s += " po = po" + K + " + oo" + K + ";";
    for (int l = 0; l < nin; ++l) s += " pi" + to_string(l) + " = pi" + to_string(l) + "_" + K + " + oi" + to_string(l) + "_" + K + ";";
    s += " n = n" + K + "; start = start" + K + ";";
    if (per_tensor) s += " s = s" + K + ";";
    s += " }\n";
  }
  s += "  const ulong begin = (grp - start) * chunk, end = min(begin + chunk, n);\n";
  s += "  for (ulong i = begin + get_local_id(0); i < end; i += " + to_string(local) + ") {\n";
  const char* names = "abc";
  for (int l = 0; l < nin; ++l)
    s += "    const " + C + " " + names[l] + " = " + cl_load(t, "pi" + to_string(l), "i") + ";\n";
  s += "    " + cl_store(t, "po", "i", "(" + C + ")(" + expr + ")") + "\n  }\n}\n";
  return s;
}

}  // namespace

bool foreach_fast_route(const std::vector<TensorList>& lists) {
  if (lists.empty() || lists[0].empty()) return false;
  const Tensor& ref = lists[0][0];
  if (ref.device().type() != c10::DeviceType::PrivateUse1 || !isFloatingType(ref.scalar_type())) return false;
  for (TensorList l : lists) {
    if (l.size() != lists[0].size()) return false;
    for (size_t i = 0; i < l.size(); ++i) {
      const Tensor& t = l[i];
      const Tensor& peer = lists[0][i];
      if (!t.defined() || t.device() != ref.device() || t.scalar_type() != ref.scalar_type() ||
          t.layout() != c10::kStrided || t.sizes() != peer.sizes() || t.strides() != peer.strides() ||
          !t.is_non_overlapping_and_dense())
        return false;
    }
  }
  return true;
}

void foreach_apply(const char* name, const std::string& expr, const std::vector<TensorList>& inputs, TensorList out,
                   const std::vector<double>& uniform, c10::ArrayRef<double> per_tensor) {
  if (out.empty()) return;
  const int device = out[0].device().index();
  const ScalarType t = out[0].scalar_type();
  check_dtype_supported(t, device);
  const auto& info = torch_ocl::runtime::device_info(device);
  const int nin = static_cast<int>(inputs.size());
  const bool has_s = !per_tensor.empty();
  // Each slot's arguments take (nin + 1) buffers and offsets, a size, a start and a scalar.
  const uint64_t slot_bytes = (nin + 1) * 16 + 24;
  const int slots = static_cast<int>(std::clamp<uint64_t>(
      info.max_parameter_size > 256 ? (info.max_parameter_size - 128) / slot_bytes : 1, 1, kMaxSlots));
  const int local = static_cast<int>(std::min<uint64_t>(256, info.max_work_group_size));
  const ScalarType c = compute_type(t);
  const std::string program = std::string("fe_") + name + "_" + std::to_string(int(t)) + "_" + std::to_string(nin) +
                              "_" + std::to_string(slots) + (has_s ? "s" : "") + std::to_string(uniform.size()) + "_" +
                              std::to_string(local) + "_" + std::to_string(std::hash<std::string>{}(expr) & 0xffffffu);
  // Element offset of a dense tensor's first element (its lowest address).
  auto element_offset = [](const Tensor& x) {
    auto b = torch_ocl::buffer_of(x);
    return std::pair<cl_mem, uint64_t>{b.mem, b.offset / x.element_size()};
  };
  std::vector<size_t> live;  // empty tensors have nothing to compute (and no buffer)
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i].numel() > 0) live.push_back(i);
  for (size_t first = 0; first < live.size(); first += slots) {
    const size_t count = std::min<size_t>(slots, live.size() - first);
    KernelArgs args(device, program, "fe", [&] { return generate(expr, t, nin, slots, uniform.size(), has_s, local); });
    args.add<cl_ulong>(kChunk);
    uint64_t groups = 0;
    for (int k = 0; k < slots; ++k) {
      const bool used = static_cast<size_t>(k) < count;
      const size_t i = live[first + (used ? k : 0)];
      auto [om, oo] = element_offset(out[i]);
      args.add_mem(om).add<cl_ulong>(oo);
      for (int l = 0; l < nin; ++l) {
        auto [im, io] = element_offset(inputs[l][i]);
        args.add_mem(im).add<cl_ulong>(io);
      }
      const uint64_t n = used ? out[i].numel() : 0;
      args.add<cl_ulong>(n).add<cl_ulong>(used ? groups : ~uint64_t(0));
      if (has_s) args.add_scalar(c, used ? per_tensor[i] : 0.0);
      groups += (n + kChunk - 1) / kChunk;
    }
    for (double u : uniform) args.add_scalar(c, u);
    if (groups) args.launch(static_cast<size_t>(groups * local), local);
  }
}

}  // namespace at::native::ocl
