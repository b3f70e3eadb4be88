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
