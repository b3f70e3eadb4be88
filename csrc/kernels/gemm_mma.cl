// Tensor-core GEMM for 16-bit floats on NVIDIA GPUs (compute capability 8.0+): C = alpha * A @ B
// + beta * S over a batch, float accumulation, any strides and sizes (same arguments as gemm.cl),
// optionally split along K into float partial sums that gemm_mma_reduce adds up.
//
// NVIDIA's OpenCL compiler accepts inline PTX: each warp issues mma.sync.m16n8k16 (float
// accumulators) on fragments read from local memory by ldmatrix, and tiles travel from global
// to local memory by cp.async, STAGES tiles in flight (one barrier per step of BK). A work-group
// of WARPS_M x WARPS_N warps computes a BM x BN tile of C, each warp (BM / WARPS_M) x
// (BN / WARPS_N) of it. Work-groups take tiles in groups of GROUP_M tile rows, so neighbours in
// time share A's rows and B's columns in L2.
// Each operand's tile is kept in local memory in its global layout (k-contiguous operands as
// [rows][k], the others as [k][rows]): the copy is then 16-byte chunks both ways, and ldmatrix
// (.trans for the [k][rows] layout) turns either into mma's fragments. Chunks are placed with an
// XOR swizzle so that the eight rows one ldmatrix phase reads fall on distinct banks without
// padding (NVIDIA's OpenCL gives a work-group 48 KiB of local memory; padding would cost a stage).
//
// The host prepends: T (storage type of C and S), LOAD(p, i) -> float, STORE(p, i, v),
// MMA_BF16 (1: bfloat16, 0: float16), A_K_CONTIG (A's k stride is 1, else A is read as if its m
// stride were), B_K_CONTIG (likewise for B's k against its n stride), VEC_A / VEC_B (1 when that
// operand's contiguous dimension has stride 1 and its other stride, batch stride and offset are
// multiples of 8 elements: chunks then move by cp.async, else through registers), PAIR_C (C's n
// stride is 1 and its other strides and offset are even: two results are stored as one word).
//
// Tunables (the host passes a configuration from its table, see GemmKernel.cpp):
#ifndef BM
#define BM 128  // rows of C per work-group
#endif
#ifndef BN
#define BN 128  // columns of C per work-group
#endif
#ifndef BK
#define BK 32  // depth of one stage (16, 32 or 64)
#endif
#ifndef STAGES
#define STAGES 3  // stages in flight, 2..5 (local memory: STAGES * (BM + BN) * BK * 2 bytes)
#endif
#ifndef WARPS_M
#define WARPS_M 2  // warps along m
#endif
#ifndef WARPS_N
#define WARPS_N 2  // warps along n
#endif
#ifndef SPLIT_K
#define SPLIT_K 0  // 1: write float partial sums of one K range per work-group to W
#endif
#define GROUP_M 8

#define THREADS (32 * WARPS_M * WARPS_N)
#define WTM (BM / WARPS_M)  // a warp's rows
#define WTN (BN / WARPS_N)  // a warp's columns
#define MT (WTM / 16)       // its mma tiles along m
#define NT (WTN / 8)        // and along n
#if WTM % 16 != 0 || WTN % 16 != 0 || BK % 16 != 0 || (BM * BK / 8) % THREADS != 0 || (BN * BK / 8) % THREADS != 0
#error "gemm_mma.cl: tiles must split into 16 x 16 warp steps and 16-byte chunks evenly among the work-items"
#endif

#if MMA_BF16
#define MMA_OP "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32"
#define CVT2_OP "cvt.rn.bf16x2.f32"
#else
#define MMA_OP "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32"
#define CVT2_OP "cvt.rn.f16x2.f32"
#endif
#if STAGES == 2
#define WAIT_OP "cp.async.wait_group 0;"
#elif STAGES == 3
#define WAIT_OP "cp.async.wait_group 1;"
#elif STAGES == 4
#define WAIT_OP "cp.async.wait_group 2;"
#elif STAGES == 5
#define WAIT_OP "cp.async.wait_group 3;"
#else
#error "gemm_mma.cl: STAGES must be 2..5"
#endif

inline uint pack2(ushort lo, ushort hi) { return (uint)lo | ((uint)hi << 16); }

// Two results rounded to T and packed, lo in the low half.
inline uint cvt2(float lo, float hi) {
  uint r;
  asm volatile(CVT2_OP " %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
  return r;
}

// cp.async of `bytes` (0..16) bytes from src into the 16 bytes at dst, the rest zero-filled.
inline void cp_async16(__local ushort* dst, __global const ushort* src, int bytes) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"((uint)(ulong)dst), "l"((ulong)src), "r"(bytes)
               : "memory");
}
inline void cp_async_commit(void) { asm volatile("cp.async.commit_group;" ::: "memory"); }
inline void cp_async_wait(void) { asm volatile(WAIT_OP ::: "memory"); }

// Where chunk c (8 elements) of local row r goes, in a tile whose rows hold `per_row` chunks:
// rows one ldmatrix phase reads (eight consecutive) land on distinct 16-byte bank groups.
inline int swz(int r, int c, int per_row) {
  return per_row >= 8 ? c ^ (r & 7) : per_row == 4 ? c ^ ((r >> 1) & 3) : c ^ ((r >> 2) & 1);
}
inline int chunk_at(int r, int c, int per_row) { return (r * per_row + swz(r, c, per_row)) * 8; }

// One 16-byte chunk of a work-item's share of an operand tile, which is kept [rows][k] when
// k_along (k-contiguous operands) else [k][rows]: where it comes from at depth 0 (src), where it
// goes in a stage (dst), its first k (kpos) and how many of its elements lie inside the matrix
// while its k does (width). Set up once; each step only adds the depth's offset.
typedef struct {
  __global const ushort* src;
  int dst, kpos, width;
} Slot;

inline Slot slot(__global const ushort* p, long s_rows, long s_k, long n_rows, int k_along, int inner, int c) {
  const int per_row = inner / 8, o = c / per_row, ic = c % per_row, i = ic * 8;
  Slot t;
  t.dst = chunk_at(o, ic, per_row);
  if (k_along) {  // o is the row, i the k
    t.src = p + o * s_rows + i * s_k;
    t.kpos = i;
    t.width = o < n_rows ? 8 : 0;
  } else {  // o is the k, i the row
    t.src = p + o * s_k + i * s_rows;
    t.kpos = o;
    t.width = (int)clamp(n_rows - i, 0L, 8L);
  }
  return t;
}

// Copies chunk t at depth k0 into stage L: koff = k0 * (the operand's k stride), left = depth -
// k0 - t.kpos, s_in the stride along the chunk. Elements outside the matrix become 0; a chunk
// with none inside reads nothing (safe is a valid address for cp.async all the same).
inline void copy_chunk(__local ushort* L, Slot t, long koff, long left, long s_in, int k_along, int vec,
                       __global const ushort* safe) {
  const int n = k_along ? (int)clamp(left, 0L, (long)t.width) : (left > 0 ? t.width : 0);
  __local ushort* dst = L + t.dst;
  __global const ushort* src = t.src + koff;
  if (vec) {
    cp_async16(dst, n ? src : safe, 2 * n);
  } else {
    ushort v[8];
    #pragma unroll
    for (int e = 0; e < 8; ++e) v[e] = e < n ? src[e * s_in] : (ushort)0;
    *(__local uint4*)dst = (uint4)(pack2(v[0], v[1]), pack2(v[2], v[3]), pack2(v[4], v[5]), pack2(v[6], v[7]));
  }
}

// ldmatrix (ldsm) and its transposing form (ldsm_t): four 8 x 8 blocks of 16-bit values, lane l
// giving the address of row l % 8 of block l / 8. It takes the 32-bit shared-window address,
// which is what a __local pointer holds.
#define OCL_LDSM(NAME, TRANS)                                                                   \
  inline uint4 NAME(__local const ushort* p) {                                                  \
    uint4 r;                                                                                    \
    asm volatile("ldmatrix.sync.aligned.m8n8.x4" TRANS ".shared.b16 {%0,%1,%2,%3}, [%4];"      \
                 : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)                                   \
                 : "r"((uint)(ulong)p));                                                        \
    return r;                                                                                   \
  }
OCL_LDSM(ldsm, "")
OCL_LDSM(ldsm_t, ".trans")

// The A fragment (16 x 16 at rows r0.., depth k0..) of mma's row-major operand: registers
// {(r, k), (r + 8, k), (r, k + 8), (r + 8, k + 8)} blocks of 8 x 8; lane l gives the address of
// row l % 8 of block l / 8.
inline uint4 frag_a(__local const ushort* L, int r0, int k0, int lane) {
  const int blk = lane / 8, row = lane % 8;
#if A_K_CONTIG
  return ldsm(L + chunk_at(r0 + (blk % 2) * 8 + row, k0 / 8 + blk / 2, BK / 8));
#else
  return ldsm_t(L + chunk_at(k0 + (blk / 2) * 8 + row, r0 / 8 + blk % 2, BM / 8));
#endif
}

// Two B fragments (n tiles n0.. and n0 + 8.., depth k0..16): registers {(n, k), (n, k + 8),
// (n + 8, k), (n + 8, k + 8)} blocks, so .xy feeds the first mma and .zw the second.
inline uint4 frag_b(__local const ushort* L, int n0, int k0, int lane) {
  const int blk = lane / 8, row = lane % 8;
#if B_K_CONTIG
  return ldsm(L + chunk_at(n0 + (blk / 2) * 8 + row, k0 / 8 + blk % 2, BK / 8));
#else
  return ldsm_t(L + chunk_at(k0 + (blk % 2) * 8 + row, n0 / 8 + blk / 2, BN / 8));
#endif
}

// Arguments after gemm.cl's: the number of K ranges (splits, each k_chunk deep, a multiple of
// BK) and, when SPLIT_K, W: float partial sums laid out [batch][split][M][N].
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void gemm_mma(
    __global const T* A_, ulong a_off, long a_sb, long a_sm, long a_sk,
    __global const T* B_, ulong b_off, long b_sb, long b_sk, long b_sn,
    __global T* C, ulong c_off, long c_sb, long c_sm, long c_sn,
    __global const T* S, ulong s_off, long s_sb, long s_sm, long s_sn,
    long M, long N, long K, float alpha, float beta, int use_s,
    int splits, long k_chunk, __global float* W, ulong w_off) {
  __local ushort As[STAGES * BM * BK] __attribute__((aligned(16)));
  __local ushort Bs[STAGES * BN * BK] __attribute__((aligned(16)));

  const long tiles_n = (N + BN - 1) / BN, tiles_m = (M + BM - 1) / BM, tiles = tiles_n * tiles_m;
  const long g = get_group_id(0), b = g / (tiles * splits);
  const int split = (int)((g / tiles) % splits);
  const long r = g % tiles;
  // groups of GROUP_M tile rows, walked column by column
  const long first = (r / (GROUP_M * tiles_n)) * GROUP_M, rows = min((long)GROUP_M, tiles_m - first);
  const long m0 = (first + (r % (GROUP_M * tiles_n)) % rows) * BM;
  const long n0 = ((r % (GROUP_M * tiles_n)) / rows) * BN;
  const int lid = get_local_id(0);
  const int warp = lid / 32, lane = lid % 32;
  const int wm = (warp / WARPS_N) * WTM, wn = (warp % WARPS_N) * WTN;  // the warp's corner in the tile
  const int grp = lane / 4, tig = lane % 4;                            // PTX's groupID and threadID_in_group

  const long k_begin = split * k_chunk, depth = min(K, k_begin + k_chunk) - k_begin;
  __global const ushort* A = (__global const ushort*)A_ + a_off + b * a_sb + m0 * a_sm + k_begin * a_sk;
  __global const ushort* B = (__global const ushort*)B_ + b_off + b * b_sb + n0 * b_sn + k_begin * b_sk;
  const long rows_a = M - m0, rows_b = N - n0;

  // this work-item's chunks of each operand tile, and the copy of stage s from depth k0
#define CH_A (BM * BK / 8 / THREADS)
#define CH_B (BN * BK / 8 / THREADS)
  Slot sa[CH_A], sb[CH_B];
  #pragma unroll
  for (int j = 0; j < CH_A; ++j) sa[j] = slot(A, a_sm, a_sk, rows_a, A_K_CONTIG, A_K_CONTIG ? BK : BM, lid + j * THREADS);
  #pragma unroll
  for (int j = 0; j < CH_B; ++j) sb[j] = slot(B, b_sn, b_sk, rows_b, B_K_CONTIG, B_K_CONTIG ? BK : BN, lid + j * THREADS);
#define COPY_STAGE(s, k0)                                                                                \
  {                                                                                                      \
    const long k0_ = (k0), ka = k0_ * a_sk, kb = k0_ * b_sk;                                             \
    _Pragma("unroll") for (int j = 0; j < CH_A; ++j)                                                    \
      copy_chunk(As + (s) * BM * BK, sa[j], ka, depth - k0_ - sa[j].kpos, A_K_CONTIG ? a_sk : a_sm,    \
                 A_K_CONTIG, VEC_A, A);                                                                  \
    _Pragma("unroll") for (int j = 0; j < CH_B; ++j)                                                    \
      copy_chunk(Bs + (s) * BN * BK, sb[j], kb, depth - k0_ - sb[j].kpos, B_K_CONTIG ? b_sk : b_sn,    \
                 B_K_CONTIG, VEC_B, B);                                                                  \
  }

  float acc[MT][NT][4];
  #pragma unroll
  for (int i = 0; i < MT; ++i)
    #pragma unroll
    for (int j = 0; j < NT; ++j)
      #pragma unroll
      for (int c = 0; c < 4; ++c) acc[i][j][c] = 0.0f;

  const int steps = (int)((depth + BK - 1) / BK);
  for (int s = 0; s < STAGES - 1; ++s) {
    if (s < steps) COPY_STAGE(s, (long)s * BK);
    cp_async_commit();  // one group per stage, empty ones included, keeps the wait count fixed
  }
  for (int kt = 0; kt < steps; ++kt) {
    cp_async_wait();  // this work-item's copies of step kt have landed
    // everyone's have, and everyone is done with the stage the next copy overwrites
    barrier(CLK_LOCAL_MEM_FENCE);
    const int next = kt + STAGES - 1;
    if (next < steps) COPY_STAGE(next % STAGES, (long)next * BK);
    cp_async_commit();
    __local const ushort* La = As + (kt % STAGES) * BM * BK;
    __local const ushort* Lb = Bs + (kt % STAGES) * BN * BK;
    #pragma unroll
    for (int kk = 0; kk < BK; kk += 16) {
      uint4 fa[MT], fb[NT / 2];
      #pragma unroll
      for (int i = 0; i < MT; ++i) fa[i] = frag_a(La, wm + i * 16, kk, lane);
      #pragma unroll
      for (int j = 0; j < NT / 2; ++j) fb[j] = frag_b(Lb, wn + j * 16, kk, lane);
      #pragma unroll
      for (int i = 0; i < MT; ++i)
        #pragma unroll
        for (int j = 0; j < NT; ++j) {
          const uint b0 = (j % 2) ? fb[j / 2].z : fb[j / 2].x, b1 = (j % 2) ? fb[j / 2].w : fb[j / 2].y;
          asm volatile(MMA_OP " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                       : "+f"(acc[i][j][0]), "+f"(acc[i][j][1]), "+f"(acc[i][j][2]), "+f"(acc[i][j][3])
                       : "r"(fa[i].x), "r"(fa[i].y), "r"(fa[i].z), "r"(fa[i].w), "r"(b0), "r"(b1));
        }
    }
  }

  // accumulators 2h, 2h + 1 of tile (i, j) are elements (grp + 8 h, 2 tig + 0..1) of that 16 x 8 tile
#if SPLIT_K
  __global float* Wb = W + w_off + (b * splits + split) * M * N;
#else
  __global T* Cb = C + c_off + b * c_sb;
  __global const T* Sb = S + s_off + b * s_sb;
#endif
  #pragma unroll
  for (int i = 0; i < MT; ++i)
    #pragma unroll
    for (int j = 0; j < NT; ++j)
      #pragma unroll
      for (int h = 0; h < 2; ++h) {
        const long m = m0 + wm + i * 16 + grp + 8 * h, n = n0 + wn + j * 8 + 2 * tig;
        if (m >= M || n >= N) continue;
        const bool two = n + 1 < N;
#if SPLIT_K
        Wb[m * N + n] = acc[i][j][2 * h];
        if (two) Wb[m * N + n + 1] = acc[i][j][2 * h + 1];
#else
        float v0 = alpha * acc[i][j][2 * h], v1 = alpha * acc[i][j][2 * h + 1];
        if (use_s) {  // beta == 0 never reads S (NaN in self is ignored, as ATen does)
          v0 = fma(beta, LOAD(Sb, m * s_sm + n * s_sn), v0);
          if (two) v1 = fma(beta, LOAD(Sb, m * s_sm + (n + 1) * s_sn), v1);
        }
        if (PAIR_C && two) {
          *(__global uint*)(Cb + m * c_sm + n) = cvt2(v0, v1);
        } else {
          STORE(Cb, m * c_sm + n * c_sn, v0);
          if (two) STORE(Cb, m * c_sm + (n + 1) * c_sn, v1);
        }
#endif
      }
}

// C = alpha * (sum over splits of W) + beta * S, grid-stride over the elements.
__kernel void gemm_mma_reduce(__global const float* W, ulong w_off, int splits,
                              __global T* C, ulong c_off, long c_sb, long c_sm, long c_sn,
                              __global const T* S, ulong s_off, long s_sb, long s_sm, long s_sn,
                              long batch, long M, long N, float alpha, float beta, int use_s) {
  const long mn = M * N;
  for (long idx = get_global_id(0); idx < batch * mn; idx += get_global_size(0)) {
    const long b = idx / mn, m = (idx % mn) / N, n = idx % N;
    __global const float* w = W + w_off + b * splits * mn + m * N + n;
    float sum = 0.0f;
    for (int s = 0; s < splits; ++s) sum += w[s * mn];
    float v = alpha * sum;
    if (use_s) v = fma(beta, LOAD(S + s_off + b * s_sb, m * s_sm + n * s_sn), v);
    STORE(C + c_off + b * c_sb, m * c_sm + n * c_sn, v);
  }
}
