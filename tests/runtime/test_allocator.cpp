// Runtime: caching allocator core (virtual addresses, splitting, coalescing, streams, OOM)
// and the pinned host allocator.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "runtime/address_space.h"
#include "runtime/caching_allocator.h"
#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/host_allocator.h"
#include "runtime/stream.h"

namespace rt = torch_ocl::runtime;

namespace {
rt::DeviceCachingAllocator& alloc() { return rt::caching_allocator(0); }
int64_t allocated() { return alloc().stats().allocated_bytes[rt::kAggregate].current; }
int64_t reserved() { return alloc().stats().reserved_bytes[rt::kAggregate].current; }
}  // namespace

TEST(AddressSpace, RangesAreAlignedDisjointAndReused) {
  uintptr_t a = rt::reserve_addresses(1);
  uintptr_t b = rt::reserve_addresses(3 << 20);
  EXPECT_EQ(a % rt::kAddressGranularity, 0u);
  EXPECT_EQ(b % rt::kAddressGranularity, 0u);
  EXPECT_TRUE(b >= a + rt::kAddressGranularity || a >= b + (4 << 20));
  EXPECT_TRUE(rt::in_address_space(a));
  EXPECT_FALSE(rt::in_address_space(reinterpret_cast<uintptr_t>(&a)));
  rt::release_addresses(a, 1);
  rt::release_addresses(b, 3 << 20);
  uintptr_t c = rt::reserve_addresses(4 << 20);  // coalesced range comes back
  EXPECT_EQ(c, std::min(a, b));
  rt::release_addresses(c, 4 << 20);
}

TEST(CachingAllocator, BlocksResolveToTheirSegment) {
  rt::Block* b = alloc().malloc(1000, 0);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->size, 1024u);  // rounded to 512
  EXPECT_EQ(b->requested, 1000u);
  EXPECT_TRUE(rt::in_address_space(b->address()));
  int device = -1;
  cl_mem mem = nullptr;
  size_t off = 0;
  ASSERT_TRUE(rt::resolve_address(b->address() + 17, &device, &mem, &off));
  EXPECT_EQ(device, 0);
  EXPECT_EQ(mem, b->segment->mem);
  EXPECT_EQ(off, b->offset + 17);
  EXPECT_FALSE(rt::resolve_address(12345, nullptr, nullptr, nullptr));
  alloc().free(b);
}

TEST(CachingAllocator, SplitsAndCoalesces) {
  alloc().empty_cache();
  int64_t base_reserved = reserved();
  rt::Block* a = alloc().malloc(4096, 0);
  rt::Block* b = alloc().malloc(4096, 0);
  EXPECT_EQ(a->segment, b->segment);  // both split out of one 2 MiB small segment
  EXPECT_EQ(b->address(), a->address() + 4096);
  EXPECT_EQ(reserved() - base_reserved, int64_t(rt::kSmallBuffer));
  alloc().free(a);
  alloc().free(b);
  // Coalesced back into one free block covering the segment: reused for a 1 MiB request.
  rt::Block* c = alloc().malloc(1 << 20, 0);
  EXPECT_EQ(c->address(), a == b ? 0 : c->segment->base);
  EXPECT_EQ(reserved() - base_reserved, int64_t(rt::kSmallBuffer));
  alloc().free(c);
  alloc().empty_cache();
  EXPECT_EQ(reserved(), base_reserved);
}

TEST(CachingAllocator, LargePoolRoundsAndReuses) {
  alloc().empty_cache();
  rt::Block* a = alloc().malloc(3 << 20, 0);  // < 10 MiB: from a 20 MiB segment
  EXPECT_EQ(a->segment->size, rt::kLargeBuffer);
  EXPECT_FALSE(a->segment->small);
  uintptr_t addr = a->address();
  alloc().free(a);
  rt::Block* b = alloc().malloc(3 << 20, 0);
  EXPECT_EQ(b->address(), addr);  // cached block reused
  alloc().free(b);
  alloc().empty_cache();
  rt::Block* big = alloc().malloc((13 << 20) + 1, 0);  // >= 10 MiB: rounded to 2 MiB
  EXPECT_EQ(big->segment->size, size_t(14) << 20);
  alloc().free(big);
  alloc().empty_cache();
}

TEST(CachingAllocator, StreamsDoNotShareCachedBlocks) {
  alloc().empty_cache();
  rt::Block* a = alloc().malloc(8192, 1);
  uintptr_t addr = a->address();
  alloc().free(a);
  rt::Block* b = alloc().malloc(8192, 2);
  EXPECT_NE(b->address(), addr);
  rt::Block* c = alloc().malloc(8192, 1);
  EXPECT_EQ(c->address(), addr);
  alloc().free(b);
  alloc().free(c);
  alloc().empty_cache();
}

TEST(CachingAllocator, RecordStreamDelaysReuse) {
  alloc().empty_cache();
  rt::Block* a = alloc().malloc(8192, 0);
  uintptr_t addr = a->address();
  alloc().record_stream(a, 3);
  int64_t before = alloc().stats().active[rt::kAggregate].current;
  alloc().free(a);
  // Not back in the pool until stream 3 passes the marker; after a sync it is reused.
  rt::synchronize_stream(0, 3);
  rt::Block* b = alloc().malloc(8192, 0);
  EXPECT_EQ(b->address(), addr);
  EXPECT_EQ(alloc().stats().active[rt::kAggregate].current, before);
  alloc().free(b);
  alloc().empty_cache();
}

TEST(CachingAllocator, StatsTrackCurrentAndPeak) {
  alloc().empty_cache();
  alloc().reset_peak_stats();
  int64_t base = allocated();
  rt::Block* a = alloc().malloc(1 << 20, 0);
  rt::Block* b = alloc().malloc(1 << 20, 0);
  EXPECT_EQ(allocated() - base, 2 << 20);
  alloc().free(a);
  alloc().free(b);
  EXPECT_EQ(allocated(), base);
  EXPECT_EQ(alloc().stats().allocated_bytes[rt::kAggregate].peak - base, 2 << 20);
  alloc().reset_peak_stats();
  EXPECT_EQ(alloc().stats().allocated_bytes[rt::kAggregate].peak, base);
  alloc().empty_cache();
}

TEST(CachingAllocator, OutOfMemoryAndMaxAllocation) {
  alloc().empty_cache();
  EXPECT_THROW(alloc().malloc(rt::device_info(0).max_alloc + 1, 0), rt::Error);
  alloc().set_memory_fraction(0.0);
  try {
    alloc().malloc(1 << 20, 0);
    FAIL() << "expected OutOfMemory";
  } catch (const rt::OutOfMemory& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("out of memory"), std::string::npos) << msg;
    EXPECT_NE(msg.find("device total"), std::string::npos) << msg;
  }
  EXPECT_GE(alloc().stats().num_ooms, 1);
  alloc().set_memory_fraction(1.0);
  rt::Block* ok = alloc().malloc(1 << 20, 0);  // keeps working
  alloc().free(ok);
  EXPECT_THROW(alloc().set_memory_fraction(1.5), rt::InvalidArgument);
}

TEST(HostAllocator, PinnedBlocksAreMappedAndCached) {
  void* p = rt::host_alloc(10000);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(rt::is_pinned(p));
  EXPECT_TRUE(rt::is_pinned(static_cast<char*>(p) + 9999));
  int local = 0;
  EXPECT_FALSE(rt::is_pinned(&local));
  std::memset(p, 0x5a, 10000);
  cl_mem mem = nullptr;
  size_t off = 1;
  cl_context ctx = nullptr;
  ASSERT_TRUE(rt::host_resolve(p, &mem, &off, &ctx));
  EXPECT_EQ(off, 0u);
  rt::host_free(p);
  void* q = rt::host_alloc(9000);  // same power-of-two class: reused
  EXPECT_EQ(q, p);
  rt::host_free(q);
  rt::host_empty_cache();
  EXPECT_FALSE(rt::is_pinned(p));
}
