// Tensor-core GEMM for 16-bit floats, and float32 as TF32, on NVIDIA GPUs (compute capability
// 8.0+): C = alpha * A @ B + beta * S over a batch, float accumulation, any strides and sizes
// (same arguments as gemm.cl), optionally split along K into float partial sums that
// gemm_mma_reduce adds up.
//
// Each warp issues mma.sync.m16n8k16 (m16n8k8 for TF32; float accumulators, mma.cl's helpers) on
// fragments read from local memory by ldmatrix, and tiles travel from global to local memory by
// cp.async,
// STAGES tiles in flight (one barrier per step of BK). A work-group
// of WARPS_M x WARPS_N warps computes a BM x BN tile of C, each warp (BM / WARPS_M) x
// (BN / WARPS_N) of it. Work-groups take tiles in groups of GROUP_M tile rows, so neighbours in
// time share A's rows and B's columns in L2.
// Each operand's tile is kept in local memory in its global layout (k-contiguous operands as
// [rows][k], the others as [k][rows]): the copy is then 16-byte chunks both ways, and ldmatrix
// (.trans for the [k][rows] layout; single words for TF32) turns either into mma's fragments. Chunks are swizzled, not
// padded (NVIDIA's OpenCL gives a work-group 48 KiB of local memory; padding would cost a stage).
//
// The host prepends mma.cl and: T (storage type of C and S), LOAD(p, i) -> float, STORE(p, i, v),
// MMA_BF16, MMA_TF32 (see mma.cl), A_K_CONTIG (A's k stride is 1, else A is read as if its m
// stride were), B_K_CONTIG (likewise for B's k against its n stride), VEC_A / VEC_B (1 when that
// operand's contiguous dimension has stride 1 and its other stride, batch stride and offset are
// multiples of 16 bytes: chunks then move by cp.async, else through registers), PAIR_C (16-bit C,
// n stride 1, other strides and offset even: two results are stored as one word).
//
// MMA_SIMT 1 (with MMA_TF32's float tiles) computes exact float32 instead: the same staged tiles,
// read by 16-byte local loads, and each lane accumulates an 8 x 8 block of C by fma (a warp is 4 x
// 8 lanes over a 32 x 64 block; rows 4 r + 0..3 and + 16, columns c + 8 j from tiles kept [n][k],
// else 4 c + 0..3 and + 32, so that a quarter-warp's loads fall on distinct banks or coincide).
//
// CONV_A 1 makes A an implicit-GEMM convolution's operand, read straight from the input image: A
// is then the channels-last (dense (N, D, H, W, cPx)) input at A_ + a_off, row m the output position
// (n, od, oh, ow) and column k the tap and channel ((kd * KH + kh) * KW + kw) * C + c, zero where
// the tap falls in the padding; the geometry comes as the trailing arguments (the host's Window)
// and C is a multiple of the chunk (8 16-bit values), so each chunk is 16 bytes of one pixel. A
// grouped convolution is a batch of them: batch b reads channels b * a_sb + (0..C) of each pixel
// (cPx channels).
// CONV_B 1 makes B the same image transposed, as a convolution's weight gradient reads it: row k
// the output position, column n the tap and channel (a [k][n] tile, chunks along the channels).
//
// Tunables (the host passes a configuration from its table, see GemmKernel.cpp):
#ifndef BM
#define BM 128  // rows of C per work-group
#endif
#ifndef BN
#define BN 128  // columns of C per work-group
#endif
#ifndef BK
#define BK 32  // depth of one stage (16, 32 or 64; 8, 16 or 32 for TF32)
#endif
#ifndef STAGES
#define STAGES 3  // stages in flight, 2..5 (local memory: STAGES * (BM + BN) * BK * element bytes)
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
#ifndef MMA_SIMT
#define MMA_SIMT 0
#endif
#ifndef SHARE
#define SHARE 0  // > 0: persistent work-groups, SHARE per unit taking one block of tiles together
#endif
#ifndef CONV_A
#define CONV_A 0
#endif
#ifndef CONV_B
#define CONV_B 0
#endif
#if (CONV_A && (!A_K_CONTIG || !VEC_A)) || (CONV_B && (B_K_CONTIG || !VEC_B)) || (CONV_A && CONV_B)
#error "gemm_mma.cl: a convolution operand moves as 16-byte chunks of channels (A k-contiguous, B not), one at a time"
#endif
#define CONV (CONV_A || CONV_B)
#define GROUP_M 8

#define THREADS (32 * WARPS_M * WARPS_N)
#define WTM (BM / WARPS_M)  // a warp's rows
#define WTN (BN / WARPS_N)  // a warp's columns
#define MT (WTM / 16)       // its mma tiles along m
#define NT (WTN / 8)        // and along n
#define TILE_A (BM * BK * sizeof(EL) / 2)  // a stage's tiles, in 16-bit words
#define TILE_B (BN * BK * sizeof(EL) / 2)
#if WTM % 16 != 0 || WTN % 16 != 0 || BK % KSTEP != 0 || BM % (WARPS_M * 16) != 0 || BN % (WARPS_N * 16) != 0
#error "gemm_mma.cl: tiles must split into 16 x 16 warp steps evenly among the warps"
#endif
#if MMA_SIMT && (!MMA_TF32 || WTM != 32 || WTN != 64)
#error "gemm_mma.cl: the float32 SIMT kernel takes float tiles and warps of 32 x 64"
#endif

// Waits until the copies of the oldest stage in flight have landed.
#if STAGES == 2
#define cp_async_wait() CP_ASYNC_WAIT(0)
#elif STAGES == 3
#define cp_async_wait() CP_ASYNC_WAIT(1)
#elif STAGES == 4
#define cp_async_wait() CP_ASYNC_WAIT(2)
#elif STAGES == 5
#define cp_async_wait() CP_ASYNC_WAIT(3)
#else
#error "gemm_mma.cl: STAGES must be 2..5"
#endif

// One 16-byte chunk of a work-item's share of an operand tile, which is kept [rows][k] when
// k_along (k-contiguous operands) else [k][rows]: where it comes from at depth 0 (src), where it
// goes in a stage (dst), its first k (kpos) and how many of its elements lie inside the matrix
// while its k does (width). Set up once; each step only adds the depth's offset.
typedef struct {
  __global const EL* src;
  int dst, kpos, width;
#if CONV
  int d0, h0, w0;  // CONV_A: the output position's window corner; CONV_B: the tap's offsets
  int ch;          // CONV_B: the chunk's first channel
  // Where the chunk's next copy reads, advanced by BK after each copy (copies go in depth order),
  // so that no step divides: CONV_A the channel c and tap (kd, kh, kw) of its column; CONV_B the
  // output position (od, oh, ow) of its row, whose image starts at src.
  int c, kd, kh, kw;
#endif
} Slot;

#if CONV
// The convolution's geometry (the host's Window), as kernel arguments.
#define CONV_ARGS                                                                                           \
  , int cC, int cD, int cH, int cW, int KD, int KH, int KW, int SD, int SH, int SW, int PD, int PH, int PW, \
      int DD, int DH, int DW, int OD, int OH, int OW, int cPx
#define CONV_GEOMETRY cC, cD, cH, cW, KD, KH, KW, SD, SH, SW, PD, PH, PW, DD, DH, DW, OD, OH, OW, cPx
#define CONV_PARAMS                                                                                       \
  int cC, int cD, int cH, int cW, int KD, int KH, int KW, int SD, int SH, int SW, int PD, int PH, int PW, \
      int DD, int DH, int DW, int OD, int OH, int OW, int cPx

// Adds n to the lowest digit of the mixed-radix counter (d0, d1, d2) of radices (r0, r1, r2) and
// returns how often its highest digit wrapped.
inline int odometer_add(int* d0, int* d1, int* d2, int n, int r0, int r1, int r2) {
  int wraps = 0;
  for (*d0 += n; *d0 >= r0; *d0 -= r0)
    if (++*d1 == r1) {
      *d1 = 0;
      if (++*d2 == r2) {
        *d2 = 0;
        ++wraps;
      }
    }
  return wraps;
}

// Chunk c of A's tile at rows m0..: its output position (image base and window corner) and its
// column's channel and tap at depth k_first + its kpos.
inline Slot conv_slot(__global const EL* img, long m0, long M, int c, long k_first, CONV_PARAMS) {
  const int per_row = BK / KPC, o = c / per_row, ic = c % per_row;
  Slot t;
  t.dst = chunk_at(o, ic, per_row);
  t.kpos = ic * KPC;
  const long m = m0 + o;
  t.width = m < M ? KPC : 0;
  const long mm = m < M ? m : 0;
  const int ow = (int)(mm % OW), oh = (int)((mm / OW) % OH), od = (int)((mm / ((long)OW * OH)) % OD);
  const long n = mm / ((long)OW * OH * OD);
  t.src = img + n * ((long)cD * cH * cW * cPx);
  t.d0 = od * SD - PD;
  t.h0 = oh * SH - PH;
  t.w0 = ow * SW - PW;
  const long k = k_first + t.kpos, r = k / cC;
  t.c = (int)(k % cC);
  t.kw = (int)(r % KW);
  t.kh = (int)((r / KW) % KH);
  t.kd = (int)(r / ((long)KW * KH));
  return t;
}

// Copies chunk t of the convolution operand at absolute depth k (its first column) into stage L,
// then moves t on by BK columns; taps in the padding and columns at or past K read nothing (zeros).
inline void conv_copy(__local ushort* L, Slot* t, long k, long K, __global const EL* safe, CONV_PARAMS) {
  const int id = t->d0 + t->kd * DD, ih = t->h0 + t->kh * DH, iw = t->w0 + t->kw * DW;
  const bool in = t->width != 0 && k < K && (uint)id < (uint)cD && (uint)ih < (uint)cH && (uint)iw < (uint)cW;
  __global const EL* src = in ? t->src + (((long)id * cH + ih) * cW + iw) * cPx + t->c : safe;
  cp_async16(L + t->dst, (__global const ushort*)src, in ? 16 : 0);
  t->kd += odometer_add(&t->c, &t->kw, &t->kh, BK, cC, KW, KH);
}

// CONV_B: chunk c of B's [k][n] tile at columns n0..: its tap (offsets from a window's corner) and
// first channel, whether its columns lie inside N, and its row's output position at depth
// k_first + its kpos.
inline Slot conv_slot_b(__global const EL* img, long n0, long N, int c, long k_first, CONV_PARAMS) {
  const int per_row = BN / KPC, o = c / per_row, ic = c % per_row;
  Slot t;
  t.dst = chunk_at(o, ic, per_row);
  t.kpos = o;
  const long n = n0 + ic * KPC;
  t.width = n < N ? KPC : 0;
  const long nn = n < N ? n : 0;
  t.ch = (int)(nn % cC);
  const long r = nn / cC;
  t.w0 = (int)(r % KW) * DW;
  t.h0 = (int)((r / KW) % KH) * DH;
  t.d0 = (int)(r / ((long)KW * KH)) * DD;
  const long k = k_first + t.kpos;
  t.kw = (int)(k % OW);
  t.kh = (int)((k / OW) % OH);
  t.kd = (int)((k / ((long)OW * OH)) % OD);
  t.src = img + (k / ((long)OW * OH * OD)) * ((long)cD * cH * cW * cPx);
  return t;
}

// CONV_B: copies chunk t at absolute depth k (the output position of its row) into stage L, then
// moves t on by BK positions.
inline void conv_copy_b(__local ushort* L, Slot* t, long k, long K, __global const EL* safe, CONV_PARAMS) {
  const int id = t->kd * SD - PD + t->d0, ih = t->kh * SH - PH + t->h0, iw = t->kw * SW - PW + t->w0;
  const bool in = t->width != 0 && k < K && (uint)id < (uint)cD && (uint)ih < (uint)cH && (uint)iw < (uint)cW;
  __global const EL* src = in ? t->src + (((long)id * cH + ih) * cW + iw) * cPx + t->ch : safe;
  cp_async16(L + t->dst, (__global const ushort*)src, in ? 16 : 0);
  t->src += odometer_add(&t->kw, &t->kh, &t->kd, BK, OW, OH, OD) * ((long)cD * cH * cW * cPx);
}
#else
#define CONV_ARGS
#endif

inline Slot slot(__global const EL* p, long s_rows, long s_k, long n_rows, int k_along, int inner, int c) {
  const int per_row = inner / KPC, o = c / per_row, ic = c % per_row, i = ic * KPC;
  Slot t;
  t.dst = chunk_at(o, ic, per_row);
  if (k_along) {  // o is the row, i the k
    t.src = p + o * s_rows + i * s_k;
    t.kpos = i;
    t.width = o < n_rows ? KPC : 0;
  } else {  // o is the k, i the row
    t.src = p + o * s_k + i * s_rows;
    t.kpos = o;
    t.width = (int)clamp(n_rows - i, 0L, (long)KPC);
  }
  return t;
}

// Copies chunk t at depth k0 into stage L: koff = k0 * (the operand's k stride), left = depth -
// k0 - t.kpos, s_in the stride along the chunk. Elements outside the matrix become 0; a chunk
// with none inside reads nothing (safe is a valid address for cp.async all the same).
inline void copy_chunk(__local ushort* L, Slot t, long koff, long left, long s_in, int k_along, int vec,
                       __global const EL* safe) {
  const int n = k_along ? (int)clamp(left, 0L, (long)t.width) : (left > 0 ? t.width : 0);
  __local ushort* dst = L + t.dst;
  __global const EL* src = t.src + koff;
  if (vec) {
    cp_async16(dst, (__global const ushort*)(n ? src : safe), n * (int)sizeof(EL));
  } else {
    EL v[KPC];
    MMA_UNROLL
    for (int e = 0; e < KPC; ++e) v[e] = e < n ? src[e * s_in] : (EL)0;
#if MMA_TF32
    *(__local uint4*)dst = (uint4)(v[0], v[1], v[2], v[3]);
#else
    *(__local uint4*)dst = (uint4)(pack2(v[0], v[1]), pack2(v[2], v[3]), pack2(v[4], v[5]), pack2(v[6], v[7]));
#endif
  }
}

// mma's A fragment (16 x KSTEP at rows r0.., depth k0..) and two B fragments (n tiles n0.. and
// n0 + 8..) from this kernel's tiles, rounded to TF32 for float operands.
inline uint4 operand(uint4 f) {
#if MMA_TF32
  return (uint4)(tf32_of(f.x), tf32_of(f.y), tf32_of(f.z), tf32_of(f.w));
#else
  return f;
#endif
}
inline uint4 frag_a(__local const ushort* L, int r0, int k0, int lane) {
#if A_K_CONTIG
  return operand(frag_a_rk(L, BK / KPC, r0, k0, lane));
#else
  return operand(frag_a_kr(L, BM / KPC, r0, k0, lane));
#endif
}
inline uint4 frag_b(__local const ushort* L, int n0, int k0, int lane) {
#if B_K_CONTIG
  return operand(frag_b_nk(L, BK / KPC, n0, k0, lane));
#else
  return operand(frag_b_kn(L, BN / KPC, n0, k0, lane));
#endif
}

#if MMA_SIMT
// A lane's rows (i = 0..7) and columns (j = 0..7) within its warp's 32 x 64 block.
#define SIMT_ROW(lr, i) (4 * (lr) + (i) % 4 + 16 * ((i) / 4))
#if B_K_CONTIG
#define SIMT_COL(lc, j) ((lc) + 8 * (j))
#else
#define SIMT_COL(lc, j) (4 * (lc) + (j) % 4 + 32 * ((j) / 4))
#endif
inline float4 chunk4(__local const ushort* L, int r, int c, int per_row) {
  return *(__local const float4*)(L + chunk_at(r, c, per_row));
}
// v[e][kk]: depth 4 kc + kk of row (column) e of this lane, from a tile kept [rows][k] (k_along)
// or [k][rows] (rows: the stage's row count); first: the warp's first row; at: SIMT_ROW / SIMT_COL.
#define SIMT_LOAD(v, L, k_along, rows, first, at, who, kc)                                   \
  if (k_along) {                                                                          \
    MMA_UNROLL for (int e = 0; e < 8; ++e) {                                              \
      const float4 f = chunk4(L, (first) + at(who, e), kc, BK / KPC);                     \
      v[e][0] = f.x; v[e][1] = f.y; v[e][2] = f.z; v[e][3] = f.w;                         \
    }                                                                                     \
  } else {                                                                                \
    MMA_UNROLL for (int kk = 0; kk < 4; ++kk)                                             \
      MMA_UNROLL for (int h = 0; h < 2; ++h) {                                            \
        const float4 f = chunk4(L, 4 * (kc) + kk, ((first) + at(who, 4 * h)) / 4, (rows) / KPC); \
        v[4 * h][kk] = f.x; v[4 * h + 1][kk] = f.y; v[4 * h + 2][kk] = f.z; v[4 * h + 3][kk] = f.w; \
      }                                                                                   \
  }
#endif

// Tile r of a grid of rows x cols tiles, taken in groups of GROUP_M tile rows walked column by
// column (neighbours in time share A's rows and B's columns in L2): its row and column.
inline void raster(long r, long rows, long cols, long* row, long* col) {
  const long first = (r / (GROUP_M * cols)) * GROUP_M, in_group = min((long)GROUP_M, rows - first);
  *row = first + (r % (GROUP_M * cols)) % in_group;
  *col = (r % (GROUP_M * cols)) / in_group;
}

#if SHARE
// A block of SH_M x SH_N tiles: SHARE / 2 x 2 for even teams of 4 or more (A's rows shared in
// pairs, B's columns by SHARE / 2), else a column of SHARE tiles (all share B's columns).
#if SHARE % 2 == 0 && SHARE >= 4
#define SH_N 2
#else
#define SH_N 1
#endif
#define SH_M (SHARE / SH_N)
#define SHARE_ARGS , __global int* claims_, ulong claims_off, int units

// The next tile (block * SHARE + its index in the block) for a work-group on unit `cell`, or -1
// when all are taken. claims[0] counts the blocks handed out; claims[cell] is the unit's current
// block, ((block + 1) << 4) | its tiles handed out (0: none yet). Groups on one unit take the
// tiles of its block, then one of them takes the next block from the counter and installs it.
// A group whose install loses the race (another installed one first) does its block alone
// (`alone`, `next`); blocks of one tile (SHARE 1) are neither installed nor shared. A group ends
// only on finding its unit's block exhausted and the counter past the end, and the installer of
// a block claims again after each tile: no tile is left.
inline long claim(__global int* claims, int cell, long blocks, long* alone, int* next) {
  if (*alone >= 0) {
    const long t = *alone * SHARE + *next;
    if (++*next == SHARE) *alone = -1;
    return t;
  }
  volatile __global int* c = (volatile __global int*)claims + cell;
  for (;;) {
    const int old = *c;
    if (old != 0 && (old & 15) < SHARE) {
      if (atomic_cmpxchg(c, old, old + 1) == old) return (long)((old >> 4) - 1) * SHARE + (old & 15);
      continue;
    }
    const long u = atomic_inc(claims);
    if (u >= blocks) return -1;
    if (SHARE > 1 && atomic_cmpxchg(c, old, (int)(((u + 1) << 4) | 1)) != old) {
      *alone = u;
      *next = 1;
    }
    return u * SHARE;
  }
}
#else
#define SHARE_ARGS
#endif

// Arguments after gemm.cl's: the number of K ranges (splits, each k_chunk deep, a multiple of
// BK), when SPLIT_K, W: float partial sums laid out [batch][split][M][N], the work-groups' work
// (batch x tiles x splits), and with SHARE the claim counters (zeros, 1 + units of them) and
// the units they are kept for (fewer work-groups are launched, each taking tiles until none
// are left).
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void gemm_mma(
    __global const T* A_, ulong a_off, long a_sb, long a_sm, long a_sk,
    __global const T* B_, ulong b_off, long b_sb, long b_sk, long b_sn,
    __global T* C, ulong c_off, long c_sb, long c_sm, long c_sn,
    __global const T* S, ulong s_off, long s_sb, long s_sm, long s_sn,
    long M, long N, long K, float alpha, float beta, int use_s,
    int splits, long k_chunk, __global float* W, ulong w_off, long work SHARE_ARGS CONV_ARGS) {
  MMA_SCRATCH
  __local ushort As[STAGES * TILE_A] __attribute__((aligned(16)));
  __local ushort Bs[STAGES * TILE_B] __attribute__((aligned(16)));

  const long tiles_n = (N + BN - 1) / BN, tiles_m = (M + BM - 1) / BM, tiles = tiles_n * tiles_m;
  const int lid = get_local_id(0);
#if SHARE
  // Persistent: SHARE work-groups per compute unit take the SH_M x SH_N tiles of one block
  // together, so that where they read the same rows of A or columns of B the copies can hit in
  // L1 (CP_L1); blocks come in raster order, see claim().
  const long sup_m = (tiles_m + SH_M - 1) / SH_M, sup_n = (tiles_n + SH_N - 1) / SH_N;
  const long blocks = (work / tiles) * sup_m * sup_n;
  const int cell = 1 + (int)(unit_id() % (uint)units);
  __global int* claims = claims_ + claims_off;
  __local long claimed;
  long alone = -1;  // lid 0: a block this group holds by itself, and its next tile
  int alone_next = 0;
  for (;;) {
    if (lid == 0) claimed = claim(claims, cell, blocks, &alone, &alone_next);
    barrier(CLK_LOCAL_MEM_FENCE);
    const long got = claimed;
    barrier(CLK_LOCAL_MEM_FENCE);  // read by all before lid 0 writes the next
    if (got < 0) break;
    const long u = got / SHARE, plane = u / (sup_m * sup_n);
    const int j = (int)(got % SHARE);
    long tm, tn;
    raster(u % (sup_m * sup_n), sup_m, sup_n, &tm, &tn);
    tm = tm * SH_M + j % SH_M;
    tn = tn * SH_N + j / SH_M;
    if (tm >= tiles_m || tn >= tiles_n) continue;  // a block at the edge
    const long b = plane / splits;
    const int split = (int)(plane % splits);
#else
  {
    const long g = get_group_id(0), b = g / (tiles * splits);
    const int split = (int)((g / tiles) % splits);
    long tm, tn;
    raster(g % tiles, tiles_m, tiles_n, &tm, &tn);
#endif
  const long m0 = tm * BM, n0 = tn * BN;
  const int warp = lid / 32, lane = lid % 32;
  const int wm = (warp / WARPS_N) * WTM, wn = (warp % WARPS_N) * WTN;  // the warp's corner in the tile
  const int grp = lane / 4, tig = lane % 4;                            // PTX's groupID and threadID_in_group

  const long k_begin = split * k_chunk, depth = min(K, k_begin + k_chunk) - k_begin;
  __global const EL* A = (__global const EL*)A_ + a_off + b * a_sb + m0 * a_sm + k_begin * a_sk;
  __global const EL* B = (__global const EL*)B_ + b_off + b * b_sb + n0 * b_sn + k_begin * b_sk;
  const long rows_a = M - m0, rows_b = N - n0;

  // this work-item's chunks of each operand tile, and the copy of stage s from depth k0
  // (where a tile's chunks do not split evenly among the work-items, those past the last chunk
  // copy none in the last round, COPIES_A/B, and CHUNK_A/B gives them the last chunk's slot)
#define CHUNKS_A (BM * BK / KPC)
#define CHUNKS_B (BN * BK / KPC)
#define CH_A ((CHUNKS_A + THREADS - 1) / THREADS)
#define CH_B ((CHUNKS_B + THREADS - 1) / THREADS)
#define CHUNK_A(j) min(lid + (j) * THREADS, CHUNKS_A - 1)
#define CHUNK_B(j) min(lid + (j) * THREADS, CHUNKS_B - 1)
#define COPIES_A(j) (CHUNKS_A % THREADS == 0 || lid + (j) * THREADS < CHUNKS_A)
#define COPIES_B(j) (CHUNKS_B % THREADS == 0 || lid + (j) * THREADS < CHUNKS_B)
  Slot sa[CH_A], sb[CH_B];
#if CONV_A
  __global const EL* img = (__global const EL*)A_ + a_off + b * a_sb;
  MMA_UNROLL
  for (int j = 0; j < CH_A; ++j) sa[j] = conv_slot(img, m0, M, CHUNK_A(j), k_begin, CONV_GEOMETRY);
#else
  MMA_UNROLL
  for (int j = 0; j < CH_A; ++j) sa[j] = slot(A, a_sm, a_sk, rows_a, A_K_CONTIG, A_K_CONTIG ? BK : BM, CHUNK_A(j));
#endif
#if CONV_B
  __global const EL* img = (__global const EL*)B_ + b_off + b * b_sb;
  MMA_UNROLL
  for (int j = 0; j < CH_B; ++j) sb[j] = conv_slot_b(img, n0, N, CHUNK_B(j), k_begin, CONV_GEOMETRY);
#else
  MMA_UNROLL
  for (int j = 0; j < CH_B; ++j) sb[j] = slot(B, b_sn, b_sk, rows_b, B_K_CONTIG, B_K_CONTIG ? BK : BN, CHUNK_B(j));
#endif
#if CONV_A
#define COPY_A(s, k0_)                                                                                  \
  MMA_UNROLL for (int j = 0; j < CH_A; ++j) if (COPIES_A(j))                                            \
    conv_copy(As + (s) * TILE_A, &sa[j], k_begin + k0_ + sa[j].kpos, k_begin + depth, img, CONV_GEOMETRY);
#else
#define COPY_A(s, k0_)                                                                                  \
  MMA_UNROLL for (int j = 0; j < CH_A; ++j) if (COPIES_A(j))                                            \
    copy_chunk(As + (s) * TILE_A, sa[j], k0_ * a_sk, depth - k0_ - sa[j].kpos, A_K_CONTIG ? a_sk : a_sm, \
               A_K_CONTIG, VEC_A, A);
#endif
#if CONV_B
#define COPY_B(s, k0_)                                                                                  \
  MMA_UNROLL for (int j = 0; j < CH_B; ++j) if (COPIES_B(j))                                            \
    conv_copy_b(Bs + (s) * TILE_B, &sb[j], k_begin + k0_ + sb[j].kpos, k_begin + depth, img, CONV_GEOMETRY);
#else
#define COPY_B(s, k0_)                                                                                  \
  MMA_UNROLL for (int j = 0; j < CH_B; ++j) if (COPIES_B(j))                                            \
    copy_chunk(Bs + (s) * TILE_B, sb[j], k0_ * b_sk, depth - k0_ - sb[j].kpos, B_K_CONTIG ? b_sk : b_sn, \
               B_K_CONTIG, VEC_B, B);
#endif
#define COPY_STAGE(s, k0) \
  {                       \
    const long k0_ = (k0); \
    COPY_A(s, k0_)        \
    COPY_B(s, k0_)        \
  }

#if MMA_SIMT
  const int lr = lane / 8, lc = lane % 8;
  float acc[8][8];
  MMA_UNROLL
  for (int i = 0; i < 8; ++i)
    MMA_UNROLL
    for (int j = 0; j < 8; ++j) acc[i][j] = 0.0f;
#else
  float acc[MT][NT][4];
  MMA_UNROLL
  for (int i = 0; i < MT; ++i)
    MMA_UNROLL
    for (int j = 0; j < NT; ++j)
      MMA_UNROLL
      for (int c = 0; c < 4; ++c) acc[i][j][c] = 0.0f;
#endif

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
    __local const ushort* La = As + (kt % STAGES) * TILE_A;
    __local const ushort* Lb = Bs + (kt % STAGES) * TILE_B;
#if MMA_SIMT
    MMA_UNROLL
    for (int kc = 0; kc < BK / 4; ++kc) {
      float av[8][4], bv[8][4];
      SIMT_LOAD(av, La, A_K_CONTIG, BM, wm, SIMT_ROW, lr, kc)
      SIMT_LOAD(bv, Lb, B_K_CONTIG, BN, wn, SIMT_COL, lc, kc)
      MMA_UNROLL
      for (int kk = 0; kk < 4; ++kk)
        MMA_UNROLL
        for (int i = 0; i < 8; ++i)
          MMA_UNROLL
          for (int j = 0; j < 8; ++j) acc[i][j] = fma(av[i][kk], bv[j][kk], acc[i][j]);
    }
#else
    MMA_UNROLL
    for (int kk = 0; kk < BK; kk += KSTEP) {
      uint4 fa[MT], fb[NT / 2];
      MMA_UNROLL
      for (int i = 0; i < MT; ++i) fa[i] = frag_a(La, wm + i * 16, kk, lane);
      MMA_UNROLL
      for (int j = 0; j < NT / 2; ++j) fb[j] = frag_b(Lb, wn + j * 16, kk, lane);
      MMA_UNROLL
      for (int i = 0; i < MT; ++i)
        MMA_UNROLL
        for (int j = 0; j < NT; ++j) {
          const uint b0 = (j % 2) ? fb[j / 2].z : fb[j / 2].x, b1 = (j % 2) ? fb[j / 2].w : fb[j / 2].y;
          MMA16816(acc[i][j], fa[i], b0, b1);
        }
    }
#endif
  }

  // accumulators 2h, 2h + 1 of tile (i, j) are elements (grp + 8 h, 2 tig + 0..1) of that 16 x 8 tile
#if SPLIT_K
  __global float* Wb = W + w_off + (b * splits + split) * M * N;
#else
  __global T* Cb = C + c_off + b * c_sb;
  __global const T* Sb = S + s_off + b * s_sb;
#endif
#if MMA_SIMT
  MMA_UNROLL
  for (int i = 0; i < 8; ++i)
    MMA_UNROLL
    for (int j = 0; j < 8; ++j) {
      const long m = m0 + wm + SIMT_ROW(lr, i), n = n0 + wn + SIMT_COL(lc, j);
      if (m >= M || n >= N) continue;
#if SPLIT_K
      Wb[m * N + n] = acc[i][j];
#else
      float v = alpha * acc[i][j];
      if (use_s) v = fma(beta, LOAD(Sb, m * s_sm + n * s_sn), v);
      STORE(Cb, m * c_sm + n * c_sn, v);
#endif
    }
#else
  MMA_UNROLL
  for (int i = 0; i < MT; ++i)
    MMA_UNROLL
    for (int j = 0; j < NT; ++j)
      MMA_UNROLL
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
#endif
#if SHARE
  barrier(CLK_LOCAL_MEM_FENCE);  // everyone is done with the stages before the next tile's copies
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
