// 3d pooling, of which 2d and 1d are the cases D = 1 (and H = 1): max (with flat
// (d * H + h) * W + w indices), average, adaptive average and adaptive max, forward and
// backward. Backward kernels gather: each input element sums the output elements whose
// windows hold it, so no atomics are needed.
// The including source defines IDX (uint or ulong), T (storage), ACC (compute type),
// LOAD(p, i), STORE(p, i, v) and LOWEST (the compute type's -infinity); nchw.cl (strided
// addressing) comes first. Kernels launched over a channels-last walk handle CVEC channels per
// element number (nchw.cl); max_unpool and fractional_max_pool are launched without one (CVEC 1).

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

// The max of input window [d0, d1) x [h0, h1) x [w0, w1) (steps sd, sh, sw) of CVEC channels
// (steps xs.c from offset at) in best[], its flat index in best_i[]: as the CPU, the first element
// unless a larger one or a NaN comes.
inline void window_max(__global const T* x, IDX at, Strides xs, Pool p, int d0, int d1, int sd, int h0, int h1,
                       int sh, int w0, int w1, int sw, ACC* best, long* best_i) {
#pragma unroll
  for (int v = 0; v < CVEC; ++v) {
    best[v] = LOWEST;
    best_i[v] = flat_index(p, d0, h0, w0);
  }
  for (int id = d0; id < d1; id += sd)
    for (int ih = h0; ih < h1; ih += sh)
      for (int iw = w0; iw < w1; iw += sw) {
        IDX o = at + at3(xs, id, ih, iw);
#pragma unroll
        for (int v = 0; v < CVEC; ++v) {
          ACC val = LOAD(x, o + v * xs.c);
          if (val > best[v] || isnan(val)) {
            best[v] = val;
            best_i[v] = flat_index(p, id, ih, iw);
          }
        }
      }
}

// Stores window_max's results for the CVEC channels at offsets y_at and i_at.
inline void store_max(__global T* y, IDX y_at, IDX ys_c, __global long* ind, IDX i_at, IDX is_c, const ACC* best,
                      const long* best_i) {
#pragma unroll
  for (int v = 0; v < CVEC; ++v) {
    STORE(y, y_at + v * ys_c, best[v]);
    ind[i_at + v * is_c] = best_i[v];
  }
}

__kernel void max_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                       __global long* ind, ulong io, Strides is, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    Pos q = pos_of(e, p.C, p.OD, p.OH, p.OW);
    int d0 = q.d * p.SD - p.PD, h0 = q.h * p.SH - p.PH, w0 = q.w * p.SW - p.PW;
    int d1 = min(d0 + (p.KD - 1) * p.DD + 1, p.D);
    int h1 = min(h0 + (p.KH - 1) * p.DH + 1, p.H), w1 = min(w0 + (p.KW - 1) * p.DW + 1, p.W);
    while (d0 < 0) d0 += p.DD;
    while (h0 < 0) h0 += p.DH;
    while (w0 < 0) w0 += p.DW;
    ACC best[CVEC];
    long best_i[CVEC];
    window_max(x, xo + plane_at(xs, q), xs, p, d0, d1, p.DD, h0, h1, p.DH, w0, w1, p.DW, best, best_i);
    store_max(y, yo + offset_at(ys, q), ys.c, ind, io + offset_at(is, q), is.c, best, best_i);
  }
}

__kernel void adaptive_max_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                __global long* ind, ulong io, Strides is, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    Pos q = pos_of(e, p.C, p.OD, p.OH, p.OW);
    ACC best[CVEC];
    long best_i[CVEC];
    window_max(x, xo + plane_at(xs, q), xs, p, adaptive_start(q.d, p.OD, p.D), adaptive_end(q.d, p.OD, p.D), 1,
               adaptive_start(q.h, p.OH, p.H), adaptive_end(q.h, p.OH, p.H), 1, adaptive_start(q.w, p.OW, p.W),
               adaptive_end(q.w, p.OW, p.W), 1, best, best_i);
    store_max(y, yo + offset_at(ys, q), ys.c, ind, io + offset_at(is, q), is.c, best, best_i);
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

// Stores the CVEC sums of a backward kernel at offset at (channel step c).
inline void store_sums(__global T* gi, IDX at, IDX c, const ACC* sum) {
#pragma unroll
  for (int v = 0; v < CVEC; ++v) STORE(gi, at + v * c, sum[v]);
}

// Backward of max_pool (ADAPTIVE 0) and adaptive_max_pool (ADAPTIVE 1) through indices.
__kernel void max_pool_backward(__global const T* go, ulong goo, Strides gos, __global const long* ind, ulong io,
                                Strides is, __global T* gi, ulong gio, Strides gis, Pool p, int adaptive,
                                IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    Pos q = pos_of(e, p.C, p.D, p.H, p.W);
    IDX gbase = goo + plane_at(gos, q), ibase = io + plane_at(is, q);
    int d0, d1, h0, h1, w0, w1;
    covering(adaptive, q.d, p.D, p.OD, p.KD, p.SD, p.PD, p.DD, &d0, &d1);
    covering(adaptive, q.h, p.H, p.OH, p.KH, p.SH, p.PH, p.DH, &h0, &h1);
    covering(adaptive, q.w, p.W, p.OW, p.KW, p.SW, p.PW, p.DW, &w0, &w1);
    const long me = flat_index(p, q.d, q.h, q.w);
    ACC sum[CVEC];
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] = 0;
    for (int od = d0; od < d1; ++od)
      for (int oh = h0; oh < h1; ++oh)
        for (int ow = w0; ow < w1; ++ow) {
          IDX i_at = ibase + at3(is, od, oh, ow), g_at = gbase + at3(gos, od, oh, ow);
#pragma unroll
          for (int v = 0; v < CVEC; ++v)
            if (ind[i_at + v * is.c] == me) sum[v] += LOAD(go, g_at + v * gos.c);
        }
    store_sums(gi, gio + offset_at(gis, q), gis.c, sum);
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
    Pos q = pos_of(e, p.C, p.OD, p.OH, p.OW);
    IDX base = xo + plane_at(xs, q);
    int d0, d1, h0, h1, w0, w1;
    int div = avg_window(p, q.d, q.h, q.w, include_pad, divisor, &d0, &d1, &h0, &h1, &w0, &w1);
    ACC sum[CVEC];
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] = 0;
    for (int id = d0; id < d1; ++id)
      for (int ih = h0; ih < h1; ++ih)
        for (int iw = w0; iw < w1; ++iw) {
          IDX at = base + at3(xs, id, ih, iw);
#pragma unroll
          for (int v = 0; v < CVEC; ++v) sum[v] += LOAD(x, at + v * xs.c);
        }
    bool empty = d0 >= d1 || h0 >= h1 || w0 >= w1;
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] = empty ? (ACC)0 : sum[v] / (ACC)div;
    store_sums(y, yo + offset_at(ys, q), ys.c, sum);
  }
}

__kernel void avg_pool_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                Strides gis, Pool p, int include_pad, int divisor, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    Pos q = pos_of(e, p.C, p.D, p.H, p.W);
    IDX gbase = goo + plane_at(gos, q);
    int od0, od1, oh0, oh1, ow0, ow1, d0, d1, h0, h1, w0, w1;
    covering(0, q.d, p.D, p.OD, p.KD, p.SD, p.PD, 1, &od0, &od1);
    covering(0, q.h, p.H, p.OH, p.KH, p.SH, p.PH, 1, &oh0, &oh1);
    covering(0, q.w, p.W, p.OW, p.KW, p.SW, p.PW, 1, &ow0, &ow1);
    ACC sum[CVEC];
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] = 0;
    for (int od = od0; od < od1; ++od)
      for (int oh = oh0; oh < oh1; ++oh)
        for (int ow = ow0; ow < ow1; ++ow) {
          int div = avg_window(p, od, oh, ow, include_pad, divisor, &d0, &d1, &h0, &h1, &w0, &w1);
          if (q.d >= d0 && q.d < d1 && q.h >= h0 && q.h < h1 && q.w >= w0 && q.w < w1) {
            IDX at = gbase + at3(gos, od, oh, ow);
#pragma unroll
            for (int v = 0; v < CVEC; ++v) sum[v] += LOAD(go, at + v * gos.c) / (ACC)div;
          }
        }
    store_sums(gi, gio + offset_at(gis, q), gis.c, sum);
  }
}

__kernel void adaptive_avg_pool(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    Pos q = pos_of(e, p.C, p.OD, p.OH, p.OW);
    IDX base = xo + plane_at(xs, q);
    int d0 = adaptive_start(q.d, p.OD, p.D), d1 = adaptive_end(q.d, p.OD, p.D);
    int h0 = adaptive_start(q.h, p.OH, p.H), h1 = adaptive_end(q.h, p.OH, p.H);
    int w0 = adaptive_start(q.w, p.OW, p.W), w1 = adaptive_end(q.w, p.OW, p.W);
    ACC sum[CVEC];
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] = 0;
    for (int id = d0; id < d1; ++id)
      for (int ih = h0; ih < h1; ++ih)
        for (int iw = w0; iw < w1; ++iw) {
          IDX at = base + at3(xs, id, ih, iw);
#pragma unroll
          for (int v = 0; v < CVEC; ++v) sum[v] += LOAD(x, at + v * xs.c);
        }
    ACC n = (ACC)((d1 - d0) * (h1 - h0) * (w1 - w0));
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] /= n;
    store_sums(y, yo + offset_at(ys, q), ys.c, sum);
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
    Pos q = pos_of(e, p.C, p.D, p.H, p.W);
    IDX gbase = goo + plane_at(gos, q);
    // output cells whose windows hold (d, h, w): the adaptive bounds with the roles swapped
    int od0, od1, oh0, oh1, ow0, ow1, nd, nh, nw;
    covering(1, q.d, p.D, p.OD, 0, 0, 0, 0, &od0, &od1);
    covering(1, q.h, p.H, p.OH, 0, 0, 0, 0, &oh0, &oh1);
    covering(1, q.w, p.W, p.OW, 0, 0, 0, 0, &ow0, &ow1);
    ACC sum[CVEC];
#pragma unroll
    for (int v = 0; v < CVEC; ++v) sum[v] = 0;
    for (int od = od0; od < od1; ++od) {
      if (!adaptive_holds(od, p.OD, p.D, q.d, &nd)) continue;
      for (int oh = oh0; oh < oh1; ++oh) {
        if (!adaptive_holds(oh, p.OH, p.H, q.h, &nh)) continue;
        for (int ow = ow0; ow < ow1; ++ow)
          if (adaptive_holds(ow, p.OW, p.W, q.w, &nw)) {
            IDX at = gbase + at3(gos, od, oh, ow);
            ACC n = (ACC)(nd * nh * nw);
#pragma unroll
            for (int v = 0; v < CVEC; ++v) sum[v] += LOAD(go, at + v * gos.c) / n;
          }
      }
    }
    store_sums(gi, gio + offset_at(gis, q), gis.c, sum);
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
    ACC best[CVEC];
    long best_i[CVEC];
    window_max(x, xo + base, xs, p, d0, d0 + p.KD, 1, h0, h0 + p.KH, 1, w0, w0 + p.KW, 1, best, best_i);
    STORE(y, yo + yoff, best[0]);
    ind[io + ioff] = best_i[0];
  }
}
