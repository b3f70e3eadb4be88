// linspace: a nullary pointwise kernel behind ATen's linspace_out (see RangeFactories.h).
#include "aten/native/RangeFactories.h"

#include <ATen/Dispatch.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include "aten/native/Pointwise.h"
#include "runtime/device.h"

namespace at::native::ocl {
namespace {

// An integer scalar converted to integral dtype t as the CPU converts it (wrapping for uint8,
// raising on other overflows), widened back to int64.
int64_t in_dtype(const Scalar& v, ScalarType t) {
  return AT_DISPATCH_INTEGRAL_TYPES(t, "linspace_ocl", [&] { return static_cast<int64_t>(v.to<scalar_t>()); });
}

}  // namespace

// The CPU's linspace: the first half counts up from start, the second down from end (so both
// ends are exact); the step is computed as the CPU computes it for the dtype.
void linspace_kernel(TensorIterator& iter, const Scalar& start, const Scalar& end, int64_t steps) {
  ScalarType t = iter.dtype(0);
  bool fp64 = torch_ocl::runtime::device_info(iter.device(0).index()).fp64;
  ScalarType compute = isFloatingType(t) ? compute_type(t) : (fp64 ? kDouble : kFloat);
  double step;
  if (t == kFloat || t == kHalf || t == kBFloat16) {
    float s = (end.to<float>() - start.to<float>()) / static_cast<float>(steps - 1);
    step = t == kHalf ? float(c10::Half(s)) : t == kBFloat16 ? float(c10::BFloat16(s)) : s;
  } else if (isFloatingType(t)) {
    step = (end.to<double>() - start.to<double>()) / static_cast<double>(steps - 1);
  } else {
    // integers: start and end in the dtype first, the step in double
    step = (static_cast<double>(in_dtype(end, t)) - static_cast<double>(in_dtype(start, t))) / (steps - 1);
  }
  std::string ct = cl_type(compute);
  pointwise(iter, {"linspace", "((long)i < s3 ? s0 + s2 * (" + ct + ")i : s1 - s2 * (" + ct + ")(s4 - (long)i - 1))",
                   compute,
                   {{compute, isFloatingType(t) ? start : Scalar(in_dtype(start, t))},
                    {compute, isFloatingType(t) ? end : Scalar(in_dtype(end, t))},
                    {compute, Scalar(step)},
                    {kLong, Scalar(steps / 2)},
                    {kLong, Scalar(steps)}}});
}

}  // namespace at::native::ocl
