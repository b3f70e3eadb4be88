// Nearest upsampling (legacy and exact) over (N, C, D, H, W), of which 1d and 2d are the cases
// D = 1 (and H = 1), forward and backward, with the CPU's index arithmetic (float). Apart from
// upsample.cl because it only moves values, so it also builds for uint8. The backward kernel
// gathers: each input element sums the outputs whose nearest source it is (no atomics).
// The including source defines IDX, T, ACC, LOAD and STORE (see TypedSource.h); nchw.cl
// (strided addressing) comes first.

typedef struct {
  int C, D, H, W, OD, OH, OW;
  int exact;        // nearest-exact: pixel centres ((o + 0.5) * scale)
  float sd, sh, sw; // source index scales
} Nearest;

// The CPU's nearest_idx (exact for scale 1 and 2, float arithmetic otherwise) and nearest_exact_idx.
inline int nearest_src(int o, int in, int out, float scale, int exact) {
  if (exact) return min((int)floor(((float)o + 0.5f) * scale), in - 1);
  if (out == in) return o;
  if (out == 2 * in) return o >> 1;
  return min((int)floor((float)o * scale), in - 1);
}

__kernel void upsample_nearest(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                               Nearest r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow;
    IDX yoff = offset_of(ys, e, r.C, r.OD, r.OH, r.OW, &od, &oh, &ow);
    IDX base = xo + plane_of(xs, e, r.C, (IDX)r.OD * r.OH * r.OW);
    int id = nearest_src(od, r.D, r.OD, r.sd, r.exact), ih = nearest_src(oh, r.H, r.OH, r.sh, r.exact),
        iw = nearest_src(ow, r.W, r.OW, r.sw, r.exact);
    STORE(y, yo + yoff, LOAD(x, base + at3(xs, id, ih, iw)));
  }
}

// First output index whose nearest source can be i (the mapping is non-decreasing).
inline int nearest_first(int i, int in, int out, float scale, int exact) {
  int o = (int)clamp(floor((float)i / scale) - 2, 0.0f, (float)out);
  if (!exact && out == in) o = i;
  if (!exact && out == 2 * in) o = 2 * i;
  while (o < out && nearest_src(o, in, out, scale, exact) < i) ++o;
  return o;
}

__kernel void upsample_nearest_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                        Strides gis, Nearest r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw;
    IDX goff = offset_of(gis, e, r.C, r.D, r.H, r.W, &id, &ih, &iw);
    IDX gbase = goo + plane_of(gos, e, r.C, (IDX)r.D * r.H * r.W);
    int h0 = nearest_first(ih, r.H, r.OH, r.sh, r.exact), w0 = nearest_first(iw, r.W, r.OW, r.sw, r.exact);
    ACC sum = 0;
    for (int od = nearest_first(id, r.D, r.OD, r.sd, r.exact);
         od < r.OD && nearest_src(od, r.D, r.OD, r.sd, r.exact) == id; ++od)
      for (int oh = h0; oh < r.OH && nearest_src(oh, r.H, r.OH, r.sh, r.exact) == ih; ++oh)
        for (int ow = w0; ow < r.OW && nearest_src(ow, r.W, r.OW, r.sw, r.exact) == iw; ++ow)
          sum += LOAD(go, gbase + at3(gos, od, oh, ow));
    STORE(gi, gio + goff, sum);
  }
}
