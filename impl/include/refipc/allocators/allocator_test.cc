// allocator over a managed heap segment: allocation in objects, the version 2
// members, rebinding and equality, and an allocator stored in the segment.
#include "refipc/allocators/allocator.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using int_allocator = refipc::allocator<int, segment_manager>;

constexpr std::size_t kSize = 64 * 1024;

TEST(Allocator, PointersAreOfTheSegmentsFamily) {
  static_assert(std::is_same_v<int_allocator::pointer, refipc::offset_ptr<int>>);
  static_assert(std::is_same_v<int_allocator::const_pointer, refipc::offset_ptr<const int>>);
  static_assert(
      std::is_same_v<int_allocator::rebind<char>::other, refipc::allocator<char, segment_manager>>);
  static_assert(int_allocator::version::value == 2);
  static_assert(std::is_same_v<int_allocator::version, refipc::version_type<int_allocator, 2>>);
  static_assert(refipc::allocator_version_v<int_allocator> == 2);
  // The held segment manager pointer is relative too.
  static_assert(sizeof(int_allocator) == sizeof(refipc::offset_ptr<void>));
}

TEST(Allocator, AllocatesObjectsFromTheSegment) {
  managed_heap_memory heap(kSize);
  int_allocator a = heap.get_allocator<int>();
  EXPECT_EQ(a.get_segment_manager(), heap.get_segment_manager());
  const std::size_t free_before = heap.get_free_memory();
  int_allocator::pointer p = a.allocate(100);
  ASSERT_TRUE(p);
  EXPECT_TRUE(heap.belongs_to_segment(p.get()));
  EXPECT_GE(a.size(p), 100u);
  for (int i = 0; i < 100; ++i) a.construct(p + i, i);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(p[i], i);
  for (int i = 0; i < 100; ++i) a.destroy(p + i);
  EXPECT_LT(heap.get_free_memory(), free_before);
  a.deallocate(p, 100);
  EXPECT_EQ(heap.get_free_memory(), free_before);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Allocator, TooMuchThrowsBadAlloc) {
  managed_heap_memory heap(kSize);
  int_allocator a(heap.get_segment_manager());
  EXPECT_LE(a.max_size(), kSize / sizeof(int));
  EXPECT_THROW(a.allocate(a.max_size()), refipc::bad_alloc);
  EXPECT_THROW(a.allocate(~std::size_t{0}), refipc::bad_alloc);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Allocator, RebindingKeepsTheSegmentAndEquality) {
  managed_heap_memory heap(kSize);
  managed_heap_memory other(kSize);
  int_allocator a(heap.get_segment_manager());
  refipc::allocator<char, segment_manager> c(a);
  refipc::allocator<void, segment_manager> v(a);
  int_allocator back(v);
  EXPECT_EQ(c.get_segment_manager(), heap.get_segment_manager());
  EXPECT_TRUE(a == c);
  EXPECT_TRUE(a == back);
  int_allocator elsewhere(other.get_segment_manager());
  EXPECT_TRUE(a != elsewhere);
  swap(a, elsewhere);
  EXPECT_EQ(a.get_segment_manager(), other.get_segment_manager());
  EXPECT_EQ(elsewhere.get_segment_manager(), heap.get_segment_manager());
}

TEST(Allocator, AllocationCommandCountsObjects) {
  managed_heap_memory heap(kSize);
  int_allocator a(heap.get_segment_manager());
  std::size_t received = 0;
  auto r = a.allocation_command(refipc::allocate_new, 10, 20, received);
  ASSERT_TRUE(r.first);
  EXPECT_FALSE(r.second);
  EXPECT_GE(received, 10u);
  for (std::size_t i = 0; i < received; ++i) r.first[i] = static_cast<int>(i);
  // Nothing follows the buffer, so it can grow in place.
  std::size_t grown = 0;
  auto e = a.allocation_command(refipc::expand_fwd, received + 50, received + 50, grown, r.first);
  EXPECT_EQ(e.first, r.first);
  EXPECT_TRUE(e.second);
  EXPECT_GE(grown, received + 50);
  for (std::size_t i = 0; i < received; ++i) EXPECT_EQ(r.first[i], static_cast<int>(i));
  EXPECT_EQ(a.size(r.first), grown);
  std::size_t none = 0;
  EXPECT_THROW(a.allocation_command(refipc::allocate_new, a.max_size() + 1, a.max_size() + 1, none),
               refipc::bad_alloc);
  EXPECT_FALSE(a.allocation_command(refipc::allocate_new | refipc::nothrow_allocation,
                                    a.max_size() + 1, a.max_size() + 1, none)
                   .first);
  a.deallocate(r.first, grown);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Allocator, ManyAndIndividualAllocations) {
  managed_heap_memory heap(kSize);
  int_allocator a(heap.get_segment_manager());
  int_allocator::multiallocation_chain chain = a.allocate_many(4, 10);
  EXPECT_EQ(chain.size(), 10u);
  const std::size_t sizes[] = {1, 2, 3};
  int_allocator::multiallocation_chain sized = a.allocate_many(sizes, 3);
  EXPECT_EQ(sized.size(), 3u);
  int_allocator::multiallocation_chain single = a.allocate_individual(5);
  EXPECT_EQ(single.size(), 5u);
  int_allocator::pointer one = a.allocate_one();
  *one = 7;
  EXPECT_EQ(*one, 7);
  a.deallocate_one(one);
  a.deallocate_many(std::move(chain));
  a.deallocate_many(std::move(sized));
  a.deallocate_individual(std::move(single));
  EXPECT_TRUE(heap.all_memory_deallocated());
  EXPECT_THROW(a.allocate_many(kSize, 2), refipc::bad_alloc);
}

TEST(Allocator, BoostContainerFormsOfTheVersion2Members) {
  managed_heap_memory heap(kSize);
  int_allocator a(heap.get_segment_manager());
  // allocation_command with the size in/out and `reuse` in/out.
  int_allocator::pointer reuse;
  std::size_t size = 16;
  int_allocator::pointer p =
      a.allocation_command(refipc::allocate_new | refipc::expand_fwd, 16, size, reuse);
  ASSERT_TRUE(p);
  EXPECT_FALSE(reuse);  // a new buffer: the expansion flag needs a reuse buffer
  EXPECT_GE(size, 16u);
  reuse = p;
  std::size_t bigger = size * 4;
  int_allocator::pointer q = a.allocation_command(refipc::expand_fwd, size * 4, bigger, reuse);
  EXPECT_EQ(q, p);
  EXPECT_EQ(reuse, p);  // kept: expanded in place
  EXPECT_GE(bigger, size * 4);
  a.deallocate(p, bigger);
  // The chain filled and emptied by reference.
  int_allocator::multiallocation_chain chain;
  a.allocate_individual(3, chain);
  a.allocate_individual(2, chain);
  EXPECT_EQ(chain.size(), 5u);
  a.deallocate_individual(chain);
  EXPECT_TRUE(chain.empty());
  a.allocate_many(2, 4, chain);
  EXPECT_EQ(chain.size(), 4u);
  for (int& first : chain) EXPECT_GE(a.size(int_allocator::pointer(&first)), 2u);
  a.deallocate_many(chain);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

struct move_only {
  explicit move_only(int v) : value(v) {}
  move_only(move_only&&) = default;
  move_only(const move_only&) = delete;
  int value;
};

TEST(Allocator, ConstructForwardsItsArguments) {
  managed_heap_memory heap(kSize);
  refipc::allocator<move_only, segment_manager> a(heap.get_segment_manager());
  auto p = a.allocate(2);
  a.construct(p, 4);
  a.construct(p.get() + 1, move_only(5));  // a raw pointer, as allocator_traits passes
  EXPECT_EQ(p[0].value, 4);
  EXPECT_EQ(p[1].value, 5);
  a.destroy(p);
  a.destroy(p.get() + 1);
  a.deallocate(p, 2);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

// Allocators hold a relative pointer, so one stored in the segment works at
// any address the segment is mapped at (here: the copy after grow()).
TEST(Allocator, AnAllocatorStoredInTheSegmentWorks) {
  managed_heap_memory heap(kSize);
  heap.construct<int_allocator>("allocator")(heap.get_segment_manager());
  heap.grow(kSize);
  int_allocator* stored = heap.find<int_allocator>("allocator").first;
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->get_segment_manager(), heap.get_segment_manager());
  int_allocator::pointer p = stored->allocate(10);
  EXPECT_TRUE(heap.belongs_to_segment(p.get()));
  stored->deallocate(p, 10);
  heap.destroy<int_allocator>("allocator");
  EXPECT_TRUE(heap.all_memory_deallocated());
}

}  // namespace
