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

namespace at::native::ocl {

// ArgReduce.cpp
void argmax_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& result);
void argmin_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& result);
void max_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& values, const Tensor& indices);
void min_dim_impl(const Tensor& self, int64_t dim, bool keepdim, const Tensor& values, const Tensor& indices);
void aminmax_impl(const Tensor& self, std::optional<int64_t> dim, bool keepdim, const Tensor& min, const Tensor& max);

// Moments.cpp: var/std (take_sqrt) and var_mean/std_mean (result1: var or std, result2: mean).
Tensor& std_var_out(const char* fname, Tensor& result, const Tensor& self, OptionalIntArrayRef dim,
                    const std::optional<Scalar>& correction, bool keepdim, bool take_sqrt);
std::tuple<Tensor&, Tensor&> std_var_mean_out(const char* fname, Tensor& result1, Tensor& result2,
                                              const Tensor& self, OptionalIntArrayRef dim,
                                              const std::optional<Scalar>& correction, bool keepdim,
                                              bool take_sqrt);

// Norms.cpp
void vector_norm_impl(const Tensor& self, const Scalar& ord, OptionalIntArrayRef dim, bool keepdim,
                      std::optional<ScalarType> dtype, const Tensor& result);
Tensor& nansum_out(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype,
                   Tensor& result);
Tensor nansum(const Tensor& self, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype);
Tensor count_nonzero(const Tensor& self, IntArrayRef dims);

}  // namespace at::native::ocl
