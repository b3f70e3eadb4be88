// Runtime: queues per stream id, pools, current stream, markers, cross-queue waits, timing.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/stream.h"

namespace rt = torch_ocl::runtime;

TEST(Stream, QueuesAreCreatedLazilyAndCached) {
  cl_command_queue q = rt::queue(0, 0);
  EXPECT_NE(q, nullptr);
  EXPECT_EQ(q, rt::queue(0, 0));
  EXPECT_NE(rt::queue(0, 1), q);
  EXPECT_THROW(rt::queue(0, rt::kMaxStreamId + 1), rt::InvalidArgument);
  EXPECT_THROW(rt::queue(0, -1), rt::InvalidArgument);
}

TEST(Stream, PoolsRoundRobinWithinTheirRange) {
  for (int i = 0; i < 2 * rt::kPoolSize; ++i) {
    auto n = rt::pool_stream(0, false);
    EXPECT_GE(n, 1);
    EXPECT_LE(n, rt::kPoolSize);
    EXPECT_EQ(rt::stream_priority(n), 0);
    auto h = rt::pool_stream(0, true);
    EXPECT_GT(h, rt::kPoolSize);
    EXPECT_LE(h, rt::kMaxStreamId);
    EXPECT_EQ(rt::stream_priority(h), -1);
  }
}

TEST(Stream, CurrentStreamIsThreadLocal) {
  EXPECT_EQ(rt::current_stream(0), 0);
  rt::set_current_stream(0, 3);
  EXPECT_EQ(rt::current_stream(0), 3);
  rt::StreamId seen = -1;
  std::thread([&] { seen = rt::current_stream(0); }).join();
  EXPECT_EQ(seen, 0);
  rt::set_current_stream(0, 0);
}

TEST(Stream, MarkersCompleteAndStreamsDrain) {
  cl_int err = CL_SUCCESS;
  cl_context ctx = rt::context(0);
  cl_mem buf = clCreateBuffer(ctx, CL_MEM_READ_WRITE, 1 << 20, nullptr, &err);
  ASSERT_EQ(err, CL_SUCCESS);
  int pattern = 7;
  OCL_CHECK(clEnqueueFillBuffer(rt::queue(0, 1), buf, &pattern, sizeof pattern, 0, 1 << 20, 0, nullptr, nullptr));
  cl_event ev = rt::record_marker(0, 1);
  rt::stream_wait_event(0, 2, ev);  // stream 2 waits for stream 1's fill
  std::vector<int> host(1 << 18);
  OCL_CHECK(clEnqueueReadBuffer(rt::queue(0, 2), buf, CL_TRUE, 0, 1 << 20, host.data(), 0, nullptr, nullptr));
  EXPECT_EQ(host.front(), 7);
  EXPECT_EQ(host.back(), 7);
  rt::event_synchronize(ev);
  EXPECT_TRUE(rt::event_done(ev));
  rt::synchronize_stream(0, 1);
  EXPECT_TRUE(rt::query_stream(0, 1));
  EXPECT_TRUE(rt::query_stream(0, 17));  // never used: trivially idle
  rt::synchronize_device(0);
  clReleaseEvent(ev);
  clReleaseMemObject(buf);
}

TEST(Stream, ElapsedTimeBetweenMarkers) {
  cl_int err = CL_SUCCESS;
  cl_mem buf = clCreateBuffer(rt::context(0), CL_MEM_READ_WRITE, 64 << 20, nullptr, &err);
  ASSERT_EQ(err, CL_SUCCESS);
  cl_event a = rt::record_marker(0, 0);
  int zero = 0;
  OCL_CHECK(clEnqueueFillBuffer(rt::queue(0, 0), buf, &zero, sizeof zero, 0, 64 << 20, 0, nullptr, nullptr));
  cl_event b = rt::record_marker(0, 0);
  double ms = rt::event_elapsed_ms(a, b);
  EXPECT_GE(ms, 0.0);
  EXPECT_LT(ms, 60000.0);
  clReleaseEvent(a);
  clReleaseEvent(b);
  clReleaseMemObject(buf);
}

// A stream's query answers without waiting: busy while its last command waits (here on a user
// event, so the test needs no timing), idle right after a synchronize.
TEST(Stream, QueryIsExactAndImmediate) {
  cl_int err = CL_SUCCESS;
  cl_event gate = clCreateUserEvent(rt::context(0), &err);
  ASSERT_EQ(err, CL_SUCCESS);
  const rt::StreamId id = 5;
  rt::synchronize_stream(0, id);
  EXPECT_TRUE(rt::query_stream(0, id));
  {
    rt::Enqueue e(0, id);
    OCL_CHECK(clEnqueueBarrierWithWaitList(e.queue(), 1, &gate, nullptr));
  }
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(rt::query_stream(0, id));
  cl_event marker = rt::record_marker(0, id);
  EXPECT_FALSE(rt::event_done(marker));
  OCL_CHECK(clSetUserEventStatus(gate, CL_COMPLETE));
  rt::synchronize_stream(0, id);
  EXPECT_TRUE(rt::query_stream(0, id));
  EXPECT_TRUE(rt::event_done(marker));
  clReleaseEvent(marker);
  clReleaseEvent(gate);
}

// Threads enqueueing on one stream at once: every command is counted, and the stream drains.
TEST(Stream, CountsEnqueuesAcrossThreads) {
  cl_int err = CL_SUCCESS;
  cl_mem buf = clCreateBuffer(rt::context(0), CL_MEM_READ_WRITE, 1 << 16, nullptr, &err);
  ASSERT_EQ(err, CL_SUCCESS);
  const rt::StreamId id = 6;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        rt::Enqueue e(0, id);
        int v = t * 1000 + i;
        OCL_CHECK(clEnqueueFillBuffer(e.queue(), buf, &v, sizeof v, 0, 1 << 16, 0, nullptr, nullptr));
      }
    });
  for (auto& th : threads) th.join();
  rt::synchronize_stream(0, id);
  EXPECT_TRUE(rt::query_stream(0, id));
  clReleaseMemObject(buf);
}
