// unique / unique_consecutive: flags where a new group starts, the inverse mapping and the
// group sizes. Defines: K (compared type). Keys compare with == (NaNs stay distinct, -0 == 0).

#ifdef OCL_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

// flags[i] = 1 where row i (width elements) differs from row i - 1, and for row 0.
__kernel void group_starts(__global const K* x, ulong ox, __global long* flags, ulong of, ulong n, ulong width) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {
    long f = i == 0;
    for (ulong j = 0; j < width && !f; ++j) f = !(x[ox + i * width + j] == x[ox + (i - 1) * width + j]);
    flags[of + i] = f;
  }
}

// inverse[perm[i]] = group of sorted element i (pos: inclusive prefix sum of the flags);
// without a permutation (unique_consecutive) inverse[i] = group of element i.
__kernel void group_inverse(__global const long* pos, ulong opos, __global const long* perm, ulong operm, int use_perm,
                            __global long* inv, ulong oinv, ulong n) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {
    const ulong dst = use_perm ? (ulong)perm[operm + i] : i;
    inv[oinv + dst] = pos[opos + i] - 1;
  }
}

// counts[g] = starts[g + 1] - starts[g], the last group ending at n.
__kernel void group_counts(__global const long* starts, ulong os, __global long* counts, ulong oc, ulong groups,
                           ulong n) {
  for (ulong g = get_global_id(0); g < groups; g += get_global_size(0))
    counts[oc + g] = (g + 1 < groups ? starts[os + g + 1] : (long)n) - starts[os + g];
}

// unique over a dim sorts rows lexicographically, one stable sort per column from the last:
// out[i] = column col of row perm[i] of x ([n, width]).
__kernel void gather_column(__global const K* x, ulong ox, __global const long* perm, ulong op, __global K* out,
                            ulong oo, ulong n, ulong width, ulong col) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0))
    out[oo + i] = x[ox + (ulong)perm[op + i] * width + col];
}

// out[i] = perm[p[i]] (composes the permutation of one column sort with the ones before).
__kernel void compose(__global const long* perm, ulong op, __global const long* p, ulong opp, __global long* out,
                      ulong oo, ulong n) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) out[oo + i] = perm[op + (ulong)p[opp + i]];
}

// Row i of out = row perm[i] of x ([n, width]).
__kernel void gather_rows(__global const K* x, ulong ox, __global const long* perm, ulong op, __global K* out,
                          ulong oo, ulong n, ulong width) {
  for (ulong e = get_global_id(0); e < n * width; e += get_global_size(0))
    out[oo + e] = x[ox + (ulong)perm[op + e / width] * width + e % width];
}
