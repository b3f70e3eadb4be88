// multinomial sampling on Philox draws. Defines: F (float or double, the probability
// compute type). Every launch has its own (seed, offset), every sample its own counter.

#ifdef OCL_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

// With replacement: sample e of row r is the first category whose cumulative weight
// exceeds u * total; zero-weight categories are never chosen.
__kernel void multinomial_with(__global const F* cdf, ulong ocdf, __global long* out, ulong oout, ulong rows,
                               ulong cats, ulong samples, ulong seed, ulong offset) {
  for (ulong e = get_global_id(0); e < rows * samples; e += get_global_size(0)) {
    const ulong base = ocdf + (e / samples) * cats;
    const F target = (F)rand_uniform_float(rand4(seed, offset, e).x) * cdf[base + cats - 1];
    ulong lo = 0, hi = cats;
    while (lo < hi) {
      const ulong mid = lo + (hi - lo) / 2;
      if (cdf[base + mid] > target)
        hi = mid;
      else
        lo = mid + 1;
    }
    // rounding can put target at the total: take the last category with weight
    if (lo >= cats) {
      lo = cats - 1;
      while (lo > 0 && cdf[base + lo] == cdf[base + lo - 1]) --lo;
    }
    out[oout + e] = (long)lo;
  }
}

// Without replacement: key log(u) / p; the largest keys of a row are a sample without
// replacement with probabilities p (exponential races). p == 0 never wins over p > 0.
__kernel void multinomial_keys(__global const F* p, ulong op, __global F* keys, ulong ok, ulong n, ulong seed,
                               ulong offset) {
  for (ulong e = get_global_id(0); e < n; e += get_global_size(0)) {
    const F w = p[op + e];
    const F u = (F)rand_uniform_float_pos(rand4(seed, offset, e).x);
    keys[ok + e] = w > 0 ? log(u) / w : -INFINITY;
  }
}
