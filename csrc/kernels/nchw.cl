// Strided (n, c, h, w) addressing shared by pool.cl and upsample.cl: each tensor comes as
// (buffer, element offset, Strides) from NchwLaunch (aten/native/NchwLaunch.h), so
// channels-last and other strided layouts need no copies.
// The including source defines IDX (uint or ulong).

typedef struct {
  IDX n, c, h, w;
} Strides;

// Offset of element e, decomposed in logical (N, C, H, W) order; its (h, w) in *h, *w.
inline IDX offset_of(Strides s, IDX e, IDX C, IDX H, IDX W, int* h, int* w) {
  IDX x = e % W, t = e / W;
  IDX y = t % H;
  t /= H;
  IDX c = t % C, n = t / C;
  *h = (int)y;
  *w = (int)x;
  return n * s.n + c * s.c + y * s.h + x * s.w;
}

// Offset of plane (n, c) of element e (decomposed over (N, C, H, W)).
inline IDX plane_of(Strides s, IDX e, IDX C, IDX HW) {
  IDX t = e / HW;
  return (t / C) * s.n + (t % C) * s.c;
}
