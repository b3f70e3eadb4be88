// index_select over contiguous tensors: out[o][j][:] = self[o][idx[j]][:], slices of `inner`
// elements moved as raw bits of type E (uchar .. ulong, or a 4-vector of them where every slice
// is 4-aligned). Each slice (o, j) takes LANES work items striding over it, so the index is read
// once per work item and the copies of a SIMD group are contiguous. An index outside [0, size)
// is recorded in err (flag, value) and its slice is left unwritten; the host raises.
__kernel void gather_rows(__global E* out, ulong oout, __global const E* self, ulong oself, __global const I* idx,
                          ulong oidx, long istride, long slices, long nidx, long size, long inner,
                          __global long* err, ulong oerr) {
  const long lane = get_global_id(0) % LANES;
  for (long s = get_global_id(0) / LANES; s < slices; s += get_global_size(0) / LANES) {
    const long j = s % nidx, o = s / nidx;
    const long k = (long)idx[oidx + j * istride];
    if (k < 0 || k >= size) {
      err[oerr] = 1;
      err[oerr + 1] = k;
      continue;
    }
    __global const E* src = self + oself + (o * size + k) * inner;
    __global E* dst = out + oout + s * inner;
    // four moves per work item in flight: all loads before the stores
    for (long i0 = lane; i0 < inner; i0 += 4 * LANES) {
      E v[4];
#pragma unroll
      for (int u = 0; u < 4; ++u)
        if (i0 + u * LANES < inner) v[u] = src[i0 + u * LANES];
#pragma unroll
      for (int u = 0; u < 4; ++u)
        if (i0 + u * LANES < inner) dst[i0 + u * LANES] = v[u];
    }
  }
}
