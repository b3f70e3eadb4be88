// Caching device allocator core: CUDA-style pools, splitting/coalescing, stream-aware reuse,
// handing out virtual addresses (segment base + offset) backed by one cl_mem per segment.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "cl.h"
#include "stream.h"

namespace torch_ocl::runtime {

struct Stat {
  int64_t current = 0, peak = 0, allocated = 0, freed = 0;
  void increase(int64_t n);
  void decrease(int64_t n);
};

enum StatPool { kAggregate = 0, kSmallPool = 1, kLargePool = 2 };
using StatArray = std::array<Stat, 3>;

struct AllocatorStats {
  StatArray allocation, segment, active, inactive_split;
  StatArray allocated_bytes, reserved_bytes, active_bytes, inactive_split_bytes, requested_bytes;
  int64_t num_alloc_retries = 0, num_ooms = 0, num_device_alloc = 0, num_device_free = 0;
  int64_t num_sync_all_streams = 0;
  Stat oversize_allocations, oversize_segments;
};

struct Segment;

struct Block {
  Segment* segment = nullptr;
  size_t offset = 0;     // from the segment base
  size_t size = 0;       // rounded size this block covers
  size_t requested = 0;  // what the caller asked for
  StreamId stream = 0;   // the stream it was allocated on
  bool allocated = false;
  Block* prev = nullptr;
  Block* next = nullptr;
  std::unordered_set<StreamId> stream_uses;  // other streams recorded with record_stream
  int pending_events = 0;
  uintptr_t address() const;
};

struct Segment {
  cl_mem mem = nullptr;
  uintptr_t base = 0;
  size_t size = 0;
  StreamId stream = 0;
  bool small = false;
  int device = -1;
};

// Policy constants, as CUDA's allocator uses them.
constexpr size_t kMinBlockSize = 512;
constexpr size_t kSmallSize = size_t(1) << 20;      // requests up to this come from the small pool
constexpr size_t kSmallBuffer = size_t(2) << 20;    // small-pool segment size
constexpr size_t kLargeBuffer = size_t(20) << 20;   // segment size for requests under kMinLargeAlloc
constexpr size_t kMinLargeAlloc = size_t(10) << 20;
constexpr size_t kRoundLarge = size_t(2) << 20;

class DeviceCachingAllocator {
 public:
  explicit DeviceCachingAllocator(int device);
  ~DeviceCachingAllocator();
  DeviceCachingAllocator(const DeviceCachingAllocator&) = delete;
  DeviceCachingAllocator& operator=(const DeviceCachingAllocator&) = delete;

  // Throws OutOfMemory (after freeing the cache and retrying once) or Error for a request
  // over the device's largest single allocation. size must be > 0.
  Block* malloc(size_t size, StreamId stream);
  void free(Block* block);
  void record_stream(Block* block, StreamId stream);
  // Returns every cached segment that holds no live block to the driver.
  void empty_cache();

  AllocatorStats stats();
  void reset_peak_stats();
  void reset_accumulated_stats();
  void set_memory_fraction(double fraction);
  size_t memory_limit();
  size_t device_total() const { return total_; }
  // Segments as (base, size, number of live blocks): for tests and diagnostics.
  std::vector<std::array<size_t, 3>> segments();

 private:
  struct Compare {
    bool operator()(const Block* a, const Block* b) const;
  };
  using Pool = std::set<Block*, Compare>;

  Block* try_cached(size_t size, StreamId stream, bool small);
  Block* new_segment(size_t size, StreamId stream, bool small);
  Block* split(Block* block, size_t size, bool small);
  void free_block(Block* block);
  void release_segment(Block* block);
  void release_cached(bool wait_for_events);
  void process_events(bool wait);
  std::string oom_message(size_t size) const;
  void update_stats_on_alloc(Block* block, bool small, int sign);

  int device_;
  size_t total_, max_alloc_, limit_;
  std::recursive_mutex mutex_;
  Pool small_pool_, large_pool_;
  std::vector<std::pair<cl_event, Block*>> events_;
  std::unordered_set<Segment*> live_segments_;
  AllocatorStats stats_;
};

DeviceCachingAllocator& caching_allocator(int device);

// Maps any address inside a live segment to (device, cl_mem, byte offset). Off the hot path:
// tensors resolve through their block instead.
bool resolve_address(uintptr_t addr, int* device, cl_mem* mem, size_t* offset);

std::string format_bytes(size_t bytes);

}  // namespace torch_ocl::runtime
