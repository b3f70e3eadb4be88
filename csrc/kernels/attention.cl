// Fused scaled-dot-product attention, portable (flash attention): an online softmax over blocks of
// keys, so no L x S matrix reaches global memory. Forward: output and the rows' logsumexp.
// Backward: delta (rowsum of dO * O), dQ per block of queries, dK and dV per block of keys (which
// loops over the query heads sharing that key head, so no atomics).
//
// The host prepends random.cl, typed_source's T, LOAD and STORE, attention_common.cl, and: D
// (query/key head dim), DV (value head dim), BQ (queries per work-group or block), BKV (keys per
// block or work-group), THREADS, CAUSAL, MASK, DROPOUT (see attention_common.cl). Tiles live in
// local memory as float, rows padded by one.
// Products over a tile are register-blocked: a work-item takes RI rows (strided by the row groups)
// times a strided set of columns, so each value read from local memory feeds several FMAs.

#define LD (D + 1)
#define LDV (DV + 1)
#define LS (BKV + 1)
#ifndef RI
#define RI 4  // rows per work-item in every register-blocked product
#endif
#define TQ (BQ / RI)         // row groups over a query block
#define CQ (THREADS / TQ)    // work-items per query row group
#define TK (BKV / RI)        // row groups over a key block (dK, dV)
#define CK (THREADS / TK)
#define NCOL(n, c) (((n) + (c) - 1) / (c))
#if BQ % RI != 0 || BKV % RI != 0 || THREADS % TQ != 0 || THREADS % TK != 0
#error "attention.cl: blocks must split into RI-row groups that divide the work-group"
#endif
// Register-blocked dot products: out[r][c] = sum over n of A[(t + r * rows) * lda + n] *
// B[(u + c * cols) * ldb + n] for this work-item's RI rows (t..) and NC columns (u..), columns
// past nb read as 0.
#define DOTS(out, NC, A, lda, t, rows, B, ldb, u, cols, nb, n)                       \
  for (int r = 0; r < RI; ++r)                                                      \
    for (int c = 0; c < NC; ++c) out[r][c] = 0.0f;                                  \
  for (int x = 0; x < (n); ++x) {                                                   \
    float av[RI], bv[NC];                                                           \
    for (int r = 0; r < RI; ++r) av[r] = A[((t) + r * (rows)) * (lda) + x];         \
    for (int c = 0; c < NC; ++c) {                                                  \
      const int col = (u) + c * (cols);                                             \
      bv[c] = col < (nb) ? B[col * (ldb) + x] : 0.0f;                               \
    }                                                                               \
    for (int r = 0; r < RI; ++r)                                                    \
      for (int c = 0; c < NC; ++c) out[r][c] = fma(av[r], bv[c], out[r][c]);        \
  }

// Register-blocked accumulation: acc[r][c] += sum over x < n of P[x * ldp + t + r * rows] (when
// P_T, else P[(t + r * rows) * ldp + x]) * V[x * ldv + u + c * cols], columns past nv skipped.
#define ACCUM(acc, NC, P, ldp, P_T, t, rows, V, ldv, u, cols, nv, n)                     \
  for (int x = 0; x < (n); ++x) {                                                       \
    float pv[RI], vv[NC];                                                               \
    for (int r = 0; r < RI; ++r)                                                        \
      pv[r] = P_T ? P[x * (ldp) + (t) + r * (rows)] : P[((t) + r * (rows)) * (ldp) + x]; \
    for (int c = 0; c < NC; ++c) {                                                      \
      const int col = (u) + c * (cols);                                                 \
      vv[c] = col < (nv) ? V[x * (ldv) + col] : 0.0f;                                   \
    }                                                                                   \
    for (int r = 0; r < RI; ++r)                                                        \
      for (int c = 0; c < NC; ++c) acc[r][c] = fma(pv[r], vv[c], acc[r][c]);            \
  }

// Rows r0.. of a (batch b, head h) matrix into local rows of stride ld (zeros past the end).
inline void load_rows(__local float* dst, int ld, int rows, int cols, __global const T* p, ulong off, long4 st, long b,
                      long h, long r0, long n, int tid) {
  for (int e = tid; e < rows * cols; e += THREADS) {
    const int i = e / cols, c = e % cols;
    dst[i * ld + c] = r0 + i < n ? LOAD(p, off + at4(st, b, h, r0 + i, c)) : 0.0f;
  }
}

// Work-group: BQ queries of one (batch, head). Writes o (B, H, L, DV) and lse (B * H * L floats;
// +INFINITY for a row with no key left, whose output is 0). Work-item (tr, tc): query rows
// tr + r * TQ, key columns and value dims tc + c * CQ.
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void attn_fwd(ATTN_FWD_ARGS) {
  __local float Qs[BQ * LD], KVs[BKV * (LD > LDV ? LD : LDV)], Ss[BQ * LS], m_s[BQ], l_s[BQ], a_s[BQ];
  const long tiles = (L + BQ - 1) / BQ, g = get_group_id(0), bh = g / tiles, q0 = (g % tiles) * BQ;
  const long b = bh / H, h = bh % H, hk = h / group;
  const int tid = get_local_id(0), tr = tid / CQ, tc = tid % CQ;
  load_rows(Qs, LD, BQ, D, q, q_off, q_st, b, h, q0, L, tid);
  if (tid < BQ) {
    m_s[tid] = -INFINITY;
    l_s[tid] = 0.0f;
  }
  float acc[RI][NCOL(DV, CQ)];
  for (int r = 0; r < RI; ++r)
    for (int c = 0; c < NCOL(DV, CQ); ++c) acc[r][c] = 0.0f;
  const long kv_end = CAUSAL ? min(S, q0 + BQ) : S;
  for (long k0 = 0; k0 < kv_end; k0 += BKV) {
    barrier(CLK_LOCAL_MEM_FENCE);  // the previous block's values are read
    load_rows(KVs, LD, BKV, D, k, k_off, k_st, b, hk, k0, S, tid);
    barrier(CLK_LOCAL_MEM_FENCE);
    {
      float dots[RI][NCOL(BKV, CQ)];
      DOTS(dots, NCOL(BKV, CQ), Qs, LD, tr, TQ, KVs, LD, tc, CQ, BKV, D)
      for (int r = 0; r < RI; ++r)
        for (int c = 0; c < NCOL(BKV, CQ); ++c) {
          const int i = tr + r * TQ, j = tc + c * CQ;
          if (j < BKV) Ss[i * LS + j] = masked(dots[r][c], scale, q0 + i, k0 + j, L, S, mask, m_off, m_st, b, h);
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    load_rows(KVs, LDV, BKV, DV, v, v_off, v_st, b, hk, k0, S, tid);
    if (tid < BQ) {  // online softmax of row tid over this block
      const int i = tid;
      float mx = m_s[i];
      for (int j = 0; j < BKV; ++j) mx = fmax(mx, Ss[i * LS + j]);
      const float base = mx == -INFINITY ? 0.0f : mx, alpha = exp(m_s[i] - base);
      float sum = 0.0f;
      for (int j = 0; j < BKV; ++j) {
        float p = exp(Ss[i * LS + j] - base);
        sum += p;
#if DROPOUT
        p = kept(seed, offset, bh, q0 + i, k0 + j, L, S, keep) ? p / keep : 0.0f;
#endif
        Ss[i * LS + j] = p;
      }
      l_s[i] = l_s[i] * alpha + sum;
      m_s[i] = mx;
      a_s[i] = alpha;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int r = 0; r < RI; ++r)
      for (int c = 0; c < NCOL(DV, CQ); ++c) acc[r][c] *= a_s[tr + r * TQ];
    ACCUM(acc, NCOL(DV, CQ), Ss, LS, 0, tr, TQ, KVs, LDV, tc, CQ, DV, BKV)
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int r = 0; r < RI; ++r)
    for (int c = 0; c < NCOL(DV, CQ); ++c) {
      const int i = tr + r * TQ, d = tc + c * CQ;
      if (q0 + i < L && d < DV)
        STORE(o, o_off + at4(o_st, b, h, q0 + i, d), l_s[i] > 0.0f ? acc[r][c] / l_s[i] : 0.0f);
    }
  if (tid < BQ && q0 + tid < L) lse[lse_off + bh * L + q0 + tid] = l_s[tid] > 0.0f ? m_s[tid] + log(l_s[tid]) : INFINITY;
}

// dS for the work-item's pairs of a (query block, key block): P = exp(score - lse), dP = dO . v
// (through the dropout mask), dS = P * (dP - delta) into dSbuf; P (through the mask) into Pbuf
// when WITH_P.
#define PAIR_GRADS(WITH_P, Pbuf, dSbuf, hq, bh)                                                               \
  {                                                                                                      \
    float dots[RI][NCOL(BKV, CQ)], dps[RI][NCOL(BKV, CQ)];                                             \
    DOTS(dots, NCOL(BKV, CQ), Qs, LD, tr, TQ, Ks, LD, tc, CQ, BKV, D)                                    \
    DOTS(dps, NCOL(BKV, CQ), dOs, LDV, tr, TQ, Vs, LDV, tc, CQ, BKV, DV)                                 \
    for (int r = 0; r < RI; ++r)                                                                         \
      for (int c = 0; c < NCOL(BKV, CQ); ++c) {                                                          \
        const int i = tr + r * TQ, j = tc + c * CQ;                                                      \
        if (j >= BKV) continue;                                                                          \
        const float s = masked(dots[r][c], scale, q0 + i, k0 + j, L, S, mask, m_off, m_st, b, hq);      \
        const float p = exp(s - lse_s[i]);                                                               \
        float dp = dps[r][c], pd = p;                                                                    \
        if (DROPOUT) {                                                                                   \
          const bool z = kept(seed, offset, bh, q0 + i, k0 + j, L, S, keep);                              \
          pd = z ? p / keep : 0.0f;                                                                      \
          dp = z ? dp / keep : 0.0f;                                                                     \
        }                                                                                                \
        if (WITH_P) Pbuf[i * LS + j] = pd;                                                                \
        dSbuf[i * LS + j] = p * (dp - dl_s[i]);                                                          \
      }                                                                                                  \
  }

// Work-group: BQ queries of one (batch, head): dQ = scale * dS @ K over all keys. With ds_out
// (write_ds), dS itself is written into (B, H, L, S) floats the host zeroed: the additive mask's
// gradient.
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void attn_bwd_dq(ATTN_BWD_DQ_ARGS) {
  __local float Qs[BQ * LD], dOs[BQ * LDV], Ks[BKV * LD], Vs[BKV * LDV], Ss[BQ * LS], lse_s[BQ], dl_s[BQ];
  const long tiles = (L + BQ - 1) / BQ, g = get_group_id(0), bh = g / tiles, q0 = (g % tiles) * BQ;
  const long b = bh / H, h = bh % H, hk = h / group;
  const int tid = get_local_id(0), tr = tid / CQ, tc = tid % CQ;
  load_rows(Qs, LD, BQ, D, q, q_off, q_st, b, h, q0, L, tid);
  load_rows(dOs, LDV, BQ, DV, dout, d_off, d_st, b, h, q0, L, tid);
  if (tid < BQ) {
    lse_s[tid] = q0 + tid < L ? lse[lse_off + bh * L + q0 + tid] : INFINITY;
    dl_s[tid] = q0 + tid < L ? delta[delta_off + bh * L + q0 + tid] : 0.0f;
  }
  float acc[RI][NCOL(D, CQ)];
  for (int r = 0; r < RI; ++r)
    for (int c = 0; c < NCOL(D, CQ); ++c) acc[r][c] = 0.0f;
  const long kv_end = CAUSAL ? min(S, q0 + BQ) : S;
  for (long k0 = 0; k0 < kv_end; k0 += BKV) {
    barrier(CLK_LOCAL_MEM_FENCE);
    load_rows(Ks, LD, BKV, D, k, k_off, k_st, b, hk, k0, S, tid);
    load_rows(Vs, LDV, BKV, DV, v, v_off, v_st, b, hk, k0, S, tid);
    barrier(CLK_LOCAL_MEM_FENCE);
    PAIR_GRADS(0, Ss, Ss, h, bh)
    barrier(CLK_LOCAL_MEM_FENCE);
    if (write_ds)
      for (int e = tid; e < BQ * BKV; e += THREADS) {
        const int i = e / BKV, j = e % BKV;
        if (q0 + i < L && k0 + j < S) ds_out[ds_off + (bh * L + q0 + i) * S + k0 + j] = Ss[i * LS + j];
      }
    ACCUM(acc, NCOL(D, CQ), Ss, LS, 0, tr, TQ, Ks, LD, tc, CQ, D, BKV)
  }
  for (int r = 0; r < RI; ++r)
    for (int c = 0; c < NCOL(D, CQ); ++c) {
      const int i = tr + r * TQ, d = tc + c * CQ;
      if (q0 + i < L && d < D) STORE(dq, dq_off + at4(dq_st, b, h, q0 + i, d), scale * acc[r][c]);
    }
}

// Work-group: BKV keys of one (batch, key head), over the `group` query heads that share it and
// every query that sees these keys: dV = P^T @ dO (P through the dropout mask), dK = scale *
// dS^T @ Q. Work-item (tr, tc) takes pairs as in the forward, then key rows tk + r * TK with
// dims tkc + c * CK for the accumulation.
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void attn_bwd_dkv(ATTN_BWD_DKV_ARGS) {
  __local float Ks[BKV * LD], Vs[BKV * LDV], Qs[BQ * LD], dOs[BQ * LDV], Ps[BQ * LS], dSs[BQ * LS], lse_s[BQ],
      dl_s[BQ];
  const long Hk = H / group, tiles = (S + BKV - 1) / BKV, g = get_group_id(0), bhk = g / tiles;
  const long k0 = (g % tiles) * BKV, b = bhk / Hk, hk = bhk % Hk;
  const int tid = get_local_id(0), tr = tid / CQ, tc = tid % CQ, tk = tid / CK, tkc = tid % CK;
  load_rows(Ks, LD, BKV, D, k, k_off, k_st, b, hk, k0, S, tid);
  load_rows(Vs, LDV, BKV, DV, v, v_off, v_st, b, hk, k0, S, tid);
  float acc_k[RI][NCOL(D, CK)], acc_v[RI][NCOL(DV, CK)];
  for (int r = 0; r < RI; ++r) {
    for (int c = 0; c < NCOL(D, CK); ++c) acc_k[r][c] = 0.0f;
    for (int c = 0; c < NCOL(DV, CK); ++c) acc_v[r][c] = 0.0f;
  }
  const long q_begin = CAUSAL ? (k0 / BQ) * BQ : 0;
  for (long hq = hk * group; hq < (hk + 1) * group; ++hq) {
    const long bh = b * H + hq;
    for (long q0 = q_begin; q0 < L; q0 += BQ) {
      barrier(CLK_LOCAL_MEM_FENCE);
      load_rows(Qs, LD, BQ, D, q, q_off, q_st, b, hq, q0, L, tid);
      load_rows(dOs, LDV, BQ, DV, dout, d_off, d_st, b, hq, q0, L, tid);
      if (tid < BQ) {
        lse_s[tid] = q0 + tid < L ? lse[lse_off + bh * L + q0 + tid] : INFINITY;
        dl_s[tid] = q0 + tid < L ? delta[delta_off + bh * L + q0 + tid] : 0.0f;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
      PAIR_GRADS(1, Ps, dSs, hq, bh)
      barrier(CLK_LOCAL_MEM_FENCE);
      ACCUM(acc_v, NCOL(DV, CK), Ps, LS, 1, tk, TK, dOs, LDV, tkc, CK, DV, BQ)
      ACCUM(acc_k, NCOL(D, CK), dSs, LS, 1, tk, TK, Qs, LD, tkc, CK, D, BQ)
    }
  }
  for (int r = 0; r < RI; ++r) {
    const int j = tk + r * TK;
    if (k0 + j >= S) continue;
    for (int c = 0; c < NCOL(D, CK); ++c) {
      const int d = tkc + c * CK;
      if (d < D) STORE(dk, dk_off + at4(dk_st, b, hk, k0 + j, d), scale * acc_k[r][c]);
    }
    for (int c = 0; c < NCOL(DV, CK); ++c) {
      const int d = tkc + c * CK;
      if (d < DV) STORE(dv, dv_off + at4(dv_st, b, hk, k0 + j, d), acc_v[r][c]);
    }
  }
}
