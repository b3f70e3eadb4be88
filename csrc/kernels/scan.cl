// Inclusive scans along contiguous rows: a work-group scans one chunk of a row tile by tile
// in local memory, carrying the running value across tiles; long rows are cut into chunks
// whose totals are scanned again and combined back (scan_carry).
// Defines from the launcher: T (value type), WG (work-group size), COMBINE(a, b) (a comes
// earlier), IDENTITY; with HAS_INDEX the scan runs on (value, index) pairs and REPLACES(a, b)
// says whether the later b wins over a (cummax/cummin; ties go to the later index as on the CPU).

#ifdef OCL_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define IS_NAN(x) ((x) != (x))

#ifdef NEED_LOG_ADD_EXP
inline T log_add_exp(T a, T b) {
  if (IS_NAN(a) || IS_NAN(b)) return a + b;
  T mn = min(a, b), mx = max(a, b);
  // equal infinities stay as they are (exp(inf - inf) would be NaN)
  if (mn != mx || isfinite(mn)) return mx + log1p(exp(mn - mx));
  return mx;
}
#endif

#ifdef HAS_INDEX
// An index of -1 marks an empty slot (out-of-range lanes, the initial carry).
#define PAIR_COMBINE(va, ia, vb, ib, vo, io)            \
  do {                                                 \
    if ((ib) >= 0 && ((ia) < 0 || REPLACES(va, vb))) { \
      vo = (vb);                                       \
      io = (ib);                                       \
    } else {                                           \
      vo = (va);                                       \
      io = (ia);                                       \
    }                                                  \
  } while (0)
#endif

// Group g scans chunk g % chunks of row g / chunks; tot[g] receives the chunk's total.
// With HAS_INDEX, xi (when use_xi) gives each element's index, else its position in the row.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void scan_chunks(
    __global const T* x, ulong ox, __global T* y, ulong oy, __global T* tot, ulong ot,
#ifdef HAS_INDEX
    __global const long* xi, ulong oxi, __global long* yi, ulong oyi, __global long* toti, ulong oti, int use_xi,
#endif
    ulong rows, ulong n, ulong chunks, ulong chunk_len) {
  __local T sv[WG];
#ifdef HAS_INDEX
  __local long si[WG];
#endif
  const uint lid = get_local_id(0);
  for (ulong g = get_group_id(0); g < rows * chunks; g += get_num_groups(0)) {
    const ulong row = g / chunks, begin = (g % chunks) * chunk_len;
    const ulong end = min(begin + chunk_len, n);
    T carry = IDENTITY;
#ifdef HAS_INDEX
    long carry_i = -1;
#endif
    for (ulong t = begin; t < end; t += WG) {
      const ulong p = t + lid;
      const bool in = p < end;
      T v = in ? x[ox + row * n + p] : (T)(IDENTITY);
#ifdef HAS_INDEX
      long vi = in ? (use_xi ? xi[oxi + row * n + p] : (long)p) : -1;
#endif
      barrier(CLK_LOCAL_MEM_FENCE);
      sv[lid] = v;
#ifdef HAS_INDEX
      si[lid] = vi;
#endif
      // Hillis-Steele: after the step with offset d, slot l holds the scan of (l - 2d, l].
      for (uint d = 1; d < WG; d <<= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        T a = lid >= d ? sv[lid - d] : (T)(IDENTITY);
#ifdef HAS_INDEX
        long ai = lid >= d ? si[lid - d] : -1;
#endif
        barrier(CLK_LOCAL_MEM_FENCE);
#ifdef HAS_INDEX
        PAIR_COMBINE(a, ai, v, vi, v, vi);
        si[lid] = vi;
#else
        v = COMBINE(a, v);
#endif
        sv[lid] = v;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
#ifdef HAS_INDEX
      T r;
      long ri;
      PAIR_COMBINE(carry, carry_i, v, vi, r, ri);
      if (in) {
        y[oy + row * n + p] = r;
        yi[oyi + row * n + p] = ri;
      }
      T last = sv[WG - 1];
      long last_i = si[WG - 1];
      PAIR_COMBINE(carry, carry_i, last, last_i, carry, carry_i);
#else
      if (in) y[oy + row * n + p] = COMBINE(carry, v);
      carry = COMBINE(carry, sv[WG - 1]);
#endif
    }
    if (lid == 0) {
      tot[ot + g] = carry;
#ifdef HAS_INDEX
      toti[oti + g] = carry_i;
#endif
    }
  }
}

// Combines the scanned total of the chunks before each element's chunk into it.
// tot holds the inclusive scan of chunk totals, [rows, chunks].
__kernel void scan_carry(__global T* y, ulong oy, __global const T* tot, ulong ot,
#ifdef HAS_INDEX
                         __global long* yi, ulong oyi, __global const long* toti, ulong oti,
#endif
                         ulong rows, ulong n, ulong chunks, ulong chunk_len) {
  for (ulong e = get_global_id(0); e < rows * n; e += get_global_size(0)) {
    const ulong row = e / n, c = (e % n) / chunk_len;
    if (c == 0) continue;
    const ulong k = ot + row * chunks + c - 1;
#ifdef HAS_INDEX
    T v;
    long vi;
    PAIR_COMBINE(tot[k], toti[oti + row * chunks + c - 1], y[oy + e], yi[oyi + e], v, vi);
    y[oy + e] = v;
    yi[oyi + e] = vi;
#else
    y[oy + e] = COMBINE(tot[k], y[oy + e]);
#endif
  }
}
