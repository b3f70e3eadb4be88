// Portable tiled GEMM for 16-bit floats (and float32 on request): C = alpha * A @ B + beta * S over a batch, with
// float accumulation, any strides (transposes, broadcast self, batch strides) and any sizes.
//
// The host prepends: T (storage type), LOAD(p, i) -> float, STORE(p, i, v), and
// A_K_CONTIG / B_N_CONTIG (1 when A's k stride or B's n stride is 1: tiles are then read
// along that dimension so neighbouring work-items touch neighbouring addresses).
//
// Tunables (a work-group computes a TM x TN tile of C, each work-item WM x WN of it):
#ifndef TM
#define TM 64  // rows of C per work-group
#endif
#ifndef TN
#define TN 64  // columns of C per work-group
#endif
#ifndef TK
#define TK 16  // depth of the A and B tiles held in local memory per step
#endif
#ifndef WM
#define WM 4  // rows of C per work-item
#endif
#ifndef WN
#define WN 4  // columns of C per work-item
#endif

#define RM (TM / WM)          // work-items along m
#define RN (TN / WN)          // work-items along n
#define THREADS (RM * RN)     // work-group size (the host launches exactly this many)
#define A_LOADS (TM * TK / THREADS)
#define B_LOADS (TK * TN / THREADS)
#if (TM * TK) % THREADS != 0 || (TK * TN) % THREADS != 0 || TM % WM != 0 || TN % WN != 0
#error "gemm.cl: tile sizes must divide evenly among the work-items"
#endif

// Element (r, c) of a tile as seen by load slot e: along the contiguous dimension first.
__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1))) void gemm(
    __global const T* A, ulong a_off, long a_sb, long a_sm, long a_sk,
    __global const T* B, ulong b_off, long b_sb, long b_sk, long b_sn,
    __global T* C, ulong c_off, long c_sb, long c_sm, long c_sn,
    __global const T* S, ulong s_off, long s_sb, long s_sm, long s_sn,
    long M, long N, long K, float alpha, float beta, int use_s) {
  // +1 column of padding keeps transposed tile writes off one local memory bank
  __local float As[TK][TM + 1];
  __local float Bs[TK][TN + 1];

  const long tiles_n = (N + TN - 1) / TN, tiles_m = (M + TM - 1) / TM;
  const long g = get_group_id(0);
  const long n0 = (g % tiles_n) * TN;
  const long m0 = ((g / tiles_n) % tiles_m) * TM;
  const long b = g / (tiles_n * tiles_m);
  const int lid = get_local_id(0);
  const int tn = lid % RN, tm = lid / RN;

  // 64-bit batch offsets: a batch stride times the batch index can pass 2^31 elements
  __global const T* Ab = A + a_off + b * a_sb;
  __global const T* Bb = B + b_off + b * b_sb;

  float acc[WM][WN];
  for (int i = 0; i < WM; ++i)
    for (int j = 0; j < WN; ++j) acc[i][j] = 0.0f;

  const bool full_mn = m0 + TM <= M && n0 + TN <= N;
  for (long k0 = 0; k0 < K; k0 += TK) {
    // uniform across the work-group: interior tiles skip the bounds checks
    const bool full = full_mn && k0 + TK <= K;
    for (int r = 0; r < A_LOADS; ++r) {
      const int e = lid + r * THREADS;
#if A_K_CONTIG
      const int k = e % TK, m = e / TK;
#else
      const int m = e % TM, k = e / TM;
#endif
      const long gm = m0 + m, gk = k0 + k;
      As[k][m] = (full || (gm < M && gk < K)) ? LOAD(Ab, gm * a_sm + gk * a_sk) : 0.0f;
    }
    for (int r = 0; r < B_LOADS; ++r) {
      const int e = lid + r * THREADS;
#if B_N_CONTIG
      const int n = e % TN, k = e / TN;
#else
      const int k = e % TK, n = e / TK;
#endif
      const long gn = n0 + n, gk = k0 + k;
      Bs[k][n] = (full || (gn < N && gk < K)) ? LOAD(Bb, gk * b_sk + gn * b_sn) : 0.0f;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int kk = 0; kk < TK; ++kk) {
      float a[WM], bv[WN];
      // strided ownership (tm + i * RM): neighbouring work-items read neighbouring words
      for (int i = 0; i < WM; ++i) a[i] = As[kk][tm + i * RM];
      for (int j = 0; j < WN; ++j) bv[j] = Bs[kk][tn + j * RN];
      for (int i = 0; i < WM; ++i)
        for (int j = 0; j < WN; ++j) acc[i][j] = fma(a[i], bv[j], acc[i][j]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }

  __global T* Cb = C + c_off + b * c_sb;
  __global const T* Sb = S + s_off + b * s_sb;
  for (int i = 0; i < WM; ++i) {
    const long m = m0 + tm + i * RM;
    if (m >= M) break;
    for (int j = 0; j < WN; ++j) {
      const long n = n0 + tn + j * RN;
      if (n >= N) break;
      float v = alpha * acc[i][j];
      // beta == 0 never reads S (NaN in self is ignored, as ATen does)
      if (use_s) v = fma(beta, LOAD(Sb, m * s_sm + n * s_sn), v);
      STORE(Cb, m * c_sm + n * c_sn, v);
    }
  }
}
