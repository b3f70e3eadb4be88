// im2col (gather patches into columns) and col2im (each image element sums its patch
// entries; no atomics) for 2d and 3d sliding windows; 2d runs as 3d with depth 1.
// The including source defines IDX (uint or ulong), and for im2col BITS (an unsigned type
// of the element size: a pure copy, so half/bfloat16/float share a kernel), for col2im
// T (storage), ACC (compute type), LOAD(p, i) and STORE(p, i, v).
//
// Column element (r, n, l): r = (c * KD + kd) * KH * KW + kh * KW + kw (patch row), n the
// image, l = (od * OH + oh) * OW + ow (window); it lives at col[r * rs + n * ns + l].

// Geometry of one sliding window over (D, H, W) images of C channels.
typedef struct {
  IDX C, D, H, W;     // image
  IDX KD, KH, KW;     // kernel
  IDX SD, SH, SW;     // stride
  IDX PD, PH, PW;     // padding
  IDX DD, DH, DW;     // dilation
  IDX OD, OH, OW;     // windows per dimension
} Geometry;

#ifdef BITS
__kernel void im2col(__global const BITS* x, ulong xoff, __global BITS* col, ulong coff, Geometry g, IDX nimg,
                     IDX rs, IDX ns, IDX total) {
  const IDX L = g.OD * g.OH * g.OW;
  const IDX NL = nimg * L;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX j = e % NL, r = e / NL;
    IDX l = j % L, n = j / L;
    IDX ow = l % g.OW, t = l / g.OW;
    IDX oh = t % g.OH, od = t / g.OH;
    IDX kw = r % g.KW;
    t = r / g.KW;
    IDX kh = t % g.KH;
    t /= g.KH;
    IDX kd = t % g.KD, c = t / g.KD;
    // unsigned wrap-around makes negative (padding) coordinates fail the < tests
    IDX id = od * g.SD + kd * g.DD - g.PD;
    IDX ih = oh * g.SH + kh * g.DH - g.PH;
    IDX iw = ow * g.SW + kw * g.DW - g.PW;
    BITS v = 0;
    if (id < g.D && ih < g.H && iw < g.W) v = x[xoff + (((n * g.C + c) * g.D + id) * g.H + ih) * g.W + iw];
    col[coff + r * rs + n * ns + l] = v;
  }
}
#endif

#ifdef ACC
// First window index whose span (extent k_ext, stride s) can reach coordinate p (padded).
inline IDX first_window(IDX p, IDX k_ext, IDX s) { return p < k_ext ? 0 : (p - k_ext) / s + 1; }

__kernel void col2im(__global const T* col, ulong coff, __global T* x, ulong xoff, Geometry g, IDX nimg, IDX rs,
                     IDX ns, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX iw = e % g.W, t = e / g.W;
    IDX ih = t % g.H;
    t /= g.H;
    IDX id = t % g.D;
    t /= g.D;
    IDX c = t % g.C, n = t / g.C;
    // padded coordinates; window o covers p when o * s <= p - k * dil for some kernel tap k
    IDX pd = id + g.PD, ph = ih + g.PH, pw = iw + g.PW;
    IDX d0 = first_window(pd, (g.KD - 1) * g.DD + 1, g.SD), d1 = min(pd / g.SD + 1, g.OD);
    IDX h0 = first_window(ph, (g.KH - 1) * g.DH + 1, g.SH), h1 = min(ph / g.SH + 1, g.OH);
    IDX w0 = first_window(pw, (g.KW - 1) * g.DW + 1, g.SW), w1 = min(pw / g.SW + 1, g.OW);
    ACC sum = 0;
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
          IDX r = ((c * g.KD + dk) * g.KH + hk) * g.KW + wk;
          sum += LOAD(col, coff + r * rs + n * ns + (od * g.OH + oh) * g.OW + ow);
        }
      }
    }
    STORE(x, xoff + e, sum);
  }
}
#endif
