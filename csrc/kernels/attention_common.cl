// What the fused attention kernels (attention.cl, portable; attention_mma.cl, tensor cores) share:
// masking and dropout of a (query, key) pair, and the backward's delta. The host prepends
// random.cl and typed_source's T and LOAD, and defines DV (the value head dim), CAUSAL (key j
// attends query i iff j <= i, PyTorch's top-left alignment), MASK (0 none, 1 bool: false drops
// the pair, 2 additive, of type T) and DROPOUT. Tensors are (batch, heads, rows, cols) views with
// any strides (long4).

#if MASK == 1
#define MASK_T uchar
#else
#define MASK_T T
#endif

// The kernels' argument lists, the same for the portable and the tensor-core kernel of each step.
// Forward: q, k, v, the output o (B, H, L, DV), lse (B * H * L floats), the mask and the sizes.
#define ATTN_FWD_ARGS \
  __global const T* q, ulong q_off, long4 q_st, __global const T* k, ulong k_off, long4 k_st, \
  __global const T* v, ulong v_off, long4 v_st, __global T* o, ulong o_off, long4 o_st, __global float* lse, \
  ulong lse_off, __global const MASK_T* mask, ulong m_off, long4 m_st, long H, long L, long S, long group, \
  float scale, float keep, ulong seed, ulong offset
// dQ: the forward's inputs, dO, dQ, lse, delta, the mask, dS (write_ds) and the sizes.
#define ATTN_BWD_DQ_ARGS \
  __global const T* q, ulong q_off, long4 q_st, __global const T* k, ulong k_off, long4 k_st, \
  __global const T* v, ulong v_off, long4 v_st, __global const T* dout, ulong d_off, long4 d_st, \
  __global T* dq, ulong dq_off, long4 dq_st, __global const float* lse, ulong lse_off, __global const float* delta, \
  ulong delta_off, __global const MASK_T* mask, ulong m_off, long4 m_st, __global float* ds_out, ulong ds_off, \
  int write_ds, long H, long L, long S, long group, float scale, float keep, ulong seed, ulong offset
// dK and dV: the forward's inputs, dO, dK, dV, lse, delta, the mask and the sizes.
#define ATTN_BWD_DKV_ARGS \
  __global const T* q, ulong q_off, long4 q_st, __global const T* k, ulong k_off, long4 k_st, \
  __global const T* v, ulong v_off, long4 v_st, __global const T* dout, ulong d_off, long4 d_st, \
  __global T* dk, ulong dk_off, long4 dk_st, __global T* dv, ulong dv_off, long4 dv_st, \
  __global const float* lse, ulong lse_off, __global const float* delta, ulong delta_off, __global const MASK_T* mask, \
  ulong m_off, long4 m_st, long H, long L, long S, long group, float scale, float keep, ulong seed, ulong offset

inline long at4(long4 st, long b, long h, long r, long c) { return b * st.s0 + h * st.s1 + r * st.s2 + c * st.s3; }

// The score of query qi and key kj from their dot product: scale * dot plus the mask,
// -INFINITY where the pair is dropped or out of range.
inline float masked(float dot, float scale, long qi, long kj, long L, long S, __global const MASK_T* mask,
                    ulong m_off, long4 m_st, long b, long h) {
  if (qi >= L || kj >= S) return -INFINITY;
#if CAUSAL
  if (kj > qi) return -INFINITY;
#endif
#if MASK == 1
  if (!mask[m_off + at4(m_st, b, h, qi, kj)]) return -INFINITY;
#endif
  float s = dot * scale;
#if MASK == 2
  s += LOAD(mask, m_off + at4(m_st, b, h, qi, kj));
#endif
  return s;
}

// The dropout mask of query head row bh (b * heads + h), the same Philox words in the forward and
// the backward. One Philox block decides the eight pairs (q, k + c), (q, k + 8 + c), (q + 8, k + c),
// (q + 8, k + 8 + c), c = 0, 1, of a 16 x 16 tile (q and k with bit 3 clear, k even): word
// (q & 8) / 4 + (k & 8) / 8, its low 16 bits for even keys and high 16 bits for odd ones, kept
// below the keep probability in units of 2^-16 (within 2^-17 of it; the kept values are scaled
// by 1 / keep exactly). These are the eight elements a tensor-core lane holds of a 16 x 16 tile of
// scores, so the forward and dQ kernels run Philox once per eight elements; the dK/dV kernel
// (keys x queries) holds four of one block (a key's (q, q + 8) x (k, k + 8) at one parity),
// once per four.
inline uint4 drop_block(ulong seed, ulong offset, long bh, long qi, long kj, long L, long S) {
  const long nq = (L + 15) / 16, nk = (S + 15) / 16;
  return rand4(seed, offset,
               (ulong)(((bh * nq + qi / 16) * 8 + qi % 8) * nk + kj / 16) * 4 + (ulong)((kj % 8) / 2));
}
inline bool kept_in(uint4 r, long qi, long kj, float keep) {
  const int j = (int)(((qi & 8) >> 2) | ((kj & 8) >> 3));
  const uint w = j == 0 ? r.x : j == 1 ? r.y : j == 2 ? r.z : r.w;
  return ((kj & 1) ? (w >> 16) : (w & 0xffffu)) < (uint)rint(keep * 65536.0f);
}
// Whether dropout keeps pair (qi, kj): its 16 bits of its block.
inline bool kept(ulong seed, ulong offset, long bh, long qi, long kj, long L, long S, float keep) {
  return kept_in(drop_block(seed, offset, bh, qi, kj, L, S), qi, kj, keep);
}

// delta[row] = sum over DV of dO * O, one (batch, head, query) row per work-item (grid-stride).
__kernel void attn_bwd_delta(__global const T* dout, ulong d_off, long4 d_st, __global const T* o, ulong o_off,
                             long4 o_st, __global float* delta, ulong delta_off, long H, long L, long rows) {
  for (long row = get_global_id(0); row < rows; row += get_global_size(0)) {
    const long bh = row / L, i = row % L, b = bh / H, h = bh % H;
    float s = 0.0f;
    for (int d = 0; d < DV; ++d)
      s = fma(LOAD(dout, d_off + at4(d_st, b, h, i, d)), LOAD(o, o_off + at4(o_st, b, h, i, d)), s);
    delta[delta_off + row] = s;
  }
}
