// torch_ocl._C.GeneratedKernel: kernels generated in Python (torch.compile), built and launched here.
#pragma once

#include <pybind11/pybind11.h>

namespace torch_ocl::python {

void bind_generated_kernel(pybind11::module& m);

}  // namespace torch_ocl::python
