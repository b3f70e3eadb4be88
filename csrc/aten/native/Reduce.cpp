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

// How one pass spreads over the device. A work-group of G * T items reduces G outputs, T items
// per output. `out_fast`: the outputs are the input's contiguous dim (a column reduction), so
// neighbouring items take neighbouring outputs (lid = lr * G + lo) and loads coalesce across
// outputs; otherwise neighbouring items share one output's reduction (lid = lo * T + lr) and
// coalesce along it. Each reduction can be cut into `slices` of `chunk` elements whose
// accumulators a second pass combines.
struct Plan {
  bool out_fast = false;
  int G = 1, T = 1;
  int64_t out_blocks = 1, slices = 1, chunk = 0;
  bool idx64 = false;
};

int64_t pow2_floor(int64_t v) {
  int64_t p = 1;
  while (p * 2 <= v) p *= 2;
  return p;
}

// partial_out: the pass writes accumulators to a [num_out, slices] buffer (strides ps_o, ps_s)
// instead of the outputs; partial_in: the input is such a buffer (no map).
std::string generate(const ReduceOp& op, ScalarType in, ScalarType out, ScalarType out2, int nouts, int nout,
                     int nred, bool partial_out, bool partial_in, const Plan& p) {
  using std::to_string;
  const int local = p.G * p.T;
  std::string acc = acc_cl(op), val = cl_type(op.acc), I = p.idx64 ? "ulong" : "uint";
  bool fp64 = in == kDouble || out == kDouble || op.acc == kDouble || (nouts == 2 && out2 == kDouble);
  std::string s;
  if (fp64) s += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  s += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  s += op.preamble + "\n";
  s += "#line 1 \"reduce:" + op.name + "\"\n";
  s += "#define MAP(x) (" + op.map + ")\n#define COMBINE(a, b) (" + op.combine + ")\n";
  s += "#define PROJECT(a) (" + op.project + ")\n";
  if (nouts == 2) s += "#define PROJECT2(a) (" + op.project2 + ")\n";
  s += "typedef " + I + " idx_t;\n#define RG_G " + to_string(p.G) + "\n#define RG_T " + to_string(p.T) + "\n";
  // One element of the reduction into accumulator A: r is its linear index over the reduced
  // dims (MAP may use it), roff its input offset.
  s += "#define STEP(A, RR) { idx_t r = (RR), roff = 0;";
  if (nred == 1) {
    s += " roff = r * sr0;";
  } else {
    s += " idx_t rr = r, c;";
    for (int d = 0; d < nred; ++d)
      s += " c = rr % zr" + to_string(d) + "; rr /= zr" + to_string(d) + "; roff += c * sr" + to_string(d) + ";";
  }
  if (partial_in)
    s += " A = COMBINE(A, pi[off_in + roff]); }\n";
  else
    s += " " + val + " x = (" + val + ")(" + cl_load(in, "pi", "off_in + roff") + "); A = COMBINE(A, MAP(x)); }\n";
  s += "__kernel __attribute__((reqd_work_group_size(" + to_string(local) + ", 1, 1))) void red(";
  s += "__global " + (partial_out ? acc : cl_storage_type(out)) + "* po, ulong oo, ";
  if (nouts == 2 && !partial_out) s += "__global " + cl_storage_type(out2) + "* po2, ulong oo2, ";
  s += "__global const " + (partial_in ? acc : cl_storage_type(in)) + "* pi, ulong oi, idx_t num_out, idx_t red, ";
  s += "ulong out_blocks, ulong slices, idx_t chunk, idx_t ps_o, idx_t ps_s, " + val + " s0";
  for (int d = 0; d < nout; ++d) {
    s += ", idx_t zo" + to_string(d) + ", idx_t so" + to_string(d) + ", idx_t si" + to_string(d);
    if (nouts == 2) s += ", idx_t st" + to_string(d);
  }
  for (int d = 0; d < nred; ++d) s += ", idx_t zr" + to_string(d) + ", idx_t sr" + to_string(d);
  s += ") {\n  po += oo; pi += oi;\n";
  if (nouts == 2 && !partial_out) s += "  po2 += oo2;\n";
  if (p.T > 1) s += "  __local " + acc + " scratch[" + to_string(local) + "];\n";
  s += "  const uint lid = get_local_id(0);\n";
  s += p.out_fast ? "  const uint lo = lid % RG_G, lr = lid / RG_G;\n" : "  const uint lo = lid / RG_T, lr = lid % RG_T;\n";
  s += "  for (ulong tile = get_group_id(0); tile < out_blocks * slices; tile += get_num_groups(0)) {\n";
  s += "    const idx_t o = (idx_t)(tile / slices) * RG_G + lo, sl = (idx_t)(tile % slices);\n";
  s += "    const bool valid = o < num_out;\n";
  s += "    idx_t rem = valid ? o : 0, off_out = 0, off_out2 = 0, off_in = 0, c;\n";
  for (int d = 0; d < nout; ++d) {
    s += "    c = rem % zo" + to_string(d) + "; rem /= zo" + to_string(d) + "; off_out += c * so" + to_string(d) +
         "; off_in += c * si" + to_string(d) + ";";
    if (nouts == 2) s += " off_out2 += c * st" + to_string(d) + ";";
    s += "\n";
  }
  s += "    const idx_t begin = sl * chunk, end = valid ? min(begin + chunk, red) : begin;\n";
  s += "    " + acc + " a0 = " + op.identity + ", a1 = a0, a2 = a0, a3 = a0;\n";
  s += "    idx_t rb = begin + lr;\n";
  // Four independent accumulators keep four loads in flight per item.
  s += "    for (; rb + 3 * RG_T < end; rb += 4 * RG_T) { STEP(a0, rb) STEP(a1, rb + RG_T) "
       "STEP(a2, rb + 2 * RG_T) STEP(a3, rb + 3 * RG_T) }\n";
  s += "    for (; rb < end; rb += RG_T) STEP(a0, rb)\n";
  s += "    a0 = COMBINE(COMBINE(a0, a1), COMBINE(a2, a3));\n";
  if (p.T > 1) {
    const std::string partner = p.out_fast ? "lid + w * RG_G" : "lid + w";
    s += "    scratch[lid] = a0;\n    barrier(CLK_LOCAL_MEM_FENCE);\n";
    s += "    for (uint w = RG_T / 2; w > 0; w >>= 1) {\n";
    s += "      if (lr < w) { " + acc + " a = scratch[lid], b = scratch[" + partner +
         "]; scratch[lid] = COMBINE(a, b); }\n";
    s += "      barrier(CLK_LOCAL_MEM_FENCE);\n    }\n";
    s += "    a0 = scratch[lid];\n    barrier(CLK_LOCAL_MEM_FENCE);\n";
  }
  s += "    if (lr == 0 && valid) {\n      " + acc + " a = a0;\n";
  if (partial_out) {
    s += "      po[o * ps_o + sl * ps_s] = a;\n";
  } else {
    s += "      " + cl_store(out, "po", "off_out", output_value(out, "PROJECT(a)")) + "\n";
    if (nouts == 2) s += "      " + cl_store(out2, "po2", "off_out2", output_value(out2, "PROJECT2(a)")) + "\n";
  }
  s += "    }\n  }\n}\n";
  return s;
}

struct Buf {
  cl_mem mem = nullptr;
  size_t offset = 0;  // in elements
};

// The largest element offset `sizes`/`strides` reach.
int64_t extent(const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides) {
  int64_t e = 0;
  for (size_t d = 0; d < sizes.size(); ++d) e += (sizes[d] - 1) * strides[d];
  return e;
}

// Chooses G, T and the slicing for layout L; `single_pass` forbids slicing.
Plan plan(int device, const Layout& L, bool single_pass) {
  const auto& info = torch_ocl::runtime::device_info(device);
  const int local = static_cast<int>(std::min<uint64_t>(256, pow2_floor(info.max_work_group_size)));
  const int64_t target = int64_t(info.compute_units) * (info.is_gpu ? 16 : 2);  // work-groups that fill it
  Plan p;
  bool red_contig = false;
  for (int64_t s : L.red_strides) red_contig |= s == 1;
  p.out_fast = !red_contig && !L.in_out_strides.empty() && L.in_out_strides[0] == 1;
  if (p.out_fast) {
    // Outputs along the group first (coalesced loads); reduction items added while the groups
    // would not fill the device.
    p.G = static_cast<int>(std::min<int64_t>(local, pow2_floor(std::max<int64_t>(L.num_out * 2 - 1, 1))));
    p.T = local / p.G;
    while (p.G > 32 && (L.num_out + p.G - 1) / p.G < target && L.red / p.T >= 64) {
      p.G /= 2;
      p.T *= 2;
    }
  } else {
    // About 16 elements per item along the reduction, the rest of the group on more outputs.
    p.T = static_cast<int>(std::min<int64_t>(local, pow2_floor(std::max<int64_t>(L.red / 16, 1))));
    p.G = local / p.T;
  }
  p.out_blocks = (L.num_out + p.G - 1) / p.G;
  if (!single_pass && p.out_blocks < target && L.red >= int64_t(p.T) * 64)
    p.slices = std::min((target + p.out_blocks - 1) / p.out_blocks, (L.red + p.T * 32 - 1) / (p.T * 32));
  p.chunk = std::max<int64_t>((L.red + p.slices - 1) / p.slices, 1);
  p.slices = std::max<int64_t>((L.red + p.chunk - 1) / p.chunk, 1);
  return p;
}

void launch(int device, const ReduceOp& op, ScalarType in, ScalarType out, ScalarType out2, int nouts,
            const Layout& L, const Plan& p, bool partial_out, bool partial_in, Buf po, Buf po2, Buf pi) {
  const auto& info = torch_ocl::runtime::device_info(device);
  const int nout = static_cast<int>(L.out_sizes.size()), nred = static_cast<int>(L.red_sizes.size());
  if (partial_out) nouts = 1;
  // Partial accumulators: slice-major when items run along outputs (coalesced stores and loads).
  const int64_t ps_o = p.out_fast ? 1 : p.slices, ps_s = p.out_fast ? L.num_out : 1;
  std::string name = "red_" + op.name + "_" + std::to_string(int(in)) + "_" + std::to_string(int(out)) + "_" +
                     (nouts == 2 ? std::to_string(int(out2)) + "_" : std::string()) + std::to_string(int(op.acc)) +
                     "_" + std::to_string(nout) + "_" + std::to_string(nred) + (partial_out ? "_p" : "_f") +
                     (partial_in ? "q" : "") + (p.out_fast ? "o" : "r") + std::to_string(p.G) + "x" +
                     std::to_string(p.T) + (p.idx64 ? "L" : "I") + "_" +
                     std::to_string(std::hash<std::string>{}(op.map + '\0' + op.combine + '\0' + op.identity + '\0' +
                                                             op.project + '\0' + op.project2 + '\0' + op.acc_type +
                                                             '\0' + op.preamble) &
                                    0xffffffu);
  KernelArgs args(device, name, "red", [&] {
    return generate(op, in, out, out2, nouts, nout, nred, partial_out, partial_in, p);
  });
  args.add_mem(po.mem).add<cl_ulong>(po.offset);
  if (nouts == 2) args.add_mem(po2.mem).add<cl_ulong>(po2.offset);
  args.add_mem(pi.mem).add<cl_ulong>(pi.offset);
  args.add_index(L.num_out, p.idx64).add_index(L.red, p.idx64);
  args.add<cl_ulong>(p.out_blocks).add<cl_ulong>(p.slices).add_index(p.chunk, p.idx64);
  args.add_index(ps_o, p.idx64).add_index(ps_s, p.idx64);
  args.add_scalar(op.acc, op.factor);
  for (int d = 0; d < nout; ++d) {
    args.add_index(L.out_sizes[d], p.idx64).add_index(L.out_strides[d], p.idx64);
    args.add_index(L.in_out_strides[d], p.idx64);
    if (nouts == 2) args.add_index(L.out2_strides[d], p.idx64);
  }
  for (int d = 0; d < nred; ++d) args.add_index(L.red_sizes[d], p.idx64).add_index(L.red_strides[d], p.idx64);
  const uint64_t tiles = uint64_t(p.out_blocks) * p.slices;
  const uint64_t groups = std::min<uint64_t>(tiles, uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4));
  const int local = p.G * p.T;
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
  Buf ib = L.red == 0 ? ob : buf_of(iter, input);
  Plan p = plan(device, L, L.red == 0);
  size_t pes = op.acc_type.empty() ? c10::elementSize(op.acc) : op.acc_size;
  p.idx64 = std::max({extent(L.out_sizes, L.in_out_strides) + extent(L.red_sizes, L.red_strides),
                      extent(L.out_sizes, L.out_strides), nouts == 2 ? extent(L.out_sizes, L.out2_strides) : 0,
                      L.num_out * p.slices, 2 * L.red + 4 * int64_t(p.T)}) >= (int64_t(1) << 31);
  if (p.slices == 1) {
    launch(device, op, in, out, out2, nouts, L, p, false, false, ob, ob2, ib);
    return;
  }
  TORCH_INTERNAL_ASSERT(pes > 0 && (pes & (pes - 1)) == 0, "[ocl::reduce] ", op.name, ": bad accumulator size");
  Tensor partial = at::empty({L.num_out * p.slices * static_cast<int64_t>(pes)}, iter.tensor_base(0).options().dtype(kByte));
  auto pb = torch_ocl::buffer_of(partial);
  TORCH_INTERNAL_ASSERT(pb.offset % pes == 0, "[ocl::reduce] misaligned partial buffer");
  Buf pbuf{pb.mem, pb.offset / pes};
  launch(device, op, in, op.acc, op.acc, 1, L, p, true, false, pbuf, pbuf, ib);
  // Pass 2 reduces each output's `slices` partials, laid out as pass 1 wrote them.
  Layout P;
  P.out_sizes = L.out_sizes;
  P.out_strides = L.out_strides;
  P.out2_strides = L.out2_strides;
  int64_t step = p.out_fast ? 1 : p.slices;
  for (int64_t z : L.out_sizes) {
    P.in_out_strides.push_back(step);
    step *= z;
  }
  P.red_sizes = {p.slices};
  P.red_strides = {p.out_fast ? L.num_out : 1};
  P.num_out = L.num_out;
  P.red = p.slices;
  Plan p2 = plan(device, P, true);
  p2.idx64 = p.idx64;
  launch(device, op, op.acc, out, out2, nouts, P, p2, false, true, ob, ob2, pbuf);
}

}  // namespace at::native::ocl
