// 3d pooling, of which 2d and 1d are the cases D = 1 (and H = 1): max (with flat
// (d * H + h) * W + w indices), average, adaptive average and adaptive max, forward and
// backward. Backward kernels gather: each input element sums the output elements whose
// windows hold it, so no atomics are needed.
// The including source defines IDX (uint or ulong), T (storage), ACC (compute type),
// LOAD(p, i), STORE(p, i, v) and LOWEST (the compute type's -infinity); nchw.cl (strided
// addressing) comes first.

typedef struct {
  int C, D, H, W;                // input planes
  int OD, OH, OW;                // output planes
  int KD, KH, KW, SD, SH, SW;    // kernel, stride
  int PD, PH, PW, DD, DH, DW;    // padding, dilation
} Pool;

// First window (span ext, stride st) that reaches padded coordinate p; windows up to p / st.
inline int first_window(int p, int ext, int st) { return p < ext ? 0 : (p - ext) / st + 1; }

inline int adaptive_start(int a, int out, int in) { return (int)(((long)a * in) / out); }
inline int adaptive_end(int a, int out, int in) { return (int)((((long)a + 1) * in + out - 1) / out); }

inline long flat_index(Pool p, int d, int h, int w) { return ((long)d * p.H + h) * p.W + w; }

// The max of input window [d0, d1) x [h0, h1) x [w0, w1) (steps sd, sh, sw) and its flat index:
// as the CPU, the first element unless a larger one or a NaN comes.
inline ACC window_max(__global const T* x, ulong at, Strides xs, Pool p, int d0, int d1, int sd, int h0, int h1,
                      int sh, int w0, int w1, int sw, long* best_i) {
  ACC best = LOWEST;
  *best_i = flat_index(p, d0, h0, w0);
  for (int id = d0; id < d1; id += sd)
    for (int ih = h0; ih < h1; ih += sh)
      for (int iw = w0; iw < w1; iw += sw) {
        ACC v = LOAD(x, at + at3(xs, id, ih, iw));
        if (v > best || isnan(v)) {
          best = v;
          *best_i = flat_index(p, id, ih, iw);
        }
      }
  return best;
}

__kernel void max_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                       __global long* ind, ulong io, Strides is, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX ioff = offset_of(is, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX base = plane_of(xs, e, p.C, (IDX)p.OD * p.OH * p.OW);
    int d0 = od * p.SD - p.PD, h0 = oh * p.SH - p.PH, w0 = ow * p.SW - p.PW;
    int d1 = min(d0 + (p.KD - 1) * p.DD + 1, p.D);
    int h1 = min(h0 + (p.KH - 1) * p.DH + 1, p.H), w1 = min(w0 + (p.KW - 1) * p.DW + 1, p.W);
    while (d0 < 0) d0 += p.DD;
    while (h0 < 0) h0 += p.DH;
    while (w0 < 0) w0 += p.DW;
    long best_i;
    ACC best = window_max(x, xo + base, xs, p, d0, d1, p.DD, h0, h1, p.DH, w0, w1, p.DW, &best_i);
    STORE(y, yo + yoff, best);
    ind[io + ioff] = best_i;
  }
}

__kernel void adaptive_max_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                __global long* ind, ulong io, Strides is, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX ioff = offset_of(is, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX base = plane_of(xs, e, p.C, (IDX)p.OD * p.OH * p.OW);
    long best_i;
    ACC best = window_max(x, xo + base, xs, p, adaptive_start(od, p.OD, p.D), adaptive_end(od, p.OD, p.D), 1,
                          adaptive_start(oh, p.OH, p.H), adaptive_end(oh, p.OH, p.H), 1,
                          adaptive_start(ow, p.OW, p.W), adaptive_end(ow, p.OW, p.W), 1, &best_i);
    STORE(y, yo + yoff, best);
    ind[io + ioff] = best_i;
  }
}

// Output cells [*o0, *o1) along one dimension whose windows can hold input coordinate i.
inline void covering(int adaptive, int i, int in, int out, int k, int s, int pad, int dil, int* o0, int* o1) {
  if (adaptive) {
    *o0 = adaptive_start(i, in, out);
    *o1 = adaptive_end(i, in, out);
  } else {
    *o0 = first_window(i + pad, (k - 1) * dil + 1, s);
    *o1 = (i + pad) / s + 1;
  }
  *o1 = min(*o1, out);
}

// Backward of max_pool (ADAPTIVE 0) and adaptive_max_pool (ADAPTIVE 1) through indices.
__kernel void max_pool_backward(__global const T* go, ulong goo, Strides gos, __global const long* ind, ulong io,
                                Strides is, __global T* gi, ulong gio, Strides gis, Pool p, int adaptive,
                                IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw, d0, d1, h0, h1, w0, w1;
    IDX goff = offset_of(gis, e, p.C, p.D, p.H, p.W, &id, &ih, &iw);
    IDX dhw = (IDX)p.D * p.H * p.W;
    IDX gbase = goo + plane_of(gos, e, p.C, dhw), ibase = io + plane_of(is, e, p.C, dhw);
    covering(adaptive, id, p.D, p.OD, p.KD, p.SD, p.PD, p.DD, &d0, &d1);
    covering(adaptive, ih, p.H, p.OH, p.KH, p.SH, p.PH, p.DH, &h0, &h1);
    covering(adaptive, iw, p.W, p.OW, p.KW, p.SW, p.PW, p.DW, &w0, &w1);
    const long me = flat_index(p, id, ih, iw);
    ACC sum = 0;
    for (int od = d0; od < d1; ++od)
      for (int oh = h0; oh < h1; ++oh)
        for (int ow = w0; ow < w1; ++ow)
          if (ind[ibase + at3(is, od, oh, ow)] == me) sum += LOAD(go, gbase + at3(gos, od, oh, ow));
    STORE(gi, gio + goff, sum);
  }
}

// Average window along one dimension: clipped bounds [*a0, *a1) of window o, and its extent
// inside the padded input (the count_include_pad size), as the CPU computes them.
inline int avg_bounds(int o, int k, int s, int pad, int in, int* a0, int* a1) {
  int lo = o * s - pad, hi = min(lo + k, in + pad);
  *a0 = max(lo, 0);
  *a1 = min(hi, in);
  return hi - lo;
}

// The divisor of average window (od, oh, ow) and its clipped bounds.
inline int avg_window(Pool p, int od, int oh, int ow, int include_pad, int divisor, int* d0, int* d1, int* h0,
                      int* h1, int* w0, int* w1) {
  int pool_size = avg_bounds(od, p.KD, p.SD, p.PD, p.D, d0, d1) * avg_bounds(oh, p.KH, p.SH, p.PH, p.H, h0, h1) *
                  avg_bounds(ow, p.KW, p.SW, p.PW, p.W, w0, w1);
  if (divisor) return divisor;
  return include_pad ? pool_size : (*d1 - *d0) * (*h1 - *h0) * (*w1 - *w0);
}

__kernel void avg_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys, Pool p,
                       int include_pad, int divisor, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow, d0, d1, h0, h1, w0, w1;
    IDX yoff = offset_of(ys, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX base = xo + plane_of(xs, e, p.C, (IDX)p.OD * p.OH * p.OW);
    int div = avg_window(p, od, oh, ow, include_pad, divisor, &d0, &d1, &h0, &h1, &w0, &w1);
    ACC sum = 0;
    for (int id = d0; id < d1; ++id)
      for (int ih = h0; ih < h1; ++ih)
        for (int iw = w0; iw < w1; ++iw) sum += LOAD(x, base + at3(xs, id, ih, iw));
    STORE(y, yo + yoff, (d0 >= d1 || h0 >= h1 || w0 >= w1) ? (ACC)0 : sum / (ACC)div);
  }
}

__kernel void avg_pool_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                Strides gis, Pool p, int include_pad, int divisor, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw, od0, od1, oh0, oh1, ow0, ow1, d0, d1, h0, h1, w0, w1;
    IDX goff = offset_of(gis, e, p.C, p.D, p.H, p.W, &id, &ih, &iw);
    IDX gbase = goo + plane_of(gos, e, p.C, (IDX)p.D * p.H * p.W);
    covering(0, id, p.D, p.OD, p.KD, p.SD, p.PD, 1, &od0, &od1);
    covering(0, ih, p.H, p.OH, p.KH, p.SH, p.PH, 1, &oh0, &oh1);
    covering(0, iw, p.W, p.OW, p.KW, p.SW, p.PW, 1, &ow0, &ow1);
    ACC sum = 0;
    for (int od = od0; od < od1; ++od)
      for (int oh = oh0; oh < oh1; ++oh)
        for (int ow = ow0; ow < ow1; ++ow) {
          int div = avg_window(p, od, oh, ow, include_pad, divisor, &d0, &d1, &h0, &h1, &w0, &w1);
          if (id >= d0 && id < d1 && ih >= h0 && ih < h1 && iw >= w0 && iw < w1)
            sum += LOAD(go, gbase + at3(gos, od, oh, ow)) / (ACC)div;
        }
    STORE(gi, gio + goff, sum);
  }
}

__kernel void adaptive_avg_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX base = xo + plane_of(xs, e, p.C, (IDX)p.OD * p.OH * p.OW);
    int d0 = adaptive_start(od, p.OD, p.D), d1 = adaptive_end(od, p.OD, p.D);
    int h0 = adaptive_start(oh, p.OH, p.H), h1 = adaptive_end(oh, p.OH, p.H);
    int w0 = adaptive_start(ow, p.OW, p.W), w1 = adaptive_end(ow, p.OW, p.W);
    ACC sum = 0;
    for (int id = d0; id < d1; ++id)
      for (int ih = h0; ih < h1; ++ih)
        for (int iw = w0; iw < w1; ++iw) sum += LOAD(x, base + at3(xs, id, ih, iw));
    STORE(y, yo + yoff, sum / (ACC)((d1 - d0) * (h1 - h0) * (w1 - w0)));
  }
}

// Whether adaptive window o (of out over in) holds i; its size in *n.
inline bool adaptive_holds(int o, int out, int in, int i, int* n) {
  int a = adaptive_start(o, out, in), b = adaptive_end(o, out, in);
  *n = b - a;
  return i >= a && i < b;
}

__kernel void adaptive_avg_pool_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                         Strides gis, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw, od0, od1, oh0, oh1, ow0, ow1, nd, nh, nw;
    IDX goff = offset_of(gis, e, p.C, p.D, p.H, p.W, &id, &ih, &iw);
    IDX gbase = goo + plane_of(gos, e, p.C, (IDX)p.D * p.H * p.W);
    // output cells whose windows hold (id, ih, iw): the adaptive bounds with the roles swapped
    covering(1, id, p.D, p.OD, 0, 0, 0, 0, &od0, &od1);
    covering(1, ih, p.H, p.OH, 0, 0, 0, 0, &oh0, &oh1);
    covering(1, iw, p.W, p.OW, 0, 0, 0, 0, &ow0, &ow1);
    ACC sum = 0;
    for (int od = od0; od < od1; ++od) {
      if (!adaptive_holds(od, p.OD, p.D, id, &nd)) continue;
      for (int oh = oh0; oh < oh1; ++oh) {
        if (!adaptive_holds(oh, p.OH, p.H, ih, &nh)) continue;
        for (int ow = ow0; ow < ow1; ++ow)
          if (adaptive_holds(ow, p.OW, p.W, iw, &nw))
            sum += LOAD(go, gbase + at3(gos, od, oh, ow)) / (ACC)(nd * nh * nw);
      }
    }
    STORE(gi, gio + goff, sum);
  }
}

// max_unpool: input element e goes to output position ind[e] (flat (d * OH + h) * OW + w) of
// its plane; the host has checked every index is inside the output plane. Output zeroed by the
// host; pool p holds input sizes as (D, H, W) and output sizes as (OD, OH, OW).
__kernel void max_unpool(__global const T* x, ulong xo, Strides xs, __global const long* ind, ulong io, Strides is,
                         __global T* y, ulong yo, Strides ys, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw;
    IDX xoff = offset_of(xs, e, p.C, p.D, p.H, p.W, &id, &ih, &iw);
    IDX ioff = offset_of(is, e, p.C, p.D, p.H, p.W, &id, &ih, &iw);
    IDX ybase = plane_of(ys, e, p.C, (IDX)p.D * p.H * p.W);
    long k = ind[io + ioff];
    int ow = (int)(k % p.OW), t = (int)(k / p.OW);
    STORE(y, yo + ybase + at3(ys, t / p.OH, t % p.OH, ow), LOAD(x, xo + xoff));
  }
}

// Fractional max pooling: window start of output o along one dimension from the plane's random
// sample (the CPU's interval sequence; the last window ends at the input's end).
inline int fractional_start(ACC sample, int o, int in, int out, int k) {
  if (o == out - 1) return in - k;
  ACC alpha = (ACC)(in - k) / (ACC)(out - 1);
  return (int)(((ACC)o + sample) * alpha) - (int)(sample * alpha);
}

// samples: contiguous (planes, spatial) in ACC, ordered (w, h) for 2d and (d, h, w) for 3d, as ATen.
__kernel void fractional_max_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                  __global long* ind, ulong io, Strides is, __global const ACC* samples, ulong so,
                                  int spatial, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX ioff = offset_of(is, e, p.C, p.OD, p.OH, p.OW, &od, &oh, &ow);
    IDX cells = (IDX)p.OD * p.OH * p.OW;
    IDX base = plane_of(xs, e, p.C, cells);
    __global const ACC* s = samples + so + (e / cells) * spatial;
    int d0 = spatial == 3 ? fractional_start(s[0], od, p.D, p.OD, p.KD) : 0;
    int h0 = fractional_start(s[1], oh, p.H, p.OH, p.KH);
    int w0 = fractional_start(spatial == 3 ? s[2] : s[0], ow, p.W, p.OW, p.KW);
    long best_i;
    ACC best = window_max(x, xo + base, xs, p, d0, d0 + p.KD, 1, h0, h0 + p.KH, 1, w0, w0 + p.KW, 1, &best_i);
    STORE(y, yo + yoff, best);
    ind[io + ioff] = best_i;
  }
}
