// Fused scaled-dot-product attention on tensor cores (NVIDIA, compute capability 8.0+): the flash
// attention of attention.cl (same arguments, same masking, dropout and logsumexp) with its tile
// products on mma.sync. Each warp owns 16 rows of the block (queries in the forward and dQ
// kernels, keys in the dK/dV kernel) and keeps the fixed operand of its rows in registers as mma
// fragments, so local memory holds only the tiles that stream past. The forward's work-group is
// FWD_WARPS warps (eight for head dims over 64: 128 queries, each key and value tile streamed from
// L2 serves 128 rows; four up to 64: more, smaller groups per unit), the backward kernels' four. The scores
// stay in mma's accumulator layout: a lane holds rows grp and grp + 8 of each 16 x 8 tile, columns
// 2 tig and 2 tig + 1, so a row's max and sum reduce over the four lanes of a quad, and the 16-bit
// probabilities are the A fragments of the next product without leaving registers. Softmax runs
// in base 2 (scores times log2 e). Masking (causal, sequence ends, masks) is applied only to the
// tiles that need it.
//
// The host prepends random.cl, typed_source's T, LOAD and STORE, mma.cl (after its settings),
// attention_common.cl, and defines D and DV (multiples of 16 up to 128: query/key and value head
// dims), CAUSAL, MASK and DROPOUT. Q, K, V and dO rows move by cp.async: their last stride is 1,
// their other strides and offsets multiples of 8 elements (the host checks). Past head dim 64
// every kernel takes fewer streaming rows per step (BKVF, NB, NBQ), so that local memory and
// registers hold them.

#ifndef FWD_WARPS
#define FWD_WARPS 8  // the host's choice: 8 or 4
#endif
#define FWD_THREADS (32 * FWD_WARPS)
#define BQF (16 * FWD_WARPS)  // queries per forward block
#define BWD_THREADS 128
#define BQ 64   // queries per dQ block
#define BKV 64  // keys per dK/dV block
#if D > 64 || DV > 64
#define BKVF 32  // keys per forward step (two stages in flight)
#else
#define BKVF 64
#endif
#define THREADS FWD_THREADS  // the most work-items of any kernel here (mma.cl's emulation scratch)
#define PD (D / 8)  // 16-byte chunks per row of a Q or K tile
#define PDV (DV / 8)
#if D > 64 || DV > 64
#define NB 32   // keys per step of the dQ kernel
#ifndef NBQ
#define NBQ 16  // queries per step of the dK/dV kernel (two steps in flight)
#endif
#else
#define NB 64
#ifndef NBQ
#define NBQ 32
#endif
#endif
#define LOG2E 1.4426950408889634f
#define LN2 0.6931471805599453f
#if D % 16 != 0 || DV % 16 != 0
#error "attention_mma.cl: head dims must be multiples of 16"
#endif

// cp.async of `rows` rows r0.. of the (b, h) matrix p (per_row chunks each) into tile L by `threads`
// work-items; rows at or past n become zeros.
inline void copy_rows(__local ushort* L, int rows, int per_row, __global const T* p, ulong off, long4 st, long b,
                      long h, long r0, long n, int tid, int threads) {
  __global const ushort* base = (__global const ushort*)p + off + b * st.s0 + h * st.s1;
  for (int c = tid; c < rows * per_row; c += threads) {
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

// Forward: BQF queries of one (batch, head) per work-group, 16 per warp. Q passes through the
// key/value tiles' local memory into registers; then each step of BKVF keys computes S = Q K^T
// and O += P V while the next step's keys and values land (two stages, one barrier per step).
#define FWD_TILE (BQF * D > 2 * BKVF * (D + DV) ? BQF * D : 2 * BKVF * (D + DV))
__kernel __attribute__((reqd_work_group_size(FWD_THREADS, 1, 1))) void attn_mma_fwd(ATTN_FWD_ARGS) {
  MMA_SCRATCH
  __local ushort KV[FWD_TILE] __attribute__((aligned(16)));
  // causal blocks late in the sequence do the most work: they go first
  const long tiles = (L + BQF - 1) / BQF, g = get_group_id(0), bh = g / tiles;
  const long q0 = (CAUSAL ? tiles - 1 - g % tiles : g % tiles) * BQF;
  const long b = bh / H, h = bh % H, hk = h / group;
  const int tid = get_local_id(0), warp = tid / 32, lane = tid % 32, grp = lane / 4, tig = lane % 4;
  const long row0 = q0 + warp * 16;
  const float scale2 = scale * LOG2E;

  copy_rows(KV, BQF, PD, q, q_off, q_st, b, h, q0, L, tid, FWD_THREADS);
  cp_async_commit();
  cp_async_wait_all();
  barrier(CLK_LOCAL_MEM_FENCE);
  uint4 qf[D / 16];
  MMA_UNROLL
  for (int kk = 0; kk < D / 16; ++kk) qf[kk] = frag_a_rk(KV, PD, warp * 16, kk * 16, lane);
  barrier(CLK_LOCAL_MEM_FENCE);

  float acc[DV / 8][4], mx[2] = {-INFINITY, -INFINITY}, sum[2] = {0.0f, 0.0f};
  ZERO(acc, DV / 8)
  const long kv_end = CAUSAL ? min(S, q0 + BQF) : S;
  // stage st: keys at KV + st * BKVF * (D + DV), their values after them
#define FWD_COPY(st, k0_)                                                                                 \
  {                                                                                                       \
    __local ushort* Kst = KV + (st) * BKVF * (D + DV);                                                    \
    copy_rows(Kst, BKVF, PD, k, k_off, k_st, b, hk, k0_, S, tid, FWD_THREADS);                             \
    copy_rows(Kst + BKVF * D, BKVF, PDV, v, v_off, v_st, b, hk, k0_, S, tid, FWD_THREADS);                 \
  }
  if (kv_end > 0) FWD_COPY(0, 0)
  cp_async_commit();
  for (long k0 = 0, it = 0; k0 < kv_end; k0 += BKVF, ++it) {
    cp_async_wait_all();  // this step's keys and values have landed
    barrier(CLK_LOCAL_MEM_FENCE);  // for everyone, and everyone is done with the other stage
    if (k0 + BKVF < kv_end) FWD_COPY((it + 1) % 2, k0 + BKVF)
    cp_async_commit();
    __local const ushort* Ks = KV + (it % 2) * BKVF * (D + DV);
    __local const ushort* Vs = Ks + BKVF * D;
    float s[BKVF / 8][4];
    ZERO(s, BKVF / 8)
    PRODUCT_NK(s, QF, Ks, PD, BKVF, D, lane)
    // the tile needs masking when it has a mask, keys past S, or keys after some of this warp's
    // queries (rows past L are computed unmasked and never stored)
    if (MASK || k0 + BKVF > S || (CAUSAL && k0 + BKVF - 1 > row0)) {
      MMA_UNROLL
      for (int j = 0; j < BKVF / 8; ++j)
        MMA_UNROLL
        for (int c = 0; c < 4; ++c)
          s[j][c] = LOG2E * masked(s[j][c], scale, row0 + grp + 8 * (c / 2), k0 + j * 8 + 2 * tig + c % 2, L, S,
                                   mask, m_off, m_st, b, h);
    } else {
      MMA_UNROLL
      for (int j = 0; j < BKVF / 8; ++j)
        MMA_UNROLL
        for (int c = 0; c < 4; ++c) s[j][c] *= scale2;
    }
    MMA_UNROLL
    for (int r = 0; r < 2; ++r) {  // online softmax of rows grp + 8 r
      float m = mx[r];
      MMA_UNROLL
      for (int j = 0; j < BKVF / 8; ++j) m = fmax(m, fmax(s[j][2 * r], s[j][2 * r + 1]));
      m = fmax(m, shfl_xor(m, 1));
      m = fmax(m, shfl_xor(m, 2));
      const float base = m == -INFINITY ? 0.0f : m, alpha = native_exp2(mx[r] - base);
      mx[r] = m;
      float part = 0.0f;
      MMA_UNROLL
      for (int j = 0; j < BKVF / 8; ++j)
        MMA_UNROLL
        for (int c = 0; c < 2; ++c) {
          const float p = native_exp2(s[j][2 * r + c] - base);
          part += p;
          s[j][2 * r + c] = p;
        }
      sum[r] = sum[r] * alpha + part;
      MMA_UNROLL
      for (int j = 0; j < DV / 8; ++j) {
        acc[j][2 * r] *= alpha;
        acc[j][2 * r + 1] *= alpha;
      }
    }
#if DROPOUT
    // s[j][2 r + c] is query row0 + grp + 8 r, key k0 + 8 j + 2 tig + c: tiles j and j + 1 (j
    // even), rows grp, grp + 8 and c = 0, 1 hold the eight pairs of one Philox block
    const float inv_keep = 1.0f / keep;  // the kept values' scale
    MMA_UNROLL
    for (int jj = 0; jj < BKVF / 16; ++jj) {
      const long qi = row0 + grp, kj = k0 + jj * 16 + 2 * tig;
      const uint4 rnd = drop_block(seed, offset, bh, qi, kj, L, S);
      MMA_UNROLL
      for (int c = 0; c < 2; ++c)
        MMA_UNROLL
        for (int e = 0; e < 4; ++e) {
          float* p = &s[2 * jj + e % 2][c + 2 * (e / 2)];
          *p = kept_in(rnd, qi + 8 * (e / 2), kj + c + 8 * (e % 2), keep) ? *p * inv_keep : 0.0f;
        }
    }
#endif
    uint4 pf[BKVF / 16];
    MMA_UNROLL
    for (int t = 0; t < BKVF / 16; ++t) AS_FRAG(pf[t], s, t);
    PRODUCT_KN(acc, PF, Vs, PDV, DV, BKVF, lane)
  }
#undef FWD_COPY
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
// times log2 e) and DELTA are the query's. EDGE: the block needs masking (else the scores are
// only scaled). Elements (t, c), (t + 1, c), (t, c + 2), (t + 1, c + 2) for even t and c < 2 are
// four pairs of one dropout block (drop_block), drawn once; SHARED: c = 0 and c = 1 (a key pair)
// share that block too (the dQ kernel's layout), so it is drawn once for all eight.
#define PAIR_GRADS(s, dp, cols, WITH_P, EDGE, QI, KJ, LSE2, DELTA, hq, bh, SHARED)                      \
  MMA_UNROLL for (int tt = 0; tt < (cols) / 16; ++tt) {                                               \
    uint4 rnd = (uint4)(0);                                                                            \
    MMA_UNROLL for (int cc = 0; cc < 2; ++cc) {                                                       \
      if (DROPOUT && (cc == 0 || !(SHARED))) {                                                         \
        const int t = 2 * tt, c = cc;                                                                  \
        rnd = drop_block(seed, offset, bh, QI, KJ, L, S);                                              \
      }                                                                                                \
      MMA_UNROLL for (int e = 0; e < 4; ++e) {                                                         \
        const int t = 2 * tt + e % 2, c = cc + 2 * (e / 2);                                            \
        const long qi = QI, kj = KJ;                                                                   \
        const float x = (EDGE) ? LOG2E * masked(s[t][c], scale, qi, kj, L, S, mask, m_off, m_st, b, hq) \
                               : s[t][c] * scale2;                                                     \
        const float p = native_exp2(x - (LSE2));                                                       \
        float d = dp[t][c];                                                                            \
        float pd = p;                                                                                  \
        if (DROPOUT) {                                                                                 \
          const float inv_keep = 1.0f / keep;                                                          \
          const bool z = kept_in(rnd, qi, kj, keep);                                                   \
          pd = z ? p * inv_keep : 0.0f;                                                                \
          d = z ? d * inv_keep : 0.0f;                                                                 \
        }                                                                                              \
        s[t][c] = p * (d - (DELTA));                                                                   \
        if (WITH_P) dp[t][c] = pd;                                                                     \
      }                                                                                                \
    }                                                                                                  \
  }

// dQ: BQ queries of one (batch, head) per work-group, 16 per warp, over every key that sees them
// (NB per step, two steps' keys and values in flight): dQ = scale * dS @ K. With write_ds, dS
// itself goes to ds_out as in attention.cl.
__kernel __attribute__((reqd_work_group_size(BWD_THREADS, 1, 1))) void attn_mma_bwd_dq(ATTN_BWD_DQ_ARGS) {
  MMA_SCRATCH
  // two stages of NB keys (values), Q (dO) passing through first
  __local ushort Ks[(2 * NB > BQ ? 2 * NB : BQ) * D] __attribute__((aligned(16)));
  __local ushort Vs[(2 * NB > BQ ? 2 * NB : BQ) * DV] __attribute__((aligned(16)));
  const long tiles = (L + BQ - 1) / BQ, g = get_group_id(0), bh = g / tiles;
  const long q0 = (CAUSAL ? tiles - 1 - g % tiles : g % tiles) * BQ;
  const long b = bh / H, h = bh % H, hk = h / group;
  const int tid = get_local_id(0), warp = tid / 32, lane = tid % 32, grp = lane / 4, tig = lane % 4;
  const long row0 = q0 + warp * 16;
  const float scale2 = scale * LOG2E;

  copy_rows(Ks, BQ, PD, q, q_off, q_st, b, h, q0, L, tid, BWD_THREADS);
  copy_rows(Vs, BQ, PDV, dout, d_off, d_st, b, h, q0, L, tid, BWD_THREADS);
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
    copy_rows(Ks, NB, PD, k, k_off, k_st, b, hk, 0, S, tid, BWD_THREADS);
    copy_rows(Vs, NB, PDV, v, v_off, v_st, b, hk, 0, S, tid, BWD_THREADS);
  }
  cp_async_commit();
  for (long k0 = 0, it = 0; k0 < kv_end; k0 += NB, ++it) {
    __local const ushort* Kt = Ks + (it % 2) * NB * D;
    __local const ushort* Vt = Vs + (it % 2) * NB * DV;
    cp_async_wait_all();
    barrier(CLK_LOCAL_MEM_FENCE);  // this step has landed for everyone; the other stage is free
    if (k0 + NB < kv_end) {
      copy_rows(Ks + ((it + 1) % 2) * NB * D, NB, PD, k, k_off, k_st, b, hk, k0 + NB, S, tid, BWD_THREADS);
      copy_rows(Vs + ((it + 1) % 2) * NB * DV, NB, PDV, v, v_off, v_st, b, hk, k0 + NB, S, tid, BWD_THREADS);
    }
    cp_async_commit();
    float s[NB / 8][4], dp[NB / 8][4];
    ZERO(s, NB / 8)
    ZERO(dp, NB / 8)
    PRODUCT_NK(s, QF, Kt, PD, NB, D, lane)
    PRODUCT_NK(dp, DF, Vt, PDV, NB, DV, lane)
    // keys past S need no mask here: their rows of K are zeros, and dS is written only below S
    if (MASK || (CAUSAL && k0 + NB - 1 > row0)) {
      PAIR_GRADS(s, dp, NB, 0, 1, row0 + grp + 8 * (c / 2), k0 + t * 8 + 2 * tig + c % 2, lse2[c / 2], dl[c / 2],
                 h, bh, 1)
    } else {
      PAIR_GRADS(s, dp, NB, 0, 0, row0 + grp + 8 * (c / 2), k0 + t * 8 + 2 * tig + c % 2, lse2[c / 2], dl[c / 2],
                 h, bh, 1)
    }
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
// heads sharing it and every query that sees these keys (NBQ per step, two steps of Q and dO in
// flight): dV = P^T @ dO (P through the dropout mask), dK = scale *
// dS^T @ Q. The scores are computed transposed (keys as rows: K Q^T, V dO^T), so P^T and dS^T are
// the A fragments of those products. K and V stay in local memory (their fragments in registers
// would leave too few beside dK's and dV's accumulators).
// With fuse_dq the kernel computes dQ too, as flash attention 2 does, instead of the dQ kernel
// recomputing the scores and dP: each step puts dS^T (keys x queries, 16-bit) in local memory,
// the warps split the step's dQ = scale * dS @ K (NBQ x D) into 16 x 16 units, and add them into
// dq_acc (float, [batch x head][L][D], zeroed by the host) with atomic adds; the order of the adds
// varies, so dQ is not bitwise reproducible (the host keeps the dQ kernel for deterministic runs,
// and where the device lacks 16-byte atomic adds).
// Where local memory has no room for dS^T beside the stages (head dims past 64), it takes the
// place of the step's dO tile once dV's product has read it.
#define DS_OVERLAY (2 * (BKV + 2 * NBQ) * (D + DV) + 2 * NBQ * BKV > 48 * 1024)
#if DS_OVERLAY && DV < BKV
#error "attention_mma.cl: dS^T takes the place of a dO tile narrower than it"
#endif
#define DQ_UNITS ((NBQ / 16) * (D / 16))  // 16 x 16 units of a step's dQ
__kernel __attribute__((reqd_work_group_size(BWD_THREADS, 1, 1))) void attn_mma_bwd_dkv(ATTN_BWD_DKV_ARGS,
                                                                                       __global float* dq_acc,
                                                                                       ulong dqa_off, int fuse_dq) {
  MMA_SCRATCH
  __local ushort Ks[BKV * D] __attribute__((aligned(16)));
  __local ushort Vs[BKV * DV] __attribute__((aligned(16)));
  __local ushort Qs[2 * NBQ * D] __attribute__((aligned(16)));
  __local ushort dOs[2 * NBQ * DV] __attribute__((aligned(16)));
#if !DS_OVERLAY
  __local ushort dSs[BKV * NBQ] __attribute__((aligned(16)));
#endif
  const long Hk = H / group, tiles = (S + BKV - 1) / BKV, g = get_group_id(0), bhk = g / tiles;
  const long k0 = (g % tiles) * BKV, b = bhk / Hk, hk = bhk % Hk;
  const int tid = get_local_id(0), warp = tid / 32, lane = tid % 32, grp = lane / 4, tig = lane % 4;
  const long key0 = k0 + warp * 16;
  const float scale2 = scale * LOG2E;

  // the steps: every (query head of the group, block of NBQ queries that sees these keys)
  const long q_begin = CAUSAL ? (k0 / NBQ) * NBQ : 0, per_head = L > q_begin ? (L - q_begin + NBQ - 1) / NBQ : 0;
  const long steps = group * per_head;
  // copies step i's Q and dO rows into stage st
#define DKV_COPY(i, st)                                                                                   \
  {                                                                                                       \
    const long hq_ = hk * group + (i) / per_head, q0_ = q_begin + ((i) % per_head) * NBQ;                 \
    copy_rows(Qs + (st) * NBQ * D, NBQ, PD, q, q_off, q_st, b, hq_, q0_, L, tid, BWD_THREADS);            \
    copy_rows(dOs + (st) * NBQ * DV, NBQ, PDV, dout, d_off, d_st, b, hq_, q0_, L, tid, BWD_THREADS);      \
  }
  copy_rows(Ks, BKV, PD, k, k_off, k_st, b, hk, k0, S, tid, BWD_THREADS);
  copy_rows(Vs, BKV, PDV, v, v_off, v_st, b, hk, k0, S, tid, BWD_THREADS);
  if (steps > 0) DKV_COPY(0, 0)
  cp_async_commit();

  float acc_k[D / 8][4], acc_v[DV / 8][4];
  ZERO(acc_k, D / 8)
  ZERO(acc_v, DV / 8)
  for (long i = 0; i < steps; ++i) {
    const int st = (int)(i % 2);
    const long hq = hk * group + i / per_head, q0 = q_begin + (i % per_head) * NBQ, bh = b * H + hq;
    cp_async_wait_all();
    barrier(CLK_LOCAL_MEM_FENCE);  // step i has landed for everyone; the other stage is free
    if (i + 1 < steps) DKV_COPY(i + 1, 1 - st)
    cp_async_commit();
    __local const ushort* Qt = Qs + st * NBQ * D;
    __local const ushort* dOt = dOs + st * NBQ * DV;
    float lq[NBQ / 4], dlq[NBQ / 4];  // logsumexp times log2 e, and delta, of this lane's queries
    MMA_UNROLL
    for (int j = 0; j < NBQ / 4; ++j) {
      const long qi = q0 + (j / 2) * 8 + 2 * tig + j % 2;
      lq[j] = qi < L ? LOG2E * lse[lse_off + bh * L + qi] : INFINITY;
      dlq[j] = qi < L ? delta[delta_off + bh * L + qi] : 0.0f;
    }
    float s[NBQ / 8][4], dp[NBQ / 8][4];
    ZERO(s, NBQ / 8)
    ZERO(dp, NBQ / 8)
    PRODUCT_NK(s, KL, Qt, PD, NBQ, D, lane)
    PRODUCT_NK(dp, VL, dOt, PDV, NBQ, DV, lane)
    // queries past L need no mask: their logsumexp is +inf (P = 0); keys past S are never stored
    if (MASK || (CAUSAL && key0 + 15 > q0)) {
      PAIR_GRADS(s, dp, NBQ, 1, 1, q0 + t * 8 + 2 * tig + c % 2, key0 + grp + 8 * (c / 2),
                 lq[2 * t + c % 2], dlq[2 * t + c % 2], hq, bh, 0)
    } else {
      PAIR_GRADS(s, dp, NBQ, 1, 0, q0 + t * 8 + 2 * tig + c % 2, key0 + grp + 8 * (c / 2),
                 lq[2 * t + c % 2], dlq[2 * t + c % 2], hq, bh, 0)
    }
    uint4 pf[NBQ / 16], sf[NBQ / 16];
    MMA_UNROLL
    for (int t = 0; t < NBQ / 16; ++t) {
      AS_FRAG(pf[t], dp, t);
      AS_FRAG(sf[t], s, t);
    }
    PRODUCT_KN(acc_v, PF, dOt, PDV, DV, NBQ, lane)
    if (fuse_dq) {
#if DS_OVERLAY
      barrier(CLK_LOCAL_MEM_FENCE);  // everyone is done with dO's tile
      __local ushort* dSt = (__local ushort*)dOt;
#else
      __local ushort* dSt = dSs;
#endif
      // dS^T kept [key][query]: sf[t] holds keys grp, grp + 8 of queries 16 t + 2 tig (+ 1) and + 8
      MMA_UNROLL
      for (int t = 0; t < NBQ / 16; ++t)
        MMA_UNROLL
        for (int e = 0; e < 4; ++e) {
          const int key = warp * 16 + grp + 8 * (e % 2), qq = 16 * t + 8 * (e / 2) + 2 * tig;
          const uint pair = e == 0 ? sf[t].x : e == 1 ? sf[t].y : e == 2 ? sf[t].z : sf[t].w;
          *(__local uint*)(dSt + chunk_at(key, qq / 8, NBQ / 8) + qq % 8) = pair;
        }
      PRODUCT_KN(acc_k, SF, Qt, PD, D, NBQ, lane)
      barrier(CLK_LOCAL_MEM_FENCE);  // everyone's dS^T is in place
      // every warp runs the same number of units (the last ones repeat a unit without storing it)
      MMA_UNROLL
      for (int u = 0; u < (DQ_UNITS + 3) / 4; ++u) {
        const int unit = min(warp + 4 * u, DQ_UNITS - 1), qt = unit / (D / 16), ct = unit % (D / 16);
        float part[2][4];
        ZERO(part, 2)
        MMA_UNROLL
        for (int kk = 0; kk < BKV / 16; ++kk) {
          const uint4 fa = frag_a_kr(dSt, NBQ / 8, qt * 16, kk * 16, lane);
          const uint4 fb = frag_b_kn(Ks, PD, ct * 16, kk * 16, lane);
          MMA16816(part[0], fa, fb.x, fb.y);
          MMA16816(part[1], fa, fb.z, fb.w);
        }
        // lanes tig and tig ^ 1 hold columns 4 (tig / 2) + 0..3 of rows grp and grp + 8 between
        // them: the even one takes row grp's four, the odd one row grp + 8's, for one 16-byte add
        const int odd = tig & 1;
        const long qi = q0 + qt * 16 + grp + 8 * odd;
        __global float* at = dq_acc + dqa_off + (bh * L + qi) * D + ct * 16 + 4 * (tig / 2);
        MMA_UNROLL
        for (int j = 0; j < 2; ++j) {
          const float s0 = shfl_xor(odd ? part[j][0] : part[j][2], 1);
          const float s1 = shfl_xor(odd ? part[j][1] : part[j][3], 1);
          const float4 four = odd ? (float4)(s0, s1, part[j][2], part[j][3]) : (float4)(part[j][0], part[j][1], s0, s1);
          if (warp + 4 * u < DQ_UNITS && qi < L) red_add_f32x4(at + 8 * j, scale * four);
        }
      }
    } else {
      PRODUCT_KN(acc_k, SF, Qt, PD, D, NBQ, lane)
    }
  }
#undef DKV_COPY
  cp_async_wait_all();  // (keys no query sees skip the loop)
  store_rows(dk, dk_off, dk_st, b, hk, key0, S, D, scale, acc_k, lane);
  store_rows(dv, dv_off, dv_st, b, hk, key0, S, DV, 1.0f, acc_v, lane);
}
