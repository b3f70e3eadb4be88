// im2col (gather patches into columns) and col2im (each image element sums its patch
// entries; no atomics) for 2d and 3d sliding windows; 2d runs as 3d with depth 1.
// The including source defines IDX (uint or ulong), and for im2col BITS (an unsigned type
// of the element size: a pure copy, so half/bfloat16/float share a kernel), for col2im
// T (storage), ACC (compute type), LOAD(p, i) and STORE(p, i, v); window.cl comes first.
//
// Column element (r, n, l): r = (c * KD + kd) * KH * KW + kh * KW + kw (patch row), n the
// image, l = (od * OH + oh) * OW + ow (window); it lives at col[r * rs + n * ns + l].

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
__kernel void col2im(__global const T* col, ulong coff, __global T* x, ulong xoff, Geometry g, IDX nimg, IDX rs,
                     IDX ns, IDX total) {
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX n, c, id, ih, iw;
    image_coords(e, g, 0, &n, &c, &id, &ih, &iw);
    ACC sum = 0;
    FOR_COVERING_TAPS(g, id, ih, iw, {
      IDX r = ((c * g.KD + kd) * g.KH + kh) * g.KW + kw;
      sum += LOAD(col, coff + r * rs + n * ns + (od * g.OH + oh) * g.OW + ow);
    })
    STORE(x, xoff + e, sum);
  }
}
#endif
