// Warp-level helpers of the tensor-core kernels (gemm_mma.cl, attention_mma.cl) for NVIDIA GPUs of
// compute capability 8.0+, whose OpenCL compiler accepts inline PTX. The host prepends this file
// after MMA_BF16 (1: bfloat16 operands, 0: float16), MMA_TF32 (1: float operands rounded to TF32,
// mma.sync.m16n8k8) and MMA_EMULATE.
//
// MMA_EMULATE 1 replaces the PTX by plain OpenCL with the same results (mma.sync, ldmatrix and
// shfl exchange registers through local memory, one barrier each; cp.async copies at once), so
// the tensor-core kernels' logic runs and is tested on any device (TORCH_OCL_MMA_EMULATE=1).
// Every helper must then be reached by the whole work-group together, as on NVIDIA it is by the
// whole warp. A kernel declares MMA_SCRATCH at its top (the emulation's local memory; nothing on
// NVIDIA) and THREADS before it.
//
// Tiles of 16-bit values live in local memory as rows of 16-byte chunks (8 values), placed with
// an XOR swizzle so that the eight rows one ldmatrix phase reads fall on distinct banks without
// padding; ldmatrix (.trans for tiles kept [k][rows]) turns them into mma.sync's fragments.

#ifndef MMA_TF32
#define MMA_TF32 0
#endif
#if MMA_TF32
#define EL uint    // an operand element's bits
#define KPC 4      // elements per 16-byte chunk
#define KSTEP 8    // depth of one mma
#else
#define EL ushort
#define KPC 8
#define KSTEP 16
#endif

inline uint pack2(ushort lo, ushort hi) { return (uint)lo | ((uint)hi << 16); }

// Where chunk c of local row r goes, in a tile whose rows hold `per_row` (even) chunks: each
// aligned group of 8 (else 4, else 2) chunks is permuted by the row, so that eight consecutive
// rows spread over the banks.
inline int swz(int r, int c, int per_row) {
  if (per_row % 8 == 0) return c ^ (r & 7);
  if (per_row == 4) return c ^ ((r >> 1) & 3);
  if (per_row == 2) return c ^ ((r >> 2) & 1);
  if ((c & ~7) + 8 <= per_row) return c ^ (r & 7);  // rows of 6, 10, 12 or 14 chunks
  if ((c & ~3) + 4 <= per_row) return c ^ ((r >> 1) & 3);
  return c ^ ((r >> 2) & 1);
}
inline int chunk_at(int r, int c, int per_row) { return (r * per_row + swz(r, c, per_row)) * 8; }

#if !MMA_EMULATE
// The fragment loops are unrolled so that fragments and accumulators stay in registers.
#define MMA_UNROLL _Pragma("unroll")
#if MMA_TF32
#define MMA_OP "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32"
#define CVT2_OP "cvt.rn.bf16x2.f32"  // (16-bit results only)
#elif MMA_BF16
#define MMA_OP "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32"
#define CVT2_OP "cvt.rn.bf16x2.f32"
#else
#define MMA_OP "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32"
#define CVT2_OP "cvt.rn.f16x2.f32"
#endif

// acc (float[4]) += a (uint4: the A fragment of 16 x KSTEP) times b0, b1 (the B fragment of
// KSTEP x 8).
#define MMA16816(acc, a, b0, b1)                                                                 \
  asm volatile(MMA_OP " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"                  \
               : "+f"((acc)[0]), "+f"((acc)[1]), "+f"((acc)[2]), "+f"((acc)[3])                  \
               : "r"((a).x), "r"((a).y), "r"((a).z), "r"((a).w), "r"(b0), "r"(b1))

// Two floats rounded to the operand type and packed, lo in the low half.
inline uint cvt2(float lo, float hi) {
  uint r;
  asm volatile(CVT2_OP " %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
  return r;
}

// cp.async of `bytes` (0..16) bytes from src into the 16 bytes at dst, the rest zero-filled.
// CP_L1 1 caches the copied lines in L1 too (.ca), else only in L2 (.cg).
#ifndef CP_L1
#define CP_L1 0
#endif
#if CP_L1
#define CP_ASYNC_OP "cp.async.ca.shared.global"
#else
#define CP_ASYNC_OP "cp.async.cg.shared.global"
#endif
inline void cp_async16(__local ushort* dst, __global const ushort* src, int bytes) {
  asm volatile(CP_ASYNC_OP " [%0], [%1], 16, %2;" ::"r"((uint)(ulong)dst), "l"((ulong)src), "r"(bytes)
               : "memory");
}
inline void cp_async_commit(void) { asm volatile("cp.async.commit_group;" ::: "memory"); }
// Waits until at most n (a literal) of this work-item's committed copy groups are in flight.
#define CP_ASYNC_WAIT(n) asm volatile("cp.async.wait_group " #n ";" ::: "memory")

// A fragment's floats rounded to TF32 (to nearest, ties away from zero, as cuBLAS rounds).
inline uint tf32_of(uint f) {
  uint r;
  asm volatile("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(as_float(f)));
  return r;
}

// Butterfly exchange within a warp (lanes l and l ^ m).
inline float shfl_xor(float v, int m) {
  float r;
  asm volatile("shfl.sync.bfly.b32 %0, %1, %2, 0x1f, 0xffffffff;" : "=f"(r) : "f"(v), "r"(m));
  return r;
}

// The compute unit (SM) this work-group runs on.
inline uint unit_id(void) {
  uint r;
  asm volatile("mov.u32 %0, %%smid;" : "=r"(r));
  return r;
}

// *p += v in global memory, atomically, nothing returned (float partial sums from many work-groups).
inline void red_add_f32(__global float* p, float v) {
  asm volatile("red.global.add.f32 [%0], %1;" ::"l"((ulong)p), "f"(v) : "memory");
}

#define MMA_SCRATCH
// ldmatrix (ldsm) and its transposing form (ldsm_t): four 8 x 8 blocks of 16-bit values, lane l
// giving the address of row l % 8 of block l / 8. It takes the 32-bit shared-window address,
// which is what a __local pointer holds.
#define OCL_LDSM(NAME, TRANS)                                                                   \
  inline uint4 NAME(__local const ushort* p) {                                                  \
    uint4 r;                                                                                    \
    asm volatile("ldmatrix.sync.aligned.m8n8.x4" TRANS ".shared.b16 {%0,%1,%2,%3}, [%4];"      \
                 : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)                                   \
                 : "r"((uint)(ulong)p));                                                        \
    return r;                                                                                   \
  }
OCL_LDSM(ldsm, "")
OCL_LDSM(ldsm_t, ".trans")

#define LDSM_FRAG(ADDR, TRANS, L, per_row, r0, k0, lane) \
  ((TRANS) ? ldsm_t(ADDR(L, per_row, r0, k0, lane)) : ldsm(ADDR(L, per_row, r0, k0, lane)))

#else  // MMA_EMULATE
// Not unrolled: a barrier per step is cheap to compile in a loop, not in thousands of copies.
#define MMA_UNROLL _Pragma("nounroll")

#define MMA_SCRATCH                              \
  __local uint mma_x[2 * THREADS * 6];           \
  int mma_n = 0;

// The exchange buffer of the next collective step (two alternate, so one barrier each suffices).
inline __local uint* emu_buffer(__local uint* x, int* n) { return x + ((*n)++ & 1) * get_local_size(0) * 6; }

// Element k (0..KSTEP-1) of a fragment row held by lanes 4 g.. of the warp's exchange words w
// (six per lane: a.x..a.w, b0, b1): lane 4 g + (k % KPH) / EPW, word base + k / KPH, and the half
// k % 2 for 16-bit values.
#if MMA_TF32
#define KPH 4  // k per fragment register group
#define EPW 1  // elements per 32-bit word
inline float emu_value(__local const uint* w, int g, int base, int k) {
  return as_float(w[(g * 4 + k % 4) * 6 + base + 2 * (k / 4) / (base < 4 ? 1 : 2)]);
}
#else
#define KPH 8
#define EPW 2
inline float emu_value(__local const uint* w, int g, int base, int k) {
  const uint word = w[(g * 4 + (k % 8) / 2) * 6 + base + 2 * (k / 8) / (base < 4 ? 1 : 2)];
  const ushort v = (ushort)(k % 2 ? word >> 16 : word & 0xffff);
#if MMA_BF16
  return bf16_to_float(v);
#else
  return half_bits_to_float(v);
#endif
}
#endif

// mma.sync.m16n8k16 (m16n8k8 for TF32) .row.col with float accumulators: lane l holds A rows
// l / 4 (+ 8) at k 2 (l % 4) and + 1 (16-bit) or l % 4 (TF32), then the same + KSTEP / 2, in
// {a.x: row, a.y: row + 8, a.z: deeper k, a.w: both}, B column l / 4 at the same k in {b0, b1:
// deeper}, and D rows l / 4 (+ 8), columns 2 (l % 4) (+ 1).
inline void emu_mma(float* acc, uint4 a, uint b0, uint b1, __local uint* x, int* n) {
  __local uint* buf = emu_buffer(x, n);
  const int lid = get_local_id(0), lane = lid % 32;
  __local uint* me = buf + lid * 6;
  me[0] = a.x, me[1] = a.y, me[2] = a.z, me[3] = a.w, me[4] = b0, me[5] = b1;
  barrier(CLK_LOCAL_MEM_FENCE);
  __local const uint* warp = buf + (lid - lane) * 6;
  for (int c = 0; c < 4; ++c) {
    const int row = lane / 4 + 8 * (c / 2), col = 2 * (lane % 4) + c % 2;
    float sum = acc[c];
    for (int k = 0; k < KSTEP; ++k)
      sum = fma(emu_value(warp, row % 8, row / 8, k), emu_value(warp, col, 4, k), sum);
    acc[c] = sum;
  }
}
#define MMA16816(acc, a, b0, b1) emu_mma(acc, a, b0, b1, mma_x, &mma_n)

// Two floats rounded (to nearest even) to the operand type and packed, lo in the low half.
inline uint cvt2(float lo, float hi) {
#if MMA_BF16
  return pack2(float_to_bf16(lo), float_to_bf16(hi));
#else
  return pack2(float_to_half_bits(lo), float_to_half_bits(hi));
#endif
}

inline void cp_async16(__local ushort* dst, __global const ushort* src, int bytes) {
  for (int e = 0; e < 8; ++e) dst[e] = 2 * e < bytes ? src[e] : (ushort)0;
}

inline uint tf32_of(uint f) {
  return isnan(as_float(f)) ? f : (f + 0x1000u) & 0xffffe000u;  // to nearest, ties away from zero
}
inline void cp_async_commit(void) {}
#define CP_ASYNC_WAIT(n)
inline uint unit_id(void) { return (uint)(get_group_id(0) % 3); }  // a few groups per "unit"

inline void red_add_f32(__global float* p, float v) {
  volatile __global uint* w = (volatile __global uint*)p;
  uint old = *w, seen;
  do {
    seen = old;
    old = atomic_cmpxchg(w, seen, as_uint(as_float(seen) + v));
  } while (old != seen);
}

inline float emu_shfl_xor(float v, int m, __local uint* x, int* n) {
  __local uint* buf = emu_buffer(x, n);
  const int lid = get_local_id(0);
  buf[lid] = as_uint(v);
  barrier(CLK_LOCAL_MEM_FENCE);
  return as_float(buf[(lid & ~31) | ((lid % 32) ^ m)]);
}
#define shfl_xor(v, m) emu_shfl_xor(v, m, mma_x, &mma_n)

// ldmatrix .x4: lane l receives, of each 8 x 8 block i (row r at the address lane 8 i + r gives),
// row l / 4, columns 2 (l % 4) and + 1, or with .trans (TRANS) rows 2 (l % 4) and + 1 of column
// l / 4. The addresses are recomputed for the giving lanes.
inline uint emu_ldsm_word(__local const ushort* p0, __local const ushort* p1, int lane, int trans) {
  return trans ? pack2(p0[lane / 4], p1[lane / 4]) : pack2(p0[2 * (lane % 4)], p0[2 * (lane % 4) + 1]);
}
#define EMU_LDSM_BLOCK(ADDR, TRANS, L, per_row, r0, k0, lane, i)                                   \
  emu_ldsm_word(ADDR(L, per_row, r0, k0, (TRANS) ? 8 * (i) + 2 * ((lane) % 4) : 8 * (i) + (lane) / 4), \
                ADDR(L, per_row, r0, k0, 8 * (i) + 2 * ((lane) % 4) + 1), lane, TRANS)
#define LDSM_FRAG(ADDR, TRANS, L, per_row, r0, k0, lane)                                           \
  ((uint4)(EMU_LDSM_BLOCK(ADDR, TRANS, L, per_row, r0, k0, lane, 0),                              \
           EMU_LDSM_BLOCK(ADDR, TRANS, L, per_row, r0, k0, lane, 1),                              \
           EMU_LDSM_BLOCK(ADDR, TRANS, L, per_row, r0, k0, lane, 2),                              \
           EMU_LDSM_BLOCK(ADDR, TRANS, L, per_row, r0, k0, lane, 3)))

#endif  // MMA_EMULATE

#define cp_async_wait_all() CP_ASYNC_WAIT(0)

// p[0..3] += v (p 16-byte aligned), each element atomically: one vector reduction on compute
// capability 9.0+ (MMA_SM90), else four.
#ifndef MMA_SM90
#define MMA_SM90 0
#endif
inline void red_add_f32x4(__global float* p, float4 v) {
#if MMA_SM90 && !MMA_EMULATE
  asm volatile("red.global.add.v4.f32 [%0], {%1, %2, %3, %4};" ::"l"((ulong)p), "f"(v.x), "f"(v.y), "f"(v.z), "f"(v.w)
               : "memory");
#else
  red_add_f32(p, v.x);
  red_add_f32(p + 1, v.y);
  red_add_f32(p + 2, v.z);
  red_add_f32(p + 3, v.w);
#endif
}

// The A fragment of mma (16 x 16 at rows r0.., depth k0..: registers {(r, k), (r + 8, k), (r,
// k + 8), (r + 8, k + 8)} blocks of 8 x 8) from a tile kept [rows][k] (frag_a_rk) or [k][rows]
// (frag_a_kr), whose rows hold per_row chunks; lane l gives the address of row l % 8 of block l / 8.
inline __local const ushort* addr_a_rk(__local const ushort* L, int per_row, int r0, int k0, int lane) {
  return L + chunk_at(r0 + (lane / 8 % 2) * 8 + lane % 8, k0 / KPC + lane / 16, per_row);
}
inline __local const ushort* addr_a_kr(__local const ushort* L, int per_row, int r0, int k0, int lane) {
  return L + chunk_at(k0 + (lane / 16) * 8 + lane % 8, r0 / 8 + lane / 8 % 2, per_row);
}
// Two B fragments (columns n0.. and n0 + 8.., depth k0..16: registers {(n, k), (n, k + 8), (n + 8,
// k), (n + 8, k + 8)} blocks, so .xy feeds the first mma and .zw the second) from a tile kept
// [n][k] (frag_b_nk) or [k][n] (frag_b_kn).
inline __local const ushort* addr_b_nk(__local const ushort* L, int per_row, int n0, int k0, int lane) {
  return L + chunk_at(n0 + (lane / 16) * 8 + lane % 8, k0 / KPC + lane / 8 % 2, per_row);
}
inline __local const ushort* addr_b_kn(__local const ushort* L, int per_row, int n0, int k0, int lane) {
  return L + chunk_at(k0 + (lane / 8 % 2) * 8 + lane % 8, n0 / 8 + lane / 16, per_row);
}
#define OCL_FRAG(NAME, ADDR, TRANS)                                                         \
  inline uint4 NAME(__local const ushort* L, int per_row, int r0, int k0, int lane) {       \
    return LDSM_FRAG(ADDR, TRANS, L, per_row, r0, k0, lane);                                \
  }
OCL_FRAG(frag_a_rk, addr_a_rk, 0)
OCL_FRAG(frag_b_nk, addr_b_nk, 0)
#if !MMA_TF32
OCL_FRAG(frag_a_kr, addr_a_kr, 1)
OCL_FRAG(frag_b_kn, addr_b_kn, 1)
#else
// TF32 from tiles kept [k][rows] (ldmatrix.trans moves 16-bit values only): element (row, col) of
// a tile of 32-bit values, and the fragments from single words: A {(k t, r g), (k t, r g + 8),
// (k t + 4, r g), (k t + 4, r g + 8)}, two B {(k t, n g), (k t + 4, n g)} and the same at n + 8.
inline uint word_at(__local const ushort* L, int per_row, int row, int col) {
  return *(__local const uint*)(L + chunk_at(row, col / 4, per_row) + 2 * (col % 4));
}
inline uint4 frag_a_kr(__local const ushort* L, int per_row, int r0, int k0, int lane) {
  const int g = lane / 4, t = lane % 4;
  return (uint4)(word_at(L, per_row, k0 + t, r0 + g), word_at(L, per_row, k0 + t, r0 + g + 8),
                 word_at(L, per_row, k0 + t + 4, r0 + g), word_at(L, per_row, k0 + t + 4, r0 + g + 8));
}
inline uint4 frag_b_kn(__local const ushort* L, int per_row, int n0, int k0, int lane) {
  const int g = lane / 4, t = lane % 4;
  return (uint4)(word_at(L, per_row, k0 + t, n0 + g), word_at(L, per_row, k0 + t + 4, n0 + g),
                 word_at(L, per_row, k0 + t, n0 + g + 8), word_at(L, per_row, k0 + t + 4, n0 + g + 8));
}
#endif
