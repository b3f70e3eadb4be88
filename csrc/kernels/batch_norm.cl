// Batch norm's per-channel steps (one work-item per channel; the per-element passes are the
// reduction generator and pointwise kernels, see BatchNorm.cpp). Roles: M the statistics read
// (saved or running), W weight, B bias, R running statistics, P parameter gradients.

#ifdef KERNEL_bn_coefficients
// Forward: invstd = 1 / sqrt(var + eps) and y = x * a + b with a = invstd * weight,
// b = bias - mean * a. TRAIN: var is the biased batch variance; invstd is saved and the running
// statistics (HAS_RM / HAS_RV) move towards the batch's by `momentum` (the variance unbiased).
__kernel void bn_coefficients(__global acc_t* invstd, ulong oi, __global acc_t* a, ulong oa, __global acc_t* b,
                              ulong ob, __global const M_t* mean, ulong om, __global const M_t* var, ulong ov,
                              __global const W_t* w, ulong ow, __global const B_t* bias, ulong obias,
                              __global R_t* rmean, ulong orm, __global R_t* rvar, ulong orv, ulong C, acc_t eps,
                              acc_t momentum, acc_t unbias) {
  for (ulong c = get_global_id(0); c < C; c += get_global_size(0)) {
    const acc_t mu = LD_M(mean, om + c), v = LD_M(var, ov + c);
    const acc_t is = (acc_t)1 / sqrt(v + eps);
#if HAS_W
    const acc_t ac = is * LD_W(w, ow + c);
#else
    const acc_t ac = is;
#endif
#if HAS_B
    const acc_t bc = LD_B(bias, obias + c) - mu * ac;
#else
    const acc_t bc = -mu * ac;
#endif
    a[oa + c] = ac;
    b[ob + c] = bc;
#if TRAIN
    invstd[oi + c] = is;
#if HAS_RM
    ST_R(rmean, orm + c, (acc_t)LD_R(rmean, orm + c) * (1 - momentum) + mu * momentum);
#endif
#if HAS_RV
    ST_R(rvar, orv + c, (acc_t)LD_R(rvar, orv + c) * (1 - momentum) + v * unbias * momentum);
#endif
#endif
  }
}
#endif

#ifdef KERNEL_bn_backward_coefficients
// Backward, from sum_dy = sum(dy) and dot = sum(dy * (x - mean)) over the n elements of each
// channel: dx = dy * k1 + (x - mean) * k2 + k3 with k1 = invstd * weight and, in training,
// k2 = -k1 * invstd^2 * dot / n, k3 = -k1 * sum_dy / n (evaluation: k2 = k3 = 0);
// dw = dot * invstd, db = sum_dy. INVSTD_FROM_VAR: `stat` holds the running variance. Without
// HAS_SUMS (evaluation, dx alone) only k1 is meaningful.
__kernel void bn_backward_coefficients(__global acc_t* k, ulong ok, __global P_t* dw, ulong odw, __global P_t* db,
                                       ulong odb, __global const acc_t* sum_dy, ulong os,
                                       __global const acc_t* dot, ulong od, __global const M_t* stat, ulong ost,
                                       __global const W_t* w, ulong ow, ulong C, acc_t n, acc_t eps) {
  for (ulong c = get_global_id(0); c < C; c += get_global_size(0)) {
#if INVSTD_FROM_VAR
    const acc_t is = (acc_t)1 / sqrt((acc_t)LD_M(stat, ost + c) + eps);
#else
    const acc_t is = LD_M(stat, ost + c);
#endif
#if HAS_W
    const acc_t k1 = is * LD_W(w, ow + c);
#else
    const acc_t k1 = is;
#endif
    k[ok + c] = k1;
#if HAS_SUMS
    const acc_t sd = sum_dy[os + c], dt = dot[od + c];
#endif
#if TRAIN
    k[ok + C + c] = -k1 * is * is * dt / n;
    k[ok + 2 * C + c] = -k1 * sd / n;
#else
    k[ok + C + c] = 0;
    k[ok + 2 * C + c] = 0;
#endif
#if WANT_DW
    ST_P(dw, odw + c, dt * is);
#endif
#if WANT_DB
    ST_P(db, odb + c, sd);
#endif
  }
}
#endif
