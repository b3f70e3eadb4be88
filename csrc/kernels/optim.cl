// Fused optimizer steps (Adam/AdamW, SGD), one launch per parameter tensor. The launcher
// defines T (compute type), P (storage type of params, grads and states), LOAD(p, i),
// STORE(p, i, v) and LOADS(p) (a 0-dim float tensor: step, lr, grad_scale, found_inf).
// Flags: has_scale / has_inf / lr_is_tensor say whether the optional pointers are real.

// adamw: decoupled weight decay; amsgrad: max_exp_avg_sq is tracked and used.
__kernel void fused_adam(__global P* param, ulong po, __global P* grad, ulong go, __global P* exp_avg, ulong ao,
                         __global P* exp_avg_sq, ulong qo, __global P* max_sq, ulong mo, __global const S* step_p,
                         ulong so, __global const L* lr_p, ulong lo, __global const F* scale_p, ulong sco,
                         __global const F* inf_p, ulong io, ulong n, T lr_value, T beta1, T beta2, T weight_decay,
                         T eps, int amsgrad, int maximize, int adamw, int lr_is_tensor, int has_scale, int has_inf) {
  if (has_inf && LOADF(inf_p, io) == 1) return;  // skipped step (inf/NaN gradients)
  const T step = (T)LOADS(step_p, so);
  const T lr = lr_is_tensor ? (T)LOADL(lr_p, lo) : lr_value;
  const T bias1 = (T)1 - pow(beta1, step), bias2_sqrt = sqrt((T)1 - pow(beta2, step));
  const T step_size = lr / bias1;
  for (ulong k = get_global_id(0); k < n; k += get_global_size(0)) {
    T g = LOAD(grad, go + k), p = LOAD(param, po + k);
    if (has_scale) {
      g /= (T)LOADF(scale_p, sco);
      STORE(grad, go + k, g);  // the unscaled gradient is kept, as the CPU and CUDA kernels do
    }
    if (maximize) g = -g;
    if (weight_decay != 0) {
      if (adamw)
        p -= lr * weight_decay * p;
      else
        g += p * weight_decay;
    }
    T m = LOAD(exp_avg, ao + k), v = LOAD(exp_avg_sq, qo + k);
    m = m + ((T)1 - beta1) * (g - m);
    v = beta2 * v + ((T)1 - beta2) * g * g;
    STORE(exp_avg, ao + k, m);
    STORE(exp_avg_sq, qo + k, v);
    T denom;
    if (amsgrad) {
      T vmax = fmax(LOAD(max_sq, mo + k), v);
      STORE(max_sq, mo + k, vmax);
      denom = sqrt(vmax) / bias2_sqrt + eps;
    } else {
      denom = sqrt(v) / bias2_sqrt + eps;
    }
    p -= step_size * m / denom;
    STORE(param, po + k, p);
  }
}

__kernel void fused_sgd(__global P* param, ulong po, __global P* grad, ulong go, __global P* buf, ulong bo,
                        __global const L* lr_p, ulong lo, __global const F* scale_p, ulong sco,
                        __global const F* inf_p, ulong io, ulong n, T lr_value, T weight_decay, T momentum,
                        T dampening, int nesterov, int maximize, int first_step, int lr_is_tensor, int has_scale,
                        int has_inf) {
  if (has_inf && LOADF(inf_p, io) == 1) return;
  const T lr = lr_is_tensor ? (T)LOADL(lr_p, lo) : lr_value;
  for (ulong k = get_global_id(0); k < n; k += get_global_size(0)) {
    T g = LOAD(grad, go + k), p = LOAD(param, po + k);
    if (has_scale) {
      g /= (T)LOADF(scale_p, sco);
      STORE(grad, go + k, g);
    }
    if (maximize) g = -g;
    if (weight_decay != 0) g += weight_decay * p;
    if (momentum != 0) {
      T b = first_step ? g : momentum * LOAD(buf, bo + k) + ((T)1 - dampening) * g;
      STORE(buf, bo + k, b);
      g = nesterov ? g + momentum * b : b;
    }
    p -= lr * g;
    STORE(param, po + k, p);
  }
}
