// Launches over strided (n, c, d, h, w) tensors (see NchwLaunch.h).
#include "aten/native/NchwLaunch.h"

#include <array>
#include <limits>

#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/program_cache.h"

namespace at::native::ocl {
namespace {

// Largest element offset + 1 a tensor's view reaches.
int64_t span(const Tensor& t) {
  int64_t s = 1;
  for (int64_t d = 0; d < t.dim(); ++d) s += (t.size(d) - 1) * t.stride(d);
  return s;
}

bool needs_idx64(std::initializer_list<const Tensor*> ts) {
  constexpr int64_t lim = std::numeric_limits<int32_t>::max();
  for (const Tensor* t : ts)
    if (t->numel() > lim || span(*t) > lim) return true;
  return false;
}

// (n, c, d, h, w) strides of a ([N,] C, spatial...) tensor; missing dimensions have size 1,
// so their stride is never used (0).
template <typename I>
std::array<I, 5> strides5(const Tensor& t, int spatial) {
  std::array<I, 5> s{};
  int64_t lead = t.dim() - spatial;
  TORCH_INTERNAL_ASSERT(lead == 1 || lead == 2, "[ocl::nchw] unexpected rank ", t.dim());
  if (lead == 2) s[0] = I(t.stride(0));
  s[1] = I(t.stride(lead - 1));
  for (int i = 0; i < spatial; ++i) s[5 - spatial + i] = I(t.stride(lead + i));
  return s;
}

bool channels_inner(const Tensor* walk) {
  if (walk == nullptr || walk->dim() < 4) return false;
  const auto f = walk->suggest_memory_format();
  return (f == MemoryFormat::ChannelsLast || f == MemoryFormat::ChannelsLast3d) && walk->is_contiguous(f);
}

}  // namespace

NchwLaunch::NchwLaunch(const std::string& file, const char* kernel, const Tensor& ref,
                       std::initializer_list<const Tensor*> all, int spatial, const Tensor* walk)
    : spatial_(spatial),
      idx64_(needs_idx64(all)),
      args_(ref.device().index(),
            file.substr(0, file.find('.')) + "_" + typed_suffix(ref.scalar_type(), idx64_) +
                (channels_inner(walk) ? "_ci" : ""),
            kernel, [&] {
              return std::string(channels_inner(walk) ? "#define CHANNELS_INNER 1\n" : "") +
                     typed_source(ref.scalar_type(), idx64_, "nchw.cl") + "\n" + torch_ocl::runtime::kernel_source(file);
            }) {}

NchwLaunch& NchwLaunch::tensor(const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  size_t es = t.element_size();
  TORCH_INTERNAL_ASSERT(b.offset % es == 0, "[ocl::nchw] misaligned tensor");
  args_.add_mem(b.mem).add<cl_ulong>(b.offset / es);
  if (idx64_)
    args_.add(strides5<cl_ulong>(t, spatial_));
  else
    args_.add(strides5<cl_uint>(t, spatial_));
  return *this;
}

void NchwLaunch::run(int64_t total) {
  args_.add_index(total, idx64_);
  args_.launch_1d(static_cast<uint64_t>(total));
}

}  // namespace at::native::ocl
