// Structured ops with two outputs (values, indices: sort, topk): ATen's meta() with our
// impl(), in the functional and out= forms torchgen would emit.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <tuple>

#include "aten/native/Structured.h"

namespace at::native::ocl {
namespace detail {

template <class Meta>
struct Pair final : Meta {
  Pair() = default;
  Pair(Tensor& a, Tensor& b) : given_{&a, &b} {}
  void set_output_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides,
                          TensorOptions options OCL_META_NAMES_PARAM) override {
    if (given_[i])
      resize_out(*given_[i], sizes, {}, options);  // out= keeps its own strides; impl copies into them
    else
      outputs_[i] = create_out(sizes, strides, options);
  }
  void set_output_raw_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides,
                              TensorOptions options OCL_META_NAMES_PARAM) override {
    set_output_strided(i, sizes, strides, options OCL_META_NAMES_ARG);
  }
  const Tensor& maybe_get_output(int64_t i) override { return given_[i] ? *given_[i] : outputs_[i]; }
  std::array<Tensor, 2> outputs_;
  std::array<Tensor*, 2> given_{nullptr, nullptr};
};

}  // namespace detail

template <class Op, class... Args>
std::tuple<Tensor, Tensor> functional_pair(Args... args) {
  detail::Pair<Op> op;
  op.meta(args...);
  op.impl(args..., op.maybe_get_output(0), op.maybe_get_output(1));
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

template <class Op, class... Args>
std::tuple<Tensor&, Tensor&> out_pair(Args... args, Tensor& a, Tensor& b) {
  detail::Pair<Op> op(a, b);
  op.meta(args...);
  op.impl(args..., op.maybe_get_output(0), op.maybe_get_output(1));
  return {a, b};
}

}  // namespace at::native::ocl
