// Reduction generator and launcher (see Reduce.h).
#include "aten/native/Reduce.h"

#include <ATen/ops/empty.h>

#include <algorithm>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "runtime/device.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

// The value written for output dtype t: 0/1 for bool, converted to t's compute type.
std::string output_value(ScalarType t, const std::string& v) {
  if (t == kBool) return "(uchar)((" + v + ") != 0)";
  return "(" + cl_type(t) + ")(" + v + ")";
}

struct Layout {
  std::vector<int64_t> out_sizes, out_strides, out2_strides, in_out_strides;  // per output dim
  std::vector<int64_t> red_sizes, red_strides;  // per reduced dim (input strides)
  int64_t num_out = 1, red = 1;
};

// The accumulator's OpenCL type.
std::string acc_cl(const ReduceOp& op) { return op.acc_type.empty() ? cl_type(op.acc) : op.acc_type; }

// partial_out: the pass writes accumulators to a contiguous [num_out, slices] buffer instead
// of the outputs; partial_in: the input is such a buffer (no map).
std::string generate(const ReduceOp& op, ScalarType in, ScalarType out, ScalarType out2, int nouts, int nout,
                     int nred, bool partial_out, bool partial_in, int local) {
  using std::to_string;
  std::string acc = acc_cl(op), val = cl_type(op.acc);
  bool fp64 = in == kDouble || out == kDouble || op.acc == kDouble || (nouts == 2 && out2 == kDouble);
  std::string s;
  if (fp64) s += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  s += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  s += op.preamble + "\n";
  s += "#line 1 \"reduce:" + op.name + "\"\n";
  s += "#define MAP(x) (" + op.map + ")\n#define COMBINE(a, b) (" + op.combine + ")\n";
  s += "#define PROJECT(a) (" + op.project + ")\n";
  if (nouts == 2) s += "#define PROJECT2(a) (" + op.project2 + ")\n";
  s += "__kernel __attribute__((reqd_work_group_size(" + to_string(local) + ", 1, 1))) void red(";
  s += "__global " + (partial_out ? acc : cl_storage_type(out)) + "* po, ulong oo, ";
  if (nouts == 2 && !partial_out) s += "__global " + cl_storage_type(out2) + "* po2, ulong oo2, ";
  s += "__global const " + (partial_in ? acc : cl_storage_type(in)) +
       "* pi, ulong oi, ulong num_out, ulong red, ulong slices, ulong chunk, " + val + " s0";
  for (int d = 0; d < nout; ++d) {
    s += ", ulong zo" + to_string(d) + ", ulong so" + to_string(d) + ", ulong si" + to_string(d);
    if (nouts == 2) s += ", ulong st" + to_string(d);
  }
  for (int d = 0; d < nred; ++d) s += ", ulong zr" + to_string(d) + ", ulong sr" + to_string(d);
  s += ") {\n  __local " + acc + " scratch[" + to_string(local) + "];\n  const uint lid = get_local_id(0);\n";
  s += "  for (ulong g = get_group_id(0); g < num_out * slices; g += get_num_groups(0)) {\n";
  s += "    ulong o = g / slices, sl = g % slices, rem = o, off_out = 0, off_out2 = 0, off_in = 0, c;\n";
  for (int d = 0; d < nout; ++d) {
    s += "    c = rem % zo" + to_string(d) + "; rem /= zo" + to_string(d) + "; off_out += c * so" + to_string(d) +
         "; off_in += c * si" + to_string(d) + ";";
    if (nouts == 2) s += " off_out2 += c * st" + to_string(d) + ";";
    s += "\n";
  }
  s += "    ulong begin = sl * chunk, end = min(begin + chunk, red);\n";
  s += "    " + acc + " a = " + op.identity + ";\n";
  s += "    for (ulong r = begin + lid; r < end; r += " + to_string(local) + ") {\n      ulong rr = r, roff = 0;\n";
  for (int d = 0; d < nred; ++d)
    s += "      c = rr % zr" + to_string(d) + "; rr /= zr" + to_string(d) + "; roff += c * sr" + to_string(d) + ";\n";
  if (partial_in) {
    s += "      " + acc + " b = pi[oi + off_in + roff];\n";
  } else {
    s += "      " + val + " x = (" + val + ")(" + cl_load(in, "pi", "oi + off_in + roff") + ");\n";
    s += "      " + acc + " b = MAP(x);\n";
  }
  s += "      a = COMBINE(a, b);\n    }\n";
  s += "    scratch[lid] = a;\n    barrier(CLK_LOCAL_MEM_FENCE);\n";
  s += "    for (uint w = " + to_string(local / 2) + "; w > 0; w >>= 1) {\n";
  s += "      if (lid < w) { " + acc + " a = scratch[lid], b = scratch[lid + w]; scratch[lid] = COMBINE(a, b); }\n";
  s += "      barrier(CLK_LOCAL_MEM_FENCE);\n    }\n";
  s += "    if (lid == 0) {\n      " + acc + " a = scratch[0];\n";
  if (partial_out) {
    s += "      po[oo + g] = a;\n";
  } else {
    s += "      " + cl_store(out, "po", "oo + off_out", output_value(out, "PROJECT(a)")) + "\n";
    if (nouts == 2) s += "      " + cl_store(out2, "po2", "oo2 + off_out2", output_value(out2, "PROJECT2(a)")) + "\n";
  }
  s += "    }\n    barrier(CLK_LOCAL_MEM_FENCE);\n  }\n}\n";
  return s;
}

struct Buf {
  cl_mem mem = nullptr;
  size_t offset = 0;  // in elements
};

void launch(int device, const ReduceOp& op, ScalarType in, ScalarType out, ScalarType out2, int nouts,
            const Layout& L, bool partial_out, bool partial_in, int64_t slices, Buf po, Buf po2, Buf pi) {
  const auto& info = torch_ocl::runtime::device_info(device);
  int local = 1;
  while (local < 256 && local < L.red / std::max<int64_t>(slices, 1)) local <<= 1;
  local = std::max(local, 32);
  local = static_cast<int>(std::min<uint64_t>(local, info.max_work_group_size));
  int64_t chunk = (L.red + slices - 1) / slices;
  int nout = static_cast<int>(L.out_sizes.size()), nred = static_cast<int>(L.red_sizes.size());
  if (partial_out) nouts = 1;
  std::string name = "red_" + op.name + "_" + std::to_string(int(in)) + "_" + std::to_string(int(out)) + "_" +
                     (nouts == 2 ? std::to_string(int(out2)) + "_" : std::string()) + std::to_string(int(op.acc)) +
                     "_" + std::to_string(nout) + "_" + std::to_string(nred) + (partial_out ? "_p" : "_f") +
                     (partial_in ? "q" : "") + std::to_string(local) + "_" +
                     std::to_string(std::hash<std::string>{}(op.map + '\0' + op.combine + '\0' + op.identity + '\0' +
                                                             op.project + '\0' + op.project2 + '\0' + op.acc_type +
                                                             '\0' + op.preamble) &
                                    0xffffffu);
  KernelArgs args(device, name, "red", [&] {
    return generate(op, in, out, out2, nouts, nout, nred, partial_out, partial_in, local);
  });
  args.add_mem(po.mem).add<cl_ulong>(po.offset);
  if (nouts == 2) args.add_mem(po2.mem).add<cl_ulong>(po2.offset);
  args.add_mem(pi.mem).add<cl_ulong>(pi.offset);
  args.add<cl_ulong>(L.num_out).add<cl_ulong>(L.red).add<cl_ulong>(slices).add<cl_ulong>(chunk);
  args.add_scalar(op.acc, op.factor);
  for (int d = 0; d < nout; ++d) {
    args.add<cl_ulong>(L.out_sizes[d]).add<cl_ulong>(L.out_strides[d]).add<cl_ulong>(L.in_out_strides[d]);
    if (nouts == 2) args.add<cl_ulong>(L.out2_strides[d]);
  }
  for (int d = 0; d < nred; ++d) args.add<cl_ulong>(L.red_sizes[d]).add<cl_ulong>(L.red_strides[d]);
  uint64_t groups = std::min<uint64_t>(L.num_out * slices, uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4));
  args.launch(static_cast<size_t>(std::max<uint64_t>(groups, 1) * local), local);
}

Buf buf_of(const TensorIteratorBase& iter, int k) {
  auto b = torch_ocl::buffer_of_ptr(iter.tensor_base(k).storage().data_ptr(), iter.data_ptr(k));
  size_t es = c10::elementSize(iter.dtype(k));
  TORCH_INTERNAL_ASSERT(b.offset % es == 0, "[ocl::reduce] misaligned operand ", k);
  return {b.mem, b.offset / es};
}

}  // namespace

ScalarType reduce_acc_type(ScalarType t) {
  if (t == kHalf || t == kBFloat16 || t == kFloat) return kFloat;
  if (t == kDouble) return kDouble;
  return kLong;
}

void reduce(TensorIteratorBase& iter, const ReduceOp& op) {
  const int device = iter.device(0).index();
  for (int k = 0; k < iter.ntensors(); ++k) check_dtype_supported(iter.dtype(k), device);
  check_dtype_supported(op.acc, device);
  const int nouts = iter.noutputs();
  TORCH_CHECK((nouts == 1 || (nouts == 2 && !op.project2.empty())) && iter.ninputs() == 1,
              "[ocl::reduce] expected one or two outputs and one input");
  if (iter.numel() == 0 && iter.num_output_elements() == 0) return;
  const int input = nouts;
  ScalarType out = iter.dtype(0), out2 = nouts == 2 ? iter.dtype(1) : out, in = iter.dtype(input);
  size_t oes = c10::elementSize(out), o2es = c10::elementSize(out2), ies = c10::elementSize(in);
  Layout L;
  auto shape = iter.shape();
  auto os = iter.strides(0), is = iter.strides(input);
  for (int d = 0; d < iter.ndim(); ++d) {
    if (shape[d] == 1) continue;
    if (os[d] == 0) {
      L.red_sizes.push_back(shape[d]);
      L.red_strides.push_back(is[d] / static_cast<int64_t>(ies));
      L.red *= shape[d];
    } else {
      L.out_sizes.push_back(shape[d]);
      L.out_strides.push_back(os[d] / static_cast<int64_t>(oes));
      L.out2_strides.push_back(nouts == 2 ? iter.strides(1)[d] / static_cast<int64_t>(o2es) : 0);
      L.in_out_strides.push_back(is[d] / static_cast<int64_t>(ies));
      L.num_out *= shape[d];
    }
  }
  if (iter.numel() == 0) L.red = 0;  // empty reduction: every output gets project(identity)
  Buf ob = buf_of(iter, 0), ob2 = nouts == 2 ? buf_of(iter, 1) : ob;
  if (L.red == 0) {
    launch(device, op, in, out, out2, nouts, L, false, false, 1, ob, ob2, ob);
    return;
  }
  Buf ib = buf_of(iter, input);
  const auto& info = torch_ocl::runtime::device_info(device);
  // Few outputs and long reductions: split each reduction into slices (two passes).
  int64_t target = int64_t(info.compute_units) * (info.is_gpu ? 8 : 2);
  int64_t slices = 1;
  if (L.num_out < target && L.red >= 8192)
    slices = std::min<int64_t>((target + L.num_out - 1) / L.num_out, (L.red + 4095) / 4096);
  if (slices <= 1) {
    launch(device, op, in, out, out2, nouts, L, false, false, 1, ob, ob2, ib);
    return;
  }
  size_t pes = op.acc_type.empty() ? c10::elementSize(op.acc) : op.acc_size;
  TORCH_INTERNAL_ASSERT(pes > 0 && (pes & (pes - 1)) == 0, "[ocl::reduce] ", op.name, ": bad accumulator size");
  Tensor partial = at::empty({L.num_out * slices * static_cast<int64_t>(pes)}, iter.tensor_base(0).options().dtype(kByte));
  auto pb = torch_ocl::buffer_of(partial);
  TORCH_INTERNAL_ASSERT(pb.offset % pes == 0, "[ocl::reduce] misaligned partial buffer");
  Buf pbuf{pb.mem, pb.offset / pes};
  launch(device, op, in, op.acc, op.acc, 1, L, true, false, slices, pbuf, pbuf, ib);
  // Pass 2: the partials of output o sit at [o * slices, (o + 1) * slices).
  Layout P;
  P.out_sizes = L.out_sizes;
  P.out_strides = L.out_strides;
  P.out2_strides = L.out2_strides;
  int64_t step = slices;
  for (int64_t z : L.out_sizes) {
    P.in_out_strides.push_back(step);
    step *= z;
  }
  P.red_sizes = {slices};
  P.red_strides = {1};
  P.num_out = L.num_out;
  P.red = slices;
  launch(device, op, op.acc, out, out2, nouts, P, false, true, 1, ob, ob2, pbuf);
}

}  // namespace at::native::ocl
