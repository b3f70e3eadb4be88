// Lazily created command queues per (device, stream id); thread-local current streams; markers.
#include "stream.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device.h"
#include "error.h"

namespace torch_ocl::runtime {

// A stream's queue (created on first use) and what query_stream knows about its work.
struct StreamSlot {
  std::atomic<cl_command_queue> queue{nullptr};
  std::mutex mutex;            // held while enqueueing: counts and commands stay in one order
  uint64_t enqueued = 0;       // commands enqueued so far
  uint64_t idle_at = 0;        // `enqueued` when all work was last known finished
  cl_event last = nullptr;     // an event that completes once the first `last_at` commands have
  uint64_t last_at = 0;        // (a recorded marker, a transfer, or a query's own marker)

  void mark_idle(uint64_t count) { idle_at = std::max(idle_at, count); }
  void set_last(cl_event ev, uint64_t at) {
    clRetainEvent(ev);
    if (last) clReleaseEvent(last);
    last = ev;
    last_at = at;
  }
};

namespace {

struct DeviceQueues {
  std::mutex mutex;
  std::array<StreamSlot, kMaxStreamId + 1> streams;
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
  check_not_forked();
  return all_queues()[device]->streams[id].queue.load(std::memory_order_acquire);
}

}  // namespace

bool valid_stream_id(StreamId id) { return id >= 0 && id <= kMaxStreamId; }

cl_command_queue queue(int device, StreamId id) {
  check_not_forked();
  check_stream(device, id);
  auto& dq = *all_queues()[device];
  std::atomic<cl_command_queue>& slot_queue = dq.streams[id].queue;
  cl_command_queue q = slot_queue.load(std::memory_order_acquire);
  if (q) return q;
  std::lock_guard<std::mutex> lock(dq.mutex);
  q = slot_queue.load(std::memory_order_relaxed);
  if (q) return q;
  cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
  cl_int err = CL_SUCCESS;
  q = clCreateCommandQueueWithProperties(context(device), device_info(device).id, props, &err);
  OCL_CHECK(err);
  slot_queue.store(q, std::memory_order_release);
  return q;
}

Enqueue::Enqueue(int device, StreamId id)
    : queue_(runtime::queue(device, id)), slot_(&all_queues()[device]->streams[id]) {
  slot_->mutex.lock();
}

Enqueue::~Enqueue() {
  ++slot_->enqueued;  // counted even when the call failed: a spurious count only costs a marker
  slot_->mutex.unlock();
}

void Enqueue::keep(cl_event ev) {
  if (ev) slot_->set_last(ev, slot_->enqueued + 1);  // this scope's command is counted on exit
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

namespace {

// clFinish, then the commands counted before it are known finished.
void finish(StreamSlot& st, cl_command_queue q) {
  uint64_t count;
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    count = st.enqueued;
  }
  OCL_CHECK(clFinish(q));
  std::lock_guard<std::mutex> lock(st.mutex);
  st.mark_idle(count);
}

}  // namespace

void synchronize_stream(int device, StreamId id) {
  check_stream(device, id);
  if (cl_command_queue q = existing(device, id)) finish(all_queues()[device]->streams[id], q);
}

bool query_stream(int device, StreamId id) {
  check_stream(device, id);
  cl_command_queue q = existing(device, id);
  if (!q) return true;
  StreamSlot& st = all_queues()[device]->streams[id];
  cl_event last = nullptr;
  uint64_t count;
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    count = st.enqueued;
    if (st.idle_at == count) return true;
    if (!st.last || st.last_at != count) {
      // Work without an event of its own came last: a marker after it (not counted, it adds no
      // work; asked again, the same marker answers until more work comes).
      cl_event marker = nullptr;
      OCL_CHECK(clEnqueueMarkerWithWaitList(q, 0, nullptr, &marker));
      st.set_last(marker, count);
      clReleaseEvent(marker);
    }
    clRetainEvent(last = st.last);
  }
  EventRef hold(last);
  OCL_CHECK(clFlush(q));  // a command that was never submitted would never complete
  if (!event_done(last)) return false;
  std::lock_guard<std::mutex> lock(st.mutex);
  st.mark_idle(count);
  return true;
}

void synchronize_device(int device) {
  check_device_index(device);
  for (StreamId id = 0; id <= kMaxStreamId; ++id)
    if (cl_command_queue q = existing(device, id)) finish(all_queues()[device]->streams[id], q);
}

cl_event record_marker(int device, StreamId id) {
  cl_event ev = nullptr;
  Enqueue e(device, id);
  OCL_CHECK(clEnqueueMarkerWithWaitList(e.queue(), 0, nullptr, &ev));
  e.keep(ev);
  OCL_CHECK(clFlush(e.queue()));
  return ev;
}

void stream_wait_event(int device, StreamId id, cl_event ev) {
  Enqueue e(device, id);
  OCL_CHECK(clEnqueueBarrierWithWaitList(e.queue(), 1, &ev, nullptr));
}

bool event_done(cl_event ev) {
  check_not_forked();
  cl_int status = CL_COMPLETE;
  OCL_CHECK(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr));
  if (status < 0) throw_cl_error(status, "command execution (found at event query)", __FILE__, __LINE__);
  return status == CL_COMPLETE;
}

void event_synchronize(cl_event ev) {
  check_not_forked();
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
