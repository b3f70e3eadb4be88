// searchsorted/bucketize: a binary search per value in its row of boundaries (one shared
// row when the boundaries are 1-D). Defines: K (compared type), OUT (int or long).
// The comparisons are written as the CPU's, so NaN values land past every boundary.

#ifdef OCL_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

__kernel void searchsorted(__global const K* bd, ulong obd, __global const long* sorter, ulong osort, int use_sorter,
                           __global const K* v, ulong ov, __global OUT* out, ulong oout, ulong n, ulong inner, ulong m,
                           int right) {
  for (ulong e = get_global_id(0); e < n; e += get_global_size(0)) {
    const ulong base = inner ? (e / inner) * m : 0;
    const K x = v[ov + e];
    ulong lo = 0, hi = m;
    while (lo < hi) {
      const ulong mid = lo + (hi - lo) / 2;
      const K b = bd[obd + base + (use_sorter ? (ulong)sorter[osort + base + mid] : mid)];
      if (right ? !(b > x) : !(b >= x))
        lo = mid + 1;
      else
        hi = mid;
    }
    out[oout + e] = (OUT)lo;
  }
}
