// Antialiased 2d upsampling (bilinear and bicubic filters, as PIL and ATen's
// _upsample_*2d_aa): separable weights per output row and column come from host tables
// (UpSampleAa.cpp) computed with the CPU's arithmetic. The forward reads each output's source
// window; the backward gathers, each input element summing the outputs whose windows hold it
// (the table's per-input output ranges), so no atomics are needed.
// The including source defines IDX, T, ACC, LOAD and STORE (see TypedSource.h); nchw.cl
// (strided addressing) comes first.

// One dimension's table: per output o, window start bounds[2o] and size bounds[2o + 1], weights
// weights[o * taps + k]; per input i, the outputs [ranges[2i], ranges[2i + 1]) that read it.
typedef struct {
  int in, out, taps;
} AaDim;

__kernel void upsample_aa(__global const T* x, ulong xo, Strides xs, __global T* y, ulong yo, Strides ys,
                          __global const int* hb, ulong hbo, __global const ACC* hw, ulong hwo,
                          __global const int* wb, ulong wbo, __global const ACC* ww, ulong wwo, int C, AaDim h,
                          AaDim w, IDX total) {
  hb += hbo;
  hw += hwo;
  wb += wbo;
  ww += wwo;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int od, oh, ow;
    IDX yoff = offset_of(ys, e, C, 1, h.out, w.out, &od, &oh, &ow);
    IDX base = xo + plane_of(xs, e, C, (IDX)h.out * w.out);
    int h0 = hb[2 * oh], hn = hb[2 * oh + 1], w0 = wb[2 * ow], wn = wb[2 * ow + 1];
    __global const ACC* hwt = hw + oh * h.taps;
    __global const ACC* wwt = ww + ow * w.taps;
    ACC out = 0;
    for (int j = 0; j < hn; ++j) {
      IDX row = base + (h0 + j) * xs.h + w0 * xs.w;
      ACC v = 0;
      for (int k = 0; k < wn; ++k) v += wwt[k] * LOAD(x, row + k * xs.w);
      out += hwt[j] * v;
    }
    STORE(y, yo + yoff, out);
  }
}

// Weight of input index i in output o's window (0 outside it).
inline ACC aa_weight(__global const int* b, __global const ACC* wt, AaDim d, int o, int i) {
  int k = i - b[2 * o];
  return k >= 0 && k < b[2 * o + 1] ? wt[o * d.taps + k] : (ACC)0;
}

__kernel void upsample_aa_backward(__global const T* go, ulong goo, Strides gos, __global T* gi, ulong gio,
                                   Strides gis, __global const int* hb, ulong hbo, __global const ACC* hw,
                                   ulong hwo, __global const int* hr, ulong hro, __global const int* wb, ulong wbo,
                                   __global const ACC* ww, ulong wwo, __global const int* wr, ulong wro, int C,
                                   AaDim h, AaDim w, IDX total) {
  hb += hbo;
  hw += hwo;
  hr += hro;
  wb += wbo;
  ww += wwo;
  wr += wro;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    int id, ih, iw;
    IDX goff = offset_of(gis, e, C, 1, h.in, w.in, &id, &ih, &iw);
    IDX gbase = goo + plane_of(gos, e, C, (IDX)h.in * w.in);
    ACC sum = 0;
    for (int oh = hr[2 * ih]; oh < hr[2 * ih + 1]; ++oh) {
      ACC wh = aa_weight(hb, hw, h, oh, ih);
      if (wh == 0) continue;
      ACC row = 0;
      for (int ow = wr[2 * iw]; ow < wr[2 * iw + 1]; ++ow)
        row += aa_weight(wb, ww, w, ow, iw) * LOAD(go, gbase + oh * gos.h + ow * gos.w);
      sum += wh * row;
    }
    STORE(gi, gio + goff, sum);
  }
}
