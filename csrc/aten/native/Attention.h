// Fused scaled-dot-product attention (csrc/kernels/attention.cl), reached through PyTorch's SDPA
// path for out-of-tree backends: _fused_sdp_choice picks "overrideable" where the kernels take
// the inputs, and the _scaled_dot_product_fused_attention_overrideable ops run them.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/SymInt.h>

#include <array>
#include <optional>
#include <tuple>

namespace at::native::ocl {

// An at::SDPBackend value: overrideable where sdpa_fused_forward takes these inputs and the user
// allows it (first, except on devices with the tensor-core GEMM, where math comes first unless
// it is turned off), else math (or error when both are off).
int64_t fused_sdp_choice(const Tensor& query, const Tensor& key, const Tensor& value,
                         const std::optional<Tensor>& attn_mask, double dropout_p, bool is_causal,
                         std::optional<double> scale, bool enable_gqa);

std::tuple<Tensor, Tensor, Tensor, Tensor, c10::SymInt, c10::SymInt, Tensor, Tensor, Tensor> sdpa_fused_forward(
    const Tensor& query, const Tensor& key, const Tensor& value, const std::optional<Tensor>& attn_bias,
    double dropout_p, bool is_causal, bool return_debug_mask, std::optional<double> scale);

std::tuple<Tensor, Tensor, Tensor, Tensor> sdpa_fused_backward(
    const Tensor& grad_out, const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& attn_bias,
    std::array<bool, 4> grad_input_mask, const Tensor& out, const Tensor& logsumexp, const Tensor& cum_seq_q,
    const Tensor& cum_seq_k, c10::SymInt max_q, c10::SymInt max_k, double dropout_p, bool is_causal,
    const Tensor& philox_seed, const Tensor& philox_offset, std::optional<double> scale);

}  // namespace at::native::ocl
