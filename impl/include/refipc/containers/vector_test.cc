// vector: the sequence operations, the allocator-aware requirements, a vector
// in shared memory read through a second mapping, the strong guarantee on
// bad_alloc and growth in place with a version 2 allocator.
#include "refipc/containers/vector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <list>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/testing/shm_name.hpp"
#include "refipc/containers/testing/test_allocators.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace {

using refipc::vector;
using segment_manager = refipc::managed_shared_memory::segment_manager;
template <class T>
using shm_allocator = refipc::allocator<T, segment_manager>;
using heap_manager = refipc::managed_heap_memory::segment_manager;

TEST(Vector, TypesAndIteratorCategory) {
  using v = vector<int, shm_allocator<int>>;
  static_assert(std::is_same_v<v::pointer, refipc::offset_ptr<int>>);
  static_assert(std::is_same_v<std::iterator_traits<v::iterator>::iterator_category,
                               std::random_access_iterator_tag>);
  static_assert(std::is_convertible_v<v::iterator, v::const_iterator>);
  static_assert(!std::is_convertible_v<v::const_iterator, v::iterator>);
  static_assert(std::is_nothrow_move_constructible_v<v>);
  static_assert(std::is_same_v<vector<int>::allocator_type, std::allocator<int>>);
  // The layout docs/layout.md gives: allocator, buffer, size, capacity.
  static_assert(sizeof(v) == 4 * sizeof(void*));
}

TEST(Vector, SequenceOperations) {
  vector<int> v{1, 2, 3};
  v.push_back(4);
  v.emplace_back(5);
  EXPECT_EQ(v.size(), 5u);
  v.insert(v.begin(), 0);
  v.insert(v.begin() + 3, 2, 9);
  const int more[] = {7, 8};
  v.insert(v.end(), std::begin(more), std::end(more));
  EXPECT_EQ(v, (vector<int>{0, 1, 2, 9, 9, 3, 4, 5, 7, 8}));
  v.erase(v.begin() + 3, v.begin() + 5);
  v.erase(v.begin());
  EXPECT_EQ(v, (vector<int>{1, 2, 3, 4, 5, 7, 8}));
  EXPECT_EQ(*v.emplace(v.begin() + 5, 6), 6);
  EXPECT_TRUE(std::equal(v.rbegin(), v.rend(), vector<int>{8, 7, 6, 5, 4, 3, 2, 1}.begin()));
  EXPECT_EQ(v.front(), 1);
  EXPECT_EQ(v.back(), 8);
  EXPECT_EQ(v.at(2), 3);
  EXPECT_THROW(v.at(8), std::out_of_range);
  v.pop_back();
  v.resize(10);
  EXPECT_EQ(v[9], 0);
  v.resize(3, 7);
  EXPECT_EQ(v, (vector<int>{1, 2, 3}));
  v.assign(4, 2);
  EXPECT_EQ(v, (vector<int>{2, 2, 2, 2}));
  std::istringstream in("5 6 7");
  v.insert(v.begin() + 1, std::istream_iterator<int>(in), std::istream_iterator<int>());
  EXPECT_EQ(v, (vector<int>{2, 5, 6, 7, 2, 2, 2}));
  v.reserve(100);
  EXPECT_GE(v.capacity(), 100u);
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), v.size());
  v.clear();
  EXPECT_TRUE(v.empty());
}

TEST(Vector, InsertingAnElementOfItselfWhileGrowing) {
  vector<int> v{1, 2, 3};
  v.shrink_to_fit();
  v.push_back(v[0]);
  v.insert(v.begin(), v.back());
  EXPECT_EQ(v, (vector<int>{1, 1, 2, 3, 1}));
}

TEST(Vector, Comparisons) {
  const vector<int> a{1, 2, 3}, b{1, 2, 4}, c{1, 2};
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(c < a);
  EXPECT_TRUE(b > a);
  EXPECT_TRUE(a <= a);
  EXPECT_TRUE(a >= c);
  EXPECT_TRUE(a != b);
}

TEST(Vector, MoveOnlyElements) {
  vector<std::unique_ptr<int>> v;
  for (int i = 0; i < 20; ++i) v.push_back(std::make_unique<int>(i));
  v.insert(v.begin(), std::make_unique<int>(-1));
  EXPECT_EQ(*v[0], -1);
  EXPECT_EQ(*v[20], 19);
  vector<std::unique_ptr<int>> w(std::move(v));
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(w.size(), 21u);
}

TEST(Vector, AllocatorPropagation) {
  using alloc = refipc_test::tagged_allocator<int>;
  vector<int, alloc> a({1, 2}, alloc(1));
  vector<int, alloc> copy(a);
  EXPECT_EQ(copy.get_allocator().id, 101);  // select_on_container_copy_construction
  vector<int, alloc> b({3}, alloc(2));
  b = a;  // propagates on copy assignment
  EXPECT_EQ(b.get_allocator().id, 1);
  vector<int, alloc> c({4}, alloc(3));
  c = std::move(b);
  EXPECT_EQ(c.get_allocator().id, 1);
  EXPECT_EQ(c, a);
  vector<int, alloc> d({5}, alloc(4));
  swap(c, d);
  EXPECT_EQ(c.get_allocator().id, 4);
  EXPECT_EQ(d.get_allocator().id, 1);
  vector<int, alloc> e(std::move(d), alloc(9));  // unequal: elementwise
  EXPECT_EQ(e.get_allocator().id, 9);
  EXPECT_EQ(e, a);
}

TEST(Vector, MoveAssignmentWithUnequalAllocatorsMovesElements) {
  refipc::managed_heap_memory one(64 * 1024), two(64 * 1024);
  using alloc = refipc::allocator<int, heap_manager>;
  vector<int, alloc> a({1, 2, 3}, alloc(one.get_segment_manager()));
  vector<int, alloc> b(alloc(two.get_segment_manager()));
  b = std::move(a);  // refipc::allocator does not propagate
  EXPECT_EQ(b.get_allocator().get_segment_manager(), two.get_segment_manager());
  EXPECT_TRUE(two.belongs_to_segment(b.data()));
  EXPECT_EQ(b, (vector<int, alloc>({1, 2, 3}, alloc(two.get_segment_manager()))));
}

TEST(Vector, ThrowingCopyLeavesTheVectorUnchanged) {
  using refipc_test::throwing_copy;
  vector<throwing_copy> v;
  for (int i = 0; i < 4; ++i) v.emplace_back(i);
  v.shrink_to_fit();
  const int* before = &v[0].value;
  throwing_copy::countdown = 2;  // fails while relocating
  EXPECT_THROW(v.push_back(throwing_copy(4)), std::runtime_error);
  throwing_copy::countdown = -1;
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(&v[0].value, before);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(v[i].value, i);
}

// The manual's first listing: a vector built from a range in shared memory,
// sorted through reverse iterators; a second mapping (another address) sees
// and changes the same vector.
TEST(Vector, InSharedMemoryThroughASecondMapping) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  refipc_test::scoped_shm_name name("vector");
  using shm_vector = vector<int, shm_allocator<int>>;
  refipc::managed_shared_memory first(refipc::create_only, name.c_str(), 256 * 1024);
  const int init[] = {0, 1, 2, 3, 4, 5, 6};
  shm_vector* v = first.construct<shm_vector>("MyVector")(
      std::begin(init), std::end(init), shm_allocator<int>(first.get_segment_manager()));
  std::sort(v->rbegin(), v->rend());
  for (int i = 7; i < 1000; ++i) v->insert(v->begin(), i);

  refipc::managed_shared_memory second(refipc::open_only, name.c_str());
  ASSERT_NE(second.get_address(), first.get_address());
  shm_vector* w = second.find<shm_vector>("MyVector").first;
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->size(), 1000u);
  EXPECT_TRUE(second.belongs_to_segment(w->data()));
  for (int i = 0; i < 1000; ++i) EXPECT_EQ((*w)[i], 999 - i);
  w->push_back(-1);
  w->erase(w->begin());
  EXPECT_EQ(v->size(), 1000u);
  EXPECT_EQ(v->front(), 998);
  EXPECT_EQ(v->back(), -1);
  first.destroy<shm_vector>("MyVector");
  EXPECT_TRUE(first.all_memory_deallocated());
}

// Filling a tiny segment: the push_back that cannot allocate throws bad_alloc
// and leaves size, capacity, buffer and elements as they were.
TEST(Vector, BadAllocLeavesTheVectorUnchanged) {
  refipc::managed_heap_memory heap(8 * 1024);
  using alloc = refipc::allocator<long, heap_manager>;
  vector<long, alloc> v(alloc(heap.get_segment_manager()));
  bool threw = false;
  for (long i = 0; i < 100000 && !threw; ++i) {
    const std::size_t size = v.size(), capacity = v.capacity();
    const long* data = v.data();
    try {
      v.push_back(i);
    } catch (const refipc::bad_alloc&) {
      threw = true;
      EXPECT_EQ(v.size(), size);
      EXPECT_EQ(v.capacity(), capacity);
      EXPECT_EQ(v.data(), data);
    }
  }
  ASSERT_TRUE(threw);
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], static_cast<long>(i));
  const std::size_t size = v.size();
  // Within max_size() (the whole segment) but more than the segment can give.
  EXPECT_THROW(v.insert(v.begin(), v.max_size() - size, 7L), refipc::bad_alloc);
  EXPECT_THROW(v.insert(v.begin(), v.max_size() - size + 1, 7L), std::length_error);
  EXPECT_THROW(v.reserve(v.max_size()), refipc::bad_alloc);
  EXPECT_EQ(v.size(), size);
  EXPECT_EQ(v.front(), 0);
}

// With allocation_command the buffer grows in place while the memory after
// it is free: the data never moves.
TEST(Vector, GrowsInPlaceWithAVersion2Allocator) {
  refipc::managed_heap_memory heap(1024 * 1024);
  refipc_test::v2_counts counts;
  using alloc = refipc_test::v2_allocator<int, heap_manager>;
  static_assert(refipc::containers_detail::has_allocation_command<alloc>::value);
  vector<int, alloc> v(alloc(heap.get_segment_manager(), &counts));
  v.push_back(0);
  const int* data = v.data();
  for (int i = 1; i < 10000; ++i) v.push_back(i);
  EXPECT_EQ(v.data(), data);
  EXPECT_GT(counts.expanded_in_place, 0);
  EXPECT_EQ(counts.allocated_new, 0);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(v[i], i);

  // Something allocated right after the buffer: the next growth moves it.
  const std::size_t capacity = v.capacity();
  v.resize(capacity);
  void* blocker = heap.allocate(16);
  v.push_back(1);
  EXPECT_NE(v.data(), data);
  EXPECT_EQ(counts.allocated_new, 1);
  EXPECT_EQ(v[capacity], 1);
  EXPECT_EQ(v[9999], 9999);
  heap.deallocate(blocker);
}

// refipc::allocator's allocation_command in a managed shared memory segment:
// while the memory after the buffer is free, every growth expands it in place
// (the capacity rises, data() stays); once something sits right after it, the
// next growth moves the elements.
TEST(Vector, GrowsInPlaceWithTheSegmentAllocator) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  static_assert(refipc::containers_detail::has_allocation_command<shm_allocator<int>>::value);
  refipc_test::scoped_shm_name name("vector_in_place");
  refipc::managed_shared_memory segment(refipc::create_only, name.c_str(), 1024 * 1024);
  vector<int, shm_allocator<int>> v(shm_allocator<int>(segment.get_segment_manager()));
  v.push_back(0);
  const int* data = v.data();
  std::size_t capacity = v.capacity();
  int growths = 0;
  for (int i = 1; i < 20000; ++i) {
    v.push_back(i);
    if (v.capacity() != capacity) {
      ++growths;
      capacity = v.capacity();
      ASSERT_EQ(v.data(), data) << "growth " << growths << " to capacity " << capacity;
    }
  }
  EXPECT_GE(growths, 2);
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(v[i], i);

  v.resize(v.capacity());
  void* blocker = segment.allocate(16);
  v.push_back(-1);
  EXPECT_NE(v.data(), data);
  EXPECT_EQ(v.back(), -1);
  EXPECT_EQ(v[19999], 19999);
  segment.deallocate(blocker);
}

// Containers of containers: the inner vectors get the outer allocator.
TEST(Vector, InnerContainersGetTheOuterAllocator) {
  refipc::managed_heap_memory heap(256 * 1024);
  using int_vector = vector<int, refipc::allocator<int, heap_manager>>;
  using outer_alloc = refipc::allocator<int_vector, heap_manager>;
  vector<int_vector, outer_alloc> vv(outer_alloc(heap.get_segment_manager()));
  vv.emplace_back();
  vv.emplace_back(3u, 7);
  vv.resize(4);
  for (const int_vector& inner : vv) {
    EXPECT_EQ(inner.get_allocator().get_segment_manager(), heap.get_segment_manager());
  }
  vv[0].push_back(1);
  EXPECT_TRUE(heap.belongs_to_segment(vv[0].data()));
  EXPECT_EQ(vv[1], int_vector({7, 7, 7}, vv.get_allocator()));
}

}  // namespace
