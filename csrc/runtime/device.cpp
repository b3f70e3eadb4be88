// Discovery of OpenCL platforms and devices, the TORCH_OCL_DEVICES selection, lazy contexts.
#include "device.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <map>
#include <mutex>

#include "error.h"

namespace torch_ocl::runtime {
namespace {

std::string device_string(cl_device_id d, cl_device_info what) {
  size_t n = 0;
  if (clGetDeviceInfo(d, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return {};
  std::string s(n, '\0');
  clGetDeviceInfo(d, what, n, s.data(), nullptr);
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string platform_string(cl_platform_id p, cl_platform_info what) {
  size_t n = 0;
  if (clGetPlatformInfo(p, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return {};
  std::string s(n, '\0');
  clGetPlatformInfo(p, what, n, s.data(), nullptr);
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  return s;
}

template <typename T>
T device_value(cl_device_id d, cl_device_info what) {
  T v{};
  clGetDeviceInfo(d, what, sizeof(T), &v, nullptr);
  return v;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

DeviceInfo read_info(cl_platform_id p, cl_device_id d) {
  DeviceInfo i;
  i.platform = p;
  i.id = d;
  i.name = device_string(d, CL_DEVICE_NAME);
  i.vendor = device_string(d, CL_DEVICE_VENDOR);
  i.version = device_string(d, CL_DEVICE_VERSION);
  i.driver_version = device_string(d, CL_DRIVER_VERSION);
  i.opencl_c_version = device_string(d, CL_DEVICE_OPENCL_C_VERSION);
  i.extensions = device_string(d, CL_DEVICE_EXTENSIONS);
  i.platform_name = platform_string(p, CL_PLATFORM_NAME);
  i.platform_vendor = platform_string(p, CL_PLATFORM_VENDOR);
  i.platform_version = platform_string(p, CL_PLATFORM_VERSION);
  i.type = device_value<cl_device_type>(d, CL_DEVICE_TYPE);
  i.vendor_id = device_value<cl_uint>(d, CL_DEVICE_VENDOR_ID);
  i.compute_units = device_value<cl_uint>(d, CL_DEVICE_MAX_COMPUTE_UNITS);
  i.global_mem = device_value<cl_ulong>(d, CL_DEVICE_GLOBAL_MEM_SIZE);
  i.local_mem = device_value<cl_ulong>(d, CL_DEVICE_LOCAL_MEM_SIZE);
  i.max_alloc = device_value<cl_ulong>(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
  i.max_constant = device_value<cl_ulong>(d, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE);
  i.max_work_group_size = device_value<size_t>(d, CL_DEVICE_MAX_WORK_GROUP_SIZE);
  i.max_parameter_size = device_value<size_t>(d, CL_DEVICE_MAX_PARAMETER_SIZE);
  i.max_clock_mhz = device_value<cl_uint>(d, CL_DEVICE_MAX_CLOCK_FREQUENCY);
  i.mem_base_addr_align_bits = device_value<cl_uint>(d, CL_DEVICE_MEM_BASE_ADDR_ALIGN);
  i.fp16 = i.has_extension("cl_khr_fp16");
  i.fp64 = i.has_extension("cl_khr_fp64") ||
           device_value<cl_device_fp_config>(d, CL_DEVICE_DOUBLE_FP_CONFIG) != 0;
  i.is_gpu = (i.type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0;
  return i;
}

struct Registry {
  std::vector<DiscoveredDevice> all;
  std::vector<DeviceInfo> selected;
  std::string spec, error;
  std::mutex context_mutex;
  std::map<cl_platform_id, cl_context> contexts;
};

bool matches(const DeviceInfo& d, const std::string& spec, bool any_gpu) {
  if (spec.empty()) return any_gpu ? d.is_gpu : true;
  if (spec == "all") return true;
  if (spec == "gpu") return d.is_gpu;
  if (spec == "cpu") return (d.type & CL_DEVICE_TYPE_CPU) != 0;
  std::string hay = lower(d.platform_name + " | " + d.platform_vendor + " | " + d.vendor + " | " + d.name);
  return hay.find(spec) != std::string::npos;
}

std::atomic<bool> g_forked_child{false};

Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry();  // never destroyed: contexts outlive static destructors
    // From here on the OpenCL platform layer (driver threads, locks) is live in this process: a
    // forked child inherits it half-copied and would hang in its first OpenCL call.
    pthread_atfork(nullptr, nullptr, [] { g_forked_child.store(true, std::memory_order_relaxed); });
    const char* env = std::getenv("TORCH_OCL_DEVICES");
    reg->spec = lower(env ? env : "");
    try {
      cl_uint np = 0;
      cl_int err = clGetPlatformIDs(0, nullptr, &np);
      if (err != CL_SUCCESS || np == 0) {
        reg->error = std::string("no OpenCL platform found (clGetPlatformIDs: ") + error_name(err) +
                     "); install an OpenCL driver (for the CPU: Debian's pocl-opencl-icd)";
        return reg;
      }
      std::vector<cl_platform_id> plats(np);
      clGetPlatformIDs(np, plats.data(), nullptr);
      for (auto p : plats) {
        cl_uint nd = 0;
        if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, nullptr, &nd) != CL_SUCCESS || nd == 0) continue;
        std::vector<cl_device_id> devs(nd);
        clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd, devs.data(), nullptr);
        for (auto d : devs) reg->all.push_back({read_info(p, d), false, -1});
      }
      bool any_gpu = std::any_of(reg->all.begin(), reg->all.end(), [](auto& d) { return d.info.is_gpu; });
      // GPUs first, then the rest, each in discovery order.
      for (int pass = 0; pass < 2; ++pass)
        for (auto& d : reg->all)
          if (d.info.is_gpu == (pass == 0) && matches(d.info, reg->spec, any_gpu)) {
            d.selected = true;
            d.index = static_cast<int>(reg->selected.size());
            reg->selected.push_back(d.info);
          }
      if (reg->selected.empty())
        reg->error = reg->all.empty() ? "OpenCL platforms found, but no devices"
                                      : "TORCH_OCL_DEVICES='" + reg->spec + "' selects none of the " +
                                            std::to_string(reg->all.size()) + " OpenCL devices";
    } catch (const std::exception& e) {
      reg->error = e.what();
    }
    return reg;
  }();
  return *r;
}

thread_local int tl_current_device = 0;

}  // namespace

bool DeviceInfo::has_extension(const std::string& ext) const {
  size_t pos = 0;
  while ((pos = extensions.find(ext, pos)) != std::string::npos) {
    size_t end = pos + ext.size();
    if ((pos == 0 || extensions[pos - 1] == ' ') && (end == extensions.size() || extensions[end] == ' '))
      return true;
    pos = end;
  }
  return false;
}

std::string DeviceInfo::type_name() const {
  if (type & CL_DEVICE_TYPE_GPU) return "gpu";
  if (type & CL_DEVICE_TYPE_ACCELERATOR) return "accelerator";
  if (type & CL_DEVICE_TYPE_CPU) return "cpu";
  return "other";
}

int device_count() noexcept {
  try {
    return static_cast<int>(registry().selected.size());
  } catch (...) {
    return 0;
  }
}

std::string discovery_error() { return registry().error; }
std::vector<DiscoveredDevice> discovered_devices() { return registry().all; }
std::string selection_spec() { return registry().spec.empty() ? "(default)" : registry().spec; }

void check_device_index(int index) {
  int n = device_count();
  if (index < 0 || index >= n) {
    std::string msg = "[ocl] invalid device index " + std::to_string(index) + ": " +
                      std::to_string(n) + " OpenCL device(s) selected";
    if (n == 0) msg += " (" + discovery_error() + ")";
    throw InvalidArgument(msg);
  }
}

const DeviceInfo& device_info(int index) {
  check_device_index(index);
  return registry().selected[index];
}

bool in_forked_child() noexcept { return g_forked_child.load(std::memory_order_relaxed); }

void check_not_forked() {
  if (in_forked_child())
    throw std::runtime_error(
        "[ocl] cannot re-initialize ocl in a forked subprocess: the parent initialized OpenCL before fork(), "
        "and OpenCL state does not survive it. To use ocl with multiprocessing, use the 'spawn' start method");
}

cl_context context(int index) {
  check_not_forked();
  const DeviceInfo& info = device_info(index);
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.context_mutex);
  auto it = r.contexts.find(info.platform);
  if (it != r.contexts.end()) return it->second;
  std::vector<cl_device_id> devs;
  for (auto& d : r.selected)
    if (d.platform == info.platform) devs.push_back(d.id);
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)info.platform, 0};
  cl_int err = CL_SUCCESS;
  cl_context ctx = clCreateContext(props, static_cast<cl_uint>(devs.size()), devs.data(), nullptr, nullptr, &err);
  OCL_CHECK(err);
  r.contexts[info.platform] = ctx;
  return ctx;
}

int contexts_created() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.context_mutex);
  return static_cast<int>(r.contexts.size());
}

bool same_context(int a, int b) { return device_info(a).platform == device_info(b).platform; }

int current_device() { return tl_current_device; }

void set_device(int index) {
  check_device_index(index);
  tl_current_device = index;
}

}  // namespace torch_ocl::runtime
