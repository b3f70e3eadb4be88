// Streams (in-order command queues) and events (markers) per device.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>

#include "cl.h"

namespace torch_ocl::runtime {

// Stream ids: 0 is the default stream; 1..kPoolSize the normal-priority pool;
// kPoolSize+1..2*kPoolSize the high-priority pool. Queues are created on first use.
using StreamId = int64_t;
constexpr int kPoolSize = 32;
constexpr StreamId kMaxStreamId = 2 * kPoolSize;

bool valid_stream_id(StreamId id);
cl_command_queue queue(int device, StreamId id);
// The next pool stream (round robin), like CUDA's getStreamFromPool.
StreamId pool_stream(int device, bool high_priority);
int stream_priority(StreamId id);  // 0 normal, -1 high (CUDA's convention: lower is higher)

// Thread-local current stream per device (default: the default stream).
StreamId current_stream(int device);
void set_current_stream(int device, StreamId id);

// Owns one reference to an event (released when it goes).
struct EventRelease {
  void operator()(cl_event ev) const { clReleaseEvent(ev); }
};
using EventRef = std::unique_ptr<std::remove_pointer_t<cl_event>, EventRelease>;

// Every command is enqueued inside one of these scopes: it holds the stream's lock and counts the
// command, so that query_stream knows whether anything was enqueued since the stream was last
// known idle (commands get no event of their own: an event per launch costs NVIDIA's driver
// 3-9 us of host time).
//   Enqueue e(device, id);
//   OCL_CHECK(clEnqueueNDRangeKernel(e.queue(), ..., 0, nullptr, nullptr));
class Enqueue {
 public:
  Enqueue(int device, StreamId id);
  ~Enqueue();
  Enqueue(const Enqueue&) = delete;
  Enqueue& operator=(const Enqueue&) = delete;
  cl_command_queue queue() const { return queue_; }
  // The event of the one command this scope enqueues, kept so that a query of the stream can
  // read it while no other command follows (the caller keeps its own reference).
  void keep(cl_event ev);

 private:
  cl_command_queue queue_;  // first: creating it checks the device and stream id
  struct StreamSlot* slot_;
};

// Waits for all work on the stream; raises execution errors found there.
void synchronize_stream(int device, StreamId id);
// True when all work enqueued on the stream so far has finished. No wait: True at once when
// nothing was enqueued since the stream was last known idle (a synchronize, or an earlier
// query that found it idle); else the status of the last command's event where it has one (a
// recorded marker, a transfer), else of a marker after it (one per batch of work, however often
// asked): False while the work runs.
bool query_stream(int device, StreamId id);
// Waits for every stream of the device that has been created.
void synchronize_device(int device);

// A marker on the stream that completes when all earlier work on it has; flushed so it
// can be waited on from other queues. The caller owns the returned event.
cl_event record_marker(int device, StreamId id);
// Makes later work on the stream wait for the event.
void stream_wait_event(int device, StreamId id, cl_event ev);
// True when the event completed; throws if its command failed. No wait.
bool event_done(cl_event ev);
void event_synchronize(cl_event ev);
// Milliseconds between the completion of two markers (queues profile by default).
double event_elapsed_ms(cl_event start, cl_event end);

}  // namespace torch_ocl::runtime
