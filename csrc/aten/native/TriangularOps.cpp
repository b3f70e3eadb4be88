// tril / triu: result = self where (column - row) is on the kept side of diagonal k, else 0;
// row and column indices are arange tensors broadcast over the last two dims.
#include "aten/native/TriangularOps.h"

#include <ATen/TensorIterator.h>
#include <ATen/ops/arange.h>

#include "aten/native/Pointwise.h"

namespace at::native::ocl {
namespace {

void triangle(const Tensor& self, int64_t k, const Tensor& result, bool lower) {
  if (self.numel() == 0) return;
  const int64_t R = self.size(-2), C = self.size(-1);
  auto idx = self.options().dtype(kLong);
  Tensor rows = at::arange(R, idx).view({R, 1}), cols = at::arange(C, idx).view({1, C});
  auto iter = TensorIteratorConfig()
                  .add_output(result)
                  .add_const_input(self)
                  .add_const_input(rows)
                  .add_const_input(cols)
                  .check_all_same_dtype(false)
                  .resize_outputs(false)
                  .build();
  // Floats compute in their own type (indices exact below 2^24); integers and bool in int64.
  ScalarType t = self.scalar_type();
  ScalarType compute = isFloatingType(t) ? compute_type(t) : kLong;
  std::string keep = lower ? "(c - b <= s0)" : "(c - b >= s0)";
  pointwise(iter, {lower ? "tril" : "triu", keep + " ? a : 0", compute, {{compute, k}}});
}

}  // namespace

void tril_impl(const Tensor& self, int64_t k, const Tensor& result) { triangle(self, k, result, true); }
void triu_impl(const Tensor& self, int64_t k, const Tensor& result) { triangle(self, k, result, false); }

}  // namespace at::native::ocl
