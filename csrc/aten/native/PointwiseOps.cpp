// Ternary pointwise kernels: addcmul, addcdiv, lerp (Scalar and Tensor weights).
#include "aten/native/PointwiseOps.h"
#include "aten/native/Pointwise.h"

namespace at::native::ocl {

void addcmul_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Tensor&, const Scalar& value,
                    const Tensor&) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "addcmul", "a + s0 * b * c", "a + s0 * b * c", {{c, value}});
}

void addcdiv_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Tensor&, const Scalar& value,
                    const Tensor&) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "addcdiv", "a + s0 * (b / c)", "", {{c, value}});
}

// The CPU's two-sided formula keeps lerp exact at both ends.
void lerp_scalar_kernel(TensorIteratorBase& iter, const Tensor&, const Tensor&, const Scalar& weight, const Tensor&) {
  ScalarType c = common_compute_type(iter);
  pointwise_expr(iter, "lerp_s", "fabs(s0) < 0.5 ? a + s0 * (b - a) : b - (b - a) * (1 - s0)", "", {{c, weight}});
}

void lerp_tensor_kernel(TensorIteratorBase& iter) {
  pointwise_expr(iter, "lerp_t", "fabs(c) < 0.5 ? a + c * (b - a) : b - (b - a) * (1 - c)", "");
}

}  // namespace at::native::ocl
