// Negative log-likelihood loss over input [batch, C, S] (contiguous; S = 1 for nll_loss,
// H*W for nll_loss2d) and target [batch, S]. Operands: X input, T target (integer), W class
// weights (HAS_W), Y output and total weight, G grad_output and total weight, GI grad_input.
// The forward kernels report a target outside [0, C) that is not ignore: bad[0] = 1, bad[1] = the
// target (one of them when several are), read by the host after the launch; such targets are
// skipped, never dereferenced.

inline acc_t class_weight(__global const W_t* w, ulong ow, long c) {
#if HAS_W
  return (acc_t)LD_W(w, ow + c);
#else
  return 1;
#endif
}

// Whether target c selects a class, reporting it in bad when it is out of range.
inline bool valid_target(long c, long ignore, ulong C, __global long* bad) {
  if (c == ignore) return false;
  if (c < 0 || c >= (long)C) {
    bad[0] = 1;
    bad[1] = c;
    return false;
  }
  return true;
}

inline ulong input_index(ulong e, long c, ulong C, ulong S) { return (e / S) * C * S + (ulong)c * S + e % S; }

#ifdef KERNEL_nll_none
// reduction='none': one loss per target element.
__kernel void nll_none(__global Y_t* y, ulong oy, __global const X_t* x, ulong ox, __global const T_t* t, ulong ot,
                       __global const W_t* w, ulong ow, __global long* bad, ulong obad, ulong count, ulong C,
                       ulong S, long ignore) {
  bad += obad;
  for (ulong e = get_global_id(0); e < count; e += get_global_size(0)) {
    long c = (long)t[ot + e];
    acc_t v = 0;
    if (valid_target(c, ignore, C, bad))
      v = -class_weight(w, ow, c) * (acc_t)LD_X(x, ox + input_index(e, c, C, S));
    ST_Y(y, oy + e, v);
  }
}
#endif

#ifdef KERNEL_nll_reduce
// reduction='sum'/'mean' (MEAN): one work-group sums the losses and the weights.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void nll_reduce(
    __global Y_t* y, ulong oy, __global Y_t* total, ulong otw, __global const X_t* x, ulong ox,
    __global const T_t* t, ulong ot, __global const W_t* w, ulong ow, __global long* bad, ulong obad, ulong count,
    ulong C, ulong S, long ignore) {
  __local acc_t rl[WG], rw[WG];
  const uint lid = get_local_id(0);
  bad += obad;
  acc_t sl = 0, sw = 0;
  for (ulong e = lid; e < count; e += WG) {
    long c = (long)t[ot + e];
    if (!valid_target(c, ignore, C, bad)) continue;
    acc_t wt = class_weight(w, ow, c);
    sl -= wt * (acc_t)LD_X(x, ox + input_index(e, c, C, S));
    sw += wt;
  }
  rl[lid] = sl;
  rw[lid] = sw;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint k = WG / 2; k > 0; k >>= 1) {
    if (lid < k) {
      rl[lid] += rl[lid + k];
      rw[lid] += rw[lid + k];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) {
    ST_Y(total, otw, rw[0]);
#if MEAN
    ST_Y(y, oy, rl[0] / rw[0]);
#else
    ST_Y(y, oy, rl[0]);
#endif
  }
}
#endif

#ifdef KERNEL_nll_backward
// grad_input (zeroed by the host) gets -w[c] * grad at each target's class; REDUCTION is
// 0 none (grad per element), 1 mean (grad / total weight), 2 sum.
__kernel void nll_backward(__global GI_t* gi, ulong ogi, __global const G_t* g, ulong og, __global const G_t* total,
                           ulong otw, __global const T_t* t, ulong ot, __global const W_t* w, ulong ow, ulong count,
                           ulong C, ulong S, long ignore) {
  for (ulong e = get_global_id(0); e < count; e += get_global_size(0)) {
    long c = (long)t[ot + e];
    if (c == ignore || c < 0 || c >= (long)C) continue;
#if REDUCTION == 0
    acc_t gv = (acc_t)LD_G(g, og + e);
#elif REDUCTION == 1
    acc_t gv = (acc_t)LD_G(g, og) / (acc_t)LD_G(total, otw);
#else
    acc_t gv = (acc_t)LD_G(g, og);
#endif
    ST_GI(gi, ogi + input_index(e, c, C, S), -class_weight(w, ow, c) * gv);
  }
}
#endif
