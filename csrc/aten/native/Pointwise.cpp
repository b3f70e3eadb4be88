// Pointwise kernel generator and launcher (see Pointwise.h).
#include "aten/native/Pointwise.h"

#include <ATen/core/Tensor.h>

#include <functional>

#include "aten/native/Launch.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

bool is_float_cl(const std::string& t) { return t == "float" || t == "double"; }

// C-style conversion with PyTorch's semantics for bool targets and float -> small ints.
std::string cast(ScalarType from, ScalarType to, const std::string& x) {
  std::string f = from == kBool ? "bool" : cl_type(from), t = to == kBool ? "bool" : cl_type(to);
  if (f == t) return x;
  if (t == "bool") return "(uchar)((" + x + ") != 0)";
  if (f == "bool") return "(" + t + ")(" + x + ")";
  if (is_float_cl(f) && !is_float_cl(t) && t != "long") return "(" + t + ")(long)(" + x + ")";
  return "(" + t + ")(" + x + ")";
}

char dtype_code(ScalarType t) {
  switch (t) {
    case kFloat: return 'f';
    case kDouble: return 'd';
    case kHalf: return 'h';
    case kBFloat16: return 'B';
    case kBool: return 'b';
    case kByte: return 'u';
    case kChar: return 'c';
    case kShort: return 's';
    case kInt: return 'i';
    case kLong: return 'l';
    default: return '?';
  }
}

// kVec elements per item (vec): contiguous, or strided with the innermost dim a multiple of kVec
// long; per operand, `lanes` says how: 'v' a vector access (stride 1 along the innermost dim,
// kVec-element aligned), 'b' one element for all lanes (stride 0 there, a broadcast), 's' a
// CPU scalar.
struct Variant {
  int ndim;  // 0: contiguous
  bool idx64;
  bool vec = false;
  std::string lanes = {};
};

constexpr int kVec = 4;

// The OpenCL vector type that moves kVec stored elements of t (half as its bits).
std::string storage_vec(ScalarType t) { return (t == kHalf ? std::string("ushort") : cl_storage_type(t)) + "4"; }

// Lane `lane` of a storage_vec of t, as t's compute value.
std::string lane_value(ScalarType t, const std::string& lane) {
  if (t == kHalf) return "half_bits_to_float(" + lane + ")";
  if (t == kBFloat16) return "bf16_to_float(" + lane + ")";
  return lane;
}

// The stored form of compute value v of t.
std::string stored_value(ScalarType t, const std::string& v) {
  if (t == kHalf) return "float_to_half_bits(" + v + ")";
  if (t == kBFloat16) return "float_to_bf16(" + v + ")";
  return v;
}

std::string generate(const TensorIteratorBase& iter, const PointwiseOp& op, const Variant& v) {
  using std::to_string;
  const int nt = iter.ntensors(), nin = iter.ninputs();
  std::string s;
  s.reserve(4096);
  bool fp64 = op.compute == kDouble;
  for (int k = 0; k < nt; ++k) fp64 |= iter.dtype(k) == kDouble;
  for (auto& sc : op.scalars) fp64 |= sc.type == kDouble;
  if (fp64) s += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define OCL_HAS_FP64 1\n";
  s += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  if (!op.preamble_file.empty()) s += torch_ocl::runtime::kernel_source(op.preamble_file) + "\n";
  const std::string idx = v.idx64 ? "ulong" : "uint";
  s += "#line 1 \"pointwise:" + op.name + "\"\n";
  s += "__kernel void pw(ulong n";
  for (int k = 0; k < nt; ++k) {
    if (iter.is_cpu_scalar(k))  // a CPU scalar operand arrives by value
      s += ", " + cl_type(iter.dtype(k)) + " p" + to_string(k) + ", ulong o" + to_string(k);
    else
      s += std::string(", __global ") + (k >= iter.noutputs() ? "const " : "") + cl_storage_type(iter.dtype(k)) + "* p" +
           to_string(k) + ", ulong o" + to_string(k);
  }
  for (size_t j = 0; j < op.scalars.size(); ++j) s += ", " + cl_type(op.scalars[j].type) + " s" + to_string(j);
  for (int d = 0; d < v.ndim; ++d) s += ", " + idx + " z" + to_string(d);
  for (int k = 0; k < nt; ++k)
    for (int d = 0; d < v.ndim; ++d) s += ", " + idx + " t" + to_string(k) + "_" + to_string(d);
  s += ") {\n";
  const char* names = "abcdefgh";
  const std::string ct = cl_type(op.compute);
  ScalarType out = iter.dtype(0);
  ScalarType out_nat = compute_type(out);
  // The element's inputs a, b, ... from `value(k)`, then res: the result in out's compute type.
  // i: the element's linear index (random kernels use it).
  auto element = [&](const std::function<std::string(int)>& value, const std::string& i, const std::string& indent) {
    std::string e = indent + "const ulong i = " + i + ";\n";
    for (int k = 0; k < nin && k < 8; ++k) {
      int arg = iter.noutputs() + k;
      e += indent + ct + " " + names[k] + " = " +
           cast(compute_type(iter.dtype(arg)), op.compute, iter.is_cpu_scalar(arg) ? "p" + to_string(arg) : value(arg)) +
           ";\n";
    }
    e += indent + ct + " res = (" + ct + ")(" + op.expr + ");\n";
    return e;
  };
  // bool outputs always hold 0/1, whatever the compute type produced
  const std::string result = out == kBool ? "(uchar)((res) != 0)" : cast(op.compute, out_nat, "res");
  // x<k>: operand k's element offset of linear element r0 (r, q scratch).
  auto offsets = [&](const std::string& r0) {
    if (v.ndim == 0) {
      std::string e;
      for (int k = 0; k < nt; ++k) e += "    " + idx + " x" + to_string(k) + " = " + r0 + ";\n";
      return e;
    }
    std::string e = "    " + idx + " r = " + r0 + ", q;\n";
    for (int k = 0; k < nt; ++k) e += "    " + idx + " x" + to_string(k) + " = 0;\n";
    for (int d = 0; d < v.ndim; ++d) {
      e += "    q = r % z" + to_string(d) + "; r /= z" + to_string(d) + ";";
      for (int k = 0; k < nt; ++k) e += " x" + to_string(k) + " += q * t" + to_string(k) + "_" + to_string(d) + ";";
      e += "\n";
    }
    return e;
  };
  if (v.vec) {
    // kVec elements per item through vector loads (or one broadcast load) and one vector store,
    // then the tail.
    s += "  const " + idx + " nv = n / " + to_string(kVec) + ";\n";
    s += "  for (" + idx + " g = get_global_id(0); g < nv; g += get_global_size(0)) {\n";
    s += offsets("g * " + to_string(kVec));
    for (int k = iter.noutputs(); k < nt; ++k) {
      const std::string K = to_string(k), at = "p" + K + " + o" + K + " + x" + K;
      if (v.lanes[k] == 'v')
        s += "    const " + storage_vec(iter.dtype(k)) + " v" + K + " = *((__global const " +
             storage_vec(iter.dtype(k)) + "*)(" + at + "));\n";
      else if (v.lanes[k] == 'b')
        s += "    const " + cl_type(iter.dtype(k)) + " v" + K + " = " +
             cl_load(iter.dtype(k), "p" + K, "o" + K + " + x" + K) + ";\n";
    }
    std::string lanes;
    for (int j = 0; j < kVec; ++j) {
      s += "    " + std::string(out == kHalf ? "ushort" : cl_storage_type(out)) + " r" + to_string(j) + ";\n";
      auto lane = [&](int k) {
        const std::string vk = "v" + to_string(k);
        return v.lanes[k] == 'b' ? vk : lane_value(iter.dtype(k), vk + ".s" + to_string(j));
      };
      s += "    {\n" + element(lane, "(ulong)g * " + to_string(kVec) + " + " + to_string(j), "      ");
      s += "      r" + to_string(j) + " = " + stored_value(out, result) + ";\n    }\n";
      lanes += (j ? ", r" : "r") + to_string(j);
    }
    s += "    *((__global " + storage_vec(out) + "*)(p0 + o0 + x0)) = (" + storage_vec(out) + ")(" + lanes +
         ");\n  }\n";
  }
  const std::string first = v.vec ? "nv * " + to_string(kVec) + " + get_global_id(0)" : "get_global_id(0)";
  s += "  for (" + idx + " g = " + first + "; g < n; g += get_global_size(0)) {\n";
  s += offsets("g");
  s += element([&](int k) { return cl_load(iter.dtype(k), "p" + to_string(k), "o" + to_string(k) + " + x" + to_string(k)); },
               "g", "    ");
  s += "    " + cl_store(out, "p0", "o0 + x0", result) + "\n";
  s += "  }\n}\n";
  return s;
}

// Sets v.vec and v.lanes where kVec elements per item can go through vector accesses: every
// operand contiguous along the innermost dim (or broadcast along it, or a CPU scalar), that dim a
// multiple of kVec long, and each vector access kVec-element aligned.
void choose_vector_lanes(const TensorIteratorBase& iter, Variant& v) {
  const int64_t n = iter.numel();
  if (n < kVec || (v.ndim > 0 && iter.shape()[0] % kVec != 0)) return;
  v.lanes.assign(iter.ntensors(), 'v');
  for (int k = 0; k < iter.ntensors(); ++k) {
    if (iter.is_cpu_scalar(k)) {
      v.lanes[k] = 's';
      continue;
    }
    const int64_t es = static_cast<int64_t>(c10::elementSize(iter.dtype(k)));
    if (v.ndim > 0) {
      auto strides = iter.strides(k);
      if (strides[0] == 0 && k >= iter.noutputs()) {
        v.lanes[k] = 'b';
        continue;
      }
      if (strides[0] != es) return;
      for (int d = 1; d < v.ndim; ++d)
        if (strides[d] % (es * kVec) != 0) return;
    }
    auto buf = torch_ocl::buffer_of_ptr(iter.tensor_base(k).storage().data_ptr(), iter.data_ptr(k));
    if (buf.offset % (es * kVec) != 0) return;
  }
  v.vec = true;
}

}  // namespace

// How a dtype is stored in a kernel argument.
std::string cl_storage_type(ScalarType t) {
  switch (t) {
    case kHalf:
      return "half";
    case kBFloat16:
      return "ushort";
    case kBool:
      return "uchar";
    default:
      return cl_type(t);
  }
}

std::string cl_load(ScalarType t, const std::string& p, const std::string& idx) {
  if (t == kHalf) return "vload_half(" + idx + ", " + p + ")";
  if (t == kBFloat16) return "bf16_to_float(" + p + "[" + idx + "])";
  return p + "[" + idx + "]";
}

std::string cl_store(ScalarType t, const std::string& p, const std::string& idx, const std::string& v) {
  if (t == kHalf) return "vstore_half_rte(" + v + ", " + idx + ", " + p + ");";
  if (t == kBFloat16) return p + "[" + idx + "] = float_to_bf16(" + v + ");";
  return p + "[" + idx + "] = " + v + ";";
}

std::string dtype_name(ScalarType t) {
  switch (t) {
    case kFloat: return "torch.float32";
    case kDouble: return "torch.float64";
    case kHalf: return "torch.float16";
    case kBFloat16: return "torch.bfloat16";
    case kComplexHalf: return "torch.complex32";
    case kComplexFloat: return "torch.complex64";
    case kComplexDouble: return "torch.complex128";
    case kBool: return "torch.bool";
    case kByte: return "torch.uint8";
    case kChar: return "torch.int8";
    case kShort: return "torch.int16";
    case kInt: return "torch.int32";
    case kLong: return "torch.int64";
    default: return std::string("torch.") + c10::toString(t);
  }
}

std::string cl_type(ScalarType t) {
  switch (t) {
    case kFloat:
    case kHalf:
    case kBFloat16:
      return "float";
    case kDouble:
      return "double";
    case kBool:
    case kByte:
      return "uchar";
    case kChar:
      return "char";
    case kShort:
      return "short";
    case kInt:
      return "int";
    case kLong:
      return "long";
    default:
      TORCH_CHECK_TYPE(false, "[ocl] dtype ", dtype_name(t), " is not supported by ocl kernels");
  }
}

void check_dtype_supported(ScalarType t, int device) {
  if (t == kDouble)
    TORCH_CHECK_TYPE(torch_ocl::runtime::device_info(device).fp64, "[ocl] float64 is not supported on device ",
                     device, " (", torch_ocl::runtime::device_info(device).name,
                     ": no cl_khr_fp64); use float32");
  (void)cl_type(t);
}

void pointwise(TensorIteratorBase& iter, const PointwiseOp& op) {
  const int64_t n = iter.numel();
  if (n == 0) return;
  const int device = iter.device(0).index();
  for (int k = 0; k < iter.ntensors(); ++k) {
    TORCH_CHECK(iter.device(k) == iter.device(0) || iter.is_cpu_scalar(k), "Expected all tensors to be on the same "
                "device, but found at least two devices, ", iter.device(0), " and ", iter.device(k), "!");
    check_dtype_supported(iter.dtype(k), device);
  }
  check_dtype_supported(op.compute, device);
  Variant v{iter.is_contiguous() ? 0 : static_cast<int>(iter.ndim()), !iter.can_use_32bit_indexing()};
  choose_vector_lanes(iter, v);

  // The name says everything the source depends on: operand/compute/scalar dtypes, the
  // variant, and a hash of the expression.
  std::string name = "pw_" + op.name + "_";
  for (int k = 0; k < iter.ntensors(); ++k) {
    name += dtype_code(iter.dtype(k));
    if (iter.is_cpu_scalar(k)) name += 'S';
  }
  name += '_';
  name += dtype_code(op.compute);
  for (auto& sc : op.scalars) name += dtype_code(sc.type);
  name += v.ndim ? "_s" + std::to_string(v.ndim) : std::string("_c");
  if (v.vec) name += "_v" + v.lanes;
  name += v.idx64 ? "_i64_" : "_i32_";
  name += std::to_string(std::hash<std::string>{}(op.expr + '\0' + op.preamble_file) & 0xffffffu);

  KernelArgs args(device, name, "pw", [&] { return generate(iter, op, v); });
  args.add<cl_ulong>(static_cast<cl_ulong>(n));
  for (int k = 0; k < iter.ntensors(); ++k) {
    if (iter.is_cpu_scalar(k)) {
      args.add_scalar(iter.dtype(k), Tensor(iter.tensor_base(k)).item());
      args.add<cl_ulong>(0);
      continue;
    }
    auto buf = torch_ocl::buffer_of_ptr(iter.tensor_base(k).storage().data_ptr(), iter.data_ptr(k));
    size_t es = c10::elementSize(iter.dtype(k));
    TORCH_INTERNAL_ASSERT(buf.offset % es == 0, "[ocl] misaligned operand ", k);
    args.add_mem(buf.mem);
    args.add<cl_ulong>(buf.offset / es);
  }
  for (auto& sc : op.scalars) args.add_scalar(sc.type, sc.value);
  if (v.ndim) {
    auto shape = iter.shape();
    for (int d = 0; d < v.ndim; ++d) args.add_index(shape[d], v.idx64);
    for (int k = 0; k < iter.ntensors(); ++k) {
      auto strides = iter.strides(k);
      size_t es = c10::elementSize(iter.dtype(k));
      for (int d = 0; d < v.ndim; ++d) args.add_index(strides[d] / static_cast<int64_t>(es), v.idx64);
    }
  }
  args.launch_1d(static_cast<uint64_t>(v.vec ? (n + kVec - 1) / kVec : n));
}

void pointwise_into(const Tensor& out, std::initializer_list<Tensor> inputs, const PointwiseOp& op) {
  TensorIteratorConfig config;
  config.add_output(out).resize_outputs(false).check_all_same_dtype(false);
  for (const Tensor& t : inputs) config.add_const_input(t);
  auto iter = config.build();
  pointwise(iter, op);
}

}  // namespace at::native::ocl

namespace at::native::ocl {

void pointwise_expr(TensorIteratorBase& iter, const char* name, const std::string& float_expr,
                    const std::string& int_expr, std::vector<KernelScalar> scalars, const std::string& preamble_file,
                    std::optional<ScalarType> compute_opt) {
  ScalarType compute = compute_opt ? *compute_opt : compute_type(iter.common_dtype());
  std::string expr = isFloatingType(compute) ? float_expr : int_expr;
  TORCH_CHECK_NOT_IMPLEMENTED(!expr.empty(), "\"", name, "_ocl\" not implemented for '", toString(compute), "'");
  const std::string suffix = "_" + cl_type(compute) + "(";
  for (std::string::size_type pos; (pos = expr.find("_T(")) != std::string::npos;) expr.replace(pos, 3, suffix);
  pointwise(iter, {name, expr, compute, std::move(scalars), preamble_file});
}

}  // namespace at::native::ocl
