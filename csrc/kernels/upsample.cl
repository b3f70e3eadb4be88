// 2d upsampling, nearest and bilinear, forward and backward, with the CPU's index and
// weight arithmetic (float for 16-bit and 32-bit floats). Backward kernels gather: each
// input element scans the few output elements that can reach it and checks the exact
// forward mapping, so no atomics are needed and the result matches the forward's weights.
// The including source defines IDX, T, ACC, LOAD and STORE (see TypedSource.h); nchw.cl
// (strided addressing) comes first.

typedef struct {
  int C, H, W, OH, OW;
  int align_corners;
  ACC sh, sw;   // bilinear: area_pixel scale; nearest: source index scale (float)
} Resize;

// nearest: the CPU's nearest_idx (exact for scale 1 and 2, float arithmetic otherwise)
inline int nearest_src(int o, int in, int out, float scale) {
  if (out == in) return o;
  if (out == 2 * in) return o >> 1;
  return min((int)floor((float)o * scale), in - 1);
}

__kernel void upsample_nearest2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                 int C, int H, int W, int OH, int OW, float sh, float sw, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int oh, ow;
    IDX yoff = offset_of(ys, e, C, OH, OW, &oh, &ow);
    IDX base = plane_of(xs, e, C, (IDX)OH * OW);
    int ih = nearest_src(oh, H, OH, sh), iw = nearest_src(ow, W, OW, sw);
    STORE(y, yo + yoff, LOAD(x, xo + base + ih * xs.h + iw * xs.w));
  }
}

// First output index whose nearest source can be i (the mapping is non-decreasing).
inline int nearest_first(int i, int in, int out, float scale) {
  int o = max((int)floor((float)i / scale) - 2, 0);
  if (out == in) o = i;
  if (out == 2 * in) o = 2 * i;
  while (o < out && nearest_src(o, in, out, scale) < i) ++o;
  return o;
}

__kernel void upsample_nearest2d_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                          Strides gis, int C, int H, int W, int OH, int OW, float sh, float sw,
                                          IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int ih, iw;
    IDX goff = offset_of(gis, e, C, H, W, &ih, &iw);
    IDX gbase = plane_of(gos, e, C, (IDX)H * W);
    int w0 = nearest_first(iw, W, OW, sw);
    ACC sum = 0;
    for (int oh = nearest_first(ih, H, OH, sh); oh < OH && nearest_src(oh, H, OH, sh) == ih; ++oh)
      for (int ow = w0; ow < OW && nearest_src(ow, W, OW, sw) == iw; ++ow)
        sum += LOAD(go, goo + gbase + oh * gos.h + ow * gos.w);
    STORE(gi, gio + goff, sum);
  }
}

// bilinear: source index, lower neighbour, its step (0 at the last row) and weight
inline void linear_src(int o, int in, ACC scale, int align, int* i0, int* step, ACC* l1) {
  ACC src = align ? scale * o : scale * ((ACC)o + (ACC)0.5) - (ACC)0.5;
  if (!align && src < 0) src = 0;
  *i0 = min((int)floor(src), in - 1);
  *step = *i0 < in - 1 ? 1 : 0;
  *l1 = clamp(src - (ACC)*i0, (ACC)0, (ACC)1);
}

__kernel void upsample_bilinear2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                  Resize r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int oh, ow, h0, hp, w0, wp;
    ACC lh, lw;
    IDX yoff = offset_of(ys, e, r.C, r.OH, r.OW, &oh, &ow);
    IDX base = plane_of(xs, e, r.C, (IDX)r.OH * r.OW);
    linear_src(oh, r.H, r.sh, r.align_corners, &h0, &hp, &lh);
    linear_src(ow, r.W, r.sw, r.align_corners, &w0, &wp, &lw);
    IDX p = xo + base + h0 * xs.h + w0 * xs.w;
    ACC top = (1 - lw) * LOAD(x, p) + lw * LOAD(x, p + wp * xs.w);
    ACC bot = (1 - lw) * LOAD(x, p + hp * xs.h) + lw * LOAD(x, p + hp * xs.h + wp * xs.w);
    STORE(y, yo + yoff, (1 - lh) * top + lh * bot);
  }
}

// Weight of input index i in output o's interpolation (0 when o does not reach i).
inline ACC linear_weight(int i, int o, int in, ACC scale, int align) {
  int i0, step;
  ACC l1;
  linear_src(o, in, scale, align, &i0, &step, &l1);
  ACC wgt = 0;
  if (i0 == i) wgt += 1 - l1;
  if (i0 + step == i) wgt += l1;
  return wgt;
}

// Output indices [*o0, *o1) that can reach input index i: source positions within one of i.
inline void linear_range(int i, int in, int out, ACC scale, int align, int* o0, int* o1) {
  if (scale <= 0) {
    *o0 = 0;
    *o1 = out;
    return;
  }
  ACC b = align ? 0 : (ACC)0.5 * scale - (ACC)0.5;
  *o0 = max((int)floor(((ACC)i - 1 - b) / scale) - 1, 0);
  *o1 = min((int)ceil(((ACC)i + 1 - b) / scale) + 2, out);
}

__kernel void upsample_bilinear2d_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                           Strides gis, Resize r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int ih, iw, h0, h1, w0, w1;
    IDX goff = offset_of(gis, e, r.C, r.H, r.W, &ih, &iw);
    IDX gbase = plane_of(gos, e, r.C, (IDX)r.H * r.W);
    linear_range(ih, r.H, r.OH, r.sh, r.align_corners, &h0, &h1);
    linear_range(iw, r.W, r.OW, r.sw, r.align_corners, &w0, &w1);
    ACC sum = 0;
    for (int oh = h0; oh < h1; ++oh) {
      ACC wh = linear_weight(ih, oh, r.H, r.sh, r.align_corners);
      if (wh == 0) continue;
      for (int ow = w0; ow < w1; ++ow) {
        ACC ww = linear_weight(iw, ow, r.W, r.sw, r.align_corners);
        if (ww != 0) sum += wh * ww * LOAD(go, goo + gbase + oh * gos.h + ow * gos.w);
      }
    }
    STORE(gi, gio + goff, sum);
  }
}
