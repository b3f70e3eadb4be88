// Batched 2-d transposing copy through local memory: out[b][i1][i0] = in[b][i0][i1] where the
// output is contiguous along i0 and the input along i1, so that both the reads and the writes of
// a work-group's 32 x 32 tile are coalesced (a generic strided copy reads or writes one element
// per 32-byte sector). Elements move as raw bits of type E (uchar, ushort, uint or ulong).
// The work-group is TILE x ROWS work items; groups loop over the tiles, each work item running
// the same number of iterations (the barriers stay uniform).
#define TILE 32

__kernel void transpose_tiles(__global E* out, ulong oout, __global const E* in, ulong oin, long n0, long n1,
                              long nb, long os1, long osb, long is0, long isb, long tiles0, long tiles1) {
  __local E tile[TILE][TILE + 1];  // + 1: a column's elements on distinct banks
  const int lx = get_local_id(0) % TILE, ly = get_local_id(0) / TILE;
  const long tiles = tiles0 * tiles1 * nb;
  for (long g = get_group_id(0); g < tiles; g += get_num_groups(0)) {
    const long t0 = g % tiles0, t1 = (g / tiles0) % tiles1, b = g / (tiles0 * tiles1);
    const long i0 = t0 * TILE, i1 = t1 * TILE;
    __global const E* src = in + oin + b * isb;
    __global E* dst = out + oout + b * osb;
    for (int r = ly; r < TILE; r += ROWS)  // r along i0, the lanes along i1 (the input's rows)
      if (i0 + r < n0 && i1 + lx < n1) tile[r][lx] = src[(i0 + r) * is0 + i1 + lx];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int r = ly; r < TILE; r += ROWS)  // r along i1, the lanes along i0 (the output's rows)
      if (i1 + r < n1 && i0 + lx < n0) dst[(i1 + r) * os1 + i0 + lx] = tile[lx][r];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
}
