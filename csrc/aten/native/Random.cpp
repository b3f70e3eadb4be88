// Random launchers: each launch takes (seed, offset) from the generator and advances the
// offset by one, so every (launch, element) pair gets its own Philox counter.
#include "aten/native/Random.h"

#include <ATen/TensorIterator.h>
#include <ATen/core/DistributionsHelper.h>
#include <ATen/native/DistributionTemplates.h>

#include <limits>
#include <mutex>

#include "aten/native/Pointwise.h"
#include "core/Generator.h"

namespace at::native::ocl {
namespace {

using torch_ocl::OclGeneratorImpl;

std::pair<uint64_t, uint64_t> next_philox(std::optional<Generator> gen, const TensorBase& self) {
  auto* g = get_generator_or_default<OclGeneratorImpl>(gen, torch_ocl::default_generator(self.device().index()));
  std::lock_guard<std::mutex> lock(g->mutex_);
  return g->philox_inputs(1);
}

ScalarType float_compute(ScalarType t) { return t == kDouble ? kDouble : kFloat; }

// Writes expr into self. In expr, RAND4 stands for the element's own Philox block (four
// words), RANDW for one random word and RANDN for one standard normal float, both drawn from
// blocks shared by four neighbouring elements (one Philox run per four elements).
void launch_random(const TensorBase& self, const std::string& name, const std::string& expr, ScalarType compute,
                   std::vector<KernelScalar> scalars, std::optional<Generator> gen, const Tensor* input = nullptr) {
  if (self.numel() == 0) return;
  auto [seed, offset] = next_philox(gen, self);
  TensorIteratorConfig config;
  config.add_output(self).resize_outputs(false).check_all_same_dtype(false);
  if (input) config.add_const_input(*input);
  auto iter = config.build();
  std::string so = "s" + std::to_string(scalars.size()), oo = "s" + std::to_string(scalars.size() + 1);
  scalars.push_back({kLong, static_cast<int64_t>(seed)});  // bit patterns of the uint64 values
  scalars.push_back({kLong, static_cast<int64_t>(offset)});
  std::string full = expr;
  const std::string args = "((ulong)" + so + ", (ulong)" + oo + ", i)";
  for (auto [key, fn] : {std::pair{"RAND4", "rand4"}, {"RANDW", "rand_word"}, {"RANDN", "rand_normal_word"}})
    for (std::string::size_type pos; (pos = full.find(key)) != std::string::npos;) full.replace(pos, 5, fn + args);
  pointwise(iter, {name, full, compute, std::move(scalars), "random.cl"});
}

// Integers in [base, base + range); range 0 means the whole 64-bit range.
void random_range(const TensorBase& self, int64_t base, uint64_t range, std::optional<Generator> gen) {
  ScalarType t = self.scalar_type();
  ScalarType c = isFloatingType(t) ? float_compute(t) : (t == kBool ? kBool : kLong);
  std::string r = range ? "(ulong)s0 + rand_u64(RAND4) % (ulong)s1" : "rand_u64(RAND4)";
  launch_random(self, range ? "random" : "random64", "(long)(" + r + ")", c,
                {{kLong, base}, {kLong, static_cast<int64_t>(range)}}, gen);
}

// Kernels in the shape ATen's DistributionTemplates call them.
template <typename RNG>
struct UniformKernel {
  void operator()(TensorIteratorBase& iter, double from, double to, std::optional<Generator> gen) {
    ScalarType c = float_compute(iter.dtype(0));
    std::string u = c == kDouble ? "rand_uniform_double(RAND4)" : "rand_uniform_float(RANDW)";
    launch_random(iter.tensor_base(0), "uniform", "s0 + (s1 - s0) * " + u, c, {{c, from}, {c, to}}, gen);
  }
};

template <typename RNG>
struct NormalKernel {
  void operator()(const TensorBase& self, double mean, double std, std::optional<Generator> gen) {
    ScalarType c = float_compute(self.scalar_type());
    std::string z = c == kDouble ? "rand_normal_double(RAND4)" : "RANDN";
    launch_random(self, "normal", "s0 + s1 * " + z, c, {{c, mean}, {c, std}}, gen);
  }
};

template <typename RNG>
struct RandomFromToKernel {
  void operator()(TensorIteratorBase& iter, uint64_t range, int64_t base, std::optional<Generator> gen) {
    random_range(iter.tensor_base(0), base, range, gen);
  }
  void operator()(TensorIteratorBase& iter, std::optional<Generator> gen) {
    random_range(iter.tensor_base(0), std::numeric_limits<int64_t>::lowest(), 0, gen);
  }
};

// random_() without bounds: [0, 2^mantissa] for floats, [0, max] for integers (as CUDA).
template <typename RNG>
struct RandomKernel {
  void operator()(TensorIteratorBase& iter, std::optional<Generator> gen) {
    ScalarType t = iter.dtype(0);
    uint64_t range = 0;
    switch (t) {
      case kDouble: range = (uint64_t(1) << 53) + 1; break;
      case kFloat: range = (uint64_t(1) << 24) + 1; break;
      case kHalf: range = (uint64_t(1) << 11) + 1; break;
      case kBFloat16: range = (uint64_t(1) << 8) + 1; break;
      case kBool: range = 2; break;
      case kByte: range = uint64_t(1) << 8; break;
      case kChar: range = uint64_t(1) << 7; break;
      case kShort: range = uint64_t(1) << 15; break;
      case kInt: range = uint64_t(1) << 31; break;
      case kLong: range = uint64_t(1) << 63; break;
      default: TORCH_CHECK_TYPE(false, "random_ is not implemented for ", t);
    }
    random_range(iter.tensor_base(0), 0, range, gen);
  }
};

template <typename RNG>
struct BernoulliKernel {
  void operator()(const TensorBase& self, double p, std::optional<Generator> gen) {
    launch_random(self, "bernoulli", "rand_uniform_float(RANDW) < s0 ? 1 : 0", float_compute(self.scalar_type()),
                  {{kFloat, p}}, gen);
  }
  void operator()(const TensorBase& self, const TensorBase& p, std::optional<Generator> gen) {
    TORCH_CHECK(p.device() == self.device(), "Expected all tensors to be on the same device, but found at least two "
                "devices, ", self.device(), " and ", p.device(), "!");
    Tensor pe = Tensor(p).expand(self.sizes());
    // a: the probability, in the probability's own float type
    launch_random(self, "bernoulli_t", "rand_uniform_float(RANDW) < (float)a ? 1 : 0",
                  float_compute(p.scalar_type()), {}, gen, &pe);
  }
};

}  // namespace

Tensor& uniform_(Tensor& self, double from, double to, std::optional<Generator> gen) {
  return templates::uniform_impl_<UniformKernel, OclGeneratorImpl>(self, from, to, gen);
}

Tensor& normal_(Tensor& self, double mean, double std, std::optional<Generator> gen) {
  return templates::normal_impl_<NormalKernel, OclGeneratorImpl>(self, mean, std, gen);
}

Tensor& random_(Tensor& self, std::optional<Generator> gen) {
  return templates::random_impl<RandomKernel, OclGeneratorImpl>(self, gen);
}

Tensor& random_(Tensor& self, int64_t to, std::optional<Generator> gen) {
  return templates::random_from_to_impl<RandomFromToKernel, OclGeneratorImpl>(self, 0, to, gen);
}

Tensor& random_(Tensor& self, int64_t from, std::optional<int64_t> to, std::optional<Generator> gen) {
  return templates::random_from_to_impl<RandomFromToKernel, OclGeneratorImpl>(self, from, to, gen);
}

Tensor& bernoulli_(Tensor& self, double p, std::optional<Generator> gen) {
  return templates::bernoulli_impl_<BernoulliKernel, OclGeneratorImpl>(self, p, gen);
}

Tensor& bernoulli_(Tensor& self, const Tensor& p, std::optional<Generator> gen) {
  return templates::bernoulli_impl_<BernoulliKernel, OclGeneratorImpl>(self, p, gen);
}

}  // namespace at::native::ocl
