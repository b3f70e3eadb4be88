// GeneratedKernel: builds OpenCL C generated in Python through the program cache and launches it
// on the current stream with tensors, ints and floats as arguments (see GeneratedKernel.h).
#include "python/GeneratedKernel.h"

#include <ATen/core/Tensor.h>
#include <pybind11/stl.h>
#include <torch/csrc/autograd/python_variable.h>

#include <string>

#include "aten/native/Launch.h"
#include "core/Allocator.h"
#include "core/Errors.h"
#include "runtime/device.h"

namespace py = pybind11;
namespace rt = torch_ocl::runtime;

namespace torch_ocl::python {
namespace {

class GeneratedKernel {
 public:
  // `name` keys the program cache (with the options); it must change whenever the source does.
  GeneratedKernel(std::string name, std::string source, std::string kernel, std::string options)
      : name_(std::move(name)), source_(std::move(source)), kernel_(std::move(kernel)), options_(std::move(options)) {}

  // Builds (or finds in the memory/disk cache) the program for `device`: compile-time errors
  // surface when the graph is compiled instead of at its first call. Runs without the GIL, so
  // that build threads compile a graph's kernels at once.
  void build(int device) const { make_args(device); }

  // Launch with explicit sizes (global a multiple of local).
  void launch_nd(const py::sequence& args, size_t global, size_t local) const {
    if (global == 0) return;
    set_args(args).launch(global, local);
  }

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }

 private:
  at::native::ocl::KernelArgs make_args(int device) const {
    return at::native::ocl::KernelArgs(device, name_, kernel_, [this] { return source_; }, options_);
  }

  // Tensors become (buffer, element offset), Python ints long, floats float; the device is
  // the first tensor's (the current device when there is none).
  at::native::ocl::KernelArgs set_args(const py::sequence& args) const {
    int device = -1;
    for (const auto& a : args) {
      if (THPVariable_Check(a.ptr())) {
        const at::Tensor& t = THPVariable_Unpack(a.ptr());
        TORCH_CHECK(t.device().type() == c10::DeviceType::PrivateUse1, "[ocl::compile] ", name_,
                    ": tensor argument on ", t.device(), ", expected an ocl tensor");
        if (device < 0) device = t.device().index();
        TORCH_CHECK(t.device().index() == device, "[ocl::compile] ", name_, ": tensor arguments on devices ", device,
                    " and ", int(t.device().index()));
      }
    }
    if (device < 0) device = translate_errors([] { return rt::current_device(); });
    auto ka = make_args(device);
    for (const auto& a : args) {
      PyObject* o = a.ptr();
      if (THPVariable_Check(o)) {
        auto b = torch_ocl::element_buffer_of(THPVariable_Unpack(o));
        ka.add_mem(b.mem);
        ka.add<cl_ulong>(b.off);
      } else if (PyFloat_Check(o)) {
        ka.add<cl_float>(static_cast<float>(PyFloat_AsDouble(o)));
      } else if (PyLong_Check(o)) {
        ka.add<cl_long>(static_cast<cl_long>(PyLong_AsLongLong(o)));
        if (PyErr_Occurred()) throw py::error_already_set();
      } else {
        TORCH_CHECK_TYPE(false, "[ocl::compile] ", name_, ": unsupported kernel argument of type ",
                         Py_TYPE(o)->tp_name);
      }
    }
    return ka;
  }

  std::string name_, source_, kernel_, options_;
};

}  // namespace

void bind_generated_kernel(py::module& m) {
  py::class_<GeneratedKernel>(m, "GeneratedKernel")
      .def(py::init<std::string, std::string, std::string, std::string>(), py::arg("name"), py::arg("source"),
           py::arg("kernel"), py::arg("options") = "")
      .def("build", &GeneratedKernel::build, py::arg("device"), py::call_guard<py::gil_scoped_release>())
      .def("launch_nd", &GeneratedKernel::launch_nd, py::arg("args"), py::arg("global_size"), py::arg("local_size"))
      .def_property_readonly("name", &GeneratedKernel::name)
      .def_property_readonly("source", &GeneratedKernel::source);
}

}  // namespace torch_ocl::python
