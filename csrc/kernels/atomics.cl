// Portable read-modify-write atomics for every stored dtype: a compare-and-swap loop on the
// containing 32-bit word (8/16-bit types), on the word itself (32-bit types) or on 64 bits
// (cl_khr_int64_base_atomics; enabled by the including kernel with OCL_ATOMIC64).
// op: 0 add, 1 multiply, 2 max, 3 min (max/min propagate NaN as PyTorch's reductions do).

inline float ocl_combine_f(float a, float b, int op) {
  if (op == 0) return a + b;
  if (op == 1) return a * b;
  if (op == 2) return (a > b || isnan(a)) ? a : b;
  return (a < b || isnan(a)) ? a : b;
}

inline long ocl_combine_l(long a, long b, int op) {
  if (op == 0) return a + b;
  if (op == 1) return a * b;
  if (op == 2) return a > b ? a : b;
  return a < b ? a : b;
}

inline float ocl_h2f(ushort b) { return vload_half(0, (const __private half*)&b); }
inline ushort ocl_f2h(float f) {
  ushort b;
  vstore_half_rte(f, 0, (__private half*)&b);
  return b;
}

// The 32-bit word holding the 8/16-bit element at p, and the element's bit shift in it
// (little-endian devices; OpenCL buffers are at least 4-byte aligned).
#define OCL_WORD(p) ((volatile __global uint*)((ulong)(p) & ~(ulong)3))
#define OCL_SHIFT(p) ((uint)((ulong)(p) & 3) * 8u)

inline void ocl_atomic_f32(__global float* p, float v, int op) {
  volatile __global uint* w = (volatile __global uint*)p;
  uint old = *w, seen;
  do {
    seen = old;
    old = atomic_cmpxchg(w, seen, as_uint(ocl_combine_f(as_float(seen), v, op)));
  } while (old != seen);
}

inline void ocl_atomic_i32(__global int* p, int v, int op) {
  if (op == 0) {
    atomic_add((volatile __global int*)p, v);
    return;
  }
  volatile __global uint* w = (volatile __global uint*)p;
  uint old = *w, seen;
  do {
    seen = old;
    old = atomic_cmpxchg(w, seen, (uint)(int)ocl_combine_l((int)seen, v, op));
  } while (old != seen);
}

// 16-bit floats: kind 0 half, 1 bfloat16.
inline void ocl_atomic_f16(__global ushort* p, float v, int op, int kind) {
  volatile __global uint* w = OCL_WORD(p);
  uint sh = OCL_SHIFT(p);
  uint old = *w, seen;
  do {
    seen = old;
    ushort cur = (ushort)(seen >> sh);
    float f = kind ? bf16_to_float(cur) : ocl_h2f(cur);
    float r = ocl_combine_f(f, v, op);
    ushort nb = kind ? float_to_bf16(r) : ocl_f2h(r);
    uint repl = (seen & ~(0xffffu << sh)) | ((uint)nb << sh);
    old = atomic_cmpxchg(w, seen, repl);
  } while (old != seen);
}

// 8/16-bit integers and bool: bits 8 or 16, sign-extend when is_signed, 0/1 when is_bool.
inline void ocl_atomic_small(__global void* p, long v, int op, uint bits, int is_signed, int is_bool) {
  volatile __global uint* w = OCL_WORD(p);
  uint sh = OCL_SHIFT(p);
  uint mask = bits == 8 ? 0xffu : 0xffffu;
  uint old = *w, seen;
  do {
    seen = old;
    uint raw = (seen >> sh) & mask;
    long cur = is_signed ? (bits == 8 ? (long)(char)raw : (long)(short)raw) : (long)raw;
    long r = ocl_combine_l(cur, v, op);
    if (is_bool) r = op == 1 ? (cur != 0 && v != 0) : (op == 3 ? (cur != 0 && v != 0) : (cur != 0 || v != 0));
    uint repl = (seen & ~(mask << sh)) | (((uint)r & mask) << sh);
    old = atomic_cmpxchg(w, seen, repl);
  } while (old != seen);
}

#ifdef OCL_ATOMIC64
inline void ocl_atomic_i64(__global long* p, long v, int op) {
  if (op == 0) {
    atom_add((volatile __global long*)p, v);
    return;
  }
  volatile __global long* w = (volatile __global long*)p;
  long old = *w, seen;
  do {
    seen = old;
    old = atom_cmpxchg(w, seen, ocl_combine_l(seen, v, op));
  } while (old != seen);
}

#ifdef OCL_HAS_FP64
inline double ocl_combine_d(double a, double b, int op) {
  if (op == 0) return a + b;
  if (op == 1) return a * b;
  if (op == 2) return (a > b || isnan(a)) ? a : b;
  return (a < b || isnan(a)) ? a : b;
}

inline void ocl_atomic_f64(__global double* p, double v, int op) {
  volatile __global long* w = (volatile __global long*)p;
  long old = *w, seen;
  do {
    seen = old;
    old = atom_cmpxchg(w, seen, as_long(ocl_combine_d(as_double(seen), v, op)));
  } while (old != seen);
}
#endif
#endif
