// float32/float64 matrix products through CLBlast on the current stream's queue, with
// transposed operands passed as transpose flags instead of copies.
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <c10/util/Exception.h>

#include "runtime/cl.h"  // before clblast.h: fixes the OpenCL version the headers target

#include <clblast.h>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "aten/native/Gemm.h"
#include "core/Allocator.h"
#include "core/Stream.h"
#include "runtime/device.h"

namespace at::native::ocl::detail {
namespace {

using clblast::StatusCode;

const char* status_name(StatusCode s) {
  switch (s) {
    case StatusCode::kOpenCLOutOfResources: return "CL_OUT_OF_RESOURCES";
    case StatusCode::kOpenCLOutOfHostMemory: return "CL_OUT_OF_HOST_MEMORY";
    case StatusCode::kTempBufferAllocFailure: return "temporary buffer allocation failed";
    case StatusCode::kOpenCLBuildProgramFailure: return "kernel build failed";
    case StatusCode::kInvalidCommandQueue: return "CL_INVALID_COMMAND_QUEUE";
    case StatusCode::kInvalidMemObject: return "CL_INVALID_MEM_OBJECT";
    case StatusCode::kInvalidLeadDimA: return "invalid leading dimension of A";
    case StatusCode::kInvalidLeadDimB: return "invalid leading dimension of B";
    case StatusCode::kInvalidLeadDimC: return "invalid leading dimension of C";
    case StatusCode::kInvalidIncrementX: return "invalid increment of x";
    case StatusCode::kInvalidIncrementY: return "invalid increment of y";
    case StatusCode::kInsufficientMemoryA: return "buffer of A too small";
    case StatusCode::kInsufficientMemoryB: return "buffer of B too small";
    case StatusCode::kInsufficientMemoryC: return "buffer of C too small";
    case StatusCode::kInsufficientMemoryX: return "buffer of x too small";
    case StatusCode::kInsufficientMemoryY: return "buffer of y too small";
    case StatusCode::kInvalidDimension: return "invalid dimension";
    case StatusCode::kNoDoublePrecision: return "no double precision on this device";
    case StatusCode::kInvalidLocalMemUsage: return "not enough local memory";
    case StatusCode::kDatabaseError: return "no parameters for this device";
    default: return "error";
  }
}

void check(StatusCode s, const char* routine, int64_t m, int64_t n, int64_t k) {
  TORCH_CHECK(s == StatusCode::kSuccess, "[ocl::blas] CLBlast ", routine, " (m=", m, ", n=", n, ", k=", k,
              ") failed: ", status_name(s), " (status ", static_cast<int>(s), ")");
}

// How a row-major BLAS sees a rows x cols matrix with strides (sr, sc): as itself with
// leading dimension sr, or (trans) as the transpose of a row-major cols x rows matrix with
// leading dimension sc. A dimension of size 1 imposes no stride, so any ld works for it.
struct MatView {
  bool trans;
  int64_t ld;
};
std::optional<MatView> blas_view(int64_t rows, int64_t cols, int64_t sr, int64_t sc) {
  if (sc == 1 || cols == 1) {
    int64_t ld = rows == 1 ? cols : sr;
    if (ld >= std::max<int64_t>(cols, 1)) return MatView{false, ld};
  }
  if (sr == 1 || rows == 1) {
    int64_t ld = cols == 1 ? rows : sc;
    if (ld >= std::max<int64_t>(rows, 1)) return MatView{true, ld};
  }
  return std::nullopt;
}

// CLBlast's GEMM pads and transposes operands into a temporary buffer that it would create
// and release on every call; releasing device memory synchronizes the whole device on some
// drivers (NVIDIA's), which stalls the host once per matmul. So each queue keeps one
// workspace from the caching allocator, grown on demand and handed to CLBlast as a
// sub-buffer (CLBlast takes a whole cl_mem). The queue orders the calls that share it.
class Workspace {
 public:
  ~Workspace() {
    if (sub_) clReleaseMemObject(sub_);
  }
  cl_mem get(int device, size_t bytes) {
    if (bytes <= size_) return sub_;
    if (sub_) clReleaseMemObject(sub_);
    sub_ = nullptr;
    size_ = 0;
    const size_t align = std::max<size_t>(torch_ocl::runtime::device_info(device).mem_base_addr_align_bits / 8, 1);
    size_t want = std::max<size_t>(bytes + bytes / 4, size_t(1) << 20);  // headroom: fewer regrowths
    block_ = at::empty({static_cast<int64_t>(want + align)}, at::TensorOptions().dtype(kByte).device(
                                                                 c10::DeviceType::PrivateUse1, device));
    auto b = torch_ocl::buffer_of(block_);
    cl_buffer_region region{(b.offset + align - 1) / align * align, want};
    cl_int err = CL_SUCCESS;
    sub_ = clCreateSubBuffer(b.mem, CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region, &err);
    TORCH_CHECK(err == CL_SUCCESS, "[ocl::blas] creating the GEMM workspace (", want, " bytes) failed: error ", err);
    size_ = want;
    return sub_;
  }

 private:
  Tensor block_;
  cl_mem sub_ = nullptr;
  size_t size_ = 0;
};

cl_mem gemm_workspace(cl_command_queue q, int device, size_t bytes) {
  static std::mutex mutex;
  static auto* spaces = new std::unordered_map<cl_command_queue, Workspace>();  // lives to process exit
  std::lock_guard<std::mutex> lock(mutex);
  return (*spaces)[q].get(device, bytes);
}

size_t elem_offset(const Tensor& t) { return torch_ocl::buffer_of(t).offset / t.element_size(); }
clblast::Transpose tr(bool t) { return t ? clblast::Transpose::kYes : clblast::Transpose::kNo; }
// A vector's increment for BLAS; 0 when the layout needs a copy first (broadcast).
int64_t inc_of(const Tensor& v) { return v.size(0) == 1 ? 1 : v.stride(0); }

// GemmTempBufferSize sets up CLBlast's whole GEMM routine on the host (a second set-up per
// call); its answer depends only on the arguments below, so it is asked once per shape.
template <typename T>
size_t gemm_temp_size(cl_command_queue q, int device, bool ta, bool tb, int64_t m, int64_t n, int64_t k,
                      size_t a_off, size_t lda, size_t b_off, size_t ldb, size_t c_off, size_t ldc) {
  using Key = std::array<int64_t, 13>;
  static std::mutex mutex;
  static auto* sizes = new std::map<Key, size_t>();  // lives to process exit
  const Key key{device, int64_t(sizeof(T)), ta, tb, m, n, k, int64_t(a_off), int64_t(lda), int64_t(b_off),
                int64_t(ldb), int64_t(c_off), int64_t(ldc)};
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = sizes->find(key); it != sizes->end()) return it->second;
  }
  size_t temp = 0;
  StatusCode s = clblast::GemmTempBufferSize<T>(clblast::Layout::kRowMajor, tr(ta), tr(tb), m, n, k, a_off, lda,
                                                b_off, ldb, c_off, ldc, &q, temp);
  check(s, "GemmTempBufferSize", m, n, k);
  std::lock_guard<std::mutex> lock(mutex);
  if (sizes->size() > 4096) sizes->clear();  // many distinct shapes: start over rather than grow
  (*sizes)[key] = temp;
  return temp;
}

template <typename T>
void gemm_t(const Tensor& C, const Tensor& A, const Tensor& B, double alpha, double beta) {
  const int64_t batch = C.size(0), m = C.size(1), n = C.size(2), k = A.size(2);
  auto cv = blas_view(m, n, C.stride(1), C.stride(2));
  if (!cv) {  // an output layout BLAS cannot write: compute in a contiguous copy
    Tensor tmp = beta != 0 ? C.contiguous() : at::empty_like(C, MemoryFormat::Contiguous);
    gemm_t<T>(tmp, A, B, alpha, beta);
    C.copy_(tmp);
    return;
  }
  if (cv->trans) {  // C^T = B^T A^T, whose output is row-major
    gemm_t<T>(C.transpose(1, 2), B.transpose(1, 2), A.transpose(1, 2), alpha, beta);
    return;
  }
  Tensor a = A, b = B;
  auto av = blas_view(m, k, a.stride(1), a.stride(2));
  if (!av) a = a.contiguous(), av = blas_view(m, k, a.stride(1), a.stride(2));
  auto bv = blas_view(k, n, b.stride(1), b.stride(2));
  if (!bv) b = b.contiguous(), bv = blas_view(k, n, b.stride(1), b.stride(2));
  auto ba = torch_ocl::buffer_of(a), bb = torch_ocl::buffer_of(b), bc = torch_ocl::buffer_of(C);
  cl_command_queue q = torch_ocl::current_queue(C.device().index());
  StatusCode s;
  if (batch == 1) {
    const size_t temp = gemm_temp_size<T>(q, C.device().index(), av->trans, bv->trans, m, n, k, elem_offset(a), av->ld,
                                           elem_offset(b), bv->ld, elem_offset(C), cv->ld);
    cl_mem ws = temp ? gemm_workspace(q, C.device().index(), temp) : nullptr;  // may allocate: before the scope
    auto e = torch_ocl::enqueue_current(C.device().index());
    s = clblast::Gemm<T>(clblast::Layout::kRowMajor, tr(av->trans), tr(bv->trans), m, n, k, T(alpha), ba.mem,
                         elem_offset(a), av->ld, bb.mem, elem_offset(b), bv->ld, T(beta), bc.mem, elem_offset(C),
                         cv->ld, &q, nullptr, ws);
  } else {
    auto e = torch_ocl::enqueue_current(C.device().index());
    s = clblast::GemmStridedBatched<T>(clblast::Layout::kRowMajor, tr(av->trans), tr(bv->trans), m, n, k, T(alpha),
                                       ba.mem, elem_offset(a), av->ld, a.stride(0), bb.mem, elem_offset(b), bv->ld,
                                       b.stride(0), T(beta), bc.mem, elem_offset(C), cv->ld, C.stride(0), batch, &q);
  }
  check(s, batch == 1 ? "Gemm" : "GemmStridedBatched", m, n, k);
}

template <typename T>
void gemv_t(const Tensor& y, const Tensor& A, const Tensor& x, double alpha, double beta) {
  const int64_t m = A.size(0), k = A.size(1);
  if (inc_of(y) < 1) {
    Tensor tmp = beta != 0 ? y.contiguous() : at::empty_like(y, MemoryFormat::Contiguous);
    gemv_t<T>(tmp, A, x, alpha, beta);
    y.copy_(tmp);
    return;
  }
  Tensor a = A, v = inc_of(x) < 1 ? x.contiguous() : x;
  auto av = blas_view(m, k, a.stride(0), a.stride(1));
  if (!av) a = a.contiguous(), av = blas_view(m, k, a.stride(0), a.stride(1));
  auto ba = torch_ocl::buffer_of(a), bx = torch_ocl::buffer_of(v), by = torch_ocl::buffer_of(y);
  auto e = torch_ocl::enqueue_current(y.device().index());
  cl_command_queue q = e.queue();
  // a transposed view is the row-major k x m matrix, multiplied transposed
  const int64_t rows = av->trans ? k : m, cols = av->trans ? m : k;
  auto s = clblast::Gemv<T>(clblast::Layout::kRowMajor, tr(av->trans), rows, cols, T(alpha), ba.mem, elem_offset(a),
                            av->ld, bx.mem, elem_offset(v), inc_of(v), T(beta), by.mem, elem_offset(y), inc_of(y), &q);
  check(s, "Gemv", m, 1, k);
}

template <typename T>
void dot_t(const Tensor& out, const Tensor& x, const Tensor& y) {
  Tensor a = inc_of(x) < 1 ? x.contiguous() : x, b = inc_of(y) < 1 ? y.contiguous() : y;
  auto bo = torch_ocl::buffer_of(out), ba = torch_ocl::buffer_of(a), bb = torch_ocl::buffer_of(b);
  auto e = torch_ocl::enqueue_current(out.device().index());
  cl_command_queue q = e.queue();
  auto s = clblast::Dot<T>(a.size(0), bo.mem, elem_offset(out), ba.mem, elem_offset(a), inc_of(a), bb.mem,
                           elem_offset(b), inc_of(b), &q);
  check(s, "Dot", 1, 1, a.size(0));
}

}  // namespace

void clblast_gemm(const Tensor& C, const Tensor& A, const Tensor& B, double alpha, double beta) {
  if (C.scalar_type() == kDouble)
    gemm_t<double>(C, A, B, alpha, beta);
  else
    gemm_t<float>(C, A, B, alpha, beta);
}

void clblast_gemv(const Tensor& y, const Tensor& A, const Tensor& x, double alpha, double beta) {
  if (y.scalar_type() == kDouble)
    gemv_t<double>(y, A, x, alpha, beta);
  else
    gemv_t<float>(y, A, x, alpha, beta);
}

void clblast_dot(const Tensor& out, const Tensor& x, const Tensor& y) {
  if (out.scalar_type() == kDouble)
    dot_t<double>(out, x, y);
  else
    dot_t<float>(out, x, y);
}

}  // namespace at::native::ocl::detail
