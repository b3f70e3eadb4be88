// Bitonic sort of contiguous rows of (key, index) pairs, rows padded to a power of two P.
// Ties break on the original index, so the order is the stable one whatever the network does.
// Defines from the launcher: K (key type), WG (work-group size), B (elements a work-group
// sorts in local memory, a power of two >= 2 * WG), DESC for descending order.
// NaN sorts as the largest key (last ascending, first descending), as on the CPU.

#ifdef OCL_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define IS_NAN(x) ((x) != (x))

inline bool key_before(K a, K b) {
#ifdef DESC
  return IS_NAN(a) ? !IS_NAN(b) : (b < a);
#else
  return IS_NAN(b) ? !IS_NAN(a) : (a < b);
#endif
}

// Padding (index >= n) goes after every real element.
inline bool before(K a, long ia, K b, long ib, long n) {
  if (ia >= n) return false;
  if (ib >= n) return true;
  if (key_before(a, b)) return true;
  if (key_before(b, a)) return false;
  return ia < ib;
}

// Copies rows of x ([rows, n]) into the padded key/index buffers ([rows, P]).
__kernel void sort_init(__global const K* x, ulong ox, __global K* keys, ulong ok, __global long* idx, ulong oi,
                        ulong rows, ulong n, ulong P) {
  for (ulong e = get_global_id(0); e < rows * P; e += get_global_size(0)) {
    const ulong r = e / P, p = e % P;
    keys[ok + e] = p < n ? x[ox + r * n + p] : (K)0;
    idx[oi + e] = (long)p;
  }
}

// One compare-exchange step (k: bitonic stage, j: distance) over all rows, in global memory.
__kernel void sort_global(__global K* keys, ulong ok, __global long* idx, ulong oi, ulong rows, ulong n, ulong P,
                          ulong k, ulong j) {
  const ulong pairs = P / 2;
  for (ulong t = get_global_id(0); t < rows * pairs; t += get_global_size(0)) {
    const ulong r = t / pairs, q = t % pairs;
    const ulong i = (q / j) * 2 * j + q % j, l = i + j;
    const bool asc = (i & k) == 0;
    const ulong a = ok + r * P + i, b = ok + r * P + l;
    const ulong ai = oi + r * P + i, bi = oi + r * P + l;
    K ka = keys[a], kb = keys[b];
    long ia = idx[ai], ib = idx[bi];
    if (asc ? before(kb, ib, ka, ia, (long)n) : before(ka, ia, kb, ib, (long)n)) {
      keys[a] = kb;
      keys[b] = ka;
      idx[ai] = ib;
      idx[bi] = ia;
    }
  }
}

// Stages k_first..k_last (distances from j_first down to 1 in the first stage, k/2 in later
// ones) within blocks of blk elements held in local memory.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void sort_local(
    __global K* keys, ulong ok, __global long* idx, ulong oi, ulong rows, ulong n, ulong P, ulong blk,
    ulong k_first, ulong k_last, ulong j_first) {
  __local K lk[B];
  __local long li[B];
  const uint lid = get_local_id(0);
  const ulong blocks = P / blk;
  for (ulong g = get_group_id(0); g < rows * blocks; g += get_num_groups(0)) {
    const ulong base = (g / blocks) * P + (g % blocks) * blk, pos0 = (g % blocks) * blk;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (ulong e = lid; e < blk; e += WG) {
      lk[e] = keys[ok + base + e];
      li[e] = idx[oi + base + e];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (ulong k = k_first; k <= k_last; k <<= 1) {
      for (ulong j = (k == k_first ? j_first : k / 2); j > 0; j >>= 1) {
        for (ulong q = lid; q < blk / 2; q += WG) {
          const ulong i = (q / j) * 2 * j + q % j, l = i + j;
          const bool asc = ((pos0 + i) & k) == 0;
          K ka = lk[i], kb = lk[l];
          long ia = li[i], ib = li[l];
          if (asc ? before(kb, ib, ka, ia, (long)n) : before(ka, ia, kb, ib, (long)n)) {
            lk[i] = kb;
            lk[l] = ka;
            li[i] = ib;
            li[l] = ia;
          }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
      }
    }
    for (ulong e = lid; e < blk; e += WG) {
      keys[ok + base + e] = lk[e];
      idx[oi + base + e] = li[e];
    }
  }
}
