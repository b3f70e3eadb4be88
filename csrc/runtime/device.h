// Device discovery and selection across OpenCL platforms, per-device properties and contexts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cl.h"

namespace torch_ocl::runtime {

struct DeviceInfo {
  cl_platform_id platform = nullptr;
  cl_device_id id = nullptr;
  std::string name, vendor, version, driver_version, opencl_c_version;
  std::string platform_name, platform_vendor, platform_version, extensions;
  cl_device_type type = 0;
  uint32_t vendor_id = 0;
  uint32_t compute_units = 0;
  uint64_t global_mem = 0, local_mem = 0, max_alloc = 0, max_constant = 0;
  uint64_t max_work_group_size = 0, max_parameter_size = 0;
  uint32_t max_clock_mhz = 0, mem_base_addr_align_bits = 0;
  bool fp16 = false, fp64 = false, is_gpu = false;
  bool has_extension(const std::string& ext) const;
  std::string type_name() const;
};

// Every device of every platform, in discovery order, with whether the selection takes it.
struct DiscoveredDevice {
  DeviceInfo info;
  bool selected = false;
  int index = -1;  // index among selected devices, -1 when not selected
};

// Selected devices (TORCH_OCL_DEVICES: gpu, cpu, all, or a vendor/platform/device substring;
// default: GPUs and accelerators if any, else everything). GPUs come first.
// Never throws and creates no context.
int device_count() noexcept;
// Why no device was found (empty when device_count() > 0).
std::string discovery_error();
std::vector<DiscoveredDevice> discovered_devices();
std::string selection_spec();

// Throws InvalidArgument for an index outside [0, device_count()).
const DeviceInfo& device_info(int index);
void check_device_index(int index);
// The context shared by all selected devices of this device's platform; created on first use.
cl_context context(int index);
// How many contexts exist (discovery and device_count() create none).
int contexts_created();
// Whether two devices share one context (so buffers can be copied between them directly).
bool same_context(int a, int b);

// True in a child process forked after this process initialized OpenCL (discovered devices):
// OpenCL state does not survive fork(), so the child must not touch it.
bool in_forked_child() noexcept;
// Throws (RuntimeError in Python) in such a child instead of letting an OpenCL call hang there.
void check_not_forked();

// Thread-local current device (default 0).
int current_device();
void set_device(int index);

}  // namespace torch_ocl::runtime
