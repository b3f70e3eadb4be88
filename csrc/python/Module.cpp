// torch_ocl._C: a thin Python binding over libtorch_ocl and the runtime.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <torch/csrc/Generator.h>
#include <torch/csrc/utils/pybind.h>

#include "aten/native/Gemm.h"
#include "aten/native/Launch.h"
#include "core/Allocator.h"
#include "core/Errors.h"
#include "core/Fallback.h"
#include "core/Generator.h"
#include "core/Stream.h"
#include "python/GeneratedKernel.h"
#include "runtime/caching_allocator.h"
#include "runtime/device.h"
#include "runtime/host_allocator.h"
#include "runtime/program_cache.h"
#include "runtime/stream.h"

namespace py = pybind11;
namespace rt = torch_ocl::runtime;

namespace {

py::dict info_dict(const rt::DeviceInfo& i) {
  py::dict d;
  d["name"] = i.name;
  d["vendor"] = i.vendor;
  d["vendor_id"] = i.vendor_id;
  d["type"] = i.type_name();
  d["version"] = i.version;
  d["driver_version"] = i.driver_version;
  d["opencl_c_version"] = i.opencl_c_version;
  d["platform_name"] = i.platform_name;
  d["platform_vendor"] = i.platform_vendor;
  d["platform_version"] = i.platform_version;
  d["compute_units"] = i.compute_units;
  d["max_clock_mhz"] = i.max_clock_mhz;
  d["global_mem"] = i.global_mem;
  d["local_mem"] = i.local_mem;
  d["max_alloc"] = i.max_alloc;
  d["max_work_group_size"] = i.max_work_group_size;
  d["fp16"] = i.fp16;
  d["fp64"] = i.fp64;
  d["extensions"] = i.extensions;
  return d;
}

py::dict counters(std::initializer_list<std::pair<const char*, int64_t>> items) {
  py::dict d;
  for (auto& [k, v] : items) d[k] = v;
  return d;
}

}  // namespace

PYBIND11_MODULE(_C, m) {
  m.doc() = "torch_ocl native bindings";

  // devices
  m.def("_device_count", [] { return rt::device_count(); });
  m.def("_discovery_error", [] { return rt::discovery_error(); });
  m.def("_contexts_created", [] { return rt::contexts_created(); });
  m.def("_in_forked_child", [] { return rt::in_forked_child(); });
  m.def("_check_not_forked", [] { torch_ocl::translate_errors([] { rt::check_not_forked(); }); });
  m.def("_selection_spec", [] { return rt::selection_spec(); });
  m.def("_get_device", [] { return rt::current_device(); });
  m.def("_set_device", [](int d) { return torch_ocl::translate_errors([&] { rt::set_device(d); }); });
  m.def("_exchange_device", [](int d) { return torch_ocl::translate_errors([&] {
          int old = rt::current_device();
          if (d >= 0) rt::set_device(d);
          return old;
        }); });
  m.def("_device_properties", [](int d) { return torch_ocl::translate_errors([&] { return info_dict(rt::device_info(d)); }); });
  m.def("_discovered_devices", [] {
    py::list out;
    for (auto& d : rt::discovered_devices()) {
      py::dict e = info_dict(d.info);
      e["selected"] = d.selected;
      e["index"] = d.index;
      out.append(e);
    }
    return out;
  });

  // streams
  m.def("_current_stream_id", [](int d) { return torch_ocl::translate_errors([&] { return rt::current_stream(d); }); });
  m.def("_set_stream", [](int64_t id, int d) { return torch_ocl::translate_errors([&] { rt::set_current_stream(d, id); }); });
  m.def("_synchronize", [](int d) { return torch_ocl::translate_errors([&] { rt::synchronize_device(d); }); });

  // memory
  m.def("_set_memory_fraction", [](double f, int d) { torch_ocl::set_memory_fraction(f, d); });
  m.def("_memory_limit", [](int d) { return torch_ocl::translate_errors([&] { return rt::caching_allocator(d).memory_limit(); }); });
  m.def("_empty_cache", [] { torch_ocl::device_allocator()->emptyCache({0, 0}); });
  m.def("_segments", [](int d) { return torch_ocl::translate_errors([&] { return rt::caching_allocator(d).segments(); }); });
  m.def("_host_empty_cache", [] { torch_ocl::translate_errors([] { rt::host_empty_cache(); }); });
  m.def("_host_stats", [] {
    auto s = rt::host_stats();
    return counters({{"allocated_bytes", s.allocated_bytes},
                     {"reserved_bytes", s.reserved_bytes},
                     {"allocations", s.allocations},
                     {"segments", s.segments}});
  });

  // generators
  m.def("_default_generator", [](int d) {
    return py::reinterpret_borrow<py::object>(THPGenerator_initDefaultGenerator(torch_ocl::default_generator(d)));
  });

  // CPU fallback
  m.def("_fallback_counts", [] { return torch_ocl::fallback_counts(); });
  m.def("_reset_fallback_counts", [] { torch_ocl::reset_fallback_counts(); });
  m.def("_fallback_enabled", [] { return torch_ocl::fallback_enabled(); });
  m.def("_set_fallback_enabled", [](bool e) { torch_ocl::set_fallback_enabled(e); });

  // kernel cache
  m.def("_kernel_cache_dir", [] { return rt::kernel_cache_dir(); });
  m.def("_kernel_cache_stats", [] {
    auto s = rt::program_cache_stats();
    return counters({{"builds", int64_t(s.builds)},
                     {"disk_loads", int64_t(s.disk_loads)},
                     {"disk_writes", int64_t(s.disk_writes)},
                     {"disk_rejects", int64_t(s.disk_rejects)},
                     {"memory_hits", int64_t(s.memory_hits)}});
  });
  m.def("_reset_kernel_cache_stats", [] { rt::reset_program_cache_stats(); });
  m.def("_clear_memory_kernel_cache", [] { rt::clear_memory_program_cache(); });
  // Builds a program from source (diagnostics and tests of the build path and its errors).
  m.def("_build_program", [](int d, const std::string& name, const std::string& source, const std::string& kernel,
                             const std::string& options) {
    at::native::ocl::KernelArgs(d, name, kernel, [&] { return source; }, options);
  });
  // Enqueues a built kernel without setting its arguments, with the given sizes: for tests of
  // how enqueue errors surface (by name).
  m.def("_launch_without_args", [](int d, const std::string& name, const std::string& source,
                                   const std::string& kernel, size_t global, size_t local) {
    at::native::ocl::KernelArgs(d, name, kernel, [&] { return source; }).launch(global, local);
  });
  // Embedded OpenCL C helpers (common.cl, math.cl ...), for kernels generated in Python.
  m.def("_kernel_source", [](const std::string& file) {
    return torch_ocl::translate_errors([&] { return rt::kernel_source(file); });
  });
  // This thread's tensor-core GEMM configuration ("" for the shape table's): max-autotune's
  // candidates in compiled graphs.
  m.def("_set_mma_config", [](const std::string& config, int device) {
    torch_ocl::translate_errors([&] { at::native::ocl::detail::set_thread_mma_config(config, device); });
  });
  m.def("_mma_config_fits", [](const std::string& config, int device) {
    return torch_ocl::translate_errors([&] { return at::native::ocl::detail::mma_config_fits(config, device); });
  });
  // Whether a device runs the tensor-core kernels (natively, or emulated: TORCH_OCL_MMA_EMULATE=1).
  m.def("_mma_enabled", [](int device) {
    return torch_ocl::translate_errors([&] { return at::native::ocl::detail::mma_enabled(device); });
  });
  torch_ocl::python::bind_generated_kernel(m);
}
