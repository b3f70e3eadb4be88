// Softmax and log-softmax, forward and backward, over a dim seen as [outer, dim, inner]
// of a contiguous tensor. Inputs: X (input), Y (output), G (grad_output), GI (grad_input);
// LOG selects log-softmax; WG is the work-group size of the row kernels (a power of two).

// Online (max, sum of exp) accumulation: one pass over the row for both statistics, one
// exp per element (the running sum is rescaled only when the maximum grows).
inline void online_add(acc_t* m, acc_t* s, acc_t x) {
  if (x > *m) {
    *s = *s * exp(*m - x) + 1;  // exp(-inf) = 0 for the first finite x
    *m = x;
  } else if (x != -INFINITY) {
    *s += exp(x - *m);  // NaN x poisons the row here, as on the CPU
  }
}

inline void online_merge(acc_t* m, acc_t* s, acc_t m2, acc_t s2) {
  if (isnan(s2)) *s = s2;
  acc_t mx = fmax(*m, m2);
  if (mx == -INFINITY) return;
  *s = *s * exp(*m - mx) + s2 * exp(m2 - mx);
  *m = mx;
}

inline acc_t softmax_value(acc_t x, acc_t m, acc_t s) {
#if LOG
  return x - m - log(s);
#else
  return exp(x - m) / s;
#endif
}

#ifdef KERNEL_softmax_rows
// Rows too long for registers: a work-group per row, two passes over it (the statistics, then
// the values). The launcher keeps few rows in flight (stream_plan) so that the second pass finds
// the row in L2; loads are VW wide over the row's aligned middle (row_span), UNROLL per item in
// flight.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void softmax_rows(
    __global Y_t* y, ulong oy, __global const X_t* x, ulong ox, ulong rows, uint n) {
  __local acc_t rm[WG], rs[WG];
  const uint lid = get_local_id(0);
  for (ulong row = get_group_id(0); row < rows; row += get_num_groups(0)) {
    const ulong bx = ox + row * n, by = oy + row * n;
    const RowSpan sp = row_span(bx, n);
    __global const X_t* xv = x + bx + sp.head;
    __global Y_t* yv = y + by + sp.head;
    acc_t m = -INFINITY, s = 0;
#define ADD(e) online_add(&m, &s, (e));
    for (uint v = lid; v < sp.nv; v += WG * UNROLL) {
      accv_t a[UNROLL];
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u)
        a[u] = v + u * WG < sp.nv ? LDV_X(xv, (v + u * WG) * VW) : (accv_t)(-INFINITY);  // padding adds 0
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u) {
        EACH_LANE(a[u], ADD)
      }
    }
    const uint e = edge_index(sp, lid);
    if (e < n) ADD((acc_t)LD_X(x, bx + e))
#undef ADD
    rm[lid] = m;
    rs[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint w = WG / 2; w > 0; w >>= 1) {
      if (lid < w) {
        acc_t a = rm[lid], b = rs[lid];
        online_merge(&a, &b, rm[lid + w], rs[lid + w]);
        rm[lid] = a;
        rs[lid] = b;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
    m = rm[0];
    s = rs[0];
    barrier(CLK_LOCAL_MEM_FENCE);
#if LOG
    const acc_t ls = log(s);
#define VALUE(a) ((a) - m - ls)
#else
#define VALUE(a) (exp((a) - m) / s)
#endif
    for (uint v = lid; v < sp.nv; v += WG * UNROLL) {
      accv_t a[UNROLL];
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u)
        if (v + u * WG < sp.nv) a[u] = LDV_X(xv, (v + u * WG) * VW);
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u)
        if (v + u * WG < sp.nv) STV_Y(yv, (v + u * WG) * VW, VALUE(a[u]));
    }
    if (e < n) ST_Y(y, by + e, VALUE((acc_t)LD_X(x, bx + e)));
#undef VALUE
  }
}
#endif

#ifdef KERNEL_softmax_rows_reg
// Rows held in registers (see rows.cl): one read and one write of the row, exp once per
// element, a max and a sum reduction (four barriers per row block).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void softmax_rows_reg(
    __global Y_t* y, ulong oy, __global const X_t* x, ulong ox, ulong rows, uint n) {
  __local acc_t red[WG], red2[SEG_R * SEG_P];
  const uint t = get_local_id(0) % SEG_T;
  const ulong blocks = (rows + SEG_R - 1) / SEG_R;
  for (ulong blk = get_group_id(0); blk < blocks; blk += get_num_groups(0)) {
    const ulong row = blk * SEG_R + get_local_id(0) / SEG_T;
    const bool live = row < rows;  // the items of a missing row still join the barriers
    __global const X_t* xr = x + ox + row * n;
    accv_t v[VK];
    acc_t m = -INFINITY;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      const uint j = (t + k * SEG_T) * VW;
      v[k] = (accv_t)(-INFINITY);  // padding: exp(-inf - m) adds 0
      if (live && j < n) v[k] = LDV_X(xr, j);
      m = fmax(m, VMAX(v[k]));  // NaN poisons the sum below, as on the CPU
    }
    m = seg_max(m, red, red2);
    acc_t s = 0;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
#if LOG
      s += VSUM(exp(v[k] - m));
#else
      v[k] = exp(v[k] - m);
      s += VSUM(v[k]);
#endif
    }
    s = seg_sum(s, red, red2);
#if LOG
    const acc_t ls = log(s);
#endif
    __global Y_t* yr = y + oy + row * n;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      const uint j = (t + k * SEG_T) * VW;
#if LOG
      if (live && j < n) STV_Y(yr, j, v[k] - m - ls);
#else
      if (live && j < n) STV_Y(yr, j, v[k] / s);
#endif
    }
  }
}
#endif

#ifdef KERNEL_softmax_cols
// One work-item per (outer, inner) column, walking the dim with stride `inner`.
__kernel void softmax_cols(__global Y_t* y, ulong oy, __global const X_t* x, ulong ox, ulong outer, ulong n,
                           ulong inner) {
  for (ulong c = get_global_id(0); c < outer * inner; c += get_global_size(0)) {
    const ulong base = (c / inner) * n * inner + c % inner;
    acc_t m = -INFINITY, s = 0;
    for (ulong j = 0; j < n; ++j) online_add(&m, &s, (acc_t)LD_X(x, ox + base + j * inner));
    for (ulong j = 0; j < n; ++j)
      ST_Y(y, oy + base + j * inner, softmax_value((acc_t)LD_X(x, ox + base + j * inner), m, s));
  }
}
#endif

// softmax: gi = y * (g - sum(g * y)); log-softmax: gi = g - exp(y) * sum(g).
inline acc_t backward_term(acc_t g, acc_t y) {
#if LOG
  return g;
#else
  return g * y;
#endif
}

inline acc_t backward_value(acc_t g, acc_t y, acc_t sum) {
#if LOG
  return g - exp(y) * sum;
#else
  return y * (g - sum);
#endif
}

#ifdef KERNEL_softmax_backward_rows
// Rows too long for registers (as softmax_rows): the sum, then the values.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void softmax_backward_rows(
    __global GI_t* gi, ulong ogi, __global const G_t* g, ulong og, __global const Y_t* y, ulong oy, ulong rows,
    uint n) {
  __local acc_t red[WG];
  const uint lid = get_local_id(0);
  for (ulong row = get_group_id(0); row < rows; row += get_num_groups(0)) {
    const ulong bg = og + row * n, by = oy + row * n, bgi = ogi + row * n;
    const RowSpan sp = row_span(bg, n);
    __global const G_t* gv = g + bg + sp.head;
    __global const Y_t* yv = y + by + sp.head;
    __global GI_t* giv = gi + bgi + sp.head;
    accv_t sv = (accv_t)(0);
    for (uint v = lid; v < sp.nv; v += WG * UNROLL) {
      accv_t a[UNROLL];
#if !LOG
      accv_t b[UNROLL];
#endif
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u) {
        const bool in = v + u * WG < sp.nv;
        a[u] = in ? LDV_G(gv, (v + u * WG) * VW) : (accv_t)(0);
#if !LOG
        b[u] = in ? LDV_Y(yv, (v + u * WG) * VW) : (accv_t)(0);
#endif
      }
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u)
#if LOG
        sv += a[u];
#else
        sv += a[u] * b[u];
#endif
    }
    acc_t s = VSUM(sv);
    const uint e = edge_index(sp, lid);
    if (e < n) s += backward_term((acc_t)LD_G(g, bg + e), (acc_t)LD_Y(y, by + e));
    s = group_sum(s, red);
    for (uint v = lid; v < sp.nv; v += WG * UNROLL) {
      accv_t a[UNROLL], b[UNROLL];
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u)
        if (v + u * WG < sp.nv) {
          a[u] = LDV_G(gv, (v + u * WG) * VW);
          b[u] = LDV_Y(yv, (v + u * WG) * VW);
        }
#pragma unroll
      for (uint u = 0; u < UNROLL; ++u)
#if LOG
        if (v + u * WG < sp.nv) STV_GI(giv, (v + u * WG) * VW, a[u] - exp(b[u]) * s);
#else
        if (v + u * WG < sp.nv) STV_GI(giv, (v + u * WG) * VW, b[u] * (a[u] - s));
#endif
    }
    if (e < n) ST_GI(gi, bgi + e, backward_value((acc_t)LD_G(g, bg + e), (acc_t)LD_Y(y, by + e), s));
  }
}
#endif

#ifdef KERNEL_softmax_backward_cols
__kernel void softmax_backward_cols(__global GI_t* gi, ulong ogi, __global const G_t* g, ulong og,
                                    __global const Y_t* y, ulong oy, ulong outer, ulong n, ulong inner) {
  for (ulong c = get_global_id(0); c < outer * inner; c += get_global_size(0)) {
    const ulong base = (c / inner) * n * inner + c % inner;
    acc_t s = 0;
    for (ulong j = 0; j < n; ++j) {
      ulong k = base + j * inner;
      s += backward_term((acc_t)LD_G(g, og + k), (acc_t)LD_Y(y, oy + k));
    }
    for (ulong j = 0; j < n; ++j) {
      ulong k = base + j * inner;
      ST_GI(gi, ogi + k, backward_value((acc_t)LD_G(g, og + k), (acc_t)LD_Y(y, oy + k), s));
    }
  }
}
#endif

#ifdef KERNEL_softmax_backward_rows_reg
// Rows held in registers: one read of g and y, one write, one sum reduction. log-softmax
// keeps only g there (its sum needs no y), reading y in the write loop: longer rows fit.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void softmax_backward_rows_reg(
    __global GI_t* gi, ulong ogi, __global const G_t* g, ulong og, __global const Y_t* y, ulong oy, ulong rows,
    uint n) {
  __local acc_t red[WG], red2[SEG_R * SEG_P];
  const uint t = get_local_id(0) % SEG_T;
  const ulong blocks = (rows + SEG_R - 1) / SEG_R;
  for (ulong blk = get_group_id(0); blk < blocks; blk += get_num_groups(0)) {
    const ulong row = blk * SEG_R + get_local_id(0) / SEG_T;
    const bool live = row < rows;
    __global const G_t* gr = g + og + row * n;
    __global const Y_t* yr = y + oy + row * n;
    accv_t gv[VK];
#if !LOG
    accv_t yv[VK];
#endif
    acc_t s = 0;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      const uint j = (t + k * SEG_T) * VW;
      gv[k] = (accv_t)(0);
#if LOG
      if (live && j < n) gv[k] = LDV_G(gr, j);
      s += VSUM(gv[k]);
#else
      yv[k] = (accv_t)(0);
      if (live && j < n) {
        gv[k] = LDV_G(gr, j);
        yv[k] = LDV_Y(yr, j);
      }
      s += VSUM(gv[k] * yv[k]);
#endif
    }
    s = seg_sum(s, red, red2);
    __global GI_t* gir = gi + ogi + row * n;
#pragma unroll
    for (uint k = 0; k < VK; ++k) {
      const uint j = (t + k * SEG_T) * VW;
#if LOG
      if (live && j < n) STV_GI(gir, j, gv[k] - exp(LDV_Y(yr, j)) * s);
#else
      if (live && j < n) STV_GI(gir, j, yv[k] * (gv[k] - s));
#endif
    }
  }
}
#endif
