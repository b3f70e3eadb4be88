// Registrations: in-place random sampling (upstream Distributions.cpp).
// Dtypes: float and integer types as the CPU
#include <torch/library.h>

#include "aten/native/Multinomial.h"
#include "aten/native/Random.h"

namespace {
using at::Tensor;
using Gen = std::optional<at::Generator>;

Tensor& random_plain(Tensor& self, Gen g) { return at::native::ocl::random_(self, g); }
Tensor& random_to(Tensor& self, int64_t to, Gen g) { return at::native::ocl::random_(self, to, g); }
Tensor& random_from(Tensor& self, int64_t from, std::optional<int64_t> to, Gen g) {
  return at::native::ocl::random_(self, from, to, g);
}
Tensor& bernoulli_float(Tensor& self, double p, Gen g) { return at::native::ocl::bernoulli_(self, p, g); }
Tensor& bernoulli_tensor(Tensor& self, const Tensor& p, Gen g) { return at::native::ocl::bernoulli_(self, p, g); }

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("uniform_", at::native::ocl::uniform_);
  m.impl("normal_", at::native::ocl::normal_);
  m.impl("random_", random_plain);
  m.impl("random_.to", random_to);
  m.impl("random_.from", random_from);
  m.impl("bernoulli_.float", bernoulli_float);
  m.impl("bernoulli_.Tensor", bernoulli_tensor);
  m.impl("multinomial", at::native::ocl::multinomial);
  m.impl("multinomial.out", at::native::ocl::multinomial_out);
}
