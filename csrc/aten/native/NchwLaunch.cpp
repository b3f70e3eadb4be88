// Launches over strided (n, c, h, w) tensors (see NchwLaunch.h).
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

template <typename I>
std::array<I, 4> strides4(const Tensor& t) {
  if (t.dim() == 3) return {0, I(t.stride(0)), I(t.stride(1)), I(t.stride(2))};
  return {I(t.stride(0)), I(t.stride(1)), I(t.stride(2)), I(t.stride(3))};
}

}  // namespace

NchwLaunch::NchwLaunch(const std::string& file, const char* kernel, const Tensor& ref,
                       std::initializer_list<const Tensor*> all)
    : idx64_(needs_idx64(all)),
      args_(ref.device().index(), file.substr(0, file.find('.')) + "_" + typed_suffix(ref.scalar_type(), idx64_),
            kernel, [&] {
              return typed_source(ref.scalar_type(), idx64_, "nchw.cl") + "\n" +
                     torch_ocl::runtime::kernel_source(file);
            }) {}

NchwLaunch& NchwLaunch::tensor(const Tensor& t) {
  auto b = torch_ocl::buffer_of(t);
  size_t es = t.element_size();
  TORCH_INTERNAL_ASSERT(b.offset % es == 0, "[ocl::nchw] misaligned tensor");
  args_.add_mem(b.mem).add<cl_ulong>(b.offset / es);
  if (idx64_)
    args_.add(strides4<cl_ulong>(t));
  else
    args_.add(strides4<cl_uint>(t));
  return *this;
}

void NchwLaunch::run(int64_t total) {
  args_.add_index(total, idx64_);
  args_.launch_1d(static_cast<uint64_t>(total));
}

}  // namespace at::native::ocl
