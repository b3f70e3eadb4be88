// Normalization launchers: layer norm, RMS norm, group norm and batch norm, forward and
// backward (statistics in float for 16-bit inputs).
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <optional>
#include <tuple>

namespace at::native::ocl {

using OptTensor = std::optional<Tensor>;

// Rows of n contiguous elements of x: y = (x - mean) * rstd * w + b (y, w, b optional),
// mean (unless rms) and rstd (any float dtype; computed in float/double).
void norm_forward(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& y, const Tensor& mean,
                  const Tensor& rstd, int64_t rows, int64_t n, double eps, bool rms);

std::tuple<Tensor, Tensor, Tensor> layer_norm(const Tensor& input, IntArrayRef normalized_shape,
                                              const OptTensor& weight, const OptTensor& bias, double eps);
std::tuple<Tensor, Tensor, Tensor> layer_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       IntArrayRef normalized_shape, const Tensor& mean,
                                                       const Tensor& rstd, const OptTensor& weight,
                                                       const OptTensor& bias, std::array<bool, 3> mask);
std::tuple<Tensor, Tensor> rms_norm(const Tensor& input, IntArrayRef normalized_shape, const OptTensor& weight,
                                    std::optional<double> eps);
std::tuple<Tensor, Tensor> rms_norm_backward(const Tensor& grad_out, const Tensor& input,
                                             IntArrayRef normalized_shape, const Tensor& rstd,
                                             const OptTensor& weight, std::array<bool, 2> mask);

std::tuple<Tensor, Tensor, Tensor> group_norm(const Tensor& X, const OptTensor& gamma, const OptTensor& beta,
                                              int64_t N, int64_t C, int64_t HxW, int64_t group, double eps);
std::tuple<Tensor, Tensor, Tensor> group_norm_backward(const Tensor& dY, const Tensor& X, const Tensor& mean,
                                                       const Tensor& rstd, const OptTensor& gamma, int64_t N,
                                                       int64_t C, int64_t HxW, int64_t group,
                                                       std::array<bool, 3> mask);

std::tuple<Tensor, Tensor, Tensor> batch_norm(const Tensor& input, const OptTensor& weight, const OptTensor& bias,
                                              const OptTensor& running_mean, const OptTensor& running_var,
                                              bool training, double momentum, double eps);
std::tuple<Tensor, Tensor, Tensor> batch_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       const OptTensor& weight, const OptTensor& running_mean,
                                                       const OptTensor& running_var, const OptTensor& save_mean,
                                                       const OptTensor& save_invstd, bool train, double eps,
                                                       std::array<bool, 3> mask);
// The other batch norm entry points, in terms of the two above.
std::tuple<Tensor, Tensor, Tensor> batch_norm_legit(const Tensor& input, const OptTensor& weight,
                                                    const OptTensor& bias, Tensor& running_mean, Tensor& running_var,
                                                    bool training, double momentum, double eps);
std::tuple<Tensor, Tensor, Tensor> batch_norm_legit_no_stats(const Tensor& input, const OptTensor& weight,
                                                             const OptTensor& bias, bool training, double momentum,
                                                             double eps);
std::tuple<Tensor, Tensor, Tensor, Tensor> batch_norm_with_update(const Tensor& input, const OptTensor& weight,
                                                                  const OptTensor& bias, Tensor& running_mean,
                                                                  Tensor& running_var, double momentum, double eps);
std::tuple<Tensor, Tensor, Tensor> batch_norm_backward_reserve(
    const Tensor& grad_out, const Tensor& input, const Tensor& weight, const OptTensor& running_mean,
    const OptTensor& running_var, const OptTensor& save_mean, const OptTensor& save_var, bool update, double eps,
    std::array<bool, 3> mask, const Tensor& reserve);

}  // namespace at::native::ocl
