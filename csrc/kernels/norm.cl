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
// [chunks, n] acc_t buffers (norm_param_finish sums over chunks).
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

#ifdef KERNEL_norm_param_finish
// dw / db: the [chunks, n] partials (pw / pb) summed over chunks, stored in their own dtypes.
// COLS adjacent columns per work-group (coalesced reads of a partial row), WG / COLS lanes
// splitting the chunks, combined in local memory in a fixed order.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void norm_param_finish(
    __global DW_t* dw, ulong odw, __global DB_t* db, ulong odb, __global const acc_t* pw, ulong opw,
    __global const acc_t* pb, ulong opb, ulong chunks, ulong n) {
  __local acc2_t part[WG];
  const uint lid = get_local_id(0), c = lid % COLS, lane = lid / COLS;
  for (ulong j0 = get_group_id(0) * (ulong)COLS; j0 < n; j0 += get_num_groups(0) * (ulong)COLS) {
    const ulong j = j0 + c;
    acc2_t s = (acc2_t)(0);
    if (j < n) {
      for (ulong k = lane; k < chunks; k += WG / COLS) {
#if DW
        s.x += pw[opw + k * n + j];
#endif
#if DB
        s.y += pb[opb + k * n + j];
#endif
      }
    }
    part[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lane == 0 && j < n) {
      for (uint i = 1; i < WG / COLS; ++i) s += part[c + i * COLS];
#if DW
      ST_DW(dw, odw + j, s.x);
#endif
#if DB
      ST_DB(db, odb + j, s.y);
#endif
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
}
#endif

#if defined(KERNEL_norm_rows_reg) || defined(KERNEL_norm_backward_rows_reg)
// Row offsets of the register kernels: element j of the row and whether it exists.
#define ROW_J(k) ((t + (k) * SEG_T) * VW)
#endif

#ifdef KERNEL_norm_rows_reg
// (count, mean, sum of squared deviations) of a part of a row.
typedef struct {
  acc_t n, mean, m2;
} moments_t;

// Chan et al.'s pairwise combination: exact centring, no cancellation of sum and sum of squares.
inline moments_t moments_merge(moments_t a, moments_t b) {
  if (b.n == 0) return a;
  if (a.n == 0) return b;
  const acc_t n = a.n + b.n, d = b.mean - a.mean, f = b.n / n;
  moments_t r = {n, a.mean + d * f, a.m2 + b.m2 + d * d * a.n * f};
  return r;
}
SEG_REDUCE(seg_moments, moments_t, moments_merge)

// Rows held in registers (see rows.cl): one read and one write of the row; each item centres
// its own elements exactly, the items' moments merge in one reduction (two barriers per row
// block; RMS: a sum of squares).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void norm_rows_reg(
    __global Y_t* y, ulong oy, __global S_t* mean, ulong om, __global S_t* rstd, ulong orr, __global const X_t* x,
    ulong ox, __global const W_t* w, ulong ow, __global const B_t* b, ulong ob, ulong rows, uint n, acc_t eps) {
#if RMS
  __local acc_t red[WG], red2[SEG_R * SEG_P];
#else
  __local moments_t red[WG], red2[SEG_R * SEG_P];
#endif
  const uint t = get_local_id(0) % SEG_T;
  const ulong blocks = (rows + SEG_R - 1) / SEG_R;
  for (ulong blk = get_group_id(0); blk < blocks; blk += get_num_groups(0)) {
    const ulong row = blk * SEG_R + get_local_id(0) / SEG_T;
    const bool live = row < rows;  // the items of a missing row still join the barriers
    __global const X_t* xr = x + ox + row * n;
    accv_t v[VK];
    acc_t s = 0, cnt = 0;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      v[k] = (accv_t)(0);
      if (live && ROW_J(k) < n) {
        v[k] = LDV_X(xr, ROW_J(k));
        cnt += VW;
      }
#if RMS
      s += VSUM(v[k] * v[k]);
#else
      s += VSUM(v[k]);
#endif
    }
#if RMS
    const acc_t mu = 0, var = seg_sum(s, red, red2) / (acc_t)n;
#else
    moments_t mo = {cnt, cnt > 0 ? s / cnt : 0, 0};
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      if (live && ROW_J(k) < n) {
        const accv_t d = v[k] - mo.mean;
        mo.m2 += VSUM(d * d);
      }
    }
    mo = seg_moments(mo, red, red2);
    const acc_t mu = mo.mean, var = mo.m2 / (acc_t)n;
#endif
    const acc_t r = (acc_t)1 / sqrt(var + eps);
    if (live && t == 0) {
#if !RMS
      ST_S(mean, om + row, mu);
#endif
      ST_S(rstd, orr + row, r);
    }
#if WRITE_Y
    __global Y_t* yr = y + oy + row * n;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      if (live && ROW_J(k) < n) {
        accv_t o = (v[k] - mu) * r;
#if HAS_W
        o *= LDV_W(w + ow, ROW_J(k));
#endif
#if HAS_B
        o += LDV_B(b + ob, ROW_J(k));
#endif
        STV_Y(yr, ROW_J(k), o);
      }
    }
#endif
  }
}
#endif

#ifdef KERNEL_norm_backward_rows_reg
// Rows of g and x held in registers: dx as norm_backward_rows, one read of g and x, one
// reduction of the pair of row sums. DW/DB: each item also sums g * xhat / g over the rows
// it visits for its own columns; the work-group's rows are combined in local memory and
// written to row get_group_id(0) of pw / pb ([groups, n], acc_t), summed by norm_param_finish.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void norm_backward_rows_reg(
    __global GI_t* gi, ulong ogi, __global const G_t* g, ulong og, __global const X_t* x, ulong ox,
    __global const S_t* mean, ulong om, __global const S_t* rstd, ulong orr, __global const W_t* w, ulong ow,
    __global P_t* pw, ulong opw, __global P_t* pb, ulong opb, ulong rows, uint n) {
  __local acc2_t red[WG], red2[SEG_R * SEG_P];
  const uint t = get_local_id(0) % SEG_T;
  const ulong blocks = (rows + SEG_R - 1) / SEG_R;
#if DW || DB
  accv_t dw[VK], db[VK];
#pragma unroll
  for (uint k = 0; k < VK; ++k) dw[k] = db[k] = (accv_t)(0);
#endif
  for (ulong blk = get_group_id(0); blk < blocks; blk += get_num_groups(0)) {
    const ulong row = blk * SEG_R + get_local_id(0) / SEG_T;
    const bool live = row < rows;
    acc_t mu = 0, r = 0;
    if (live) {
#if !RMS
      mu = (acc_t)LD_S(mean, om + row);
#endif
      r = (acc_t)LD_S(rstd, orr + row);
    }
    __global const G_t* gr = g + og + row * n;
    __global const X_t* xr = x + ox + row * n;
    accv_t gv[VK], xh[VK];
    acc_t sa = 0, sb = 0;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      gv[k] = xh[k] = (accv_t)(0);
      if (live && ROW_J(k) < n) {
        gv[k] = LDV_G(gr, ROW_J(k));
        xh[k] = (LDV_X(xr, ROW_J(k)) - mu) * r;
      }
#if DW || DB
      dw[k] += gv[k] * xh[k];
      db[k] += gv[k];
#endif
#if HAS_W
      if (ROW_J(k) < n) gv[k] *= LDV_W(w + ow, ROW_J(k));  // g * w from here on
#endif
      sa += VSUM(gv[k]);
      sb += VSUM(gv[k] * xh[k]);
    }
    const acc2_t ab = seg_sum2((acc2_t)(sa, sb), red, red2) / (acc_t)n;
#if RMS
    const acc_t a = 0;
#else
    const acc_t a = ab.x;
#endif
#if WRITE_GI
    __global GI_t* gir = gi + ogi + row * n;
#pragma unroll
    for (uint k = 0; k < VK; ++k)
      if (live && ROW_J(k) < n) STV_GI(gir, ROW_J(k), r * (gv[k] - a - xh[k] * ab.y));
#endif
  }
#if DW || DB
  // Combine the SEG_R rows' partials of each column (none to combine when a row fills the group).
  __global P_t* pwr = pw + opw + get_group_id(0) * (ulong)n;
  __global P_t* pbr = pb + opb + get_group_id(0) * (ulong)n;
#if SEG_R == 1
#pragma unroll
  for (uint k = 0; k < VK; ++k) {
    if (ROW_J(k) < n) {
#if DW
      STV_P(pwr, ROW_J(k), dw[k]);
#endif
#if DB
      STV_P(pbr, ROW_J(k), db[k]);
#endif
    }
  }
#else
  __local accv_t part[WG];
  const uint lid = get_local_id(0);
#pragma unroll
  for (uint k = 0; k < VK; ++k) {
#if DW
    part[lid] = dw[k];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid < SEG_T && ROW_J(k) < n) {
      accv_t s = part[lid];
      for (uint i = 1; i < SEG_R; ++i) s += part[lid + i * SEG_T];
      STV_P(pwr, ROW_J(k), s);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
#endif
#if DB
    part[lid] = db[k];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid < SEG_T && ROW_J(k) < n) {
      accv_t s = part[lid];
      for (uint i = 1; i < SEG_R; ++i) s += part[lid + i * SEG_T];
      STV_P(pbr, ROW_J(k), s);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
#endif
  }
#endif
#endif
}
#endif
