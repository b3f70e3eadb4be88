// Layer norm and RMS norm over rows of n contiguous elements (also the per-group statistics
// of group norm), forward and backward, and the per-column partial sums of the weight and
// bias gradients. Operands: X input, Y output, W weight, B bias, S statistics (mean, rstd;
// acc_t), G grad_output, GI grad_input. HAS_W/HAS_B: affine parameters present; WRITE_Y: 0
// computes the statistics only; RMS: no mean subtraction (statistics: rstd only).

#ifdef KERNEL_norm_rows
// Two passes over the row for the statistics (mean, then centred squares: no cancellation),
// a third writes y; the row is in cache by then.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void norm_rows(
    __global Y_t* y, ulong oy, __global S_t* mean, ulong om, __global S_t* rstd, ulong orr, __global const X_t* x,
    ulong ox, __global const W_t* w, ulong ow, __global const B_t* b, ulong ob, ulong rows, ulong n, acc_t eps) {
  __local acc_t red[WG];
  const uint lid = get_local_id(0);
  for (ulong row = get_group_id(0); row < rows; row += get_num_groups(0)) {
    const ulong bx = ox + row * n;
    acc_t mu = 0;
#if !RMS
    acc_t s = 0;
    for (ulong j = lid; j < n; j += WG) s += (acc_t)LD_X(x, bx + j);
    mu = group_sum(s, red) / (acc_t)n;
#endif
    acc_t q = 0;
    for (ulong j = lid; j < n; j += WG) {
      acc_t d = (acc_t)LD_X(x, bx + j) - mu;
      q += d * d;
    }
    acc_t var = group_sum(q, red) / (acc_t)n;
    acc_t r = (acc_t)1 / sqrt(var + eps);
    if (lid == 0) {
#if !RMS
      ST_S(mean, om + row, mu);
#endif
      ST_S(rstd, orr + row, r);
    }
#if WRITE_Y
    for (ulong j = lid; j < n; j += WG) {
      acc_t v = ((acc_t)LD_X(x, bx + j) - mu) * r;
#if HAS_W
      v *= (acc_t)LD_W(w, ow + j);
#endif
#if HAS_B
      v += (acc_t)LD_B(b, ob + j);
#endif
      ST_Y(y, oy + row * n + j, v);
    }
#endif
  }
}
#endif

#ifdef KERNEL_norm_backward_rows
// dx = rstd * (g*w - mean(g*w) - xhat * mean(g*w*xhat)), xhat = (x - mean) * rstd
// (RMS: no mean terms).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void norm_backward_rows(
    __global GI_t* gi, ulong ogi, __global const G_t* g, ulong og, __global const X_t* x, ulong ox,
    __global const S_t* mean, ulong om, __global const S_t* rstd, ulong orr, __global const W_t* w, ulong ow,
    ulong rows, ulong n) {
  __local acc_t red[WG];
  const uint lid = get_local_id(0);
  for (ulong row = get_group_id(0); row < rows; row += get_num_groups(0)) {
    const ulong base = row * n;
#if RMS
    const acc_t mu = 0;
#else
    const acc_t mu = (acc_t)LD_S(mean, om + row);
#endif
    const acc_t r = (acc_t)LD_S(rstd, orr + row);
    acc_t sa = 0, sb = 0;
    for (ulong j = lid; j < n; j += WG) {
      acc_t gw = (acc_t)LD_G(g, og + base + j);
#if HAS_W
      gw *= (acc_t)LD_W(w, ow + j);
#endif
      sa += gw;
      sb += gw * ((acc_t)LD_X(x, ox + base + j) - mu) * r;
    }
#if RMS
    const acc_t a = 0;
#else
    const acc_t a = group_sum(sa, red) / (acc_t)n;
#endif
    const acc_t bb = group_sum(sb, red) / (acc_t)n;
    for (ulong j = lid; j < n; j += WG) {
      acc_t gw = (acc_t)LD_G(g, og + base + j);
#if HAS_W
      gw *= (acc_t)LD_W(w, ow + j);
#endif
      acc_t xhat = ((acc_t)LD_X(x, ox + base + j) - mu) * r;
      ST_GI(gi, ogi + base + j, r * (gw - a - xhat * bb));
    }
  }
}
#endif

#ifdef KERNEL_norm_param_partials
// Partial sums over a chunk of rows per column: pw = sum g * xhat, pb = sum g, written to
// [chunks, n] acc_t buffers (the host sums over chunks).
__kernel void norm_param_partials(__global acc_t* pw, ulong opw, __global acc_t* pb, ulong opb,
                                  __global const G_t* g, ulong og,
                                  __global const X_t* x, ulong ox, __global const S_t* mean, ulong om,
                                  __global const S_t* rstd, ulong orr, ulong rows, ulong n, ulong chunk,
                                  ulong chunks) {
  for (ulong k = get_global_id(0); k < chunks * n; k += get_global_size(0)) {
    const ulong c = k / n, j = k % n;
    const ulong end = min(rows, (c + 1) * chunk);
    acc_t sw = 0, sb = 0;
    for (ulong row = c * chunk; row < end; ++row) {
      acc_t gv = (acc_t)LD_G(g, og + row * n + j);
#if RMS
      acc_t mu = 0;
#else
      acc_t mu = (acc_t)LD_S(mean, om + row);
#endif
      sw += gv * ((acc_t)LD_X(x, ox + row * n + j) - mu) * (acc_t)LD_S(rstd, orr + row);
      sb += gv;
    }
    pw[opw + k] = sw;
    pb[opb + k] = sb;
  }
}
#endif
