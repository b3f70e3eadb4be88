// Sliding-window geometry shared by im2col.cl and depthwise_conv.cl: the Geometry struct (the
// host's Window, passed by add_window in Im2Col.cpp) and, for the gather-form backward
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
