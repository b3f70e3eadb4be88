// Sliding-window geometry shared by im2col.cl, im2col_cl.cl and depthwise_conv.cl: the Geometry
// struct (the host's Window, passed by add_window in Im2Col.cpp) and, for the gather-form backward
// kernels, the windows that cover an input element.
// The including source defines IDX (uint or ulong).

typedef struct {
  IDX C, D, H, W;     // image
  IDX KD, KH, KW;     // kernel
  IDX SD, SH, SW;     // stride
  IDX PD, PH, PW;     // padding
  IDX DD, DH, DW;     // dilation
  IDX OD, OH, OW;     // windows per dimension
} Geometry;

// The coordinates of element e of a dense image, laid out (N, D, H, W, C) when channels_last, else
// (N, C, D, H, W).
inline void image_coords(IDX e, Geometry g, int channels_last, IDX* n, IDX* c, IDX* id, IDX* ih, IDX* iw) {
  IDX t = e;
  if (channels_last) *c = t % g.C, t /= g.C;
  *iw = t % g.W, t /= g.W;
  *ih = t % g.H, t /= g.H;
  *id = t % g.D, t /= g.D;
  if (!channels_last) *c = t % g.C, t /= g.C;
  *n = t;
}

// Windows [*lo, *hi) along one dimension that can cover padded coordinate p: window o starts
// at o * s and spans (taps - 1) * dil + 1 elements; there are `out` windows.
inline void covering_windows(IDX p, IDX taps, IDX s, IDX dil, IDX out, IDX* lo, IDX* hi) {
  IDX ext = (taps - 1) * dil + 1;
  *lo = p < ext ? 0 : (p - ext) / s + 1;
  *hi = min(p / s + 1, out);
}

// The kernel tap of window o that lands on padded coordinate p, or NO_TAP when p falls
// between two dilated taps.
#define NO_TAP ((IDX)-1)
inline IDX tap_at(IDX p, IDX o, IDX s, IDX dil) {
  IDX k = p - o * s;
  return k % dil ? NO_TAP : k / dil;
}

// Runs the statements after the input coordinates for every window (od, oh, ow) that covers input
// element (id, ih, iw), with (kd, kh, kw) the tap of that window landing on it.
#define FOR_COVERING_TAPS(g, id, ih, iw, ...)                                  \
  {                                                                            \
    const IDX pd_ = (id) + (g).PD, ph_ = (ih) + (g).PH, pw_ = (iw) + (g).PW;   \
    IDX d0_, d1_, h0_, h1_, w0_, w1_;                                           \
    covering_windows(pd_, (g).KD, (g).SD, (g).DD, (g).OD, &d0_, &d1_);          \
    covering_windows(ph_, (g).KH, (g).SH, (g).DH, (g).OH, &h0_, &h1_);          \
    covering_windows(pw_, (g).KW, (g).SW, (g).DW, (g).OW, &w0_, &w1_);          \
    for (IDX od = d0_; od < d1_; ++od) {                                        \
      const IDX kd = tap_at(pd_, od, (g).SD, (g).DD);                           \
      if (kd == NO_TAP) continue;                                               \
      for (IDX oh = h0_; oh < h1_; ++oh) {                                      \
        const IDX kh = tap_at(ph_, oh, (g).SH, (g).DH);                         \
        if (kh == NO_TAP) continue;                                             \
        for (IDX ow = w0_; ow < w1_; ++ow) {                                    \
          const IDX kw = tap_at(pw_, ow, (g).SW, (g).DW);                       \
          if (kw == NO_TAP) continue;                                           \
          __VA_ARGS__                                                           \
        }                                                                       \
      }                                                                         \
    }                                                                           \
  }
