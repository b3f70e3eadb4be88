// Depthwise convolution (groups == input channels; output channel co reads input channel
// co / mult), forward and grad_input, computed directly: no column buffer and no GEMM,
// whose per-channel products (one row each) would be far too small to run well.
// The including source defines IDX, T, ACC, LOAD and STORE (see TypedSource.h); window.cl
// comes first. CHANNELS_LAST 1: every image is dense (N, D, H, W, C) instead of (N, C, D, H, W)
// (channels_last / channels_last_3d memory), and work-items walk it in that order.
#ifndef CHANNELS_LAST
#define CHANNELS_LAST 0
#endif

__kernel void depthwise_conv(__global const T* x, ulong xo, __global const T* w, ulong wo, __global const T* b,
                             ulong bo, int has_bias, __global T* y, ulong yo, Geometry g, IDX mult, IDX total) {
  const IDX K = g.KD * g.KH * g.KW;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
#if CHANNELS_LAST
    IDX co = e % (g.C * mult), t = e / (g.C * mult);
    IDX ow = t % g.OW;
    t /= g.OW;
    IDX oh = t % g.OH;
    t /= g.OH;
    IDX od = t % g.OD, n = t / g.OD;
    const IDX xb = xo + n * g.D * g.H * g.W * g.C + co / mult, sx = g.C;  // sx: stride of a position
#else
    IDX ow = e % g.OW, t = e / g.OW;
    IDX oh = t % g.OH;
    t /= g.OH;
    IDX od = t % g.OD;
    t /= g.OD;
    IDX co = t % (g.C * mult), n = t / (g.C * mult);
    const IDX xb = xo + (n * g.C + co / mult) * g.D * g.H * g.W, sx = 1;
#endif
    const IDX wb = wo + co * K;
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
            sum += LOAD(w, wb + (kd * g.KH + kh) * g.KW + kw) * LOAD(x, xb + ((id * g.H + ih) * g.W + iw) * sx);
        }
      }
    }
    STORE(y, yo + e, sum);
  }
}

// Each input element gathers w * grad_output over the windows (and output channels) using it.
__kernel void depthwise_conv_backward_input(__global const T* go, ulong goo, __global const T* w, ulong wo,
                                            __global T* gi, ulong gio, Geometry g, IDX mult, IDX total) {
  const IDX K = g.KD * g.KH * g.KW, L = g.OD * g.OH * g.OW;
  for (IDX e = get_global_id(0); e < total; e += get_global_size(0)) {
    IDX n, c, id, ih, iw;
    image_coords(e, g, CHANNELS_LAST, &n, &c, &id, &ih, &iw);
    ACC sum = 0;
    for (IDX m = 0; m < mult; ++m) {
      IDX co = c * mult + m;
#if CHANNELS_LAST
      const IDX gb = goo + n * L * g.C * mult + co, sg = g.C * mult;  // sg: stride of a position
#else
      const IDX gb = goo + (n * g.C * mult + co) * L, sg = 1;
#endif
      const IDX wb = wo + co * K;
      FOR_COVERING_TAPS(g, id, ih, iw, {
        sum += LOAD(w, wb + (kd * g.KH + kh) * g.KW + kw) * LOAD(go, gb + ((od * g.OH + oh) * g.OW + ow) * sg);
      })
    }
    STORE(gi, gio + e, sum);
  }
}

// grad_weight: partial sums over chunks of output positions (all images' windows in order),
// part[chunk][co][tap] = sum over the chunk's positions of grad_output * the tap's input, in ACC.
// Work-group g takes DW_CH consecutive output channels (tile g % tiles) of chunk g / tiles, and DW_LANES work-items per
// channel walk its positions, one tap after the other, so neighbouring work-items read
// neighbouring channels (channels_last) or positions (NCHW). Images use the same layout rule as
// the kernels above; `per_chunk` positions per chunk.
#define DW_CH 32
#define DW_LANES 8
__kernel __attribute__((reqd_work_group_size(DW_CH * DW_LANES, 1, 1))) void depthwise_conv_backward_weight(
    __global const T* go, ulong goo, __global const T* x, ulong xo, __global ACC* part, ulong po, Geometry g, IDX mult,
    IDX positions, IDX per_chunk) {
  __local ACC red[DW_CH * DW_LANES];
  const IDX CO = g.C * mult, K = g.KD * g.KH * g.KW, L = g.OD * g.OH * g.OW;
  const int ch = get_local_id(0) % DW_CH, lane = get_local_id(0) / DW_CH;
  const IDX tiles = (CO + DW_CH - 1) / DW_CH, group = get_group_id(0);
  const IDX co = (group % tiles) * DW_CH + ch, chunk = group / tiles;
  const IDX p0 = chunk * per_chunk, p1 = min(p0 + per_chunk, positions);
  for (IDX tap = 0; tap < K; ++tap) {
    const IDX kw = tap % g.KW, kh = (tap / g.KW) % g.KH, kd = tap / (g.KW * g.KH);
    ACC acc = 0;
    if (co < CO) {
      for (IDX p = p0 + lane; p < p1; p += DW_LANES) {
        const IDX n = p / L, o = p % L;
        const IDX ow = o % g.OW, oh = (o / g.OW) % g.OH, od = o / (g.OW * g.OH);
        // unsigned wrap-around makes negative (padding) coordinates fail the < tests
        const IDX id = od * g.SD + kd * g.DD - g.PD, ih = oh * g.SH + kh * g.DH - g.PH, iw = ow * g.SW + kw * g.DW - g.PW;
        if (id >= g.D || ih >= g.H || iw >= g.W) continue;
#if CHANNELS_LAST
        const IDX gi = goo + (n * L + o) * CO + co;
        const IDX xi = xo + (((n * g.D + id) * g.H + ih) * g.W + iw) * g.C + co / mult;
#else
        const IDX gi = goo + (n * CO + co) * L + o;
        const IDX xi = xo + (((n * g.C + co / mult) * g.D + id) * g.H + ih) * g.W + iw;
#endif
        acc += LOAD(go, gi) * LOAD(x, xi);
      }
    }
    red[get_local_id(0)] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lane == 0 && co < CO) {
      ACC s = 0;
      for (int l = 0; l < DW_LANES; ++l) s += red[l * DW_CH + ch];
      part[po + (chunk * CO + co) * K + tap] = s;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
}
