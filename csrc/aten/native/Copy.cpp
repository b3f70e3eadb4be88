// Copy launchers: host<->device transfers (pinned ones asynchronous), device casts and
// strided copies through the pointwise generator, cross-device copies.
#include "aten/native/Copy.h"

#include <ATen/TensorIterator.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include "aten/native/Pointwise.h"
#include "core/Allocator.h"
#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/host_allocator.h"
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
