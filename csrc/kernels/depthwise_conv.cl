// Depthwise convolution (groups == input channels; output channel co reads input channel
// co / mult), forward and grad_input, computed directly: no column buffer and no GEMM,
// whose per-channel products (one row each) would be far too small to run well.
// The including source defines IDX, T, ACC, LOAD and STORE (see TypedSource.h).

// Geometry of the sliding window over (D, H, W) images of C channels (as im2col.cl).
typedef struct {
  IDX C, D, H, W;
  IDX KD, KH, KW;
  IDX SD, SH, SW;
  IDX PD, PH, PW;
  IDX DD, DH, DW;
  IDX OD, OH, OW;
} Geometry;

__kernel void depthwise_conv(__global const T* x, ulong xo, __global const T* w, ulong wo, __global const T* b,
                             ulong bo, int has_bias, __global T* y, ulong yo, Geometry g, IDX mult, IDX total) {
  const IDX K = g.KD * g.KH * g.KW;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX ow = e % g.OW, t = e / g.OW;
    IDX oh = t % g.OH;
    t /= g.OH;
    IDX od = t % g.OD;
    t /= g.OD;
    IDX co = t % (g.C * mult), n = t / (g.C * mult);
    IDX xb = xo + (n * g.C + co / mult) * g.D * g.H * g.W, wb = wo + co * K;
    ACC sum = has_bias ? LOAD(b, bo + co) : (ACC)0;
    for (IDX kd = 0; kd < g.KD; ++kd) {
      // unsigned wrap-around makes negative (padding) coordinates fail the < tests
      IDX id = od * g.SD + kd * g.DD - g.PD;
      if (id >= g.D) continue;
      for (IDX kh = 0; kh < g.KH; ++kh) {
        IDX ih = oh * g.SH + kh * g.DH - g.PH;
        if (ih >= g.H) continue;
        for (IDX kw = 0; kw < g.KW; ++kw) {
          IDX iw = ow * g.SW + kw * g.DW - g.PW;
          if (iw < g.W)
            sum += LOAD(w, wb + (kd * g.KH + kh) * g.KW + kw) * LOAD(x, xb + (id * g.H + ih) * g.W + iw);
        }
      }
    }
    STORE(y, yo + e, sum);
  }
}

// First window index whose span (extent k_ext, stride s) can reach coordinate p (padded).
inline IDX first_window(IDX p, IDX k_ext, IDX s) { return p < k_ext ? 0 : (p - k_ext) / s + 1; }

// Each input element gathers w * grad_output over the windows (and output channels) using it.
__kernel void depthwise_conv_backward_input(__global const T* go, ulong goo, __global const T* w, ulong wo,
                                            __global T* gi, ulong gio, Geometry g, IDX mult, IDX total) {
  const IDX K = g.KD * g.KH * g.KW, L = g.OD * g.OH * g.OW;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX iw = e % g.W, t = e / g.W;
    IDX ih = t % g.H;
    t /= g.H;
    IDX id = t % g.D;
    t /= g.D;
    IDX c = t % g.C, n = t / g.C;
    IDX pd = id + g.PD, ph = ih + g.PH, pw = iw + g.PW;
    IDX d0 = first_window(pd, (g.KD - 1) * g.DD + 1, g.SD), d1 = min(pd / g.SD + 1, g.OD);
    IDX h0 = first_window(ph, (g.KH - 1) * g.DH + 1, g.SH), h1 = min(ph / g.SH + 1, g.OH);
    IDX w0 = first_window(pw, (g.KW - 1) * g.DW + 1, g.SW), w1 = min(pw / g.SW + 1, g.OW);
    ACC sum = 0;
    for (IDX m = 0; m < mult; ++m) {
      IDX co = c * mult + m;
      IDX gb = goo + (n * g.C * mult + co) * L, wb = wo + co * K;
      for (IDX od = d0; od < d1; ++od) {
        IDX dk = pd - od * g.SD;
        if (dk % g.DD) continue;
        dk /= g.DD;
        for (IDX oh = h0; oh < h1; ++oh) {
          IDX hk = ph - oh * g.SH;
          if (hk % g.DH) continue;
          hk /= g.DH;
          for (IDX ow = w0; ow < w1; ++ow) {
            IDX wk = pw - ow * g.SW;
            if (wk % g.DW) continue;
            wk /= g.DW;
            sum += LOAD(w, wb + (dk * g.KH + hk) * g.KW + wk) * LOAD(go, gb + (od * g.OH + oh) * g.OW + ow);
          }
        }
      }
    }
    STORE(gi, gio + e, sum);
  }
}
