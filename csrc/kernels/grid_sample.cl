// grid_sampler_2d (F.grid_sample on 4-d input): bilinear, nearest and bicubic interpolation,
// zeros/border/reflection padding, forward and backward, with the CPU's coordinate arithmetic
// (GridSampler.h). One work item per grid point loops over the channels. The input gradient
// scatters through float atomics (atomics.cl) into an ACC-typed buffer; the grid gradient
// needs none.
// The including source defines T, ACC, LOAD, STORE; atomics.cl comes first.

typedef struct {
  long n, c, h, w;
} Str4;

typedef struct {
  int C, IH, IW, H, W;
  int mode;      // 0 bilinear, 1 nearest, 2 bicubic
  int padding;   // 0 zeros, 1 border, 2 reflection
  int align_corners;
} Grid;

// [-1, 1] to pixel coordinates; *g is the derivative.
inline ACC unnormalize(ACC c, int size, int align, ACC* g) {
  *g = align ? (ACC)(size - 1) / 2 : (ACC)size / 2;
  return align ? ((c + 1) / 2) * (size - 1) : ((c + 1) * size - 1) / 2;
}

// std::min(size - 1, std::max(v, 0)) as the CPU evaluates it (a NaN clips to size - 1).
inline ACC clip(ACC v, int size, ACC* g) {
  ACC lim = (ACC)(size - 1);
  if (v <= 0) {
    *g = 0;
    return 0;
  }
  if (v >= lim) {
    *g = 0;
    return lim;
  }
  *g = 1;
  return isnan(v) ? lim : v;
}

// Reflects v into [twice_low / 2, twice_high / 2]; *g is the derivative's sign.
inline ACC reflect(ACC v, int twice_low, int twice_high, ACC* g) {
  if (twice_low == twice_high) {
    *g = 0;
    return 0;
  }
  ACC lo = (ACC)twice_low / 2, span = (ACC)(twice_high - twice_low) / 2;
  v -= lo;
  ACC sign = 1;
  if (v < 0) {
    sign = -1;
    v = -v;
  }
  ACC extra = fmod(v, span);
  int flips = (int)floor(v / span);
  *g = flips % 2 == 0 ? sign : -sign;
  return flips % 2 == 0 ? extra + lo : span - extra + lo;
}

// Border and reflection padding move a pixel coordinate inside the image; *g is the derivative.
inline ACC pad_coordinate(ACC v, int size, int padding, int align, ACC* g) {
  ACC gc, gr = 1;
  if (padding == 0) {
    *g = 1;
    return v;
  }
  if (padding == 2) v = align ? reflect(v, 0, 2 * (size - 1), &gr) : reflect(v, -1, 2 * size - 1, &gr);
  v = clip(v, size, &gc);
  *g = gr * gc;
  return v;
}

inline ACC source_index(ACC c, int size, int padding, int align, ACC* g) {
  ACC gu, gp;
  ACC v = pad_coordinate(unnormalize(c, size, align, &gu), size, padding, align, &gp);
  *g = gu * gp;
  return v;
}

inline bool inside(long y, long x, int H, int W) { return y >= 0 && y < H && x >= 0 && x < W; }

inline ACC value_at(__global const T* x, ulong base, Str4 xs, long y, long xx, Grid r) {
  return inside(y, xx, r.IH, r.IW) ? LOAD(x, base + y * xs.h + xx * xs.w) : (ACC)0;
}

// Bicubic taps read through the padding mode (zero outside the image for zeros padding).
inline ACC value_bounded(__global const T* x, ulong base, Str4 xs, ACC y, ACC xx, Grid r) {
  ACC g;
  long iy = (long)pad_coordinate(y, r.IH, r.padding, r.align_corners, &g);
  long ix = (long)pad_coordinate(xx, r.IW, r.padding, r.align_corners, &g);
  return value_at(x, base, xs, iy, ix, r);
}

#define CUBIC_A ((ACC)-0.75)
inline void cubic_coeffs(ACC t, ACC* c) {
  ACC a = CUBIC_A, u = t + 1, v = 1 - t, w = 2 - t;
  c[0] = ((a * u - 5 * a) * u + 8 * a) * u - 4 * a;
  c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  c[2] = ((a + 2) * v - (a + 3)) * v * v + 1;
  c[3] = ((a * w - 5 * a) * w + 8 * a) * w - 4 * a;
}

// d c[k] / d t.
inline void cubic_coeffs_grad(ACC t, ACC* c) {
  ACC a = CUBIC_A, x;
  x = -1 - t;
  c[0] = (-3 * a * x - 10 * a) * x - 8 * a;
  x = -t;
  c[1] = (-3 * (a + 2) * x - 2 * (a + 3)) * x;
  x = 1 - t;
  c[2] = (3 * (a + 2) * x - 2 * (a + 3)) * x;
  x = 2 - t;
  c[3] = (3 * a * x - 10 * a) * x + 8 * a;
}

// The grid point (n, h, w) of item e, its (x, y) coordinates in *gx, *gy.
inline long grid_point(long e, Grid r, __global const T* g, ulong go, Str4 gs, ACC* gx, ACC* gy, long* n) {
  long w = e % r.W, t = e / r.W;
  long h = t % r.H;
  *n = t / r.H;
  ulong p = go + *n * gs.n + h * gs.c + w * gs.h;
  *gx = LOAD(g, p);
  *gy = LOAD(g, p + gs.w);
  return h * r.W + w;
}

__kernel void grid_sampler_2d(__global const T* x, ulong xo, Str4 xs, __global const T* g, ulong go, Str4 gs,
                              __global T* y, ulong yo, Str4 ys, Grid r, long total) {
  for (long e = get_global_id(0); e < total; e += get_global_size(0)) {
    ACC gx, gy, d;
    long n;
    long hw = grid_point(e, r, g, go, gs, &gx, &gy, &n);
    long h = hw / r.W, w = hw % r.W;
    ulong xb = xo + n * xs.n, yb = yo + n * ys.n + h * ys.h + w * ys.w;
    if (r.mode == 2) {
      ACC ix = unnormalize(gx, r.IW, r.align_corners, &d), iy = unnormalize(gy, r.IH, r.align_corners, &d);
      ACC fx = floor(ix), fy = floor(iy), cx[4], cy[4];
      cubic_coeffs(ix - fx, cx);
      cubic_coeffs(iy - fy, cy);
      for (int c = 0; c < r.C; ++c, xb += xs.c, yb += ys.c) {
        ACC out = 0;
        for (int j = 0; j < 4; ++j) {
          ACC row = 0;
          for (int i = 0; i < 4; ++i) row += cx[i] * value_bounded(x, xb, xs, fy - 1 + j, fx - 1 + i, r);
          out += cy[j] * row;
        }
        STORE(y, yb, out);
      }
      continue;
    }
    ACC ix = source_index(gx, r.IW, r.padding, r.align_corners, &d);
    ACC iy = source_index(gy, r.IH, r.padding, r.align_corners, &d);
    if (r.mode == 1) {
      long nx = (long)rint(ix), ny = (long)rint(iy);
      for (int c = 0; c < r.C; ++c, xb += xs.c, yb += ys.c) STORE(y, yb, value_at(x, xb, xs, ny, nx, r));
      continue;
    }
    ACC fx = floor(ix), fy = floor(iy);
    long x0 = (long)fx, y0 = (long)fy;
    ACC tx = ix - fx, ty = iy - fy;
    ACC nw = (1 - tx) * (1 - ty), ne = tx * (1 - ty), sw = (1 - tx) * ty, se = tx * ty;
    for (int c = 0; c < r.C; ++c, xb += xs.c, yb += ys.c) {
      ACC out = 0;
      if (inside(y0, x0, r.IH, r.IW)) out += value_at(x, xb, xs, y0, x0, r) * nw;
      if (inside(y0, x0 + 1, r.IH, r.IW)) out += value_at(x, xb, xs, y0, x0 + 1, r) * ne;
      if (inside(y0 + 1, x0, r.IH, r.IW)) out += value_at(x, xb, xs, y0 + 1, x0, r) * sw;
      if (inside(y0 + 1, x0 + 1, r.IH, r.IW)) out += value_at(x, xb, xs, y0 + 1, x0 + 1, r) * se;
      STORE(y, yb, out);
    }
  }
}

// Adds v to the input gradient (contiguous (N, C, IH, IW), ACC typed) at (y, x) if inside.
inline void scatter(__global ACC* gi, ulong plane, long y, long x, Grid r, ACC v) {
  if (!inside(y, x, r.IH, r.IW)) return;
#ifdef ACC_IS_DOUBLE
  ocl_atomic_f64(gi + plane + y * r.IW + x, v, 0);
#else
  ocl_atomic_f32(gi + plane + y * r.IW + x, v, 0);
#endif
}

// Bicubic scatter through the padding mode, as the CPU's add_value_bounded.
inline void scatter_bounded(__global ACC* gi, ulong plane, ACC y, ACC x, Grid r, ACC v) {
  ACC g;
  long iy = (long)pad_coordinate(y, r.IH, r.padding, r.align_corners, &g);
  long ix = (long)pad_coordinate(x, r.IW, r.padding, r.align_corners, &g);
  scatter(gi, plane, iy, ix, r, v);
}

// need_input: accumulate into gi (zeroed by the host); the grid gradient always goes to gg.
__kernel void grid_sampler_2d_backward(__global const T* go, ulong goo, Str4 gos, __global const T* x, ulong xo,
                                       Str4 xs, __global const T* g, ulong gro, Str4 grs, __global ACC* gi,
                                       ulong gio, int need_input, __global T* gg, ulong ggo, Str4 ggs, Grid r,
                                       long total) {
  for (long e = get_global_id(0); e < total; e += get_global_size(0)) {
    ACC gx, gy, mx, my;
    long n;
    long hw = grid_point(e, r, g, gro, grs, &gx, &gy, &n);
    long h = hw / r.W, w = hw % r.W;
    ulong xb = xo + n * xs.n, ob = goo + n * gos.n + h * gos.h + w * gos.w;
    ulong plane = gio + (ulong)n * r.C * r.IH * r.IW, plane_step = (ulong)r.IH * r.IW;
    ACC dx = 0, dy = 0;
    if (r.mode == 2) {
      ACC ix = unnormalize(gx, r.IW, r.align_corners, &mx), iy = unnormalize(gy, r.IH, r.align_corners, &my);
      ACC fx = floor(ix), fy = floor(iy), cx[4], cy[4], dcx[4], dcy[4];
      cubic_coeffs(ix - fx, cx);
      cubic_coeffs(iy - fy, cy);
      cubic_coeffs_grad(ix - fx, dcx);
      cubic_coeffs_grad(iy - fy, dcy);
      for (int c = 0; c < r.C; ++c, xb += xs.c, ob += gos.c, plane += plane_step) {
        ACC gout = LOAD(go, ob);
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) {
            ACC py = fy - 1 + j, px = fx - 1 + i;
            if (need_input) scatter_bounded(gi, plane, py, px, r, gout * cx[i] * cy[j]);
            ACC v = value_bounded(x, xb, xs, py, px, r);
            dx -= v * dcx[i] * cy[j] * gout;
            dy -= v * dcy[j] * cx[i] * gout;
          }
      }
    } else {
      ACC ix = source_index(gx, r.IW, r.padding, r.align_corners, &mx);
      ACC iy = source_index(gy, r.IH, r.padding, r.align_corners, &my);
      if (r.mode == 1) {
        long nx = (long)rint(ix), ny = (long)rint(iy);
        for (int c = 0; c < r.C && need_input; ++c, ob += gos.c, plane += plane_step)
          scatter(gi, plane, ny, nx, r, LOAD(go, ob));
      } else {
        ACC fx = floor(ix), fy = floor(iy);
        long x0 = (long)fx, y0 = (long)fy;
        ACC tx = ix - fx, ty = iy - fy;
        ACC nw = (1 - tx) * (1 - ty), ne = tx * (1 - ty), sw = (1 - tx) * ty, se = tx * ty;
        for (int c = 0; c < r.C; ++c, xb += xs.c, ob += gos.c, plane += plane_step) {
          ACC gout = LOAD(go, ob);
          if (need_input) {
            scatter(gi, plane, y0, x0, r, nw * gout);
            scatter(gi, plane, y0, x0 + 1, r, ne * gout);
            scatter(gi, plane, y0 + 1, x0, r, sw * gout);
            scatter(gi, plane, y0 + 1, x0 + 1, r, se * gout);
          }
          ACC v;
          v = value_at(x, xb, xs, y0, x0, r);
          dx -= v * (1 - ty) * gout;
          dy -= v * (1 - tx) * gout;
          v = value_at(x, xb, xs, y0, x0 + 1, r);
          dx += v * (1 - ty) * gout;
          dy -= v * tx * gout;
          v = value_at(x, xb, xs, y0 + 1, x0, r);
          dx -= v * ty * gout;
          dy += v * (1 - tx) * gout;
          v = value_at(x, xb, xs, y0 + 1, x0 + 1, r);
          dx += v * ty * gout;
          dy += v * tx * gout;
        }
      }
    }
    ulong gp = ggo + n * ggs.n + h * ggs.c + w * ggs.h;
    STORE(gg, gp, mx * dx);
    STORE(gg, gp + ggs.w, my * dy);
  }
}

// grid_sampler_3d: trilinear ("bilinear") and nearest on (N, C, ID, IH, IW) input, grid (N, D,
// H, W, 3) of (x, y, z) coordinates.

typedef struct {
  long n, c, d, h, w;
} Str5;

typedef struct {
  int C, ID, IH, IW, D, H, W;
  int mode, padding, align_corners;
} Grid3;

inline bool inside3(long z, long y, long x, Grid3 r) {
  return z >= 0 && z < r.ID && y >= 0 && y < r.IH && x >= 0 && x < r.IW;
}

// The grid point of item e: its (x, y, z) source indices (and derivatives m) and output offset
// parts; grid strides are (n, d, h, w, coordinate).
inline void grid_point3(long e, Grid3 r, __global const T* g, ulong go, Str5 gs, long* n, long* dhw, ACC* s,
                        ACC* m) {
  long w = e % r.W, t = e / r.W;
  long h = t % r.H;
  t /= r.H;
  long d = t % r.D;
  *n = t / r.D;
  *dhw = (d * r.H + h) * r.W + w;
  ulong p = go + *n * gs.n + d * gs.c + h * gs.d + w * gs.h;
  s[0] = source_index(LOAD(g, p), r.IW, r.padding, r.align_corners, &m[0]);
  s[1] = source_index(LOAD(g, p + gs.w), r.IH, r.padding, r.align_corners, &m[1]);
  s[2] = source_index(LOAD(g, p + 2 * gs.w), r.ID, r.padding, r.align_corners, &m[2]);
}

// Offset of spatial position (d, h, w) of flat dhw in a tensor of strides s.
inline ulong spatial3(Str5 s, long dhw, Grid3 r) {
  long w = dhw % r.W, t = dhw / r.W;
  return (t / r.H) * s.d + (t % r.H) * s.h + w * s.w;
}

__kernel void grid_sampler_3d(__global const T* x, ulong xo, Str5 xs, __global const T* g, ulong go, Str5 gs,
                              __global T* y, ulong yo, Str5 ys, Grid3 r, long total) {
  for (long e = get_global_id(0); e < total; e += get_global_size(0)) {
    long n, dhw;
    ACC s[3], m[3];
    grid_point3(e, r, g, go, gs, &n, &dhw, s, m);
    ulong xb = xo + n * xs.n, yb = yo + n * ys.n + spatial3(ys, dhw, r);
    if (r.mode == 1) {
      long nx = (long)rint(s[0]), ny = (long)rint(s[1]), nz = (long)rint(s[2]);
      bool in = inside3(nz, ny, nx, r);
      ulong at = in ? nz * xs.d + ny * xs.h + nx * xs.w : 0;
      for (int c = 0; c < r.C; ++c, xb += xs.c, yb += ys.c) STORE(y, yb, in ? LOAD(x, xb + at) : (ACC)0);
      continue;
    }
    ACC f[3] = {floor(s[0]), floor(s[1]), floor(s[2])};
    long x0 = (long)f[0], y0 = (long)f[1], z0 = (long)f[2];
    ACC t[3] = {s[0] - f[0], s[1] - f[1], s[2] - f[2]};
    for (int c = 0; c < r.C; ++c, xb += xs.c, yb += ys.c) {
      ACC out = 0;
      for (int k = 0; k < 8; ++k) {  // corner bits: 1 x, 2 y, 4 z
        long cx = x0 + (k & 1), cy = y0 + ((k >> 1) & 1), cz = z0 + (k >> 2);
        if (!inside3(cz, cy, cx, r)) continue;
        ACC wgt = ((k & 1) ? t[0] : 1 - t[0]) * ((k & 2) ? t[1] : 1 - t[1]) * ((k & 4) ? t[2] : 1 - t[2]);
        out += LOAD(x, xb + cz * xs.d + cy * xs.h + cx * xs.w) * wgt;
      }
      STORE(y, yb, out);
    }
  }
}

inline void scatter3(__global ACC* gi, ulong plane, long z, long y, long x, Grid3 r, ACC v) {
  if (!inside3(z, y, x, r)) return;
  ulong at = plane + ((ulong)z * r.IH + y) * r.IW + x;
#ifdef ACC_IS_DOUBLE
  ocl_atomic_f64(gi + at, v, 0);
#else
  ocl_atomic_f32(gi + at, v, 0);
#endif
}

__kernel void grid_sampler_3d_backward(__global const T* go, ulong goo, Str5 gos, __global const T* x, ulong xo,
                                       Str5 xs, __global const T* g, ulong gro, Str5 grs, __global ACC* gi,
                                       ulong gio, int need_input, __global T* gg, ulong ggo, Str5 ggs, Grid3 r,
                                       long total) {
  for (long e = get_global_id(0); e < total; e += get_global_size(0)) {
    long n, dhw;
    ACC s[3], m[3], dg[3] = {0, 0, 0};
    grid_point3(e, r, g, gro, grs, &n, &dhw, s, m);
    ulong xb = xo + n * xs.n, ob = goo + n * gos.n + spatial3(gos, dhw, r);
    ulong plane_step = (ulong)r.ID * r.IH * r.IW, plane = gio + (ulong)n * r.C * plane_step;
    if (r.mode == 1) {
      long nx = (long)rint(s[0]), ny = (long)rint(s[1]), nz = (long)rint(s[2]);
      for (int c = 0; c < r.C && need_input; ++c, ob += gos.c, plane += plane_step)
        scatter3(gi, plane, nz, ny, nx, r, LOAD(go, ob));
    } else {
      ACC f[3] = {floor(s[0]), floor(s[1]), floor(s[2])};
      long x0 = (long)f[0], y0 = (long)f[1], z0 = (long)f[2];
      ACC t[3] = {s[0] - f[0], s[1] - f[1], s[2] - f[2]};
      for (int c = 0; c < r.C; ++c, xb += xs.c, ob += gos.c, plane += plane_step) {
        ACC gout = LOAD(go, ob);
        for (int k = 0; k < 8; ++k) {
          long cx = x0 + (k & 1), cy = y0 + ((k >> 1) & 1), cz = z0 + (k >> 2);
          ACC wx = (k & 1) ? t[0] : 1 - t[0], wy = (k & 2) ? t[1] : 1 - t[1], wz = (k & 4) ? t[2] : 1 - t[2];
          if (need_input) scatter3(gi, plane, cz, cy, cx, r, wx * wy * wz * gout);
          if (!inside3(cz, cy, cx, r)) continue;
          ACC v = LOAD(x, xb + cz * xs.d + cy * xs.h + cx * xs.w) * gout;
          dg[0] += ((k & 1) ? v : -v) * wy * wz;
          dg[1] += ((k & 2) ? v : -v) * wx * wz;
          dg[2] += ((k & 4) ? v : -v) * wx * wy;
        }
      }
    }
    long w = dhw % r.W, tt = dhw / r.W;
    ulong gp = ggo + n * ggs.n + (tt / r.H) * ggs.c + (tt % r.H) * ggs.d + w * ggs.h;
    for (int k = 0; k < 3; ++k) STORE(gg, gp + k * ggs.w, m[k] * dg[k]);
  }
}
