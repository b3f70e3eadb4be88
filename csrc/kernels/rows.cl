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

// Long rows streamed by a work-group (softmax.cl's *_rows): each row is `head` elements up to
// the first VW-aligned one (element offsets count from the buffer's start; the launcher makes
// every operand's offsets agree modulo VW), nv whole vectors, then fewer than VW elements.
#ifndef UNROLL
#define UNROLL 4  // vectors per item in flight
#endif
typedef struct {
  uint head, nv;
} RowSpan;
inline RowSpan row_span(ulong first, uint n) {
  RowSpan r;
  r.head = min((uint)((VW - first % VW) % VW), n);
  r.nv = (n - r.head) / VW;
  return r;
}
// The element (index in the row) that item lid takes outside the vectors: the head's first, then
// the tail's; n or more when it takes none.
inline uint edge_index(RowSpan r, uint lid) { return lid < r.head ? lid : r.head + r.nv * VW + (lid - r.head); }

// Sum / maximum of the lanes of an accv_t.
#if VW == 1
#define VSUM(a) (a)
#define VMAX(a) (a)
#elif VW == 2
#define VSUM(a) ((a).s0 + (a).s1)
#define VMAX(a) fmax((a).s0, (a).s1)
#elif VW == 4
#define VSUM(a) (((a).s0 + (a).s1) + ((a).s2 + (a).s3))
#define VMAX(a) fmax(fmax((a).s0, (a).s1), fmax((a).s2, (a).s3))
#elif VW == 8
#define VSUM(a) ((((a).s0 + (a).s1) + ((a).s2 + (a).s3)) + (((a).s4 + (a).s5) + ((a).s6 + (a).s7)))
#define VMAX(a) fmax(fmax(fmax((a).s0, (a).s1), fmax((a).s2, (a).s3)), fmax(fmax((a).s4, (a).s5), fmax((a).s6, (a).s7)))
#endif

// F(lane) for each lane of an accv_t (a statement per lane).
#if VW == 1
#define EACH_LANE(a, F) F(a)
#elif VW == 2
#define EACH_LANE(a, F) F((a).s0) F((a).s1)
#elif VW == 4
#define EACH_LANE(a, F) F((a).s0) F((a).s1) F((a).s2) F((a).s3)
#elif VW == 8
#define EACH_LANE(a, F) F((a).s0) F((a).s1) F((a).s2) F((a).s3) F((a).s4) F((a).s5) F((a).s6) F((a).s7)
#endif

#ifdef SEG_T
// Register-resident rows (kernels named *_reg): SEG_T items per row, SEG_R = WG / SEG_T rows
// per work-group; item t of a row holds VK vectors of VW elements, vector t + k * SEG_T of the
// row (neighbouring items read neighbouring vectors). The launcher defines SEG_T, SEG_P, VK.
#define SEG_R (WG / SEG_T)

// NAME(v, red, red2): COMBINE of v over the SEG_T items of each row's segment, returned to all
// of them. Two levels and two barriers: SEG_P items per segment combine SEG_T / SEG_P values
// each (strided, so neighbouring items touch neighbouring banks), then every item combines the
// SEG_P partials in the same order (all items get the same bits). red holds WG values, red2
// SEG_R * SEG_P; two calls in a row may share them (each write follows a barrier after which
// the previous reads are done).
#define SEG_REDUCE(NAME, T, COMBINE)                                                 \
  inline T NAME(T v, __local T* red, __local T* red2) {                              \
    const uint lid = get_local_id(0), t = lid % SEG_T, r = lid / SEG_T;             \
    red[lid] = v;                                                                    \
    barrier(CLK_LOCAL_MEM_FENCE);                                                    \
    if (t < SEG_P) {                                                                 \
      T a = red[lid];                                                                \
      for (uint i = 1; i < SEG_T / SEG_P; ++i) a = COMBINE(a, red[lid + i * SEG_P]); \
      red2[r * SEG_P + t] = a;                                                       \
    }                                                                                \
    barrier(CLK_LOCAL_MEM_FENCE);                                                    \
    __local T* q = red2 + r * SEG_P;                                                 \
    T a = q[0];                                                                      \
    for (uint i = 1; i < SEG_P; ++i) a = COMBINE(a, q[i]);                           \
    return a;                                                                        \
  }

inline acc_t seg_add(acc_t a, acc_t b) { return a + b; }
inline acc2_t seg_add2(acc2_t a, acc2_t b) { return a + b; }
inline acc_t seg_fmax(acc_t a, acc_t b) { return fmax(a, b); }
SEG_REDUCE(seg_sum, acc_t, seg_add)
SEG_REDUCE(seg_sum2, acc2_t, seg_add2)
SEG_REDUCE(seg_max, acc_t, seg_fmax)
#endif
