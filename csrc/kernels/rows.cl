// Shared by the row kernels of nn_kernel (softmax.cl, norm.cl, nll.cl): the work-group size
// WG (a power of two; the launcher may define it) and a work-group sum in local memory.

#ifndef WG
#define WG 256
#endif

// The sum of v over the work-group, returned to every item; red holds WG values.
inline acc_t group_sum(acc_t v, __local acc_t* red) {
  const uint lid = get_local_id(0);
  red[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint w = WG / 2; w > 0; w >>= 1) {
    if (lid < w) red[lid] += red[lid + w];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  acc_t r = red[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  return r;
}
