// Runs ATen's structured kernels on ocl: ATen's meta() (shapes, type promotion, checks)
// with our impl(), in the functional, in-place and out= forms that torchgen would emit.
#pragma once

#include <ATen/TensorIterator.h>
#include <ATen/native/Resize.h>
#include <ATen/ops/as_strided.h>

#include <array>
#include <optional>
#include <tuple>
#include <type_traits>

#include "aten/native/TensorFactories.h"

namespace at::native::ocl {

// A structured op whose impl runs `Kernel` on the iterator, with impl's arguments (the
// op's arguments, then the output) when Kernel takes them.
template <class Meta, auto Kernel>
struct TI : Meta {
  template <class... A>
  void impl(const A&... a) {
    if constexpr (std::is_invocable_v<decltype(Kernel), TensorIteratorBase&, const A&...>)
      Kernel(*this, a...);
    else
      Kernel(*this);
  }
};

// A structured op that is not an iterator (reductions): impl passes its arguments (the
// op's, then the output) to `Kernel`.
template <class Meta, auto Kernel>
struct Fn : Meta {
  template <class... A>
  void impl(const A&... a) {
    Kernel(a...);
  }
};

namespace detail {

// The set_output_* hooks take a trailing DimnameList up to torch 2.11 (names are not
// supported on ocl and ignored).
#if TORCH_OCL_META_NAMES
#define OCL_META_NAMES_PARAM , DimnameList
#define OCL_META_NAMES_ARG , {}
#else
#define OCL_META_NAMES_PARAM
#define OCL_META_NAMES_ARG
#endif

inline Tensor create_out(IntArrayRef sizes, IntArrayRef strides, const TensorOptions& o) {
  if (strides.empty())
    return empty(sizes, o.dtype().toScalarType(), o.layout(), o.device(), std::nullopt, o.memory_format_opt());
  return empty_strided(sizes, strides, o.dtype().toScalarType(), o.layout(), o.device(), std::nullopt);
}

void resize_out(const Tensor& out, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options);
void check_inplace(const Tensor& self, IntArrayRef sizes, const TensorOptions& options);
// A temporary when the given strides differ from out's (the result is copied back).
std::optional<Tensor> maybe_proxy(const Tensor& out, IntArrayRef sizes, IntArrayRef strides,
                                  const TensorOptions& options);

template <class Op>
void super_set_output(Op& op, int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options) {
  if constexpr (std::is_base_of_v<TensorIteratorBase, Op>)
    op.Op::set_output_raw_strided(i, sizes, strides, options OCL_META_NAMES_ARG);
}

template <class Op>
struct Functional final : Op {
  void set_output_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options OCL_META_NAMES_PARAM) override {
    outputs_[i] = create_out(sizes, strides, options);
    super_set_output<Op>(*this, i, sizes, strides, options);
  }
  void set_output_raw_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options OCL_META_NAMES_PARAM) override {
    set_output_strided(i, sizes, strides, options OCL_META_NAMES_ARG);
  }
  const Tensor& maybe_get_output(int64_t i) override { return outputs_[i]; }
  std::array<Tensor, 4> outputs_;
};

template <class Op>
struct Into final : Op {  // out= and in-place: writes into given tensors
  Into(const Tensor& out, bool inplace) : out_(out), inplace_(inplace) {}
  void set_output_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options OCL_META_NAMES_PARAM) override {
    prepare(sizes, strides, options);
    proxy_ = maybe_proxy(out_, sizes, strides, options);
    super_set_output<Op>(*this, i, sizes, strides, options);
  }
  void set_output_raw_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options OCL_META_NAMES_PARAM) override {
    prepare(sizes, strides, options);
    super_set_output<Op>(*this, i, sizes, strides, options);
  }
  const Tensor& maybe_get_output(int64_t) override { return proxy_ ? *proxy_ : out_; }
  void finish() {
    if (proxy_) out_.copy_(*proxy_);
  }

 private:
  void prepare(IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options) {
    if (inplace_)
      check_inplace(out_, sizes, options);
    else
      resize_out(out_, sizes, strides, options);
  }
  const Tensor& out_;
  bool inplace_;
  std::optional<Tensor> proxy_;
};

}  // namespace detail

// op(args...) -> new tensor
template <class Op, class... Args>
Tensor functional(Args... args) {
  detail::Functional<Op> op;
  op.meta(args...);
  op.impl(args..., op.maybe_get_output(0));
  return std::move(op.outputs_[0]);
}

// op_(self, rest...) -> self
template <class Op, class... Rest>
Tensor& inplace(Tensor& self, Rest... rest) {
  detail::Into<Op> op(self, true);
  op.meta(self, rest...);
  op.impl(self, rest..., op.maybe_get_output(0));
  op.finish();
  return self;
}

// op.out(args..., out) -> out
template <class Op, class... Args>
Tensor& out(Args... args, Tensor& result) {
  detail::Into<Op> op(result, false);
  op.meta(args...);
  op.impl(args..., op.maybe_get_output(0));
  op.finish();
  return result;
}

namespace detail {

template <class Op>
struct Into2 final : Op {  // out= of two-output ops (max.dim, aminmax): resizes the given tensors
  Into2(const Tensor& a, const Tensor& b) : outs_{&a, &b} {}
  void set_output_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options OCL_META_NAMES_PARAM) override {
    resize_out(*outs_[i], sizes, strides, options);
  }
  void set_output_raw_strided(int64_t i, IntArrayRef sizes, IntArrayRef strides, TensorOptions options OCL_META_NAMES_PARAM) override {
    resize_out(*outs_[i], sizes, strides, options);
  }
  const Tensor& maybe_get_output(int64_t i) override { return *outs_[i]; }
  std::array<const Tensor*, 2> outs_;
};

}  // namespace detail

// Two-output op(args...) -> (out0, out1)
template <class Op, class... Args>
std::tuple<Tensor, Tensor> functional2(Args... args) {
  detail::Functional<Op> op;
  op.meta(args...);
  op.impl(args..., op.maybe_get_output(0), op.maybe_get_output(1));
  return {std::move(op.outputs_[0]), std::move(op.outputs_[1])};
}

// Two-output op.out(args..., out0, out1) -> (out0, out1); kernels write any output strides.
template <class Op, class... Args>
std::tuple<Tensor&, Tensor&> out2(Args... args, Tensor& out0, Tensor& out1) {
  detail::Into2<Op> op(out0, out1);
  op.meta(args...);
  op.impl(args..., out0, out1);
  return {out0, out1};
}

}  // namespace at::native::ocl

// Registers the functional, in-place and out= forms of a structured op whose in-place form
// takes (self, EXTRA...) and whose functional form takes (const Tensor& self, EXTRA...).
#define OCL_STRUCTURED(m, OP, FUNCTIONAL, INPLACE, OUT, ...)                         \
  m.impl(FUNCTIONAL, &at::native::ocl::functional<OP, const at::Tensor& __VA_OPT__(, ) __VA_ARGS__>); \
  m.impl(INPLACE, &at::native::ocl::inplace<OP __VA_OPT__(, ) __VA_ARGS__>);         \
  m.impl(OUT, &at::native::ocl::out<OP, const at::Tensor& __VA_OPT__(, ) __VA_ARGS__>)
