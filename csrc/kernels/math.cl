// Math helpers for pointwise expressions whose PyTorch semantics differ from OpenCL's
// builtins (floor division, Python-style remainder, integer powers, NaN-propagating max/min).

#define OCL_FLOOR_DIV_FLOAT(T)                                                        \
  inline T floor_div_##T(T a, T b) {                                                  \
    if (b == (T)0) return a / b;                                                      \
    T mod = fmod(a, b);                                                               \
    T div = (a - mod) / b;                                                            \
    if (mod != (T)0 && ((b < (T)0) != (mod < (T)0))) div -= (T)1;                     \
    if (div == (T)0) return copysign((T)0, a / b);                                    \
    T fl = floor(div);                                                                \
    if (div - fl > (T)0.5) fl += (T)1;                                                \
    return fl;                                                                        \
  }                                                                                   \
  inline T remainder_##T(T a, T b) {                                                  \
    T mod = fmod(a, b);                                                               \
    if (mod != (T)0 && ((b < (T)0) != (mod < (T)0))) mod += b;                        \
    return mod;                                                                       \
  }
OCL_FLOOR_DIV_FLOAT(float)
#ifdef OCL_HAS_FP64
OCL_FLOOR_DIV_FLOAT(double)
#endif

// Integers: the host raises ZeroDivisionError before a zero divisor gets here; the guards
// only keep the kernels free of undefined behaviour.
#define OCL_INT_HELPERS(T)                                                            \
  inline T floor_div_##T(T a, T b) {                                                  \
    if (b == 0) return 0;                                                             \
    T q = a / b;                                                                      \
    if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;                                 \
    return q;                                                                         \
  }                                                                                   \
  inline T trunc_div_##T(T a, T b) { return b == 0 ? (T)0 : (T)(a / b); }             \
  inline T remainder_##T(T a, T b) {                                                  \
    if (b == 0) return 0;                                                             \
    T r = a % b;                                                                      \
    if (r != 0 && ((r < 0) != (b < 0))) r += b;                                       \
    return r;                                                                         \
  }                                                                                   \
  inline T fmod_##T(T a, T b) { return b == 0 ? (T)0 : (T)(a % b); }                  \
  inline T ipow_##T(T base, T exp) {                                                  \
    if (exp < 0) {                                                                    \
      if (base == 1) return 1;                                                        \
      if (base == (T)-1) return (exp & 1) ? (T)-1 : (T)1;                             \
      return 0;                                                                       \
    }                                                                                 \
    T result = 1;                                                                     \
    while (exp) {                                                                     \
      if (exp & 1) result *= base;                                                    \
      exp >>= 1;                                                                      \
      base *= base;                                                                   \
    }                                                                                 \
    return result;                                                                    \
  }
OCL_INT_HELPERS(char)
OCL_INT_HELPERS(uchar)
OCL_INT_HELPERS(short)
OCL_INT_HELPERS(int)
OCL_INT_HELPERS(long)
