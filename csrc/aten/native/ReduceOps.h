// Reduction operators on the reduction generator (impl side of ATen's structured ops).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

namespace at::native::ocl {

void sum_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype,
              const Tensor& result);
void mean_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype,
               const Tensor& result);
void prod_impl(const Tensor& self, int64_t dim, bool keepdim, std::optional<ScalarType> dtype, const Tensor& result);
Tensor prod_all(const Tensor& self, std::optional<ScalarType> dtype);
void amax_impl(const Tensor& self, IntArrayRef dim, bool keepdim, const Tensor& result);
void amin_impl(const Tensor& self, IntArrayRef dim, bool keepdim, const Tensor& result);
void max_all(Tensor& result, const Tensor& self);
void min_all(Tensor& result, const Tensor& self);
void all_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& result);
void all_dims_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, const Tensor& result);
void all_impl(const Tensor& self, const Tensor& result);
void any_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& result);
void any_dims_impl(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, const Tensor& result);
void any_impl(const Tensor& self, const Tensor& result);

}  // namespace at::native::ocl
