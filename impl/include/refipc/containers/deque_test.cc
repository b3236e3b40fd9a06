// deque: both ends, the middle, a model check against std::deque, the
// allocator-aware requirements, a deque in shared memory through a second
// mapping and the strong guarantee on bad_alloc.
#include "refipc/containers/deque.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <iterator>
#include <random>
#include <type_traits>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/testing/shm_name.hpp"
#include "refipc/containers/testing/test_allocators.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/managed_shared_memory.hpp"

namespace {

using refipc::deque;
using segment_manager = refipc::managed_shared_memory::segment_manager;
using heap_manager = refipc::managed_heap_memory::segment_manager;

TEST(Deque, TypesAndIteratorCategory) {
  using d = deque<int, refipc::allocator<int, segment_manager>>;
  static_assert(std::is_same_v<d::pointer, refipc::offset_ptr<int>>);
  static_assert(std::is_same_v<std::iterator_traits<d::iterator>::iterator_category,
                               std::random_access_iterator_tag>);
  static_assert(std::is_convertible_v<d::iterator, d::const_iterator>);
  static_assert(std::is_nothrow_move_constructible_v<d>);
  // The layout docs/layout.md gives: allocator, map, map size, start, size.
  static_assert(sizeof(d) == 40);
}

// Random operations at both ends and in the middle, checked against
// std::deque after each step.
TEST(Deque, BehavesLikeStdDeque) {
  std::mt19937 rng(16);
  deque<int> d;
  std::deque<int> model;
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(rng() % 8);
    const int v = static_cast<int>(rng() % 1000);
    const std::size_t at = model.empty() ? 0 : rng() % (model.size() + 1);
    if (op <= 1) {
      d.push_back(v);
      model.push_back(v);
    } else if (op <= 3) {
      d.push_front(v);
      model.push_front(v);
    } else if (op == 4 && !model.empty()) {
      d.pop_back();
      model.pop_back();
    } else if (op == 5 && !model.empty()) {
      d.pop_front();
      model.pop_front();
    } else if (op == 6) {
      d.insert(d.begin() + at, v);
      model.insert(model.begin() + at, v);
    } else if (op == 7 && at < model.size()) {
      const std::size_t n = std::min<std::size_t>(rng() % 5, model.size() - at);
      d.erase(d.begin() + at, d.begin() + at + n);
      model.erase(model.begin() + at, model.begin() + at + n);
    }
    ASSERT_EQ(d.size(), model.size());
    if (step % 97 == 0) {
      ASSERT_TRUE(std::equal(d.begin(), d.end(), model.begin(), model.end()));
    }
  }
  ASSERT_TRUE(std::equal(d.begin(), d.end(), model.begin(), model.end()));
  EXPECT_TRUE(std::equal(d.rbegin(), d.rend(), model.rbegin(), model.rend()));
}

TEST(Deque, ConstructionAssignmentAndComparison) {
  deque<int> a{1, 2, 3};
  deque<int> b(a);
  EXPECT_EQ(a, b);
  b.push_front(0);
  EXPECT_TRUE(b < a);
  deque<int> c(std::move(b));
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(c.front(), 0);
  c = a;
  EXPECT_EQ(c, a);
  c.assign(5, 9);
  EXPECT_EQ(c, deque<int>(5, 9));
  c.resize(2);
  c.insert(c.begin() + 1, 3, 4);
  EXPECT_EQ(c, (deque<int>{9, 4, 4, 4, 9}));
  EXPECT_EQ(c.at(4), 9);
  EXPECT_THROW(c.at(5), std::out_of_range);
  swap(a, c);
  EXPECT_EQ(a.size(), 5u);
  c.clear();
  EXPECT_TRUE(c.empty());
}

TEST(Deque, AllocatorPropagation) {
  using alloc = refipc_test::tagged_allocator<int>;
  deque<int, alloc> a({1, 2}, alloc(1));
  deque<int, alloc> copy(a);
  EXPECT_EQ(copy.get_allocator().id, 101);
  deque<int, alloc> b({3}, alloc(2));
  b = a;
  EXPECT_EQ(b.get_allocator().id, 1);
  deque<int, alloc> c(std::move(b), alloc(7));
  EXPECT_EQ(c.get_allocator().id, 7);
  EXPECT_EQ(c, a);
}

// A queue that only ever moves forward keeps its map bounded.
TEST(Deque, QueueUseKeepsMemoryBounded) {
  refipc::managed_heap_memory heap(64 * 1024);
  using alloc = refipc::allocator<int, heap_manager>;
  deque<int, alloc> q(alloc(heap.get_segment_manager()));
  for (int i = 0; i < 1000000; ++i) {
    q.push_back(i);
    if (q.size() > 300) q.pop_front();
  }
  EXPECT_EQ(q.front(), 1000000 - 300);
  q.clear();
  q.shrink_to_fit();
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Deque, InSharedMemoryThroughASecondMapping) {
  refipc_test::scoped_shm_name name("deque");
  using char_alloc = refipc::allocator<char, segment_manager>;
  using shm_string = refipc::basic_string<char, std::char_traits<char>, char_alloc>;
  using shm_deque = deque<shm_string, refipc::allocator<shm_string, segment_manager>>;
  refipc::managed_shared_memory first(refipc::create_only, name.c_str(), 256 * 1024);
  shm_deque* d = first.construct<shm_deque>("deque")(first.get_segment_manager());
  for (int i = 0; i < 500; ++i) {
    d->emplace_back(std::to_string(i).c_str());
    d->emplace_front(std::to_string(-i).c_str());
  }
  refipc::managed_shared_memory second(refipc::open_only, name.c_str());
  ASSERT_NE(second.get_address(), first.get_address());
  shm_deque* e = second.find<shm_deque>("deque").first;
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->size(), 1000u);
  EXPECT_EQ(e->front(), "-499");
  EXPECT_EQ(e->back(), "499");
  EXPECT_EQ((*e)[500], "0");
  e->pop_front();
  e->emplace(e->begin() + 10, "ten");
  EXPECT_EQ((*d)[10], "ten");
  EXPECT_TRUE(second.belongs_to_segment((*e)[10].c_str()));
  first.destroy_ptr(d);
  EXPECT_TRUE(first.all_memory_deallocated());
}

TEST(Deque, BadAllocLeavesTheDequeUnchanged) {
  refipc::managed_heap_memory heap(8 * 1024);
  using alloc = refipc::allocator<long, heap_manager>;
  deque<long, alloc> d(alloc(heap.get_segment_manager()));
  std::deque<long> model;
  bool threw = false;
  for (long i = 0; !threw; ++i) {
    try {
      if (i % 2) {
        d.push_back(i);
        model.push_back(i);
      } else {
        d.push_front(i);
        model.push_front(i);
      }
    } catch (const refipc::bad_alloc&) {
      threw = true;
    }
    ASSERT_TRUE(std::equal(d.begin(), d.end(), model.begin(), model.end()));
  }
  EXPECT_THROW(d.insert(d.begin() + 1, 10000, 5L), refipc::bad_alloc);
  EXPECT_TRUE(std::equal(d.begin(), d.end(), model.begin(), model.end()));
}

}  // namespace
