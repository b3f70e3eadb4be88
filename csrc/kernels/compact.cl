// Stream compaction on an inclusive prefix sum `pos` of 0/1 flags: element i is selected
// when pos[i] > pos[i - 1] and goes to slot pos[i] - 1. Elements move as raw bits of type E
// (uchar, ushort, uint or ulong), so one kernel serves every dtype of that size.

// nonzero: writes the coordinates (sizes[ndim], row-major) of selected elements into
// out[slot * ndim + d], for slots below limit (nonzero_static truncates).
__kernel void nonzero_write(__global const long* pos, ulong opos, __global long* out, ulong oout,
                            __global const long* sizes, ulong osizes, ulong n, int ndim, ulong limit) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {
    const long p = pos[opos + i];
    if (p == (i ? pos[opos + i - 1] : 0) || (ulong)(p - 1) >= limit) continue;
    ulong r = i;
    for (int d = ndim - 1; d >= 0; --d) {
      const ulong z = (ulong)sizes[osizes + d];
      out[oout + (ulong)(p - 1) * ndim + d] = (long)(r % z);
      r /= z;
    }
  }
}

// Row slot of out = row i of x (rows of width elements) for selected i (masked_select,
// unique values and group starts).
__kernel void compact(__global const long* pos, ulong opos, __global const E* x, ulong ox, __global E* out, ulong oout,
                      ulong n, ulong width) {
  for (ulong e = get_global_id(0); e < n * width; e += get_global_size(0)) {
    const ulong i = e / width;
    const long p = pos[opos + i];
    if (p != (i ? pos[opos + i - 1] : 0)) out[oout + (ulong)(p - 1) * width + e % width] = x[ox + e];
  }
}

// self[i] = src[slot] for selected i (masked_scatter_).
__kernel void expand(__global const long* pos, ulong opos, __global E* self, ulong oself, __global const E* src,
                     ulong osrc, ulong n) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) {
    const long p = pos[opos + i];
    if (p != (i ? pos[opos + i - 1] : 0)) self[oself + i] = src[osrc + p - 1];
  }
}
