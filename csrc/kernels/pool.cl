// 2d pooling: max (with flat h * W + w indices), average, adaptive average and adaptive max,
// forward and backward. Backward kernels gather: each input element sums the output
// elements whose windows hold it, so no atomics are needed.
// The including source defines IDX (uint or ulong), T (storage), ACC (compute type),
// LOAD(p, i), STORE(p, i, v) and LOWEST (the compute type's -infinity); nchw.cl (strided
// addressing) comes first.

typedef struct {
  int C, H, W;              // input planes
  int OH, OW;               // output planes
  int KH, KW, SH, SW;       // kernel, stride
  int PH, PW, DH, DW;       // padding, dilation
} Pool;

// First window (span ext, stride st) that reaches padded coordinate p; windows up to p / st.
inline int first_window(int p, int ext, int st) { return p < ext ? 0 : (p - ext) / st + 1; }

inline int adaptive_start(int a, int out, int in) { return (int)(((long)a * in) / out); }
inline int adaptive_end(int a, int out, int in) { return (int)((((long)a + 1) * in + out - 1) / out); }

__kernel void max_pool2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                         __global long* ind, ulong io, Strides is, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OH, p.OW, &oh, &ow);
    IDX ioff = offset_of(is, e, p.C, p.OH, p.OW, &oh, &ow);
    IDX base = plane_of(xs, e, p.C, (IDX)p.OH * p.OW);
    int h0 = oh * p.SH - p.PH, w0 = ow * p.SW - p.PW;
    int h1 = min(h0 + (p.KH - 1) * p.DH + 1, p.H), w1 = min(w0 + (p.KW - 1) * p.DW + 1, p.W);
    while (h0 < 0) h0 += p.DH;
    while (w0 < 0) w0 += p.DW;
    // as the CPU: the first in-range element unless a larger one or a NaN comes
    long best_i = (long)h0 * p.W + w0;
    ACC best = LOWEST;
    for (int ih = h0; ih < h1; ih += p.DH)
      for (int iw = w0; iw < w1; iw += p.DW) {
        ACC v = LOAD(x, xo + base + ih * xs.h + iw * xs.w);
        if (v > best || isnan(v)) {
          best = v;
          best_i = (long)ih * p.W + iw;
        }
      }
    STORE(y, yo + yoff, best);
    ind[io + ioff] = best_i;
  }
}

// Backward of max_pool2d (ADAPTIVE 0) and adaptive_max_pool2d (ADAPTIVE 1) through indices.
__kernel void max_pool2d_backward(__global const T* go, ulong goo, Strides gos, __global const long* ind, ulong io,
                                  Strides is, __global T* gi, ulong gio, Strides gis, Pool p, int adaptive,
                                  IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int ih, iw;
    IDX goff = offset_of(gis, e, p.C, p.H, p.W, &ih, &iw);
    IDX gbase = plane_of(gos, e, p.C, (IDX)p.H * p.W), ibase = plane_of(is, e, p.C, (IDX)p.H * p.W);
    int h0, h1, w0, w1;
    if (adaptive) {
      h0 = adaptive_start(ih, p.H, p.OH), h1 = adaptive_end(ih, p.H, p.OH);
      w0 = adaptive_start(iw, p.W, p.OW), w1 = adaptive_end(iw, p.W, p.OW);
    } else {
      h0 = first_window(ih + p.PH, (p.KH - 1) * p.DH + 1, p.SH), h1 = (ih + p.PH) / p.SH + 1;
      w0 = first_window(iw + p.PW, (p.KW - 1) * p.DW + 1, p.SW), w1 = (iw + p.PW) / p.SW + 1;
    }
    h1 = min(h1, p.OH);
    w1 = min(w1, p.OW);
    const long me = (long)ih * p.W + iw;
    ACC sum = 0;
    for (int oh = h0; oh < h1; ++oh)
      for (int ow = w0; ow < w1; ++ow)
        if (ind[io + ibase + oh * is.h + ow * is.w] == me) sum += LOAD(go, goo + gbase + oh * gos.h + ow * gos.w);
    STORE(gi, gio + goff, sum);
  }
}

// The divisor of average window (oh, ow) and its clipped bounds, as the CPU computes them.
inline int avg_window(Pool p, int oh, int ow, int include_pad, int divisor, int* h0, int* h1, int* w0, int* w1) {
  *h0 = oh * p.SH - p.PH;
  *w0 = ow * p.SW - p.PW;
  *h1 = min(*h0 + p.KH, p.H + p.PH);
  *w1 = min(*w0 + p.KW, p.W + p.PW);
  int pool_size = (*h1 - *h0) * (*w1 - *w0);
  *h0 = max(*h0, 0);
  *w0 = max(*w0, 0);
  *h1 = min(*h1, p.H);
  *w1 = min(*w1, p.W);
  if (divisor) return divisor;
  return include_pad ? pool_size : (*h1 - *h0) * (*w1 - *w0);
}

__kernel void avg_pool2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys, Pool p,
                         int include_pad, int divisor, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int oh, ow, h0, h1, w0, w1;
    IDX yoff = offset_of(ys, e, p.C, p.OH, p.OW, &oh, &ow);
    IDX base = plane_of(xs, e, p.C, (IDX)p.OH * p.OW);
    int div = avg_window(p, oh, ow, include_pad, divisor, &h0, &h1, &w0, &w1);
    ACC sum = 0;
    for (int ih = h0; ih < h1; ++ih)
      for (int iw = w0; iw < w1; ++iw) sum += LOAD(x, xo + base + ih * xs.h + iw * xs.w);
    STORE(y, yo + yoff, (h0 >= h1 || w0 >= w1) ? (ACC)0 : sum / (ACC)div);
  }
}

__kernel void avg_pool2d_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                  Strides gis, Pool p, int include_pad, int divisor, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int ih, iw, h0, h1, w0, w1;
    IDX goff = offset_of(gis, e, p.C, p.H, p.W, &ih, &iw);
    IDX gbase = plane_of(gos, e, p.C, (IDX)p.H * p.W);
    int oh0 = first_window(ih + p.PH, p.KH, p.SH), oh1 = min((ih + p.PH) / p.SH + 1, p.OH);
    int ow0 = first_window(iw + p.PW, p.KW, p.SW), ow1 = min((iw + p.PW) / p.SW + 1, p.OW);
    ACC sum = 0;
    for (int oh = oh0; oh < oh1; ++oh)
      for (int ow = ow0; ow < ow1; ++ow) {
        int div = avg_window(p, oh, ow, include_pad, divisor, &h0, &h1, &w0, &w1);
        if (ih >= h0 && ih < h1 && iw >= w0 && iw < w1)
          sum += LOAD(go, goo + gbase + oh * gos.h + ow * gos.w) / (ACC)div;
      }
    STORE(gi, gio + goff, sum);
  }
}

__kernel void adaptive_avg_pool2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                  Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OH, p.OW, &oh, &ow);
    IDX base = plane_of(xs, e, p.C, (IDX)p.OH * p.OW);
    int h0 = adaptive_start(oh, p.OH, p.H), h1 = adaptive_end(oh, p.OH, p.H);
    int w0 = adaptive_start(ow, p.OW, p.W), w1 = adaptive_end(ow, p.OW, p.W);
    ACC sum = 0;
    for (int ih = h0; ih < h1; ++ih)
      for (int iw = w0; iw < w1; ++iw) sum += LOAD(x, xo + base + ih * xs.h + iw * xs.w);
    STORE(y, yo + yoff, sum / (ACC)((h1 - h0) * (w1 - w0)));
  }
}

__kernel void adaptive_avg_pool2d_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                           Strides gis, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int ih, iw;
    IDX goff = offset_of(gis, e, p.C, p.H, p.W, &ih, &iw);
    IDX gbase = plane_of(gos, e, p.C, (IDX)p.H * p.W);
    // output cells whose windows hold (ih, iw): the adaptive bounds with the roles swapped
    int oh0 = adaptive_start(ih, p.H, p.OH), oh1 = min(adaptive_end(ih, p.H, p.OH), p.OH);
    int ow0 = adaptive_start(iw, p.W, p.OW), ow1 = min(adaptive_end(iw, p.W, p.OW), p.OW);
    ACC sum = 0;
    for (int oh = oh0; oh < oh1; ++oh) {
      int h0 = adaptive_start(oh, p.OH, p.H), h1 = adaptive_end(oh, p.OH, p.H);
      if (ih < h0 || ih >= h1) continue;
      for (int ow = ow0; ow < ow1; ++ow) {
        int w0 = adaptive_start(ow, p.OW, p.W), w1 = adaptive_end(ow, p.OW, p.W);
        if (iw < w0 || iw >= w1) continue;
        sum += LOAD(go, goo + gbase + oh * gos.h + ow * gos.w) / (ACC)((h1 - h0) * (w1 - w0));
      }
    }
    STORE(gi, gio + goff, sum);
  }
}

__kernel void adaptive_max_pool2d(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                                  __global long* ind, ulong io, Strides is, Pool p, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int oh, ow;
    IDX yoff = offset_of(ys, e, p.C, p.OH, p.OW, &oh, &ow);
    IDX ioff = offset_of(is, e, p.C, p.OH, p.OW, &oh, &ow);
    IDX base = plane_of(xs, e, p.C, (IDX)p.OH * p.OW);
    int h0 = adaptive_start(oh, p.OH, p.H), h1 = adaptive_end(oh, p.OH, p.H);
    int w0 = adaptive_start(ow, p.OW, p.W), w1 = adaptive_end(ow, p.OW, p.W);
    long best_i = (long)h0 * p.W + w0;
    ACC best = LOWEST;
    for (int ih = h0; ih < h1; ++ih)
      for (int iw = w0; iw < w1; ++iw) {
        ACC v = LOAD(x, xo + base + ih * xs.h + iw * xs.w);
        if (v > best || isnan(v)) {
          best = v;
          best_i = (long)ih * p.W + iw;
        }
      }
    STORE(y, yo + yoff, best);
    ind[io + ioff] = best_i;
  }
}
