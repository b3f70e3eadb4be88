// Philox-4x32-10 counter-based generator: one independent stream per (seed, offset, element).
// Each launch takes a fresh offset, each element its own counter, so draws never repeat.

inline uint4 philox4x32(uint4 ctr, uint2 key) {
  for (int r = 0; r < 10; ++r) {
    uint lo0 = 0xD2511F53u * ctr.x, hi0 = mul_hi(0xD2511F53u, ctr.x);
    uint lo1 = 0xCD9E8D57u * ctr.z, hi1 = mul_hi(0xCD9E8D57u, ctr.z);
    ctr = (uint4)(hi1 ^ ctr.y ^ key.x, lo1, hi0 ^ ctr.w ^ key.y, lo0);
    key += (uint2)(0x9E3779B9u, 0xBB67AE85u);
  }
  return ctr;
}

// Four random words for element `i` of a launch with (seed, offset).
inline uint4 rand4(ulong seed, ulong offset, ulong i) {
  return philox4x32((uint4)((uint)i, (uint)(i >> 32), (uint)offset, (uint)(offset >> 32)),
                    (uint2)((uint)seed, (uint)(seed >> 32)));
}

// [0, 1) with 24 random bits.
inline float rand_uniform_float(uint x) { return (float)(x >> 8) * 0x1.0p-24f; }
// (0, 1] with 24 random bits (safe for log).
inline float rand_uniform_float_pos(uint x) { return ((float)(x >> 8) + 1.0f) * 0x1.0p-24f; }

inline float rand_normal_float(uint4 r) {
  float u1 = rand_uniform_float_pos(r.x);
  float u2 = rand_uniform_float(r.y);
  return sqrt(-2.0f * log(u1)) * cospi(2.0f * u2);
}

// Word i % 4 of the Philox block of i / 4: four neighbouring elements share one block, so
// a kernel that writes four elements per item runs Philox once for them.
inline uint rand_word(ulong seed, ulong offset, ulong i) {
  uint4 r = rand4(seed, offset, i >> 2);
  uint j = (uint)i & 3u;
  return j == 0u ? r.x : j == 1u ? r.y : j == 2u ? r.z : r.w;
}

// A standard normal from Box-Muller on the Philox block of i / 4: words (x, y) give the
// elements 4k and 4k+1 (cosine and sine), (z, w) the elements 4k+2 and 4k+3.
inline float rand_normal_word(ulong seed, ulong offset, ulong i) {
  uint4 r = rand4(seed, offset, i >> 2);
  uint j = (uint)i & 3u;
  // The hardware approximations (a few ulp) are ample for sampling and keep this kernel
  // memory-bound; the angle is taken in [-pi, pi), where they are most accurate.
  float radius = native_sqrt(-2.0f * native_log(rand_uniform_float_pos(j < 2u ? r.x : r.z)));
  float angle = M_PI_F * (2.0f * rand_uniform_float(j < 2u ? r.y : r.w) - 1.0f);
  return radius * ((j & 1u) ? native_sin(angle) : native_cos(angle));
}

inline ulong rand_u64(uint4 r) { return ((ulong)r.x << 32) | r.y; }

#ifdef OCL_HAS_FP64
// [0, 1) with 53 random bits.
inline double rand_uniform_double(uint4 r) { return (double)(rand_u64(r) >> 11) * 0x1.0p-53; }

inline double rand_normal_double(uint4 r) {
  double u1 = ((double)(rand_u64(r) >> 11) + 1.0) * 0x1.0p-53;
  double u2 = (double)(((ulong)r.z << 32 | r.w) >> 11) * 0x1.0p-53;
  return sqrt(-2.0 * log(u1)) * cospi(2.0 * u2);
}
#endif
