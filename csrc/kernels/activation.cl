// Activation helpers (forward and backward) with the formulas PyTorch's CPU kernels use.
// Defined per floating compute type T (float; double with OCL_HAS_FP64).

#define OCL_ACTIVATIONS(T)                                                              \
  inline T gelu_##T(T x) { return x * (T)0.5 * ((T)1 + erf(x * (T)M_SQRT1_2)); }        \
  inline T gelu_tanh_##T(T x) {                                                         \
    const T beta = (T)M_SQRT2 * (T)M_2_SQRTPI * (T)0.5, kappa = (T)0.044715;            \
    T inner = beta * (x + kappa * x * x * x);                                           \
    return (T)0.5 * x * ((T)1 + tanh(inner));                                           \
  }                                                                                     \
  inline T gelu_backward_##T(T dy, T x) {                                               \
    const T alpha = (T)M_2_SQRTPI * (T)M_SQRT1_2 * (T)0.5;                              \
    T cdf = (T)0.5 * ((T)1 + erf(x * (T)M_SQRT1_2));                                    \
    T pdf = alpha * exp(x * x * (T)-0.5);                                               \
    return dy * (cdf + x * pdf);                                                        \
  }                                                                                     \
  inline T gelu_tanh_backward_##T(T dy, T x) {                                          \
    const T beta = (T)M_SQRT2 * (T)M_2_SQRTPI * (T)0.5, kappa = (T)0.044715;            \
    T x_sq = x * x;                                                                     \
    T inner = beta * (x + kappa * x_sq * x);                                            \
    T t = tanh(inner);                                                                  \
    T left = (T)0.5 * x, right = (T)1 + t;                                              \
    T left_d = (T)0.5 * right;                                                          \
    T right_d = left * ((T)1 - t * t) * beta * ((T)1 + (T)3 * kappa * x_sq);           \
    return dy * (left_d + right_d);                                                     \
  }                                                                                     \
  inline T silu_##T(T x) { return x / ((T)1 + exp(-x)); }                               \
  inline T silu_backward_##T(T dy, T x) {                                               \
    T s = (T)1 / ((T)1 + exp(-x));                                                      \
    return dy * s * ((T)1 + x * ((T)1 - s));                                            \
  }
OCL_ACTIVATIONS(float)
#ifdef OCL_HAS_FP64
OCL_ACTIVATIONS(double)
#endif
