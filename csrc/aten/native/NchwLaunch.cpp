// Launches over strided (n, c, d, h, w) tensors (see NchwLaunch.h).
#include "aten/native/NchwLaunch.h"

#include <algorithm>
#include <array>
#include <limits>

#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "runtime/device.h"
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

// Channels per element number (nchw.cl's CVEC): the most of 8, 4, 2 dividing walk's channels,
// where its elements are numbered channel innermost, that still leaves enough work items to fill
// the device (a global average pool's few outputs over large windows keep one channel each).
int channel_group(const Tensor* walk, int spatial, bool groups) {
  if (!groups || !channels_inner(walk)) return 1;
  const auto& info = torch_ocl::runtime::device_info(walk->device().index());
  const int64_t c = walk->size(walk->dim() - spatial - 1);
  const int64_t enough = int64_t(std::max<uint32_t>(info.compute_units, 1)) * (info.is_gpu ? 512 : 16);
  for (int v : {8, 4, 2})
    if (c % v == 0 && walk->numel() / v >= enough) return v;
  return 1;
}

// The program key's and source's layout part: channel-inner numbering and CVEC.
std::string layout_suffix(const Tensor* walk, int cvec) {
  if (!channels_inner(walk)) return "";
  return cvec > 1 ? "_ci" + std::to_string(cvec) : "_ci";
}

std::string layout_defines(const Tensor* walk, int cvec) {
  if (!channels_inner(walk)) return "";
  return "#define CHANNELS_INNER 1\n#define CVEC " + std::to_string(cvec) + "\n";
}

}  // namespace

NchwLaunch::NchwLaunch(const std::string& file, const char* kernel, const Tensor& ref,
                       std::initializer_list<const Tensor*> all, int spatial, const Tensor* walk,
                       bool channel_groups)
    : spatial_(spatial),
      idx64_(needs_idx64(all)),
      cvec_(channel_group(walk, spatial, channel_groups)),
      args_(ref.device().index(),
            file.substr(0, file.find('.')) + "_" + typed_suffix(ref.scalar_type(), idx64_) +
                layout_suffix(walk, cvec_),
            kernel, [&] {
              return layout_defines(walk, cvec_) + typed_source(ref.scalar_type(), idx64_, "nchw.cl") + "\n" +
                     torch_ocl::runtime::kernel_source(file);
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
  total /= cvec_;
  args_.add_index(total, idx64_);
  args_.launch_1d(static_cast<uint64_t>(total));
}

}  // namespace at::native::ocl
