// Matrix products on ocl: CLBlast for float32/float64, the tensor-core (gemm_mma.cl) or portable
// (gemm.cl) kernel for float16/bfloat16. Callers pass ATen-checked shapes; these pick layouts and launch.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Scalar.h>

#include <string>

namespace at::native::ocl {

// C[b] = alpha * A[b] @ B[b] + beta * S[b] for C (batch, m, n), A (batch, m, k),
// B (batch, k, n) of one dtype; S (broadcast to C's shape, may be C itself) is read only
// when given and beta != 0, so NaN in it is ignored for beta == 0 as ATen does.
void gemm(const Tensor& C, const Tensor& A, const Tensor& B, const Scalar& alpha, const Scalar& beta,
          const Tensor* S);

// y = alpha * A @ x + beta * S for y (m), A (m, k), x (k); S as in gemm.
void gemv(const Tensor& y, const Tensor& A, const Tensor& x, const Scalar& alpha, const Scalar& beta,
          const Tensor* S);

// out (0-dim) = sum_i x[i] * y[i], accumulated in float for 16-bit floats.
void dot(const Tensor& out, const Tensor& x, const Tensor& y);

// Raises NotImplementedError (as CUDA's dispatch does) for dtypes without a matrix product
// on ocl (integers, bool), and a clear error for float64 on devices without it.
void check_blas_dtype(c10::ScalarType t, const char* name, int device);

class KernelArgs;
struct Window;

namespace detail {
// The GEMM kernels' common arguments (gemm.cl, gemm_mma.cl): each matrix as buffer, element
// offset and the strides of its (batch, rows, cols) view, then M, N, K, alpha, beta, use_s.
void add_gemm_matrix(KernelArgs& args, const Tensor& t);
void add_gemm_operands(KernelArgs& args, const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta,
                       const Tensor* S);
// The tensor-core kernel (NVIDIA, compute capability 8.0+, TORCH_OCL_GEMM_MMA not 0; any device
// with TORCH_OCL_MMA_EMULATE=1): whether this device runs it, and the product on it (false when
// it failed to build: the path is then off for the device and the caller uses the portable kernel).
bool mma_enabled(int device);
// Whether float32 products may run as TF32 on the tensor-core kernel: the device runs it and
// torch.set_float32_matmul_precision asked for "high" or "medium" (the default "highest" keeps
// exact float32), or a convolution runs under torch.backends.cudnn.allow_tf32 (see ConvTf32Scope).
bool tf32_enabled(int device);
// While alive, the float32 products of this thread follow torch.backends.cudnn.allow_tf32 (True by
// default, as CUDA's convolutions do) besides the matmul precision: convolutions hold one.
class ConvTf32Scope {
 public:
  ConvTf32Scope();
  ~ConvTf32Scope();
  ConvTf32Scope(const ConvTf32Scope&) = delete;
  ConvTf32Scope& operator=(const ConvTf32Scope&) = delete;

 private:
  bool previous_;
};
// Whether exact float32 products run on gemm_mma.cl's SIMT variant (fma on the same staged tiles)
// instead of CLBlast: the device runs the tensor-core kernel (natively, or emulated when
// TORCH_OCL_GEMM_F32=simt asks for it), TF32 is not allowed, and TORCH_OCL_GEMM_F32 is not clblast.
bool simt_enabled(int device);
// What a tensor-core kernel's source starts with for operands of type t on a device: its settings
// (MMA_SM90: compute capability 9.0+, natively) and mma.cl (the PTX helpers, or their emulation).
std::string mma_prelude(ScalarType t, int device);
// Whether the tensor-core kernels have 16-byte atomic float adds (mma.cl's red_add_f32x4 as one
// instruction: compute capability 9.0+; emulated, so that the kernels using them are tested).
bool mma_vector_atomics(int device);
// With conv, A is an implicit-GEMM convolution's input (dense channels-last, channels a multiple
// of 8, 16-byte aligned) whose windows conv describes: row m an output position, column k a tap
// and channel (gemm_mma.cl's CONV_A), K = conv->rows(). With conv_b, B is that input instead, row
// k an output position and column n a tap and channel (CONV_B: a weight gradient). A batch of
// products over one image is a grouped convolution: conv->C channels per group, batch b reading
// the image's channels b * conv->C onwards.
bool gemm_mma(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S,
              const Window* conv = nullptr, bool conv_b = false);
// This thread's tensor-core products take `config` ("bm,bn,bk,stages,wm,wn[,splits[,teams[,l1]]]",
// TORCH_OCL_GEMM_MMA_CONFIG's form plus the persistent teams of TORCH_OCL_GEMM_SHARE) instead of
// the shape table's choice until it is set to "" again: max-autotune's candidates (torch.compile).
// A configuration that is not one or does not fit the device is an error here.
void set_thread_mma_config(const std::string& config, int device);
// Whether set_thread_mma_config would take `config` (well formed, and fits the device).
bool mma_config_fits(const std::string& config, int device);
// The portable kernel, or the tensor-core one where it runs; strides in elements, any layout.
void gemm_kernel(const Tensor& C, const Tensor& A, const Tensor& B, float alpha, float beta, const Tensor* S);
// CLBlast: C, A, B as in gemm with beta already folded (C holds beta's operand).
void clblast_gemm(const Tensor& C, const Tensor& A, const Tensor& B, double alpha, double beta);
void clblast_gemv(const Tensor& y, const Tensor& A, const Tensor& x, double alpha, double beta);
void clblast_dot(const Tensor& out, const Tensor& x, const Tensor& y);
}  // namespace detail

}  // namespace at::native::ocl
