// Tensor-core GEMM for 16-bit floats on NVIDIA GPUs (compute capability 8.0+): C = alpha * A @ B
// + beta * S over a batch, float accumulation, any strides and sizes (same arguments as gemm.cl).
//
// NVIDIA's OpenCL compiler accepts inline PTX: each warp issues mma.sync.m16n8k16 (float
// accumulators) on fragments read from local memory by ldmatrix. A work-group of WARPS_M x WARPS_N
// warps computes a 128 x 128 tile of C, each warp (128 / WARPS_M) x (128 / WARPS_N) of it.
// Work-groups take tiles in groups of GROUP_M tile rows, so neighbours in time share A's rows
// and B's columns in L2.
// Each operand's tile is kept in local memory in its global layout (k-contiguous operands as
// [rows][k], the others as [k][rows]): the copy is then 16-byte vectors both ways, and
// ldmatrix (.trans for the [k][rows] layout) turns either into mma's fragments. Two local
// stages: the next tiles are read from global memory into registers while the current ones are
// multiplied, then stored into the other stage, with one barrier per step of BK.
//
// The host prepends: T (storage type of C and S), LOAD(p, i) -> float, STORE(p, i, v),
// MMA_BF16 (1: bfloat16, 0: float16), A_K_CONTIG (A's k stride is 1, else A is read as if its m
// stride were), B_K_CONTIG (likewise for B's k against its n stride), VEC_A / VEC_B (1 when that
// operand's contiguous dimension has stride 1 and its other stride, batch stride and offset are
// multiples of 8 elements: chunks of 8 then move as one 16-byte load).

#define BM 128
#define BN 128
#define BK 32
#ifndef WARPS_M
#define WARPS_M 2
#endif
#ifndef WARPS_N
#define WARPS_N 2
#endif
#define THREADS (32 * WARPS_M * WARPS_N)
#define WTM (BM / WARPS_M)  // a warp's rows
#define WTN (BN / WARPS_N)  // a warp's columns
#define MT (WTM / 16)       // its mma tiles along m
#define NT (WTN / 8)        // and along n
#define CHUNKS (BM * BK / 8 / THREADS)  // 8-element chunks of each operand tile per work-item
#define GROUP_M 8
// Local row strides (elements), padded by 8 so that the 8 rows one ldmatrix phase reads fall on
// distinct banks: [rows][k] tiles have rows of BK, [k][rows] tiles rows of 128.
#define LD_RK (BK + 8)
#define LD_KR (128 + 8)
#define STAGE (128 * LD_RK > BK * LD_KR ? 128 * LD_RK : BK * LD_KR)

#if MMA_BF16
#define MMA_OP "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32"
#else
#define MMA_OP "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32"
#endif

// A tile in registers: CHUNKS chunks of 8 elements along the contiguous dimension per work-item.
typedef struct {
  uint4 w[CHUNKS];
} Chunks;

inline uint pack2(ushort lo, ushort hi) { return (uint)lo | ((uint)hi << 16); }

// Reads a tile of OUTER x INNER elements, element (o, i) at p[o * s_o + i * s_i] (s_i is the
// contiguous stride when VEC), with o < n_o and i < n_i (else 0). Chunk c = lid + THREADS j covers
// elements (c / (INNER / 8), (c % (INNER / 8)) * 8 + 0..7).
inline Chunks load_tile(__global const ushort* p, long s_o, long s_i, long n_o, long n_i, int inner, int lid,
                        int vec) {
  Chunks t;
  for (int j = 0; j < CHUNKS; ++j) {
    const int c = lid + j * THREADS, per_row = inner / 8;
    const int o = c / per_row, i = (c % per_row) * 8;
    __global const ushort* q = p + o * s_o + i * s_i;
    if (vec && o < n_o && i + 8 <= n_i) {
      t.w[j] = *(__global const uint4*)q;
    } else {
      ushort v[8];
      for (int e = 0; e < 8; ++e) v[e] = (o < n_o && i + e < n_i) ? q[e * s_i] : (ushort)0;
      t.w[j] = (uint4)(pack2(v[0], v[1]), pack2(v[2], v[3]), pack2(v[4], v[5]), pack2(v[6], v[7]));
    }
  }
  return t;
}

inline void store_tile(__local ushort* L, Chunks t, int inner, int ld, int lid) {
  for (int j = 0; j < CHUNKS; ++j) {
    const int c = lid + j * THREADS, per_row = inner / 8;
    *(__local uint4*)(L + (c / per_row) * ld + (c % per_row) * 8) = t.w[j];
  }
}

// ldmatrix (ldsm) and its transposing form (ldsm_t): four 8 x 8 blocks of 16-bit values, lane l
// giving the address of row l % 8 of block l / 8. It takes the 32-bit shared-window address,
// which is what a __local pointer holds.
#define OCL_LDSM(NAME, TRANS)                                                       \
  inline uint4 NAME(__local const ushort* p) {                                      \
    uint4 r;                                                                        \
    asm volatile("ldmatrix.sync.aligned.m8n8.x4" TRANS ".shared.b16 {%0,%1,%2,%3}, [%4];" \
                 : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)                       \
                 : "r"((uint)(ulong)p));                                            \
    return r;                                                                       \
  }
OCL_LDSM(ldsm, "")
OCL_LDSM(ldsm_t, ".trans")

// The A fragment (16 x 16 at rows r0.., depth k0..) of mma's row-major operand: registers
// {(r, k), (r + 8, k), (r, k + 8), (r + 8, k + 8)} blocks of 8 x 8; lane l gives the address of
// row l % 8 of block l / 8.
inline uint4 frag_a(__local const ushort* L, int r0, int k0, int lane) {
  const int blk = lane / 8, row = lane % 8;
#if A_K_CONTIG
  return ldsm(L + (r0 + (blk % 2) * 8 + row) * LD_RK + k0 + (blk / 2) * 8);
#else
  return ldsm_t(L + (k0 + (blk / 2) * 8 + row) * LD_KR + r0 + (blk % 2) * 8);
#endif
}

// Two B fragments (n tiles n0.. and n0 + 8.., depth k0..16): registers {(n, k), (n, k + 8),
// (n + 8, k), (n + 8, k + 8)} blocks, so .xy feeds the first mma and .zw the second.
inline uint4 frag_b(__local const ushort* L, int n0, int k0, int lane) {
  const int blk = lane / 8, row = lane % 8;
#if B_K_CONTIG
  return ldsm(L + (n0 + (blk / 2) * 8 + row) * LD_RK + k0 + (blk % 2) * 8);
#else
  return ldsm_t(L + (k0 + (blk % 2) * 8 + row) * LD_KR + n0 + (blk / 2) * 8);
#endif
}

__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void gemm_mma(
    __global const T* A_, ulong a_off, long a_sb, long a_sm, long a_sk,
    __global const T* B_, ulong b_off, long b_sb, long b_sk, long b_sn,
    __global T* C, ulong c_off, long c_sb, long c_sm, long c_sn,
    __global const T* S, ulong s_off, long s_sb, long s_sm, long s_sn,
    long M, long N, long K, float alpha, float beta, int use_s) {
  // two stages of A and B tiles; 16-byte aligned for the vector stores
  __local ushort As[2 * STAGE] __attribute__((aligned(16)));
  __local ushort Bs[2 * STAGE] __attribute__((aligned(16)));

  const long tiles_n = (N + BN - 1) / BN, tiles_m = (M + BM - 1) / BM;
  const long g = get_group_id(0), b = g / (tiles_n * tiles_m), r = g % (tiles_n * tiles_m);
  // groups of GROUP_M tile rows, walked column by column
  const long first = (r / (GROUP_M * tiles_n)) * GROUP_M, rows = min((long)GROUP_M, tiles_m - first);
  const long m0 = (first + (r % (GROUP_M * tiles_n)) % rows) * BM;
  const long n0 = ((r % (GROUP_M * tiles_n)) / rows) * BN;
  const int lid = get_local_id(0);
  const int warp = lid / 32, lane = lid % 32;
  const int wm = (warp / WARPS_N) * WTM, wn = (warp % WARPS_N) * WTN;  // the warp's corner in the tile
  const int grp = lane / 4, tig = lane % 4;            // PTX's groupID and threadID_in_group

  __global const ushort* A = (__global const ushort*)A_ + a_off + b * a_sb + m0 * a_sm;
  __global const ushort* B = (__global const ushort*)B_ + b_off + b * b_sb + n0 * b_sn;
  const long rows_a = M - m0, rows_b = N - n0;

  float acc[MT][NT][4];
  for (int i = 0; i < MT; ++i)
    for (int j = 0; j < NT; ++j)
      for (int c = 0; c < 4; ++c) acc[i][j][c] = 0.0f;

  // tile (k0) of each operand: [rows][k] when k-contiguous, else [k][rows]
#if A_K_CONTIG
#define LOAD_A(k0) load_tile(A + (k0) * a_sk, a_sm, a_sk, rows_a, K - (k0), BK, lid, VEC_A)
#define STORE_A(L, t) store_tile(L, t, BK, LD_RK, lid)
#else
#define LOAD_A(k0) load_tile(A + (k0) * a_sk, a_sk, a_sm, K - (k0), rows_a, BM, lid, VEC_A)
#define STORE_A(L, t) store_tile(L, t, BM, LD_KR, lid)
#endif
#if B_K_CONTIG
#define LOAD_B(k0) load_tile(B + (k0) * b_sk, b_sn, b_sk, rows_b, K - (k0), BK, lid, VEC_B)
#define STORE_B(L, t) store_tile(L, t, BK, LD_RK, lid)
#else
#define LOAD_B(k0) load_tile(B + (k0) * b_sk, b_sk, b_sn, K - (k0), rows_b, BN, lid, VEC_B)
#define STORE_B(L, t) store_tile(L, t, BN, LD_KR, lid)
#endif

  Chunks ta = LOAD_A(0), tb = LOAD_B(0);
  STORE_A(As, ta);
  STORE_B(Bs, tb);
  barrier(CLK_LOCAL_MEM_FENCE);
  int stage = 0;
  for (long k0 = 0; k0 < K; k0 += BK) {
    const bool more = k0 + BK < K;
    if (more) {  // the next tiles travel while this one is multiplied
      ta = LOAD_A(k0 + BK);
      tb = LOAD_B(k0 + BK);
    }
    __local const ushort* La = As + stage * STAGE;
    __local const ushort* Lb = Bs + stage * STAGE;
    for (int kk = 0; kk < BK; kk += 16) {
      uint4 fa[MT], fb[NT / 2];
      for (int i = 0; i < MT; ++i) fa[i] = frag_a(La, wm + i * 16, kk, lane);
      for (int j = 0; j < NT / 2; ++j) fb[j] = frag_b(Lb, wn + j * 16, kk, lane);
      for (int i = 0; i < MT; ++i)
        for (int j = 0; j < NT; ++j) {
          const uint b0 = (j % 2) ? fb[j / 2].z : fb[j / 2].x, b1 = (j % 2) ? fb[j / 2].w : fb[j / 2].y;
          asm volatile(MMA_OP " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                       : "+f"(acc[i][j][0]), "+f"(acc[i][j][1]), "+f"(acc[i][j][2]), "+f"(acc[i][j][3])
                       : "r"(fa[i].x), "r"(fa[i].y), "r"(fa[i].z), "r"(fa[i].w), "r"(b0), "r"(b1));
        }
    }
    if (more) {
      STORE_A(As + (stage ^ 1) * STAGE, ta);
      STORE_B(Bs + (stage ^ 1) * STAGE, tb);
    }
    // one barrier: the other stage is written, and nobody reads this one until it is rewritten
    // after the next barrier
    barrier(CLK_LOCAL_MEM_FENCE);
    stage ^= 1;
  }

  // accumulator c of tile (i, j) is element (grp + 8 * (c / 2), 2 * tig + c % 2) of that 16 x 8 tile
  __global T* Cb = C + c_off + b * c_sb;
  __global const T* Sb = S + s_off + b * s_sb;
  for (int i = 0; i < MT; ++i)
    for (int j = 0; j < NT; ++j)
      for (int c = 0; c < 4; ++c) {
        const long m = m0 + wm + i * 16 + grp + 8 * (c / 2), n = n0 + wn + j * 8 + 2 * tig + c % 2;
        if (m < M && n < N) {
          float v = alpha * acc[i][j][c];
          // beta == 0 never reads S (NaN in self is ignored, as ATen does)
          if (use_s) v = fma(beta, LOAD(Sb, m * s_sm + n * s_sn), v);
          STORE(Cb, m * c_sm + n * c_sn, v);
        }
      }
}
