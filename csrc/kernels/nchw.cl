// Strided (n, c, d, h, w) addressing shared by pool.cl and upsample.cl: each tensor comes as
// (buffer, element offset, Strides) from NchwLaunch (aten/native/NchwLaunch.h), so
// channels-last and other strided layouts need no copies. 1-d and 2-d tensors are 3-d ones
// with size 1 (stride 0) in the missing leading spatial dimensions.
// The including source defines IDX (uint or ulong).

typedef struct {
  IDX n, c, d, h, w;
} Strides;

// CHANNELS_INNER 1: elements are numbered (N, D, H, W, C), channel innermost, so that the
// work-items of a channels-last tensor walk its memory in order (else (N, C, D, H, W)).
#ifndef CHANNELS_INNER
#define CHANNELS_INNER 0
#endif

// CVEC (with CHANNELS_INNER only): each element number stands for CVEC consecutive channels
// c .. c + CVEC - 1 of one position (the host picks CVEC dividing C); positions and offsets are
// those of the first, and a kernel steps to the others by its tensors' channel strides.
#ifndef CVEC
#define CVEC 1
#endif

// Element e's coordinates (d, h, w in int: spatial sizes fit).
typedef struct {
  IDX n, c;
  int d, h, w;
} Pos;

inline Pos pos_of(IDX e, IDX C, IDX D, IDX H, IDX W) {
  Pos q;
#if CHANNELS_INNER
  IDX groups = C / CVEC;
  q.c = (e % groups) * CVEC;
  IDX t = e / groups;
  q.w = (int)(t % W);
  t /= W;
  q.h = (int)(t % H);
  t /= H;
  q.d = (int)(t % D);
  q.n = t / D;
#else
  q.w = (int)(e % W);
  IDX t = e / W;
  q.h = (int)(t % H);
  t /= H;
  q.d = (int)(t % D);
  t /= D;
  q.c = t % C;
  q.n = t / C;
#endif
  return q;
}

// Offset of position q in a tensor of strides s, and of its (n, c) plane.
inline IDX offset_at(Strides s, Pos q) { return q.n * s.n + q.c * s.c + q.d * s.d + q.h * s.h + q.w * s.w; }
inline IDX plane_at(Strides s, Pos q) { return q.n * s.n + q.c * s.c; }

// Offset of element e, decomposed in that order; its (d, h, w) in *d, *h, *w.
inline IDX offset_of(Strides s, IDX e, IDX C, IDX D, IDX H, IDX W, int* d, int* h, int* w) {
  Pos q = pos_of(e, C, D, H, W);
  *d = q.d;
  *h = q.h;
  *w = q.w;
  return offset_at(s, q);
}

// Offset of plane (n, c) of element e (decomposed as offset_of does, D * H * W = DHW).
inline IDX plane_of(Strides s, IDX e, IDX C, IDX DHW) {
#if CHANNELS_INNER
  IDX groups = C / CVEC;
  return (e / (groups * DHW)) * s.n + (e % groups) * CVEC * s.c;
#else
  IDX t = e / DHW;
  return (t / C) * s.n + (t % C) * s.c;
#endif
}

// Offset of spatial position (d, h, w) inside a plane.
inline IDX at3(Strides s, int d, int h, int w) { return d * s.d + h * s.h + w * s.w; }
