// Helpers shared by generated kernels: bfloat16 <-> float by bit operations (no extension).
// half is stored as 16 bits and converted with the core vload_half/vstore_half_rte.

inline float bf16_to_float(ushort x) { return as_float((uint)x << 16); }

// Round to nearest even, NaN -> canonical quiet NaN (as c10::BFloat16 does).
inline ushort float_to_bf16(float f) {
  uint u = as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (ushort)0x7fc0;
  u += 0x7fffu + ((u >> 16) & 1u);
  return (ushort)(u >> 16);
}

// f rounded to the nearest float16 / bfloat16 value, for results CUDA rounds to the 16-bit
// type before a further step (a / b before trunc in div(rounding_mode="trunc")).
inline float round_to_half(float f) {
  ushort bits;
  vstore_half_rte(f, 0, (__private half*)&bits);
  return vload_half(0, (__private half*)&bits);
}
inline float round_to_bf16(float f) { return bf16_to_float(float_to_bf16(f)); }

// float16 bits <-> float, for kernels that move half values as ushort vectors.
inline float half_bits_to_float(ushort bits) { return vload_half(0, (__private half*)&bits); }
inline ushort float_to_half_bits(float f) {
  ushort bits;
  vstore_half_rte(f, 0, (__private half*)&bits);
  return bits;
}
