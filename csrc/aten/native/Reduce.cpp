// Reduction generator and launcher (see Reduce.h).
#include "aten/native/Reduce.h"

#include <ATen/TensorIterator.h>
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

// Inputs a reduction reads (the map's x, y, z).
constexpr int kMaxInputs = 3;

struct Layout {
  std::vector<int64_t> out_sizes, out_strides, out2_strides;  // per output dim
  std::vector<int64_t> red_sizes;                              // per reduced dim
  int nin = 1;
  std::vector<int64_t> in_out_strides[kMaxInputs], red_strides[kMaxInputs];  // per input, per dim
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
// V > 1 (out_fast only): each item takes V neighbouring outputs, loading V input elements at
// once (lanes[k] 'v') or one for all of them (lanes[k] 'b': input k is broadcast along them);
// G then counts groups of V outputs.
struct Plan {
  bool out_fast = false;
  int G = 1, T = 1, V = 1;
  std::string lanes = {};
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
std::string generate(const ReduceOp& op, const std::vector<ScalarType>& ins, ScalarType out, ScalarType out2,
                     int nouts, int nout, int nred, bool partial_out, bool partial_in, const Plan& p) {
  static const char* const kVars[kMaxInputs] = {"x", "y", "z"};
  const int nin = static_cast<int>(ins.size());
  using std::to_string;
  const int local = p.G * p.T;
  std::string acc = acc_cl(op), val = cl_type(op.acc), I = p.idx64 ? "ulong" : "uint";
  bool fp64 = out == kDouble || op.acc == kDouble || (nouts == 2 && out2 == kDouble);
  for (ScalarType in : ins) fp64 |= in == kDouble;
  std::string s;
  if (fp64) s += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
  s += torch_ocl::runtime::kernel_source("common.cl") + "\n";
  s += op.preamble + "\n";
  s += "#line 1 \"reduce:" + op.name + "\"\n";
  s += "#define MAP(x) (" + op.map + ")\n#define COMBINE(a, b) (" + op.combine + ")\n";
  s += "#define PROJECT(a) (" + op.project + ")\n";
  s += "#define PUSH(a) (" + (op.push.empty() ? std::string("COMBINE(a, MAP(x))") : op.push) + ")\n";
  if (nouts == 2) s += "#define PROJECT2(a) (" + op.project2 + ")\n";
  s += "typedef " + I + " idx_t;\n#define RG_G " + to_string(p.G) + "\n#define RG_T " + to_string(p.T) + "\n";
  // One element of the reduction into accumulator A: r is its linear index over the reduced
  // dims (MAP may use it), roffK input K's offset.
  auto K = [](int k) { return to_string(k); };
  s += "#define STEP(A, RR) { idx_t r = (RR)";
  for (int k = 0; k < nin; ++k) s += ", roff" + K(k) + " = 0";
  s += ";";
  if (nred == 1) {
    for (int k = 0; k < nin; ++k) s += " roff" + K(k) + " = r * sr" + K(k) + "_0;";
  } else {
    s += " idx_t rr = r, c;";
    for (int d = 0; d < nred; ++d) {
      s += " c = rr % zr" + K(d) + "; rr /= zr" + K(d) + ";";
      for (int k = 0; k < nin; ++k) s += " roff" + K(k) + " += c * sr" + K(k) + "_" + K(d) + ";";
    }
  }
  const int V = p.V;
  if (partial_in) {
    s += " A = COMBINE(A, pi0[off_in0 + roff0]); }\n";
  } else if (V > 1) {
    // A is an array of V accumulators, one per output of the item
    for (int k = 0; k < nin; ++k) {
      const std::string at = "off_in" + K(k) + " + roff" + K(k);
      if (p.lanes[k] == 'b') {
        s += " const " + val + " " + kVars[k] + "b = (" + val + ")(" + cl_load(ins[k], "pi" + K(k), at) + ");";
      } else {
        const ScalarType t = ins[k];
        const std::string sv = (t == kHalf || t == kBFloat16 ? std::string("ushort") : cl_storage_type(t)) + K(V);
        s += " const " + sv + " " + kVars[k] + "v = *((__global const " + sv + "*)(pi" + K(k) + " + " + at + "));";
      }
    }
    for (int j = 0; j < V; ++j) {
      s += " {";
      for (int k = 0; k < nin; ++k) {
        std::string lane = std::string(kVars[k]) + "v.s" + K(j);
        if (ins[k] == kHalf) lane = "half_bits_to_float(" + lane + ")";
        if (ins[k] == kBFloat16) lane = "bf16_to_float(" + lane + ")";
        const std::string v = p.lanes[k] == 'b' ? std::string(kVars[k]) + "b" : "(" + val + ")(" + lane + ")";
        s += " " + val + " " + kVars[k] + " = " + v + ";";
      }
      s += " A[" + K(j) + "] = PUSH(A[" + K(j) + "]); }";
    }
    s += " }\n";
  } else {
    for (int k = 0; k < nin; ++k)
      s += " " + val + " " + kVars[k] + " = (" + val + ")(" +
           cl_load(ins[k], "pi" + K(k), "off_in" + K(k) + " + roff" + K(k)) + ");";
    s += " A = PUSH(A); }\n";
  }
  s += "__kernel __attribute__((reqd_work_group_size(" + to_string(local) + ", 1, 1))) void red(";
  s += "__global " + (partial_out ? acc : cl_storage_type(out)) + "* po, ulong oo, ";
  if (nouts == 2 && !partial_out) s += "__global " + cl_storage_type(out2) + "* po2, ulong oo2, ";
  for (int k = 0; k < nin; ++k)
    s += "__global const " + (partial_in ? acc : cl_storage_type(ins[k])) + "* pi" + K(k) + ", ulong oi" + K(k) + ", ";
  s += "idx_t num_out, idx_t red, ";
  s += "ulong out_blocks, ulong slices, idx_t chunk, idx_t ps_o, idx_t ps_s, " + val + " s0";
  for (int d = 0; d < nout; ++d) {
    s += ", idx_t zo" + K(d) + ", idx_t so" + K(d);
    for (int k = 0; k < nin; ++k) s += ", idx_t si" + K(k) + "_" + K(d);
    if (nouts == 2) s += ", idx_t st" + K(d);
  }
  for (int d = 0; d < nred; ++d) {
    s += ", idx_t zr" + K(d);
    for (int k = 0; k < nin; ++k) s += ", idx_t sr" + K(k) + "_" + K(d);
  }
  s += ") {\n  po += oo;";
  for (int k = 0; k < nin; ++k) s += " pi" + K(k) + " += oi" + K(k) + ";";
  s += "\n";
  if (nouts == 2 && !partial_out) s += "  po2 += oo2;\n";
  if (p.T > 1) s += "  __local " + acc + " scratch[" + to_string(local * V) + "];\n";
  s += "  const uint lid = get_local_id(0);\n";
  s += p.out_fast ? "  const uint lo = lid % RG_G, lr = lid / RG_G;\n" : "  const uint lo = lid / RG_T, lr = lid % RG_T;\n";
  s += "  for (ulong tile = get_group_id(0); tile < out_blocks * slices; tile += get_num_groups(0)) {\n";
  // o: the item's (first) output
  s += "    const idx_t o = ((idx_t)(tile / slices) * RG_G + lo) * " + K(V) + ", sl = (idx_t)(tile % slices);\n";
  s += "    const bool valid = o < num_out;\n";
  s += "    idx_t rem = valid ? o : 0, off_out = 0, off_out2 = 0, c";
  for (int k = 0; k < nin; ++k) s += ", off_in" + K(k) + " = 0";
  s += ";\n";
  for (int d = 0; d < nout; ++d) {
    s += "    c = rem % zo" + K(d) + "; rem /= zo" + K(d) + "; off_out += c * so" + K(d) + ";";
    for (int k = 0; k < nin; ++k) s += " off_in" + K(k) + " += c * si" + K(k) + "_" + K(d) + ";";
    if (nouts == 2) s += " off_out2 += c * st" + K(d) + ";";
    s += "\n";
  }
  s += "    const idx_t begin = sl * chunk, end = valid ? min(begin + chunk, red) : begin;\n";
  // Four independent accumulators (sets of V) keep four loads in flight per item.
  const std::string arr = V > 1 ? "[" + K(V) + "]" : "";
  s += "    " + acc + " a0" + arr + ", a1" + arr + ", a2" + arr + ", a3" + arr + ";\n";
  if (V > 1)
    s += "    for (int j = 0; j < " + K(V) + "; ++j) { a0[j] = " + op.identity +
         "; a1[j] = a0[j]; a2[j] = a0[j]; a3[j] = a0[j]; }\n";
  else
    s += "    a0 = " + op.identity + "; a1 = a0; a2 = a0; a3 = a0;\n";
  s += "    idx_t rb = begin + lr;\n";
  s += "    for (; rb + 3 * RG_T < end; rb += 4 * RG_T) { STEP(a0, rb) STEP(a1, rb + RG_T) "
       "STEP(a2, rb + 2 * RG_T) STEP(a3, rb + 3 * RG_T) }\n";
  s += "    for (; rb < end; rb += RG_T) STEP(a0, rb)\n";
  // lane j of the item (J: "[j]" for sets of V, "" for one accumulator)
  const std::string J = V > 1 ? "[j]" : "";
  s += "    for (int j = 0; j < " + K(V) + "; ++j) {\n";
  s += "      a0" + J + " = COMBINE(COMBINE(a0" + J + ", a1" + J + "), COMBINE(a2" + J + ", a3" + J + "));\n";
  if (p.T > 1) s += "      scratch[lid * " + K(V) + " + j] = a0" + J + ";\n";
  s += "    }\n";
  if (p.T > 1) {
    const std::string partner = p.out_fast ? "lid + w * RG_G" : "lid + w";
    s += "    barrier(CLK_LOCAL_MEM_FENCE);\n";
    s += "    for (uint w = RG_T / 2; w > 0; w >>= 1) {\n";
    s += "      if (lr < w) for (int j = 0; j < " + K(V) + "; ++j) { " + acc + " a = scratch[lid * " + K(V) +
         " + j], b = scratch[(" + partner + ") * " + K(V) + " + j]; scratch[lid * " + K(V) +
         " + j] = COMBINE(a, b); }\n";
    s += "      barrier(CLK_LOCAL_MEM_FENCE);\n    }\n";
    s += "    for (int j = 0; j < " + K(V) + "; ++j) a0" + J + " = scratch[lid * " + K(V) + " + j];\n";
    s += "    barrier(CLK_LOCAL_MEM_FENCE);\n";
  }
  s += "    if (lr == 0 && valid) for (int j = 0; j < " + K(V) + "; ++j) {\n      " + acc + " a = a0" + J + ";\n";
  if (partial_out) {
    s += "      po[(o + j) * ps_o + sl * ps_s] = a;\n";
  } else {
    const std::string step = V > 1 ? " + j * so0" : "", step2 = V > 1 ? " + j * st0" : "";
    s += "      " + cl_store(out, "po", "off_out" + step, output_value(out, "PROJECT(a)")) + "\n";
    if (nouts == 2) s += "      " + cl_store(out2, "po2", "off_out2" + step2, output_value(out2, "PROJECT2(a)")) + "\n";
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

// Whether the reduction's outputs run along the first input's contiguous dim (a column
// reduction: items take neighbouring outputs).
bool outputs_contiguous(const Layout& L) {
  bool red_contig = false;
  for (int64_t s : L.red_strides[0]) red_contig |= s == 1;
  return !red_contig && !L.in_out_strides[0].empty() && L.in_out_strides[0][0] == 1;
}

// Chooses G, T and the slicing for layout L with V outputs per item; `single_pass` forbids slicing.
Plan plan(int device, const Layout& L, bool single_pass, int V = 1, const std::string& lanes = {}) {
  const auto& info = torch_ocl::runtime::device_info(device);
  const int local = static_cast<int>(std::min<uint64_t>(256, pow2_floor(info.max_work_group_size)));
  const int64_t target = int64_t(info.compute_units) * (info.is_gpu ? 16 : 2);  // work-groups that fill it
  Plan p;
  p.out_fast = outputs_contiguous(L);
  p.V = V;
  p.lanes = lanes;
  const int64_t items = L.num_out / V;  // outputs or groups of V outputs
  if (p.out_fast) {
    // Outputs along the group first (coalesced loads); reduction items added while the groups
    // would not fill the device.
    p.G = static_cast<int>(std::min<int64_t>(local, pow2_floor(std::max<int64_t>(items * 2 - 1, 1))));
    p.T = local / p.G;
    while (p.G > 32 && (items + p.G - 1) / p.G < target && L.red / p.T >= 64) {
      p.G /= 2;
      p.T *= 2;
    }
  } else {
    // About 16 elements per item along the reduction, the rest of the group on more outputs.
    p.T = static_cast<int>(std::min<int64_t>(local, pow2_floor(std::max<int64_t>(L.red / 16, 1))));
    p.G = local / p.T;
  }
  p.out_blocks = (items + p.G - 1) / p.G;
  // slices of at least 32 elements per item (V outputs per element of the reduction)
  const int64_t per_item = std::max(32 / V, 1);
  if (!single_pass && p.out_blocks < target && L.red >= int64_t(p.T) * 2 * per_item)
    p.slices = std::min((target + p.out_blocks - 1) / p.out_blocks, (L.red + p.T * per_item - 1) / (p.T * per_item));
  p.chunk = std::max<int64_t>((L.red + p.slices - 1) / p.slices, 1);
  p.slices = std::max<int64_t>((L.red + p.chunk - 1) / p.chunk, 1);
  return p;
}

// ins/pi: the inputs' dtypes and buffers (L.nin of them).
void launch(int device, const ReduceOp& op, const std::vector<ScalarType>& ins, ScalarType out, ScalarType out2,
            int nouts, const Layout& L, const Plan& p, bool partial_out, bool partial_in, Buf po, Buf po2,
            const std::vector<Buf>& pi) {
  const auto& info = torch_ocl::runtime::device_info(device);
  const int nout = static_cast<int>(L.out_sizes.size()), nred = static_cast<int>(L.red_sizes.size());
  if (partial_out) nouts = 1;
  // Partial accumulators: slice-major when items run along outputs (coalesced stores and loads).
  const int64_t ps_o = p.out_fast ? 1 : p.slices, ps_s = p.out_fast ? L.num_out : 1;
  std::string in_types;
  for (ScalarType in : ins) in_types += std::to_string(int(in)) + "_";
  std::string name = "red_" + op.name + "_" + in_types + std::to_string(int(out)) + "_" +
                     (nouts == 2 ? std::to_string(int(out2)) + "_" : std::string()) + std::to_string(int(op.acc)) +
                     "_" + std::to_string(nout) + "_" + std::to_string(nred) + (partial_out ? "_p" : "_f") +
                     (partial_in ? "q" : "") + (p.out_fast ? "o" : "r") + std::to_string(p.G) + "x" +
                     (p.V > 1 ? "v" + std::to_string(p.V) + p.lanes + "x" : std::string()) +
                     std::to_string(p.T) + (p.idx64 ? "L" : "I") + "_" +
                     std::to_string(std::hash<std::string>{}(op.map + '\0' + op.combine + '\0' + op.identity + '\0' +
                                                             op.project + '\0' + op.project2 + '\0' + op.push +
                                                             '\0' + op.acc_type +
                                                             '\0' + op.preamble) &
                                    0xffffffu);
  KernelArgs args(device, name, "red", [&] {
    return generate(op, ins, out, out2, nouts, nout, nred, partial_out, partial_in, p);
  });
  args.add_mem(po.mem).add<cl_ulong>(po.offset);
  if (nouts == 2) args.add_mem(po2.mem).add<cl_ulong>(po2.offset);
  for (const Buf& b : pi) args.add_mem(b.mem).add<cl_ulong>(b.offset);
  args.add_index(L.num_out, p.idx64).add_index(L.red, p.idx64);
  args.add<cl_ulong>(p.out_blocks).add<cl_ulong>(p.slices).add_index(p.chunk, p.idx64);
  args.add_index(ps_o, p.idx64).add_index(ps_s, p.idx64);
  args.add_scalar(op.acc, op.factor);
  for (int d = 0; d < nout; ++d) {
    args.add_index(L.out_sizes[d], p.idx64).add_index(L.out_strides[d], p.idx64);
    for (int k = 0; k < L.nin; ++k) args.add_index(L.in_out_strides[k][d], p.idx64);
    if (nouts == 2) args.add_index(L.out2_strides[d], p.idx64);
  }
  for (int d = 0; d < nred; ++d) {
    args.add_index(L.red_sizes[d], p.idx64);
    for (int k = 0; k < L.nin; ++k) args.add_index(L.red_strides[k][d], p.idx64);
  }
  const uint64_t tiles = uint64_t(p.out_blocks) * p.slices;
  const uint64_t groups = std::min<uint64_t>(tiles, uint64_t(info.compute_units) * (info.is_gpu ? 32 : 4));
  const int local = p.G * p.T;
  args.launch(static_cast<size_t>(std::max<uint64_t>(groups, 1) * local), local);
}

// Outputs per item of a column reduction (Plan::V).
constexpr int kReduceVec = 4;

// Plan::lanes where kReduceVec outputs per item can go through vector loads: a column reduction
// whose first output dim is a multiple of kReduceVec long, each input contiguous along it (every
// other stride and its offset kReduceVec-aligned) or broadcast along it; "" otherwise.
std::string vector_lanes(const Layout& L, const std::vector<Buf>& bufs) {
  if (!outputs_contiguous(L) || L.red == 0 || L.out_sizes[0] % kReduceVec != 0) return "";
  std::string lanes;
  for (int k = 0; k < L.nin; ++k) {
    if (L.in_out_strides[k][0] == 0) {
      lanes += 'b';
      continue;
    }
    if (L.in_out_strides[k][0] != 1 || bufs[k].offset % kReduceVec != 0) return "";
    for (size_t d = 1; d < L.in_out_strides[k].size(); ++d)
      if (L.in_out_strides[k][d] % kReduceVec != 0) return "";
    for (int64_t s : L.red_strides[k])
      if (s % kReduceVec != 0) return "";
    lanes += 'v';
  }
  return lanes;
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
  const int nouts = iter.noutputs(), nin = iter.ninputs();
  TORCH_CHECK((nouts == 1 || (nouts == 2 && !op.project2.empty())) && nin >= 1 && nin <= kMaxInputs,
              "[ocl::reduce] expected one or two outputs and one to ", kMaxInputs, " inputs");
  if (iter.numel() == 0 && iter.num_output_elements() == 0) return;
  ScalarType out = iter.dtype(0), out2 = nouts == 2 ? iter.dtype(1) : out;
  std::vector<ScalarType> ins;
  for (int k = 0; k < nin; ++k) ins.push_back(iter.dtype(nouts + k));
  const int64_t oes = c10::elementSize(out), o2es = c10::elementSize(out2);
  Layout L;
  L.nin = nin;
  auto shape = iter.shape();
  auto os = iter.strides(0);
  // input k's stride of dim d, in elements
  auto in_stride = [&](int k, int d) {
    return iter.strides(nouts + k)[d] / static_cast<int64_t>(c10::elementSize(ins[k]));
  };
  for (int d = 0; d < iter.ndim(); ++d) {
    if (shape[d] == 1) continue;
    const bool reduced = os[d] == 0;
    for (int k = 0; k < nin; ++k) (reduced ? L.red_strides : L.in_out_strides)[k].push_back(in_stride(k, d));
    if (reduced) {
      L.red_sizes.push_back(shape[d]);
      L.red *= shape[d];
    } else {
      L.out_sizes.push_back(shape[d]);
      L.out_strides.push_back(os[d] / oes);
      L.out2_strides.push_back(nouts == 2 ? iter.strides(1)[d] / o2es : 0);
      L.num_out *= shape[d];
    }
  }
  if (iter.numel() == 0) L.red = 0;  // empty reduction: every output gets project(identity)
  Buf ob = buf_of(iter, 0), ob2 = nouts == 2 ? buf_of(iter, 1) : ob;
  std::vector<Buf> ib;
  for (int k = 0; k < nin; ++k) ib.push_back(L.red == 0 ? ob : buf_of(iter, nouts + k));
  const size_t pes = op.acc_type.empty() ? c10::elementSize(op.acc) : op.acc_size;
  // (large compound accumulators, Welford's, stay one output per item: registers)
  std::string lanes = pes <= 8 ? vector_lanes(L, ib) : std::string();
  Plan p = plan(device, L, L.red == 0, lanes.empty() ? 1 : kReduceVec, lanes);
  int64_t reach = 0;
  for (int k = 0; k < nin; ++k)
    reach = std::max(reach, extent(L.out_sizes, L.in_out_strides[k]) + extent(L.red_sizes, L.red_strides[k]));
  p.idx64 = std::max({reach, extent(L.out_sizes, L.out_strides), nouts == 2 ? extent(L.out_sizes, L.out2_strides) : 0,
                      L.num_out * p.slices, 2 * L.red + 4 * int64_t(p.T)}) >= (int64_t(1) << 31);
  if (p.slices == 1) {
    launch(device, op, ins, out, out2, nouts, L, p, false, false, ob, ob2, ib);
    return;
  }
  TORCH_INTERNAL_ASSERT(pes > 0 && (pes & (pes - 1)) == 0, "[ocl::reduce] ", op.name, ": bad accumulator size");
  Tensor partial = at::empty({L.num_out * p.slices * static_cast<int64_t>(pes)}, iter.tensor_base(0).options().dtype(kByte));
  auto pb = torch_ocl::buffer_of(partial);
  TORCH_INTERNAL_ASSERT(pb.offset % pes == 0, "[ocl::reduce] misaligned partial buffer");
  Buf pbuf{pb.mem, pb.offset / pes};
  launch(device, op, ins, op.acc, op.acc, 1, L, p, true, false, pbuf, pbuf, ib);
  // Pass 2 reduces each output's `slices` partials, laid out as pass 1 wrote them.
  Layout P;
  P.out_sizes = L.out_sizes;
  P.out_strides = L.out_strides;
  P.out2_strides = L.out2_strides;
  int64_t step = p.out_fast ? 1 : p.slices;
  for (int64_t z : L.out_sizes) {
    P.in_out_strides[0].push_back(step);
    step *= z;
  }
  P.red_sizes = {p.slices};
  P.red_strides[0] = {p.out_fast ? L.num_out : 1};
  P.num_out = L.num_out;
  P.red = p.slices;
  Plan p2 = plan(device, P, true);
  p2.idx64 = p.idx64;
  launch(device, op, {op.acc}, out, out2, nouts, P, p2, false, true, ob, ob2, {pbuf});
}

void sum_pair(const Tensor& out_a, const Tensor& out_b, std::initializer_list<Tensor> inputs, const std::string& name,
              const std::string& pair) {
  TensorIteratorConfig config;
  config.set_check_mem_overlap(false)
      .check_all_same_dtype(false)
      .add_output(out_a)
      .add_output(out_b)
      .resize_outputs(false)
      .is_reduction(true)
      .promote_inputs_to_common_dtype(false);
  for (const Tensor& t : inputs) config.add_const_input(t);
  auto iter = config.build();
  const ScalarType acc = out_a.scalar_type();
  const std::string acc2 = cl_type(acc) + "2";
  ReduceOp op{name, "(" + acc2 + ")(" + pair + ")", "a + b", "(" + acc2 + ")(0)", "a.x", acc};
  op.acc_type = acc2;
  op.acc_size = 2 * c10::elementSize(acc);
  op.project2 = "a.y";
  reduce(iter, op);
}

}  // namespace at::native::ocl
