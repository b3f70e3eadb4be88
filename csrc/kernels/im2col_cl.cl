// Channels-last im2col / col2im for convolution (2d runs as 3d with depth 1): the image is
// (N, D, H, W, C) dense (channels_last / channels_last_3d memory) and the columns are rows of
// windows: element (m, k) at col[m * K + k], m = ((n * OD + od) * OH + oh) * OW + ow (window of
// image n), k = ((kd * KH + kh) * KW + kw) * C + c (tap and channel), K = KD * KH * KW * C.
// Channels are innermost on both sides, so reads and writes run along contiguous memory, and the
// columns are the A operand of one GEMM with the weight as (OC, K) (its channels-last order).
// The including source defines IDX and window.cl, then BITS (im2col: a pure copy) or T, ACC,
// LOAD and STORE (col2im: each image element sums its entries; no atomics).

#ifdef BITS
__kernel void im2col_cl(__global const BITS* x, ulong xoff, __global BITS* col, ulong coff, Geometry g, IDX total) {
  const IDX K = g.KD * g.KH * g.KW * g.C;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX k = e % K, m = e / K;
    IDX c = k % g.C, t = k / g.C;
    IDX kw = t % g.KW;
    t /= g.KW;
    IDX kh = t % g.KH, kd = t / g.KH;
    IDX ow = m % g.OW;
    t = m / g.OW;
    IDX oh = t % g.OH;
    t /= g.OH;
    IDX od = t % g.OD, n = t / g.OD;
    // unsigned wrap-around makes negative (padding) coordinates fail the < tests
    IDX id = od * g.SD + kd * g.DD - g.PD;
    IDX ih = oh * g.SH + kh * g.DH - g.PH;
    IDX iw = ow * g.SW + kw * g.DW - g.PW;
    BITS v = 0;
    if (id < g.D && ih < g.H && iw < g.W) v = x[xoff + (((n * g.D + id) * g.H + ih) * g.W + iw) * g.C + c];
    col[coff + e] = v;
  }
}
#endif

#ifdef ACC
__kernel void col2im_cl(__global const T* col, ulong coff, __global T* x, ulong xoff, Geometry g, IDX total) {
  const IDX K = g.KD * g.KH * g.KW * g.C;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX n, c, id, ih, iw;
    image_coords(e, g, 1, &n, &c, &id, &ih, &iw);
    ACC sum = 0;
    FOR_COVERING_TAPS(g, id, ih, iw, {
      IDX m = ((n * g.OD + od) * g.OH + oh) * g.OW + ow;
      sum += LOAD(col, coff + m * K + ((kd * g.KH + kh) * g.KW + kw) * g.C + c);
    })
    STORE(x, xoff + e, sum);
  }
}
#endif
