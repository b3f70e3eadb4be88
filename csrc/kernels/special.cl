// Special functions for pointwise expressions (erfinv, digamma, trigamma, Hurwitz zeta, i0/i1)
// and integer shifts with PyTorch's out-of-range rules. Per type T: float; double with
// OCL_HAS_FP64. Algorithms: Newton-refined erfinv, recurrence plus asymptotic series for
// digamma/trigamma, Euler-Maclaurin summation for zeta, power/asymptotic series for the modified Bessel
// functions i0, i1 and their exponentially scaled forms i0e, i1e.

#define OCL_SPECIAL(T, EPS)                                                             \
  inline T erfinv_##T(T y) {                                                            \
    if (isnan(y) || y < (T)-1 || y > (T)1) return (T)NAN;                               \
    if (y == (T)1) return (T)INFINITY;                                                  \
    if (y == (T)-1) return (T)-INFINITY;                                                \
    /* starting point from the log form, then Newton steps on erf(x) - y */             \
    T w = -log(((T)1 - y) * ((T)1 + y)), x;                                             \
    if (w < (T)5) {                                                                     \
      w -= (T)2.5;                                                                      \
      T p = (T)2.81022636e-08;                                                          \
      p = (T)3.43273939e-07 + p * w; p = (T)-3.5233877e-06 + p * w;                     \
      p = (T)-4.39150654e-06 + p * w; p = (T)0.00021858087 + p * w;                     \
      p = (T)-0.00125372503 + p * w; p = (T)-0.00417768164 + p * w;                     \
      p = (T)0.246640727 + p * w; p = (T)1.50140941 + p * w;                            \
      x = p * y;                                                                        \
    } else {                                                                            \
      w = sqrt(w) - (T)3;                                                               \
      T p = (T)-0.000200214257;                                                         \
      p = (T)0.000100950558 + p * w; p = (T)0.00134934322 + p * w;                      \
      p = (T)-0.00367342844 + p * w; p = (T)0.00573950773 + p * w;                      \
      p = (T)-0.0076224613 + p * w; p = (T)0.00943887047 + p * w;                       \
      p = (T)1.00167406 + p * w; p = (T)2.83297682 + p * w;                             \
      x = p * y;                                                                        \
    }                                                                                   \
    for (int k = 0; k < 3; ++k) {                                                       \
      T err = erf(x) - y;                                                               \
      x -= err / ((T)M_2_SQRTPI * exp(-x * x));                                         \
    }                                                                                   \
    return x;                                                                           \
  }                                                                                     \
  inline T digamma_##T(T x) {                                                           \
    if (x == (T)0) return copysign((T)INFINITY, -x);                                    \
    if (x < (T)0) {                                                                     \
      if (x == floor(x)) return (T)NAN;                                                 \
      /* reflection: psi(1 - x) - pi / tan(pi x); tanpi, as pi * x loses digits */      \
      T r = (T)M_PI / tanpi(x);                                                         \
      x = (T)1 - x;                                                                     \
      T acc = 0;                                                                        \
      while (x < (T)10) { acc -= (T)1 / x; x += (T)1; }                                 \
      T z = (T)1 / (x * x);                                                             \
      T s = z * ((T)1 / 12 - z * ((T)1 / 120 - z * ((T)1 / 252 - z * ((T)1 / 240 - z * ((T)1 / 132)))));   \
      return acc + log(x) - (T)0.5 / x - s - r;                                         \
    }                                                                                   \
    T acc = 0;                                                                          \
    while (x < (T)10) { acc -= (T)1 / x; x += (T)1; }                                   \
    if (isinf(x)) return x;                                                             \
    T z = (T)1 / (x * x);                                                               \
    T s = z * ((T)1 / 12 - z * ((T)1 / 120 - z * ((T)1 / 252 - z * ((T)1 / 240 - z * ((T)1 / 132))))); \
    return acc + log(x) - (T)0.5 / x - s;                                               \
  }                                                                                     \
  inline T zeta_##T(T x, T q) {                                                         \
    if (x == (T)1) return (T)INFINITY;                                                  \
    if (x < (T)1) return (T)NAN;                                                        \
    if (q <= (T)0) {                                                                    \
      if (q == floor(q)) return (T)INFINITY;                                            \
      if (x != floor(x)) return (T)NAN;                                                 \
    }                                                                                   \
    /* direct sum up to a = q + N, then the Euler-Maclaurin tail with B2k/(2k)! */      \
    const T B[12] = {(T)12.0, (T)-720.0, (T)30240.0, (T)-1209600.0, (T)47900160.0,      \
                     (T)-1.8924375803183791606e9, (T)7.47242496e10,                     \
                     (T)-2.950130727918164224e12, (T)1.1646782814350067249e14,          \
                     (T)-4.5979787224074726105e15, (T)1.8152105401943546773e17,         \
                     (T)-7.1661652561756670113e18};                                     \
    T s = pow(q, -x), a = q, b = 0;                                                     \
    int i = 0;                                                                          \
    while (i < 9 || a <= (T)9) {                                                        \
      i += 1; a += (T)1; b = pow(a, -x); s += b;                                        \
      if (fabs(b / s) < EPS) return s;                                                  \
    }                                                                                   \
    T w = a;                                                                            \
    s += b * w / (x - (T)1);                                                            \
    s -= (T)0.5 * b;                                                                    \
    T f = 1, k = 0;                                                                     \
    for (i = 0; i < 12; ++i) {                                                          \
      f *= x + k; b /= w;                                                               \
      T t = f * b / B[i];                                                               \
      s += t;                                                                           \
      if (fabs(t / s) < EPS) return s;                                                  \
      k += (T)1; f *= x + k; b /= w; k += (T)1;                                         \
    }                                                                                   \
    return s;                                                                           \
  }                                                                                     \
  inline T trigamma_##T(T x) {                                                          \
    T sign = 1, result = 0;                                                             \
    if (x < (T)0.5) {                                                                   \
      sign = -1;                                                                        \
      T s = sin((T)M_PI * x);                                                           \
      result -= (T)M_PI * (T)M_PI / (s * s);                                           \
      x = (T)1 - x;                                                                     \
    }                                                                                   \
    for (int i = 0; i < 6; ++i) { result += (T)1 / (x * x); x += (T)1; }                \
    const T ixx = (T)1 / (x * x);                                                       \
    result += ((T)1 + (T)1 / ((T)2 * x) +                                               \
               ixx * ((T)1 / 6 - ixx * ((T)1 / 30 - ixx * ((T)1 / 42)))) / x;            \
    return sign * result;                                                               \
  }                                                                                     \
  inline T polygamma_##T(long n, T x) {                                                 \
    if (n == 0) return digamma_##T(x);                                                  \
    if (n == 1) return trigamma_##T(x);                                                 \
    T f = exp(lgamma((T)n + (T)1));                                                     \
    return ((n & 1) ? f : -f) * zeta_##T((T)n + (T)1, x);                               \
  }                                                                                     \
  /* I_nu(x) for nu 0 or 1, times e^-|x| when scaled (i0e, i1e) */                     \
  inline T bessel_i_##T(int nu, T x, int scaled) {                                      \
    const T ax = fabs(x), sign = (nu == 1 && x < 0) ? (T)-1 : (T)1;                     \
    if (isnan(x)) return x;                                                             \
    if (ax > (T)30) {                                                                   \
      /* asymptotic: e^x / sqrt(2 pi x) * sum_k prod_j ((2j-1)^2 - 4 nu^2) / (k! (8x)^k) */ \
      const T mu = (T)(4 * nu * nu);                                                    \
      T t = 1, s = 1;                                                                   \
      for (int k = 1; k < 12; ++k) {                                                    \
        T m = (T)(2 * k - 1);                                                           \
        t *= (m * m - mu) / ((T)k * (T)8 * ax);                                         \
        s += t;                                                                         \
      }                                                                                 \
      const T r = s / sqrt((T)2 * (T)M_PI * ax);                                        \
      /* e^x overflows before the result does, and e^inf * 0 is NaN: both as on the CPU */ \
      return sign * (scaled ? r : exp(ax) * r);                                         \
    }                                                                                   \
    /* power series: (x/2)^nu sum_k (x^2/4)^k / (k! (k+nu)!) */                         \
    T q = ax * ax / (T)4, t = nu ? ax / (T)2 : (T)1, s = t;                             \
    for (int k = 1; k < 200; ++k) {                                                     \
      t *= q / ((T)k * (T)(k + nu));                                                    \
      s += t;                                                                           \
      if (t <= s * EPS) break;                                                          \
    }                                                                                   \
    return sign * (scaled ? s * exp(-ax) : s);                                          \
  }                                                                                     \
  inline T i0_##T(T x) { return bessel_i_##T(0, x, 0); }                                \
  inline T i0e_##T(T x) { return bessel_i_##T(0, x, 1); }                               \
  inline T i1_##T(T x) { return bessel_i_##T(1, x, 0); }                                \
  inline T i1e_##T(T x) { return bessel_i_##T(1, x, 1); }
OCL_SPECIAL(float, 1.1920929e-07f)
#ifdef OCL_HAS_FP64
OCL_SPECIAL(double, 1.1102230246251565e-16)
#endif

// Shifts as the CPU computes them: left shifts by < 0 or >= the width give 0; right shifts by
// those amounts fill with the sign.
#define OCL_SHIFTS(T, U, BITS)                                                          \
  inline T lshift_##T(T a, T b) {                                                       \
    return (b < 0 || b >= BITS) ? (T)0 : (T)((U)a << b);                                \
  }                                                                                     \
  inline T rshift_##T(T a, T b) {                                                       \
    return (b < 0 || b >= BITS) ? (T)(a >> (BITS - 1)) : (T)(a >> b);                  \
  }
OCL_SHIFTS(char, uchar, 8)
OCL_SHIFTS(short, ushort, 16)
OCL_SHIFTS(int, uint, 32)
OCL_SHIFTS(long, ulong, 64)
inline uchar lshift_uchar(uchar a, uchar b) { return b >= 8 ? (uchar)0 : (uchar)(a << b); }
inline uchar rshift_uchar(uchar a, uchar b) { return b >= 8 ? (uchar)0 : (uchar)(a >> b); }
