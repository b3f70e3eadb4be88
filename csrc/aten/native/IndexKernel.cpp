// Indexed-copy kernel generator and launcher (see IndexKernel.h).
#include "aten/native/IndexKernel.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/zeros.h>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

std::string atomic_call(ScalarType t, const std::string& ptr, const std::string& v, int op) {
  const std::string o = std::to_string(op);
  switch (t) {
    case kFloat: return "ocl_atomic_f32(" + ptr + ", " + v + ", " + o + ");";
    case kDouble: return "ocl_atomic_f64(" + ptr + ", " + v + ", " + o + ");";
    case kHalf: return "ocl_atomic_f16((__global ushort*)(" + ptr + "), " + v + ", " + o + ", 0);";
    case kBFloat16: return "ocl_atomic_f16(" + ptr + ", " + v + ", " + o + ", 1);";
    case kInt: return "ocl_atomic_i32(" + ptr + ", " + v + ", " + o + ");";
    case kLong: return "ocl_atomic_i64(" + ptr + ", " + v + ", " + o + ");";
    case kChar: return "ocl_atomic_small(" + ptr + ", (long)" + v + ", " + o + ", 8, 1, 0);";
    case kByte: return "ocl_atomic_small(" + ptr + ", (long)" + v + ", " + o + ", 8, 0, 0);";
    case kBool: return "ocl_atomic_small(" + ptr + ", (long)" + v + ", " + o + ", 8, 0, 1);";
    case kShort: return "ocl_atomic_small(" + ptr + ", (long)" + v + ", " + o + ", 16, 1, 0);";
    default: TORCH_CHECK_TYPE(false, "[ocl::index] unsupported dtype ", dtype_name(t));
  }
}

// Converts v (compute type of `from`) to the compute type of `to`, PyTorch-style.
std::string convert(ScalarType from, ScalarType to, const std::string& v) {
  std::string f = cl_type(from), t = cl_type(to);
  if (to == kBool) return "(uchar)((" + v + ") != 0)";
  if (f == t) return v;
  bool ff = f == "float" || f == "double", tf = t == "float" || t == "double";
  if (ff && !tf && t != "long") return "(" + t + ")(long)(" + v + ")";
  return "(" + t + ")(" + v + ")";
}

std::string generate(const TensorIteratorBase& iter, const IndexSpec& s) {
  using std::to_string;
  const int nt = iter.ntensors(), nidx = static_cast<int>(s.sizes.size()), nd = iter.ndim();
  const bool has_src = !s.value;
  const ScalarType dt = iter.dtype(0);
  std::string k;
  bool fp64 = false;
  for (int j = 0; j < nt; ++j) fp64 |= iter.dtype(j) == kDouble;
  if (fp64) k += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define OCL_HAS_FP64 1\n";
  if (s.mode == IndexMode::Reduce && (dt == kLong || dt == kDouble))
    k += "#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable\n#define OCL_ATOMIC64 1\n";
  k += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  if (s.mode == IndexMode::Reduce) k += torch_ocl::runtime::kernel_source("atomics.cl") + "\n";
  k += "#line 1 \"index:" + s.name + "\"\n__kernel void ix(long n";
  for (int j = 0; j < nt; ++j)
    k += ", __global " + cl_storage_type(iter.dtype(j)) + "* p" + to_string(j) + ", long o" + to_string(j);
  for (int j = 0; j < nidx; ++j) k += ", long isz" + to_string(j) + ", long ist" + to_string(j);
  const std::string ct = cl_type(dt);
  if (s.value) k += ", " + ct + " value";
  if (s.alpha) k += ", " + ct + " alpha";
  k += ", long skip, __global long* errb, long eo";
  for (int d = 0; d < nd; ++d) k += ", long z" + to_string(d);
  for (int j = 0; j < nt; ++j)
    for (int d = 0; d < nd; ++d) k += ", long t" + to_string(j) + "_" + to_string(d);
  k += ") {\n  __global long* err = errb + eo;\n  for (long g = get_global_id(0); g < n; g += get_global_size(0)) {\n    long r = g, q;\n";
  for (int j = 0; j < nt; ++j) k += "    long x" + to_string(j) + " = o" + to_string(j) + ";\n";
  for (int d = 0; d < nd; ++d) {
    k += "    q = r % z" + to_string(d) + "; r /= z" + to_string(d) + ";";
    for (int j = 0; j < nt; ++j) k += " x" + to_string(j) + " += q * t" + to_string(j) + "_" + to_string(d) + ";";
    k += "\n";
  }
  k += "    long off = 0, v;\n";
  const int first_idx = has_src ? 2 : 1;
  for (int j = 0; j < nidx; ++j) {
    const int op = first_idx + j;
    const std::string J = to_string(j);
    k += "    v = (long)" + cl_load(iter.dtype(op), "p" + to_string(op), "x" + to_string(op)) + ";\n";
    if (j == 0 && s.skip) k += "    if (v == skip) continue;\n";
    k += "    if (v >= isz" + J + " || v < " + (s.wrap_negative ? "-isz" + J : std::string("0")) +
         ") { err[0] = 1; err[1] = v; err[2] = " + J + "; continue; }\n";
    if (s.wrap_negative) k += "    if (v < 0) v += isz" + J + ";\n";
    k += "    off += v * ist" + J + ";\n";
  }
  const ScalarType st = has_src ? iter.dtype(1) : dt;
  auto src_value = [&] {
    std::string v = s.value ? std::string("value") : convert(st, dt, cl_load(st, "p1", "x1"));
    if (s.alpha) v = "(" + v + ") * alpha";
    return v;
  };
  // same-dtype copies move bits: no conversion and no half arithmetic needed
  const std::string raw = cl_bits_type(c10::elementSize(dt));
  switch (s.mode) {
    case IndexMode::Gather:
      if (st == dt)
        k += "    ((__global " + raw + "*)p0)[x0] = ((__global " + raw + "*)p1)[x1 + off];\n";
      else
        k += "    " + cl_store(dt, "p0", "x0", convert(st, dt, cl_load(st, "p1", "x1 + off"))) + "\n";
      break;
    case IndexMode::Assign:
      if (has_src && st == dt && !s.alpha)
        k += "    ((__global " + raw + "*)p0)[x0 + off] = ((__global " + raw + "*)p1)[x1];\n";
      else
        k += "    " + cl_store(dt, "p0", "x0 + off", src_value()) + "\n";
      break;
    case IndexMode::Reduce:
      k += "    " + atomic_call(dt, "p0 + x0 + off", src_value(), static_cast<int>(s.op)) + "\n";
      break;
  }
  k += "  }\n}\n";
  return k;
}

}  // namespace

Tensor restride_dim(const Tensor& t, int64_t dim, IntArrayRef sizes) {
  auto strides = t.strides().vec();
  if (strides.empty()) strides.push_back(1);  // a 0-dim tensor seen as 1-D
  strides[dim] = 0;
  return t.as_strided(sizes, strides);
}

void index_launch(TensorIteratorBase& iter, const IndexSpec& s, const IndexErrorFn& on_error) {
  const int64_t n = iter.numel();
  if (n == 0) return;
  const int device = iter.device(0).index();
  const int nt = iter.ntensors(), nd = iter.ndim();
  for (int j = 0; j < nt; ++j) {
    TORCH_CHECK(iter.device(j) == iter.device(0), "Expected all tensors to be on the same device, but found at "
                "least two devices, ", iter.device(0), " and ", iter.device(j), "!");
    check_dtype_supported(iter.dtype(j), device);
  }
  const int nidx = static_cast<int>(s.sizes.size());
  TORCH_INTERNAL_ASSERT(nt == 1 + (s.value ? 0 : 1) + nidx, "[ocl::index] operand count");

  std::string name = "ix_" + s.name + "_" + std::to_string(static_cast<int>(s.mode)) +
                     std::to_string(static_cast<int>(s.op)) + "_" + std::to_string(nd);
  for (int j = 0; j < nt; ++j) name += "_" + std::string(c10::toString(iter.dtype(j)));
  if (s.value) name += "_v";
  if (s.alpha) name += "_a";
  if (s.skip) name += "_k";
  if (!s.wrap_negative) name += "_nw";

  Tensor err = at::zeros({3}, TensorOptions().dtype(kLong).device(iter.device(0)));
  KernelArgs args(device, name, "ix", [&] { return generate(iter, s); });
  args.add<cl_long>(n);
  for (int j = 0; j < nt; ++j) {
    auto buf = torch_ocl::buffer_of_ptr(iter.tensor_base(j).storage().data_ptr(), iter.data_ptr(j));
    const size_t es = c10::elementSize(iter.dtype(j));
    TORCH_INTERNAL_ASSERT(buf.offset % es == 0, "[ocl::index] misaligned operand ", j);
    args.add_mem(buf.mem);
    args.add<cl_long>(static_cast<cl_long>(buf.offset / es));
  }
  for (int j = 0; j < nidx; ++j) {
    args.add<cl_long>(s.sizes[j]);
    args.add<cl_long>(s.strides[j]);
  }
  if (s.value) args.add_scalar(iter.dtype(0), *s.value);
  if (s.alpha) args.add_scalar(iter.dtype(0), *s.alpha);
  args.add<cl_long>(s.skip.value_or(0));
  auto eb = torch_ocl::buffer_of(err);
  args.add_mem(eb.mem);
  args.add<cl_long>(static_cast<cl_long>(eb.offset / sizeof(int64_t)));
  auto shape = iter.shape();
  for (int d = 0; d < nd; ++d) args.add<cl_long>(shape[d]);
  for (int j = 0; j < nt; ++j) {
    auto strides = iter.strides(j);
    const auto es = static_cast<int64_t>(c10::elementSize(iter.dtype(j)));
    for (int d = 0; d < nd; ++d) args.add<cl_long>(strides[d] / es);
  }
  args.launch_1d(static_cast<uint64_t>(n));
  if (nidx == 0 || !s.check) return;
  Tensor host = err.cpu();
  const int64_t* e = host.const_data_ptr<int64_t>();
  if (e[0] == 0) return;
  const int which = static_cast<int>(e[2]);
  if (on_error) on_error(which, e[1]);
  TORCH_CHECK_INDEX(false, "index ", e[1], " is out of bounds for dimension ", which, " with size ", s.sizes[which]);
}

}  // namespace at::native::ocl
