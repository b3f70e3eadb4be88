// searchsorted and bucketize (binary search per value in rows of sorted boundaries).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/string_view.h>

#include <optional>

namespace at::native::ocl {

Tensor searchsorted(const Tensor& boundaries, const Tensor& self, bool out_int32, bool right,
                    std::optional<c10::string_view> side, const std::optional<Tensor>& sorter);
Tensor& searchsorted_out(const Tensor& boundaries, const Tensor& self, bool out_int32, bool right,
                         std::optional<c10::string_view> side, const std::optional<Tensor>& sorter, Tensor& out);
Tensor searchsorted_scalar(const Tensor& boundaries, const Scalar& self, bool out_int32, bool right,
                           std::optional<c10::string_view> side, const std::optional<Tensor>& sorter);
Tensor& searchsorted_scalar_out(const Tensor& boundaries, const Scalar& self, bool out_int32, bool right,
                                std::optional<c10::string_view> side, const std::optional<Tensor>& sorter,
                                Tensor& out);
Tensor bucketize(const Tensor& self, const Tensor& boundaries, bool out_int32, bool right);
Tensor& bucketize_out(const Tensor& self, const Tensor& boundaries, bool out_int32, bool right, Tensor& out);
Tensor bucketize_scalar(const Scalar& self, const Tensor& boundaries, bool out_int32, bool right);

}  // namespace at::native::ocl
