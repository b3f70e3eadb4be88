// Lazily created command queues per (device, stream id); thread-local current streams; markers.
#include "stream.h"

#include <array>
#include <atomic>
#include <chrono>
#include <thread>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device.h"
#include "error.h"

namespace torch_ocl::runtime {
namespace {

struct DeviceQueues {
  std::mutex mutex;
  std::array<std::atomic<cl_command_queue>, kMaxStreamId + 1> queues{};
  std::atomic<uint32_t> next_normal{0}, next_high{0};
};

std::vector<std::unique_ptr<DeviceQueues>>& all_queues() {
  // never destroyed: queues are released by the driver at process exit
  static auto* v = [] {
    auto* q = new std::vector<std::unique_ptr<DeviceQueues>>();
    for (int i = 0; i < device_count(); ++i) q->push_back(std::make_unique<DeviceQueues>());
    return q;
  }();
  return *v;
}

struct CurrentStreams {
  std::vector<StreamId> ids;
  StreamId get(int device) const { return device < (int)ids.size() ? ids[device] : 0; }
};
thread_local CurrentStreams tl_current;

void check_stream(int device, StreamId id) {
  check_device_index(device);
  if (!valid_stream_id(id))
    throw InvalidArgument("[ocl::stream] invalid stream id " + std::to_string(id) + " (expected 0.." +
                          std::to_string(kMaxStreamId) + ")");
}

cl_command_queue existing(int device, StreamId id) {
  return all_queues()[device]->queues[id].load(std::memory_order_acquire);
}

}  // namespace

bool valid_stream_id(StreamId id) { return id >= 0 && id <= kMaxStreamId; }

cl_command_queue queue(int device, StreamId id) {
  check_stream(device, id);
  auto& dq = *all_queues()[device];
  cl_command_queue q = dq.queues[id].load(std::memory_order_acquire);
  if (q) return q;
  std::lock_guard<std::mutex> lock(dq.mutex);
  q = dq.queues[id].load(std::memory_order_relaxed);
  if (q) return q;
  cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
  cl_int err = CL_SUCCESS;
  q = clCreateCommandQueueWithProperties(context(device), device_info(device).id, props, &err);
  OCL_CHECK(err);
  dq.queues[id].store(q, std::memory_order_release);
  return q;
}

StreamId pool_stream(int device, bool high_priority) {
  check_device_index(device);
  auto& dq = *all_queues()[device];
  uint32_t n = (high_priority ? dq.next_high : dq.next_normal).fetch_add(1) % kPoolSize;
  return (high_priority ? kPoolSize + 1 : 1) + n;
}

int stream_priority(StreamId id) { return id > kPoolSize ? -1 : 0; }

StreamId current_stream(int device) { return tl_current.get(device); }

void set_current_stream(int device, StreamId id) {
  check_stream(device, id);
  if ((int)tl_current.ids.size() <= device) tl_current.ids.resize(device + 1, 0);
  tl_current.ids[device] = id;
}

void synchronize_stream(int device, StreamId id) {
  check_stream(device, id);
  if (cl_command_queue q = existing(device, id)) OCL_CHECK(clFinish(q));
}

bool query_stream(int device, StreamId id) {
  check_stream(device, id);
  if (!existing(device, id)) return true;
  cl_event ev = record_marker(device, id);
  bool done = false;
  try {
    // A fresh marker on an idle queue completes within microseconds, not at once (and PoCL's
    // scheduler thread sometimes takes milliseconds to wake): give it up to 10 ms so that a
    // drained stream reports idle, as cudaStreamQuery does. A busy stream costs that wait.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
    while (!(done = event_done(ev)) && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  } catch (...) {
    clReleaseEvent(ev);
    throw;
  }
  clReleaseEvent(ev);
  return done;
}

void synchronize_device(int device) {
  check_device_index(device);
  for (StreamId id = 0; id <= kMaxStreamId; ++id)
    if (cl_command_queue q = existing(device, id)) OCL_CHECK(clFinish(q));
}

cl_event record_marker(int device, StreamId id) {
  cl_command_queue q = queue(device, id);
  cl_event ev = nullptr;
  OCL_CHECK(clEnqueueMarkerWithWaitList(q, 0, nullptr, &ev));
  OCL_CHECK(clFlush(q));
  return ev;
}

void stream_wait_event(int device, StreamId id, cl_event ev) {
  OCL_CHECK(clEnqueueBarrierWithWaitList(queue(device, id), 1, &ev, nullptr));
}

bool event_done(cl_event ev) {
  cl_int status = CL_COMPLETE;
  OCL_CHECK(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr));
  if (status < 0) throw_cl_error(status, "command execution (found at event query)", __FILE__, __LINE__);
  return status == CL_COMPLETE;
}

void event_synchronize(cl_event ev) {
  cl_int err = clWaitForEvents(1, &ev);
  if (err == CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST) event_done(ev);  // throws the real status
  OCL_CHECK(err);
}

double event_elapsed_ms(cl_event start, cl_event end) {
  event_synchronize(start);
  event_synchronize(end);
  cl_ulong t0 = 0, t1 = 0;
  OCL_CHECK(clGetEventProfilingInfo(start, CL_PROFILING_COMMAND_END, sizeof(t0), &t0, nullptr));
  OCL_CHECK(clGetEventProfilingInfo(end, CL_PROFILING_COMMAND_END, sizeof(t1), &t1, nullptr));
  return (static_cast<double>(t1) - static_cast<double>(t0)) * 1e-6;
}

}  // namespace torch_ocl::runtime
