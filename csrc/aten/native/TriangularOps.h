// tril / triu (needed by causal attention masks): one pointwise kernel over the input and
// broadcast row/column indices.
#pragma once

#include <ATen/core/Tensor.h>

namespace at::native::ocl {

void tril_impl(const Tensor& self, int64_t k, const Tensor& result);
void triu_impl(const Tensor& self, int64_t k, const Tensor& result);

}  // namespace at::native::ocl
