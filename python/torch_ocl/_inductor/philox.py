"""Counter-based random numbers for generated kernels: Philox4x32-10 keyed by a 64-bit seed
(from Inductor's seeds buffer) with the element's 64-bit offset as counter (low and high words),
as Triton's tl.rand does;
uniform floats in [0, 1), normals by Box-Muller, 64-bit integers in [low, high)."""

SOURCE = r"""
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3").
inline uint4 ocl_philox(uint4 c, uint2 k) {
  for (int i = 0; i < 10; i++) {
    uint hi0 = mul_hi(0xD2511F53u, c.x), lo0 = 0xD2511F53u * c.x;
    uint hi1 = mul_hi(0xCD9E8D57u, c.z), lo1 = 0xCD9E8D57u * c.z;
    c = (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k += (uint2)(0x9E3779B9u, 0xBB67AE85u);
  }
  return c;
}
inline uint4 ocl_philox_at(long seed, long offset) {
  return ocl_philox((uint4)((uint)offset, (uint)((ulong)offset >> 32), 0u, 0u),
                    (uint2)((uint)seed, (uint)((ulong)seed >> 32)));
}
// 24 random bits: exact floats in [0, 1)
inline float ocl_rand(long seed, long offset) {
  return (float)(ocl_philox_at(seed, offset).x >> 8) * 0x1.0p-24f;
}
inline float ocl_randn(long seed, long offset) {
  uint4 r = ocl_philox_at(seed, offset);
  float u1 = (float)((r.x >> 8) + 1u) * 0x1.0p-24f;  // (0, 1]: log is finite
  float u2 = (float)(r.y >> 8) * 0x1.0p-24f;
  return sqrt(-2.0f * log(u1)) * cos(6.283185307179586f * u2);
}
inline long ocl_randint64(long seed, long offset, long low, long high) {
  uint4 r = ocl_philox_at(seed, offset);
  ulong bits = ((ulong)r.x << 32) | r.y;
  return low + (long)(bits % (ulong)(high - low));
}
"""
