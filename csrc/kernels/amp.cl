// GradScaler's kernels (torch.amp): gradients unscaled in place with non-finite values flagged,
// and the loss-scale update. The unscale kernel is instantiated per dtype (typed_source:
// T, ACC, LOAD, STORE, IDX); the update works on float32 scale and int32 tracker.

#ifdef T
// g[i] *= inv (skipped when inv is 1, as CUDA does); any non-finite input sets found to 1.
__kernel void unscale(__global T* g, ulong off, IDX n, __global const float* inv, ulong inv_off,
                      __global float* found, ulong found_off) {
  const float s = inv[inv_off];
  for (IDX i = get_global_id(0); i < n; i += get_global_size(0)) {
    const ACC v = LOAD(g, off + i);
    if (!isfinite(v)) found[found_off] = 1.0f;
    STORE(g, off + i, s == 1.0f ? v : v * (ACC)s);
  }
}
#else
// One work-item: back off after an overflow; grow after `interval` clean steps in a row, unless
// the grown scale would overflow float.
__kernel void update_scale(__global float* scale, ulong so, __global int* tracker, ulong to,
                           __global const float* found, ulong fo, float growth, float backoff, int interval) {
  if (found[fo] != 0.0f) {
    scale[so] = scale[so] * backoff;
    tracker[to] = 0;
    return;
  }
  const int successful = tracker[to] + 1;
  if (successful == interval) {
    const float grown = scale[so] * growth;
    if (isfinite(grown)) scale[so] = grown;
    tracker[to] = 0;
  } else {
    tracker[to] = successful;
  }
}
#endif
