// fill_ and arange: nullary pointwise kernels (any layout, any dtype).
#include "aten/native/Fill.h"

#include "aten/native/Pointwise.h"
#include "runtime/device.h"

namespace at::native::ocl {

void fill_kernel(TensorIterator& iter, const Scalar& value) {
  ScalarType t = iter.dtype(0);
  ScalarType compute = compute_type(t);
  pointwise(iter, {"fill", "s0", compute, {{compute, value}}});
}

void arange_kernel(TensorIterator& iter, const Scalar& start, const Scalar& size, const Scalar& step) {
  ScalarType t = iter.dtype(0);
  ScalarType compute = kLong;
  if (t == kHalf || t == kBFloat16)
    compute = kFloat;
  else if (isFloatingType(t))
    compute = torch_ocl::runtime::device_info(iter.device(0).index()).fp64 ? kDouble : kFloat;
  pointwise(iter, {"arange", "s0 + s1 * (" + cl_type(compute) + ")i", compute, {{compute, start}, {compute, step}}});
}

}  // namespace at::native::ocl
