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

// Offset of element e, decomposed in that order; its (d, h, w) in *d, *h, *w.
inline IDX offset_of(Strides s, IDX e, IDX C, IDX D, IDX H, IDX W, int* d, int* h, int* w) {
#if CHANNELS_INNER
  IDX c = e % C, t = e / C;
  IDX x = t % W;
  t /= W;
  IDX y = t % H;
  t /= H;
  IDX z = t % D, n = t / D;
#else
  IDX x = e % W, t = e / W;
  IDX y = t % H;
  t /= H;
  IDX z = t % D;
  t /= D;
  IDX c = t % C, n = t / C;
#endif
  *d = (int)z;
  *h = (int)y;
  *w = (int)x;
  return n * s.n + c * s.c + z * s.d + y * s.h + x * s.w;
}

// Offset of plane (n, c) of element e (decomposed as offset_of does, D * H * W = DHW).
inline IDX plane_of(Strides s, IDX e, IDX C, IDX DHW) {
#if CHANNELS_INNER
  return (e / (C * DHW)) * s.n + (e % C) * s.c;
#else
  IDX t = e / DHW;
  return (t / C) * s.n + (t % C) * s.c;
#endif
}

// Offset of spatial position (d, h, w) inside a plane.
inline IDX at3(Strides s, int d, int h, int w) { return d * s.d + h * s.h + w * s.w; }
