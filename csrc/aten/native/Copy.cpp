// Copy launchers: host<->device transfers (pinned ones asynchronous), device casts and
// strided copies through the pointwise generator, cross-device copies.
#include "aten/native/Copy.h"

#include <ATen/TensorIterator.h>

#include <algorithm>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include "aten/native/Launch.h"
#include "aten/native/Pointwise.h"
#include "aten/native/TypedSource.h"
#include "core/Allocator.h"
#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/host_allocator.h"
#include "runtime/program_cache.h"
#include "runtime/stream.h"

namespace at::native::ocl {
namespace rt = torch_ocl::runtime;
namespace {

bool is_ocl(const Tensor& t) { return t.device().type() == c10::DeviceType::PrivateUse1; }

// Host <-> device transfer of a contiguous tensor's bytes.
void transfer(const Tensor& device_t, void* host, size_t bytes, bool to_device, bool non_blocking) {
  if (bytes == 0) return;
  auto buf = torch_ocl::buffer_of(device_t);
  bool async = non_blocking && rt::is_pinned(host);
  torch_ocl::translate_errors([&] {
    cl_event ev = nullptr;
    {
      // Enqueued without blocking either way: a blocking call would hold the stream's lock while it waits.
      auto e = torch_ocl::enqueue_current(device_t.device().index());
      if (to_device)
        OCL_CHECK(clEnqueueWriteBuffer(e.queue(), buf.mem, CL_FALSE, buf.offset, bytes, host, 0, nullptr, &ev));
      else
        OCL_CHECK(clEnqueueReadBuffer(e.queue(), buf.mem, CL_FALSE, buf.offset, bytes, host, 0, nullptr, &ev));
      e.keep(ev);
      OCL_CHECK(clFlush(e.queue()));
    }
    rt::EventRef hold(ev);
    if (async)
      rt::host_record_event(host, ev);  // the pinned block is not reused before this copy has finished
    else
      rt::event_synchronize(ev);
  });
}

void host_to_device(const Tensor& dst, const Tensor& src, bool non_blocking) {
  Tensor s = src.expand_as(dst);
  Tensor host = s.to(dst.scalar_type()).contiguous();  // no-op when already right
  bool direct = dst.is_contiguous();
  Tensor target = direct ? dst : at::empty(dst.sizes(), dst.options());
  transfer(target, host.data_ptr(), host.nbytes(), true, non_blocking);  // async only from pinned memory
  if (!direct) copy_same_device(dst, target);
}

void device_to_host(const Tensor& dst, const Tensor& src, bool non_blocking) {
  Tensor s = src.expand_as(dst).contiguous();
  bool direct = dst.is_contiguous() && dst.scalar_type() == s.scalar_type();
  if (direct) {
    transfer(s, dst.data_ptr(), dst.nbytes(), false, non_blocking);
    return;
  }
  Tensor tmp = at::empty(s.sizes(), s.options().device(kCPU));
  transfer(s, tmp.data_ptr(), tmp.nbytes(), false, false);
  dst.copy_(tmp);
}

void device_to_device(const Tensor& dst, const Tensor& src, bool non_blocking) {
  Tensor s = src.expand_as(dst);
  const auto sd = s.device().index(), dd = dst.device().index();
  if (sd == dd) {
    c10::DeviceGuard guard(dst.device());
    copy_same_device(dst, s);
    return;
  }
  if (!rt::same_context(sd, dd)) {  // different platforms: through the host
    dst.copy_(s.cpu(), non_blocking);
    return;
  }
  Tensor sc;
  {
    c10::DeviceGuard guard(s.device());
    sc = s.contiguous();
  }
  c10::DeviceGuard guard(dst.device());
  Tensor tmp = (dst.is_contiguous() && dst.scalar_type() == sc.scalar_type()) ? dst : at::empty(sc.sizes(), sc.options().device(dst.device()));
  torch_ocl::translate_errors([&] {
    // dst's stream waits for the source's pending work; the copy then runs on dst's stream.
    cl_event ready = rt::record_marker(sd, rt::current_stream(sd));
    rt::stream_wait_event(dd, rt::current_stream(dd), ready);
    clReleaseEvent(ready);
    auto from = torch_ocl::buffer_of(sc), to = torch_ocl::buffer_of(tmp);
    {
      auto e = torch_ocl::enqueue_current(dd);
      OCL_CHECK(clEnqueueCopyBuffer(e.queue(), from.mem, to.mem, from.offset, to.offset, sc.nbytes(), 0, nullptr,
                                    nullptr));
    }
    // The source must outlive the copy: finish it before returning (cross-device copies are rare).
    rt::synchronize_stream(dd, rt::current_stream(dd));
  });
  if (!tmp.is_same(dst)) copy_same_device(dst, tmp);
}

// A same-dtype copy whose iteration space (TensorIterator's, fastest output dim first) is a batch
// of 2-d transposes: the output contiguous along dim 0, the input along another dim d, at most
// one more (batch) dim. Runs transpose.cl's tiled kernel; false where the shape is not of that
// form or too narrow for 32 x 32 tiles to pay.
bool transpose_copy(const TensorIteratorBase& iter, const Tensor& dst, const Tensor& src) {
  const int64_t ndim = iter.ndim(), elem = dst.element_size();
  if (ndim < 2 || ndim > 3 || src.scalar_type() != dst.scalar_type() || iter.strides(0)[0] != elem) return false;
  int d = 1;
  while (d < ndim && iter.strides(1)[d] != elem) ++d;
  if (d == ndim) return false;
  const int bdim = ndim == 3 ? 3 - d : -1;  // the other dim of three, if any
  const int64_t n0 = iter.shape()[0], n1 = iter.shape()[d], nb = bdim < 0 ? 1 : iter.shape()[bdim];
  constexpr int64_t kMinSide = 16, kTile = 32;
  if (n0 < kMinSide || n1 < kMinSide) return false;
  auto stride = [&](int arg, int dim) { return dim < 0 ? int64_t(0) : iter.strides(arg)[dim] / elem; };
  const int device = dst.device().index();
  const std::string E = cl_bits_type(size_t(elem));
  const auto& info = rt::device_info(device);
  if (int64_t(info.max_work_group_size) < kTile) return false;
  const int64_t rows = std::clamp<int64_t>(int64_t(info.max_work_group_size) / kTile, 1, 8);
  KernelArgs k(device, "transpose_" + E + "_" + std::to_string(rows), "transpose_tiles", [&] {
    return "#define E " + E + "\n#define ROWS " + std::to_string(rows) + "\n" + rt::kernel_source("transpose.cl");
  });
  auto o = torch_ocl::element_buffer_of(dst), i = torch_ocl::element_buffer_of(src);
  const int64_t tiles0 = (n0 + kTile - 1) / kTile, tiles1 = (n1 + kTile - 1) / kTile;
  k.add_mem(o.mem).add(o.off).add_mem(i.mem).add(i.off);
  k.add<cl_long>(n0).add<cl_long>(n1).add<cl_long>(nb).add<cl_long>(stride(0, d)).add<cl_long>(stride(0, bdim));
  k.add<cl_long>(stride(1, 0)).add<cl_long>(stride(1, bdim)).add<cl_long>(tiles0).add<cl_long>(tiles1);
  const int64_t groups = std::min<int64_t>(tiles0 * tiles1 * nb, int64_t(1) << 20);
  k.launch(size_t(groups * rows * kTile), size_t(rows * kTile));
  return true;
}

}  // namespace

void copy_same_device(const Tensor& dst, const Tensor& src) {
  if (dst.numel() == 0) return;
  TORCH_CHECK(dst.device() == src.device(), "Expected all tensors to be on the same device, but found at least two "
              "devices, ", dst.device(), " and ", src.device(), "!");
  if (dst.scalar_type() == src.scalar_type() && dst.is_contiguous() && src.is_contiguous()) {
    auto from = torch_ocl::buffer_of(src), to = torch_ocl::buffer_of(dst);
    size_t bytes = dst.nbytes();
    if (from.mem == to.mem && from.offset == to.offset) return;
    bool overlap = from.mem == to.mem && from.offset < to.offset + bytes && to.offset < from.offset + bytes;
    if (!overlap) {
      auto e = torch_ocl::enqueue_current(dst.device().index());
      torch_ocl::translate_errors([&] {
        OCL_CHECK(clEnqueueCopyBuffer(e.queue(), from.mem, to.mem, from.offset, to.offset, bytes, 0, nullptr, nullptr));
      });
      return;
    }
  }
  auto iter = TensorIteratorConfig()
                  .add_output(dst)
                  .add_const_input(src)
                  .resize_outputs(false)
                  .check_all_same_dtype(false)
                  .build();
  if (transpose_copy(iter, dst, src)) return;
  pointwise(iter, {"copy", "a", compute_type(src.scalar_type())});
}

void copy_(const Tensor& dst, const Tensor& src, bool non_blocking) {
  if (dst.numel() == 0) return;
  if (is_ocl(dst)) {
    at::native::ocl::check_dtype_supported(dst.scalar_type(), dst.device().index());
  }
  if (is_ocl(src)) {
    at::native::ocl::check_dtype_supported(src.scalar_type(), src.device().index());
  }
  if (is_ocl(dst) && is_ocl(src)) return device_to_device(dst, src, non_blocking);
  if (is_ocl(dst)) {
    TORCH_CHECK(src.device().is_cpu(), "[ocl::copy] cannot copy from ", src.device(), " to ", dst.device());
    return host_to_device(dst, src, non_blocking);
  }
  TORCH_CHECK(dst.device().is_cpu(), "[ocl::copy] cannot copy from ", src.device(), " to ", dst.device());
  return device_to_host(dst, src, non_blocking);
}

Scalar local_scalar_dense(const Tensor& self) {
  TORCH_CHECK(self.numel() > 0, "_local_scalar_dense: Empty tensor not supported");
  Tensor host = at::empty({}, self.options().device(kCPU));
  device_to_host(host, self.reshape({}), false);
  return host.item();
}

}  // namespace at::native::ocl
