// Fused scaled-dot-product attention on tensor cores (NVIDIA, compute capability 8.0+): the flash
// attention of attention.cl (same arguments, same masking, dropout and logsumexp) with its tile
// products on mma.sync. A work-group is four warps; each warp owns 16 rows of the block (queries
// in the forward and dQ kernels, keys in the dK/dV kernel) and keeps the fixed operand of its rows
// in registers as mma fragments, so local memory holds only the tiles that stream past. The
// scores stay in mma's accumulator layout: a lane holds rows grp and grp + 8 of each 16 x 8 tile,
// columns 2 tig and 2 tig + 1, so a row's max and sum reduce over the four lanes of a quad, and
// the 16-bit probabilities are the A fragments of the next product without leaving registers.
// Softmax runs in base 2 (scores times log2 e).
//
// The host prepends random.cl, typed_source's T, LOAD and STORE, mma.cl (after its settings),
// attention_common.cl, and defines D and DV (multiples of 16 up to 128: query/key and value head
// dims), CAUSAL, MASK and DROPOUT. Q, K, V and dO rows move by cp.async: their last stride is 1,
// their other strides and offsets multiples of 8 elements (the host checks). Past head dim 64 the
// backward takes half as many streaming rows per step (NB), so that local memory and registers
// hold them.

#define BQ 64   // queries per block
#define BKV 64  // keys per block
#define THREADS 128
#define PD (D / 8)  // 16-byte chunks per row of a Q or K tile
#define PDV (DV / 8)
#if D > 64 || DV > 64
#define NB 32  // keys per step of the dQ kernel, queries per step of the dK/dV kernel
#else
#define NB 64
#endif
#define LOG2E 1.4426950408889634f
#define LN2 0.6931471805599453f
#if D % 16 != 0 || DV % 16 != 0
#error "attention_mma.cl: head dims must be multiples of 16"
#endif

// cp.async of `rows` rows r0.. of the (b, h) matrix p (per_row chunks each) into tile L; rows at
// or past n become zeros.
inline void copy_rows(__local ushort* L, int rows, int per_row, __global const T* p, ulong off, long4 st, long b,
                      long h, long r0, long n, int tid) {
  __global const ushort* base = (__global const ushort*)p + off + b * st.s0 + h * st.s1;
  for (int c = tid; c < rows * per_row; c += THREADS) {
    const int i = c / per_row, ch = c % per_row;
    const bool in = r0 + i < n;
    cp_async16(L + chunk_at(i, ch, per_row), in ? base + (r0 + i) * st.s2 + ch * 8 : base, in ? 16 : 0);
  }
}

// The tile product acc[j] (16 x 8 tiles j = 0..n/8) += (this warp's 16 rows: A_OF(kk) is the A
// fragment of depth kk * 16..) times the tile L (per_row chunks a row), kept [n][k] (FRAG_B
// frag_b_nk) or [k][n] (frag_b_kn): rows x k by k x n.
#define PRODUCT(acc, A_OF, FRAG_B, L, per_row, n, k, lane)                       \
  MMA_UNROLL for (int kk = 0; kk < (k) / 16; ++kk) {                             \
    const uint4 fa = A_OF(kk);                                                   \
    MMA_UNROLL for (int jj = 0; jj < (n) / 16; ++jj) {                           \
      const uint4 fb = FRAG_B(L, per_row, jj * 16, kk * 16, lane);               \
      MMA16816(acc[2 * jj], fa, fb.x, fb.y);                                     \
      MMA16816(acc[2 * jj + 1], fa, fb.z, fb.w);                                 \
    }                                                                            \
  }
#define PRODUCT_NK(acc, A_OF, L, per_row, n, k, lane) PRODUCT(acc, A_OF, frag_b_nk, L, per_row, n, k, lane)
#define PRODUCT_KN(acc, A_OF, L, per_row, n, k, lane) PRODUCT(acc, A_OF, frag_b_kn, L, per_row, n, k, lane)
// A fragments from registers (arrays of them) or from a local tile kept [rows][k].
#define QF(kk) qf[kk]
#define DF(kk) df[kk]
#define PF(kk) pf[kk]
#define SF(kk) sf[kk]
#define KL(kk) frag_a_rk(Ks, PD, warp * 16, (kk) * 16, lane)
#define VL(kk) frag_a_rk(Vs, PDV, warp * 16, (kk) * 16, lane)
// Accumulator tiles 2 t and 2 t + 1 (16 x 16 of floats) as an A fragment of 16-bit values.
#define AS_FRAG(f, acc, t)                                                       \
  f = (uint4)(cvt2(acc[2 * (t)][0], acc[2 * (t)][1]), cvt2(acc[2 * (t)][2], acc[2 * (t)][3]), \
              cvt2(acc[2 * (t) + 1][0], acc[2 * (t) + 1][1]), cvt2(acc[2 * (t) + 1][2], acc[2 * (t) + 1][3]))
#define ZERO(acc, n)                                                             \
  MMA_UNROLL for (int i_ = 0; i_ < (n); ++i_)                             \
    MMA_UNROLL for (int c_ = 0; c_ < 4; ++c_) acc[i_][c_] = 0.0f;

// Stores tiles acc[0..cols/8] of this warp's rows (row0 + grp, + 8) times `mul` to the (b, h)
// matrix p, rows past n skipped.
inline void store_rows(__global T* p, ulong off, long4 st, long b, long h, long row0, long n, int cols, float mul,
                       const float (*acc)[4], int lane) {
  const int grp = lane / 4, tig = lane % 4;
  MMA_UNROLL
  for (int r = 0; r < 2; ++r) {
    const long row = row0 + grp + 8 * r;
    if (row >= n) continue;
    MMA_UNROLL
    for (int j = 0; j < cols / 8; ++j)
      MMA_UNROLL
      for (int c = 0; c < 2; ++c) STORE(p, off + at4(st, b, h, row, j * 8 + 2 * tig + c), mul * acc[j][2 * r + c]);
  }
}

// Forward: BQ queries of one (batch, head) per work-group, 16 per warp.
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void attn_mma_fwd(ATTN_FWD_ARGS) {
  MMA_SCRATCH
  __local ushort Ks[BKV * D] __attribute__((aligned(16)));
  __local ushort Vs[BKV * DV] __attribute__((aligned(16)));
  // causal blocks late in the sequence do the most work: they go first
  const long tiles = (L + BQ - 1) / BQ, g = get_group_id(0), bh = g / tiles;
  const long q0 = (CAUSAL ? tiles - 1 - g % tiles : g % tiles) * BQ;
  const long b = bh / H, h = bh % H, hk = h / group;
  const int tid = get_local_id(0), warp = tid / 32, lane = tid % 32, grp = lane / 4, tig = lane % 4;
  const long row0 = q0 + warp * 16;

  copy_rows(Ks, BQ, PD, q, q_off, q_st, b, h, q0, L, tid);  // Q passes through K's tile
  cp_async_commit();
  cp_async_wait_all();
  barrier(CLK_LOCAL_MEM_FENCE);
  uint4 qf[D / 16];
  MMA_UNROLL
  for (int kk = 0; kk < D / 16; ++kk) qf[kk] = frag_a_rk(Ks, PD, warp * 16, kk * 16, lane);
  barrier(CLK_LOCAL_MEM_FENCE);

  float acc[DV / 8][4], mx[2] = {-INFINITY, -INFINITY}, sum[2] = {0.0f, 0.0f};
  ZERO(acc, DV / 8)
  const long kv_end = CAUSAL ? min(S, q0 + BQ) : S;
  if (kv_end > 0) copy_rows(Ks, BKV, PD, k, k_off, k_st, b, hk, 0, S, tid);
  cp_async_commit();
  for (long k0 = 0; k0 < kv_end; k0 += BKV) {
    cp_async_wait_all();  // this block's keys have landed
    barrier(CLK_LOCAL_MEM_FENCE);  // for everyone, and everyone is done with the previous values
    copy_rows(Vs, BKV, PDV, v, v_off, v_st, b, hk, k0, S, tid);
    cp_async_commit();
    float s[BKV / 8][4];
    ZERO(s, BKV / 8)
    PRODUCT_NK(s, QF, Ks, PD, BKV, D, lane)
    MMA_UNROLL
    for (int r = 0; r < 2; ++r) {  // online softmax of rows grp + 8 r
      const long qi = row0 + grp + 8 * r;
      float m = mx[r];
      MMA_UNROLL
      for (int j = 0; j < BKV / 8; ++j)
        MMA_UNROLL
        for (int c = 0; c < 2; ++c) {
          const long kj = k0 + j * 8 + 2 * tig + c;
          s[j][2 * r + c] = LOG2E * masked(s[j][2 * r + c], scale, qi, kj, L, S, mask, m_off, m_st, b, h);
          m = fmax(m, s[j][2 * r + c]);
        }
      m = fmax(m, shfl_xor(m, 1));
      m = fmax(m, shfl_xor(m, 2));
      const float base = m == -INFINITY ? 0.0f : m, alpha = native_exp2(mx[r] - base);
      mx[r] = m;
      float part = 0.0f;
      MMA_UNROLL
      for (int j = 0; j < BKV / 8; ++j)
        MMA_UNROLL
        for (int c = 0; c < 2; ++c) {
          float p = native_exp2(s[j][2 * r + c] - base);
          part += p;
#if DROPOUT
          p = kept(seed, offset, bh, qi, k0 + j * 8 + 2 * tig + c, L, S, keep) ? p / keep : 0.0f;
#endif
          s[j][2 * r + c] = p;
        }
      sum[r] = sum[r] * alpha + part;
      MMA_UNROLL
      for (int j = 0; j < DV / 8; ++j) {
        acc[j][2 * r] *= alpha;
        acc[j][2 * r + 1] *= alpha;
      }
    }
    uint4 pf[BKV / 16];
    MMA_UNROLL
    for (int t = 0; t < BKV / 16; ++t) AS_FRAG(pf[t], s, t);
    cp_async_wait_all();  // the values have landed
    barrier(CLK_LOCAL_MEM_FENCE);  // for everyone, and everyone is done with the keys
    if (k0 + BKV < kv_end) copy_rows(Ks, BKV, PD, k, k_off, k_st, b, hk, k0 + BKV, S, tid);
    cp_async_commit();
    PRODUCT_KN(acc, PF, Vs, PDV, DV, BKV, lane)
  }
  MMA_UNROLL
  for (int r = 0; r < 2; ++r) {
    sum[r] += shfl_xor(sum[r], 1);
    sum[r] += shfl_xor(sum[r], 2);
    const float inv = sum[r] > 0.0f ? 1.0f / sum[r] : 0.0f;
    MMA_UNROLL
    for (int j = 0; j < DV / 8; ++j) {
      acc[j][2 * r] *= inv;
      acc[j][2 * r + 1] *= inv;
    }
    const long qi = row0 + grp + 8 * r;
    if (tig == 0 && qi < L) lse[lse_off + bh * L + qi] = sum[r] > 0.0f ? (mx[r] + log2(sum[r])) * LN2 : INFINITY;
  }
  store_rows(o, o_off, o_st, b, h, row0, L, DV, 1.0f, acc, lane);
}

// dS of this lane's pairs of a 16-row by `cols`-column block, in place of the scores s (and P
// through the dropout mask in place of dp when WITH_P): P = exp(score - lse), dS = P * (dP -
// delta), dP through the dropout mask. Element (t, c) is query QI and key KJ; LSE2 (logsumexp
// times log2 e) and DELTA are the query's.
#define PAIR_GRADS(s, dp, cols, WITH_P, QI, KJ, LSE2, DELTA, hq, bh)                                    \
  MMA_UNROLL for (int t = 0; t < (cols) / 8; ++t)                                                     \
    MMA_UNROLL for (int c = 0; c < 4; ++c) {                                                          \
      const long qi = QI, kj = KJ;                                                                     \
      const float p = native_exp2(LOG2E * masked(s[t][c], scale, qi, kj, L, S, mask, m_off, m_st, b, hq) - (LSE2)); \
      float d = dp[t][c];                                                                              \
      float pd = p;                                                                                    \
      if (DROPOUT) {                                                                                   \
        const bool z = kept(seed, offset, bh, qi, kj, L, S, keep);                                      \
        pd = z ? p / keep : 0.0f;                                                                      \
        d = z ? d / keep : 0.0f;                                                                       \
      }                                                                                                \
      s[t][c] = p * (d - (DELTA));                                                                     \
      if (WITH_P) dp[t][c] = pd;                                                                       \
    }

// dQ: BQ queries of one (batch, head) per work-group, 16 per warp, over every key that sees them
// (NB per step, two steps' keys and values in flight): dQ = scale * dS @ K. With write_ds, dS
// itself goes to ds_out as in attention.cl.
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void attn_mma_bwd_dq(ATTN_BWD_DQ_ARGS) {
  MMA_SCRATCH
  // two stages of NB keys (values), Q (dO) passing through first
  __local ushort Ks[(2 * NB > BQ ? 2 * NB : BQ) * D] __attribute__((aligned(16)));
  __local ushort Vs[(2 * NB > BQ ? 2 * NB : BQ) * DV] __attribute__((aligned(16)));
  const long tiles = (L + BQ - 1) / BQ, g = get_group_id(0), bh = g / tiles;
  const long q0 = (CAUSAL ? tiles - 1 - g % tiles : g % tiles) * BQ;
  const long b = bh / H, h = bh % H, hk = h / group;
  const int tid = get_local_id(0), warp = tid / 32, lane = tid % 32, grp = lane / 4, tig = lane % 4;
  const long row0 = q0 + warp * 16;

  copy_rows(Ks, BQ, PD, q, q_off, q_st, b, h, q0, L, tid);
  copy_rows(Vs, BQ, PDV, dout, d_off, d_st, b, h, q0, L, tid);
  cp_async_commit();
  cp_async_wait_all();
  barrier(CLK_LOCAL_MEM_FENCE);
  uint4 qf[D / 16], df[DV / 16];
  MMA_UNROLL
  for (int kk = 0; kk < D / 16; ++kk) qf[kk] = frag_a_rk(Ks, PD, warp * 16, kk * 16, lane);
  MMA_UNROLL
  for (int kk = 0; kk < DV / 16; ++kk) df[kk] = frag_a_rk(Vs, PDV, warp * 16, kk * 16, lane);
  float lse2[2], dl[2];
  MMA_UNROLL
  for (int r = 0; r < 2; ++r) {
    const long qi = row0 + grp + 8 * r;
    lse2[r] = qi < L ? LOG2E * lse[lse_off + bh * L + qi] : INFINITY;
    dl[r] = qi < L ? delta[delta_off + bh * L + qi] : 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);

  float acc[D / 8][4];
  ZERO(acc, D / 8)
  const long kv_end = CAUSAL ? min(S, q0 + BQ) : S;
  if (kv_end > 0) {
    copy_rows(Ks, NB, PD, k, k_off, k_st, b, hk, 0, S, tid);
    copy_rows(Vs, NB, PDV, v, v_off, v_st, b, hk, 0, S, tid);
  }
  cp_async_commit();
  for (long k0 = 0, it = 0; k0 < kv_end; k0 += NB, ++it) {
    __local const ushort* Kt = Ks + (it % 2) * NB * D;
    __local const ushort* Vt = Vs + (it % 2) * NB * DV;
    cp_async_wait_all();
    barrier(CLK_LOCAL_MEM_FENCE);  // this step has landed for everyone; the other stage is free
    if (k0 + NB < kv_end) {
      copy_rows(Ks + ((it + 1) % 2) * NB * D, NB, PD, k, k_off, k_st, b, hk, k0 + NB, S, tid);
      copy_rows(Vs + ((it + 1) % 2) * NB * DV, NB, PDV, v, v_off, v_st, b, hk, k0 + NB, S, tid);
    }
    cp_async_commit();
    float s[NB / 8][4], dp[NB / 8][4];
    ZERO(s, NB / 8)
    ZERO(dp, NB / 8)
    PRODUCT_NK(s, QF, Kt, PD, NB, D, lane)
    PRODUCT_NK(dp, DF, Vt, PDV, NB, DV, lane)
    PAIR_GRADS(s, dp, NB, 0, row0 + grp + 8 * (c / 2), k0 + t * 8 + 2 * tig + c % 2, lse2[c / 2], dl[c / 2], h, bh)
    if (write_ds)
      MMA_UNROLL
      for (int t = 0; t < NB / 8; ++t)
        MMA_UNROLL
        for (int c = 0; c < 4; ++c) {
          const long qi = row0 + grp + 8 * (c / 2), kj = k0 + t * 8 + 2 * tig + c % 2;
          if (qi < L && kj < S) ds_out[ds_off + (bh * L + qi) * S + kj] = s[t][c];
        }
    uint4 sf[NB / 16];
    MMA_UNROLL
    for (int t = 0; t < NB / 16; ++t) AS_FRAG(sf[t], s, t);
    PRODUCT_KN(acc, SF, Kt, PD, D, NB, lane)
  }
  store_rows(dq, dq_off, dq_st, b, h, row0, L, D, scale, acc, lane);
}

// dK and dV: BKV keys of one (batch, key head) per work-group, 16 per warp, over the `group` query
// heads sharing it and every query that sees these keys (NB per step): dV = P^T @ dO (P through
// the dropout mask), dK = scale * dS^T @ Q. The scores are computed transposed (keys as rows:
// K Q^T, V dO^T), so P^T and dS^T are the A fragments of those products. K and V stay in local
// memory (their fragments in registers would leave too few beside dK's and dV's accumulators).
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void attn_mma_bwd_dkv(ATTN_BWD_DKV_ARGS) {
  MMA_SCRATCH
  __local ushort Ks[BKV * D] __attribute__((aligned(16)));
  __local ushort Vs[BKV * DV] __attribute__((aligned(16)));
  __local ushort Qs[NB * D] __attribute__((aligned(16)));
  __local ushort dOs[NB * DV] __attribute__((aligned(16)));
  const long Hk = H / group, tiles = (S + BKV - 1) / BKV, g = get_group_id(0), bhk = g / tiles;
  const long k0 = (g % tiles) * BKV, b = bhk / Hk, hk = bhk % Hk;
  const int tid = get_local_id(0), warp = tid / 32, lane = tid % 32, grp = lane / 4, tig = lane % 4;
  const long key0 = k0 + warp * 16;

  copy_rows(Ks, BKV, PD, k, k_off, k_st, b, hk, k0, S, tid);
  copy_rows(Vs, BKV, PDV, v, v_off, v_st, b, hk, k0, S, tid);
  cp_async_commit();  // waited for with the first step's copies

  float acc_k[D / 8][4], acc_v[DV / 8][4];
  ZERO(acc_k, D / 8)
  ZERO(acc_v, DV / 8)
  const long q_begin = CAUSAL ? (k0 / NB) * NB : 0;
  for (long hq = hk * group; hq < (hk + 1) * group; ++hq) {
    const long bh = b * H + hq;
    __global const float* lse_h = lse + lse_off + bh * L;
    __global const float* dl_h = delta + delta_off + bh * L;
    for (long q0 = q_begin; q0 < L; q0 += NB) {
      barrier(CLK_LOCAL_MEM_FENCE);  // everyone is done with the previous step
      copy_rows(Qs, NB, PD, q, q_off, q_st, b, hq, q0, L, tid);
      copy_rows(dOs, NB, PDV, dout, d_off, d_st, b, hq, q0, L, tid);
      cp_async_commit();
      cp_async_wait_all();
      barrier(CLK_LOCAL_MEM_FENCE);
      float s[NB / 8][4], dp[NB / 8][4];
      ZERO(s, NB / 8)
      ZERO(dp, NB / 8)
      PRODUCT_NK(s, KL, Qs, PD, NB, D, lane)
      PRODUCT_NK(dp, VL, dOs, PDV, NB, DV, lane)
      PAIR_GRADS(s, dp, NB, 1, q0 + t * 8 + 2 * tig + c % 2, key0 + grp + 8 * (c / 2),
                 qi < L ? LOG2E * lse_h[qi] : INFINITY, qi < L ? dl_h[qi] : 0.0f, hq, bh)
      uint4 pf[NB / 16], sf[NB / 16];
      MMA_UNROLL
      for (int t = 0; t < NB / 16; ++t) {
        AS_FRAG(pf[t], dp, t);
        AS_FRAG(sf[t], s, t);
      }
      PRODUCT_KN(acc_v, PF, dOs, PDV, DV, NB, lane)
      PRODUCT_KN(acc_k, SF, Qs, PD, D, NB, lane)
    }
  }
  cp_async_wait_all();  // (keys no query sees skip the loop)
  store_rows(dk, dk_off, dk_st, b, hk, key0, S, D, scale, acc_k, lane);
  store_rows(dv, dv_off, dv_st, b, hk, key0, S, DV, 1.0f, acc_v, lane);
}
