// Upsampling over (N, C, D, H, W), of which 1d and 2d are the cases D = 1 (and H = 1):
// linear/bilinear/trilinear and bicubic (2d), forward and backward, with the CPU's index and
// weight arithmetic (float for 16-bit and 32-bit floats); nearest is upsample_nearest.cl.
// Backward kernels gather: each input element scans the few output elements that can reach
// it and checks the exact forward mapping, so no atomics are needed and the result matches
// the forward's weights.
// The including source defines IDX, T, ACC, LOAD and STORE (see TypedSource.h); nchw.cl
// (strided addressing) comes first.

typedef struct {
  int C, D, H, W, OD, OH, OW;
  int align_corners;
  ACC sd, sh, sw;   // area_pixel scales (input / output positions)
} Resize;

// linear: source index, lower neighbour, its step (0 at the last row) and weight
inline void linear_src(int o, int in, ACC scale, int align, int* i0, int* step, ACC* l1) {
  ACC src = align ? scale * o : scale * ((ACC)o + (ACC)0.5) - (ACC)0.5;
  if (!align && src < 0) src = 0;
  *i0 = min((int)floor(src), in - 1);
  *step = *i0 < in - 1 ? 1 : 0;
  *l1 = clamp(src - (ACC)*i0, (ACC)0, (ACC)1);
}

// Linear interpolation of a, b with weight l of b; a alone at l = 0, so that the size-1
// dimensions of 1d and 2d inputs cost nothing and keep infinities.
#define LERP(a, b, l) ((l) == 0 ? (a) : (1 - (l)) * (a) + (l) * (b))

__kernel void upsample_linear(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                              Resize r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow, d0, dp, h0, hp, w0, wp;
    ACC ld, lh, lw;
    IDX yoff = offset_of(ys, e, r.C, r.OD, r.OH, r.OW, &od, &oh, &ow);
    IDX base = xo + plane_of(xs, e, r.C, (IDX)r.OD * r.OH * r.OW);
    linear_src(od, r.D, r.sd, r.align_corners, &d0, &dp, &ld);
    linear_src(oh, r.H, r.sh, r.align_corners, &h0, &hp, &lh);
    linear_src(ow, r.W, r.sw, r.align_corners, &w0, &wp, &lw);
    IDX p = base + at3(xs, d0, h0, w0), sd = dp * xs.d, sh = hp * xs.h, sw = wp * xs.w;
#define ROW(q) ((1 - lw) * LOAD(x, q) + lw * LOAD(x, (q) + sw))
#define PLANE(q) LERP(ROW(q), ROW((q) + sh), lh)
    STORE(y, yo + yoff, LERP(PLANE(p), PLANE(p + sd), ld));
#undef PLANE
#undef ROW
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

// Output indices [*o0, *o1) whose source positions lie in (lo - 1, hi + 1) (scale > 0), all if
// scale is 0 (one output).
inline void source_range(ACC lo, ACC hi, int out, ACC scale, int align, int* o0, int* o1) {
  if (scale <= 0) {
    *o0 = 0;
    *o1 = out;
    return;
  }
  ACC b = align ? 0 : (ACC)0.5 * scale - (ACC)0.5;
  *o0 = (int)clamp(floor((lo - 1 - b) / scale) - 1, (ACC)0, (ACC)out);
  *o1 = (int)clamp(ceil((hi + 1 - b) / scale) + 2, (ACC)0, (ACC)out);
}

__kernel void upsample_linear_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                       Strides gis, Resize r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw, d0, d1, h0, h1, w0, w1;
    IDX goff = offset_of(gis, e, r.C, r.D, r.H, r.W, &id, &ih, &iw);
    IDX gbase = goo + plane_of(gos, e, r.C, (IDX)r.D * r.H * r.W);
    source_range(id, id, r.OD, r.sd, r.align_corners, &d0, &d1);
    source_range(ih, ih, r.OH, r.sh, r.align_corners, &h0, &h1);
    source_range(iw, iw, r.OW, r.sw, r.align_corners, &w0, &w1);
    ACC sum = 0;
    for (int od = d0; od < d1; ++od) {
      ACC wd = linear_weight(id, od, r.D, r.sd, r.align_corners);
      if (wd == 0) continue;
      for (int oh = h0; oh < h1; ++oh) {
        ACC wh = linear_weight(ih, oh, r.H, r.sh, r.align_corners);
        if (wh == 0) continue;
        for (int ow = w0; ow < w1; ++ow) {
          ACC ww = linear_weight(iw, ow, r.W, r.sw, r.align_corners);
          if (ww != 0) sum += wd * wh * ww * LOAD(go, gbase + at3(gos, od, oh, ow));
        }
      }
    }
    STORE(gi, gio + goff, sum);
  }
}

// bicubic (A = -0.75, as ATen): the lower neighbour i0 of output o's source position and the
// weights of taps i0 - 1 .. i0 + 2, which read clamped to the border.
#define CUBIC_A ((ACC)-0.75)
inline void cubic_taps(int o, int in, ACC scale, int align, int* i0, ACC* c) {
  ACC src = align ? scale * o : scale * ((ACC)o + (ACC)0.5) - (ACC)0.5;
  ACC f = floor(src);
  *i0 = min((int)f, in - 1);
  ACC t = clamp(src - (ACC)*i0, (ACC)0, (ACC)1);
  ACC a = CUBIC_A, u = t + 1, v = 1 - t, w = 2 - t;
  c[0] = ((a * u - 5 * a) * u + 8 * a) * u - 4 * a;
  c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  c[2] = ((a + 2) * v - (a + 3)) * v * v + 1;
  c[3] = ((a * w - 5 * a) * w + 8 * a) * w - 4 * a;
}

inline int tap(int i0, int k, int in) { return clamp(i0 - 1 + k, 0, in - 1); }

__kernel void upsample_bicubic2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                 Resize r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow, h0, w0;
    ACC ch[4], cw[4];
    IDX yoff = offset_of(ys, e, r.C, 1, r.OH, r.OW, &od, &oh, &ow);
    IDX base = xo + plane_of(xs, e, r.C, (IDX)r.OH * r.OW);
    cubic_taps(oh, r.H, r.sh, r.align_corners, &h0, ch);
    cubic_taps(ow, r.W, r.sw, r.align_corners, &w0, cw);
    ACC out = 0;
    for (int j = 0; j < 4; ++j) {
      IDX row = base + tap(h0, j, r.H) * xs.h;
      ACC v = 0;
      for (int k = 0; k < 4; ++k) v += cw[k] * LOAD(x, row + tap(w0, k, r.W) * xs.w);
      out += ch[j] * v;
    }
    STORE(y, yo + yoff, out);
  }
}

// Weight of input index i in output o's bicubic interpolation (border taps repeat).
inline ACC cubic_weight(int i, int o, int in, ACC scale, int align) {
  int i0;
  ACC c[4], wgt = 0;
  cubic_taps(o, in, scale, align, &i0, c);
  for (int k = 0; k < 4; ++k)
    if (tap(i0, k, in) == i) wgt += c[k];
  return wgt;
}

// Outputs that can reach input index i: taps i0 - 1 .. i0 + 2 cover it, or clamp onto it at a border.
inline void cubic_range(int i, int in, int out, ACC scale, int align, int* o0, int* o1) {
  ACC lo = i == 0 ? -INFINITY : (ACC)(i - 2), hi = i == in - 1 ? INFINITY : (ACC)(i + 1);
  source_range(max(lo, (ACC)-2), min(hi, (ACC)in), out, scale, align, o0, o1);
  if (i == 0) *o0 = 0;
  if (i == in - 1) *o1 = out;
}

__kernel void upsample_bicubic2d_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                          Strides gis, Resize r, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw, h0, h1, w0, w1;
    IDX goff = offset_of(gis, e, r.C, 1, r.H, r.W, &id, &ih, &iw);
    IDX gbase = goo + plane_of(gos, e, r.C, (IDX)r.H * r.W);
    cubic_range(ih, r.H, r.OH, r.sh, r.align_corners, &h0, &h1);
    cubic_range(iw, r.W, r.OW, r.sw, r.align_corners, &w0, &w1);
    ACC sum = 0;
    for (int oh = h0; oh < h1; ++oh) {
      ACC wh = cubic_weight(ih, oh, r.H, r.sh, r.align_corners);
      if (wh == 0) continue;
      for (int ow = w0; ow < w1; ++ow) {
        ACC ww = cubic_weight(iw, ow, r.W, r.sw, r.align_corners);
        if (ww != 0) sum += wh * ww * LOAD(go, gbase + oh * gos.h + ow * gos.w);
      }
    }
    STORE(gi, gio + goff, sum);
  }
}
