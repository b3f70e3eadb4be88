// Caching device allocator core (see caching_allocator.h). One instance per device.
#include "caching_allocator.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "address_space.h"
#include "device.h"
#include "error.h"

namespace torch_ocl::runtime {
namespace {

struct SegmentMap {
  std::mutex mutex;
  std::map<uintptr_t, Segment*> by_base;
};

SegmentMap& segment_map() {
  static auto* m = new SegmentMap();
  return *m;
}

size_t round_size(size_t n) { return (n + kMinBlockSize - 1) / kMinBlockSize * kMinBlockSize; }

bool is_oom_code(cl_int e) {
  return e == CL_MEM_OBJECT_ALLOCATION_FAILURE || e == CL_OUT_OF_RESOURCES || e == CL_OUT_OF_HOST_MEMORY ||
         e == CL_INVALID_BUFFER_SIZE;
}

}  // namespace

void Stat::increase(int64_t n) {
  current += n;
  allocated += n;
  peak = std::max(peak, current);
}

void Stat::decrease(int64_t n) {
  current -= n;
  freed += n;
}

uintptr_t Block::address() const { return segment->base + offset; }

namespace {
// Applies a signed change to the aggregate entry and to the block's pool entry.
void count(StatArray& a, bool small, int64_t delta) {
  for (int p : {int(kAggregate), small ? int(kSmallPool) : int(kLargePool)}) {
    if (delta >= 0)
      a[p].increase(delta);
    else
      a[p].decrease(-delta);
  }
}
}  // namespace

std::string format_bytes(size_t bytes) {
  char buf[64];
  double b = static_cast<double>(bytes);
  if (bytes >= (size_t(1) << 30))
    std::snprintf(buf, sizeof buf, "%.2f GiB", b / (1 << 30));
  else if (bytes >= (size_t(1) << 20))
    std::snprintf(buf, sizeof buf, "%.2f MiB", b / (1 << 20));
  else if (bytes >= 1024)
    std::snprintf(buf, sizeof buf, "%.2f KiB", b / 1024);
  else
    std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
  return buf;
}

bool DeviceCachingAllocator::Compare::operator()(const Block* a, const Block* b) const {
  if (a->stream != b->stream) return a->stream < b->stream;
  if (a->size != b->size) return a->size < b->size;
  return a->address() < b->address();
}

DeviceCachingAllocator::DeviceCachingAllocator(int device) : device_(device) {
  const DeviceInfo& info = device_info(device);
  total_ = info.global_mem;
  max_alloc_ = info.max_alloc;
  limit_ = total_;
}

DeviceCachingAllocator::~DeviceCachingAllocator() = default;

void DeviceCachingAllocator::update_stats_on_alloc(Block* b, bool small, int sign) {
  // Allocation makes a block active; freeing ends the allocation, and activity ends once
  // the block is back in its pool (free_block).
  count(stats_.allocation, small, sign);
  count(stats_.allocated_bytes, small, sign * int64_t(b->size));
  count(stats_.requested_bytes, small, sign * int64_t(b->requested));
  if (sign > 0) {
    count(stats_.active, small, 1);
    count(stats_.active_bytes, small, int64_t(b->size));
  }
}

Block* DeviceCachingAllocator::malloc(size_t size, StreamId stream) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (size > max_alloc_)
    throw Error(CL_INVALID_BUFFER_SIZE,
                "[ocl::malloc] cannot allocate " + format_bytes(size) + " in one tensor: the device's " +
                    "largest single allocation (CL_DEVICE_MAX_MEM_ALLOC_SIZE) is " + format_bytes(max_alloc_));
  size_t rounded = round_size(size);
  bool small = rounded <= kSmallSize;
  process_events(false);
  Block* b = try_cached(rounded, stream, small);
  if (!b) b = new_segment(rounded, stream, small);
  if (!b) {
    stats_.num_alloc_retries++;
    release_cached(true);
    b = new_segment(rounded, stream, small);
  }
  if (!b) {
    stats_.num_ooms++;
    throw OutOfMemory(CL_MEM_OBJECT_ALLOCATION_FAILURE, oom_message(size));
  }
  b = split(b, rounded, small);
  b->allocated = true;
  b->requested = size;
  update_stats_on_alloc(b, small, +1);
  return b;
}

Block* DeviceCachingAllocator::try_cached(size_t size, StreamId stream, bool small) {
  Pool& pool = small ? small_pool_ : large_pool_;
  Segment key_seg;
  Block key;
  key.segment = &key_seg;
  key.stream = stream;
  key.size = size;
  auto it = pool.lower_bound(&key);
  if (it == pool.end() || (*it)->stream != stream) return nullptr;
  Block* b = *it;
  pool.erase(it);
  if (b->prev || b->next) {
    count(stats_.inactive_split, small, -1);
    count(stats_.inactive_split_bytes, small, -int64_t(b->size));
  }
  return b;
}

Block* DeviceCachingAllocator::new_segment(size_t size, StreamId stream, bool small) {
  size_t seg_size = small ? kSmallBuffer
                          : (size < kMinLargeAlloc ? kLargeBuffer : (size + kRoundLarge - 1) / kRoundLarge * kRoundLarge);
  if (seg_size > max_alloc_) seg_size = size;
  if (static_cast<size_t>(stats_.reserved_bytes[kAggregate].current) + seg_size > limit_) {
    if (seg_size == size || static_cast<size_t>(stats_.reserved_bytes[kAggregate].current) + size > limit_)
      return nullptr;
    seg_size = size;  // a tight fit still fits under the limit
  }
  cl_int err = CL_SUCCESS;
  cl_mem mem = clCreateBuffer(context(device_), CL_MEM_READ_WRITE, seg_size, nullptr, &err);
  if (err != CL_SUCCESS) {
    if (is_oom_code(err)) return nullptr;
    OCL_CHECK(err);
  }
  uintptr_t base = 0;
  try {
    base = reserve_addresses(seg_size);
  } catch (...) {
    clReleaseMemObject(mem);
    throw;
  }
  auto* seg = new Segment{mem, base, seg_size, stream, small, device_};
  {
    std::lock_guard<std::mutex> l(segment_map().mutex);
    segment_map().by_base[base] = seg;
  }
  live_segments_.insert(seg);
  auto* b = new Block();
  b->segment = seg;
  b->size = seg_size;
  b->stream = stream;
  stats_.num_device_alloc++;
  count(stats_.segment, small, 1);
  count(stats_.reserved_bytes, small, int64_t(seg_size));
  return b;
}

Block* DeviceCachingAllocator::split(Block* b, size_t size, bool small) {
  size_t remaining = b->size - size;
  bool do_split = small ? remaining >= kMinBlockSize : remaining > kSmallSize;
  if (!do_split) return b;
  auto* rest = new Block();
  rest->segment = b->segment;
  rest->offset = b->offset + size;
  rest->size = remaining;
  rest->stream = b->stream;
  rest->prev = b;
  rest->next = b->next;
  if (b->next) b->next->prev = rest;
  b->next = rest;
  b->size = size;
  (small ? small_pool_ : large_pool_).insert(rest);
  count(stats_.inactive_split, small, 1);
  count(stats_.inactive_split_bytes, small, int64_t(remaining));
  return b;
}

void DeviceCachingAllocator::free(Block* b) {
  if (in_forked_child()) return;  // a tensor inherited from the parent: its memory is not this process's
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  bool small = b->segment->small;
  b->allocated = false;
  update_stats_on_alloc(b, small, -1);
  if (!b->stream_uses.empty()) {
    // Not reusable until the other streams that used it have passed this point.
    for (StreamId s : b->stream_uses) {
      try {
        events_.emplace_back(record_marker(device_, s), b);
        b->pending_events++;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[ocl::free] %s (waiting for the device instead)\n", e.what());
        clFinish(queue(device_, s));
      }
    }
    b->stream_uses.clear();
    if (b->pending_events) return;
  }
  free_block(b);
}

void DeviceCachingAllocator::free_block(Block* b) {
  bool small = b->segment->small;
  Pool& pool = small ? small_pool_ : large_pool_;
  count(stats_.active, small, -1);
  count(stats_.active_bytes, small, -int64_t(b->size));
  auto mergeable = [&](Block* n) { return n && !n->allocated && n->pending_events == 0 && pool.count(n); };
  auto count_split = [&](Block* n, int sign) {
    count(stats_.inactive_split, small, sign);
    count(stats_.inactive_split_bytes, small, sign * int64_t(n->size));
  };
  if (mergeable(b->prev)) {
    Block* p = b->prev;
    pool.erase(p);
    count_split(p, -1);
    p->size += b->size;
    p->next = b->next;
    if (b->next) b->next->prev = p;
    delete b;
    b = p;
  }
  if (mergeable(b->next)) {
    Block* n = b->next;
    pool.erase(n);
    count_split(n, -1);
    b->size += n->size;
    b->next = n->next;
    if (n->next) n->next->prev = b;
    delete n;
  }
  pool.insert(b);
  if (b->prev || b->next) count_split(b, +1);
}

void DeviceCachingAllocator::record_stream(Block* b, StreamId stream) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (stream != b->stream) b->stream_uses.insert(stream);
}

void DeviceCachingAllocator::process_events(bool wait) {
  for (auto it = events_.begin(); it != events_.end();) {
    cl_event ev = it->first;
    bool done = true;
    if (wait) {
      clWaitForEvents(1, &ev);  // an execution error surfaces at the next synchronization
    } else {
      cl_int status = CL_COMPLETE;
      clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr);
      done = status == CL_COMPLETE || status < 0;
    }
    if (!done) {
      ++it;
      continue;
    }
    clReleaseEvent(ev);
    Block* b = it->second;
    it = events_.erase(it);
    if (--b->pending_events == 0) free_block(b);
  }
}

void DeviceCachingAllocator::release_segment(Block* b) {
  Segment* seg = b->segment;
  bool small = seg->small;
  (small ? small_pool_ : large_pool_).erase(b);
  {
    std::lock_guard<std::mutex> l(segment_map().mutex);
    segment_map().by_base.erase(seg->base);
  }
  OCL_CHECK_NOTHROW(clReleaseMemObject(seg->mem));
  release_addresses(seg->base, seg->size);
  stats_.num_device_free++;
  count(stats_.segment, small, -1);
  count(stats_.reserved_bytes, small, -int64_t(seg->size));
  live_segments_.erase(seg);
  delete seg;
  delete b;
}

void DeviceCachingAllocator::release_cached(bool wait_for_events) {
  process_events(wait_for_events);
  for (Pool* pool : {&small_pool_, &large_pool_}) {
    std::vector<Block*> whole;
    for (Block* b : *pool)
      if (!b->prev && !b->next) whole.push_back(b);
    for (Block* b : whole) release_segment(b);
  }
}

void DeviceCachingAllocator::empty_cache() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  release_cached(true);
}

AllocatorStats DeviceCachingAllocator::stats() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  return stats_;
}

void DeviceCachingAllocator::reset_peak_stats() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  for (StatArray* a : {&stats_.allocation, &stats_.segment, &stats_.active, &stats_.inactive_split,
                       &stats_.allocated_bytes, &stats_.reserved_bytes, &stats_.active_bytes,
                       &stats_.inactive_split_bytes, &stats_.requested_bytes})
    for (Stat& s : *a) s.peak = s.current;
}

void DeviceCachingAllocator::reset_accumulated_stats() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  for (StatArray* a : {&stats_.allocation, &stats_.segment, &stats_.active, &stats_.inactive_split,
                       &stats_.allocated_bytes, &stats_.reserved_bytes, &stats_.active_bytes,
                       &stats_.inactive_split_bytes, &stats_.requested_bytes})
    for (Stat& s : *a) s.allocated = s.freed = 0;
  stats_.num_alloc_retries = stats_.num_ooms = stats_.num_device_alloc = stats_.num_device_free = 0;
}

void DeviceCachingAllocator::set_memory_fraction(double fraction) {
  if (!(fraction >= 0.0 && fraction <= 1.0))
    throw InvalidArgument("[ocl::malloc] invalid memory fraction " + std::to_string(fraction) +
                          ", expected a value in [0, 1]");
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  limit_ = static_cast<size_t>(fraction * static_cast<double>(total_));
}

size_t DeviceCachingAllocator::memory_limit() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  return limit_;
}

std::vector<std::array<size_t, 3>> DeviceCachingAllocator::segments() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::vector<std::array<size_t, 3>> out;
  for (Segment* s : live_segments_) out.push_back({s->base, s->size, 0});
  std::sort(out.begin(), out.end());
  return out;
}

std::string DeviceCachingAllocator::oom_message(size_t size) const {
  std::string msg = "[ocl::malloc] out of memory on device " + std::to_string(device_) + ": cannot allocate " +
                    format_bytes(size) + " (allocated " +
                    format_bytes(stats_.allocated_bytes[kAggregate].current) + ", reserved " +
                    format_bytes(stats_.reserved_bytes[kAggregate].current) + ", device total " +
                    format_bytes(total_);
  if (limit_ < total_) msg += ", process limit " + format_bytes(limit_);
  return msg + ")";
}

DeviceCachingAllocator& caching_allocator(int device) {
  static auto* allocators = [] {
    auto* v = new std::vector<std::unique_ptr<DeviceCachingAllocator>>();
    for (int i = 0; i < device_count(); ++i) v->push_back(std::make_unique<DeviceCachingAllocator>(i));
    return v;
  }();
  check_device_index(device);
  return *(*allocators)[device];
}

bool resolve_address(uintptr_t addr, int* device, cl_mem* mem, size_t* offset) {
  auto& m = segment_map();
  std::lock_guard<std::mutex> l(m.mutex);
  auto it = m.by_base.upper_bound(addr);
  if (it == m.by_base.begin()) return false;
  --it;
  Segment* s = it->second;
  if (addr >= s->base + s->size) return false;
  if (device) *device = s->device;
  if (mem) *mem = s->mem;
  if (offset) *offset = addr - s->base;
  return true;
}

}  // namespace torch_ocl::runtime
