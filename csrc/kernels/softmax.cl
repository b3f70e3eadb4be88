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
// One work-group per row of n contiguous elements.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void softmax_rows(
    __global Y_t* y, ulong oy, __global const X_t* x, ulong ox, ulong rows, ulong n) {
  __local acc_t rm[WG], rs[WG];
  const uint lid = get_local_id(0);
  for (ulong row = get_group_id(0); row < rows; row += get_num_groups(0)) {
    const ulong bx = ox + row * n, by = oy + row * n;
    acc_t m = -INFINITY, s = 0;
    for (ulong j = lid; j < n; j += WG) online_add(&m, &s, (acc_t)LD_X(x, bx + j));
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
    for (ulong j = lid; j < n; j += WG) ST_Y(y, by + j, softmax_value((acc_t)LD_X(x, bx + j), m, s));
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
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void softmax_backward_rows(
    __global GI_t* gi, ulong ogi, __global const G_t* g, ulong og, __global const Y_t* y, ulong oy, ulong rows,
    ulong n) {
  __local acc_t red[WG];
  const uint lid = get_local_id(0);
  for (ulong row = get_group_id(0); row < rows; row += get_num_groups(0)) {
    const ulong r = row * n;
    acc_t s = 0;
    for (ulong j = lid; j < n; j += WG) s += backward_term((acc_t)LD_G(g, og + r + j), (acc_t)LD_Y(y, oy + r + j));
    s = group_sum(s, red);
    for (ulong j = lid; j < n; j += WG)
      ST_GI(gi, ogi + r + j, backward_value((acc_t)LD_G(g, og + r + j), (acc_t)LD_Y(y, oy + r + j), s));
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
