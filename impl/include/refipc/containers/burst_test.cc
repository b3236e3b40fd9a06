// The node containers take the nodes of many new elements in one
// allocate_individual call from a version 2 allocator, give them back in
// one deallocate_individual call on clear, and keep their guarantees when
// the burst or an element's construction fails (no node left behind).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <forward_list>
#include <iterator>
#include <list>
#include <new>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "refipc/allocators/node_allocator.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/containers/slist.hpp"
#include "refipc/containers/testing/burst_allocator.hpp"
#include "refipc/containers/testing/test_allocators.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using refipc_test::burst_counts;
using refipc_test::throwing_copy;
template <class T>
using burst_alloc = refipc_test::burst_allocator<T, segment_manager>;

struct Burst : ::testing::Test {
  managed_heap_memory heap{1 << 20};
  burst_counts counts;
  template <class T>
  burst_alloc<T> alloc() {
    return burst_alloc<T>(heap.get_segment_manager(), &counts);
  }
  void TearDown() override {
    EXPECT_EQ(counts.live, 0u);
    EXPECT_TRUE(heap.all_memory_deallocated());
  }
};

// Counts of one container's life: built from a range of n, copied, cleared.
template <class Container, class Alloc>
void expect_bursts(Burst& t, Alloc a, const std::vector<int>& values) {
  const std::size_t n = values.size();
  {
    Container c(values.begin(), values.end(), a);
    EXPECT_EQ(t.counts.individual, 1);
    EXPECT_EQ(t.counts.individual_nodes, n);
    EXPECT_EQ(t.counts.one, 0);
    EXPECT_EQ(t.counts.live, n);
    Container copy(c);
    EXPECT_EQ(t.counts.individual, 2);
    EXPECT_EQ(t.counts.one, 0);
    EXPECT_TRUE(std::equal(c.begin(), c.end(), copy.begin(), copy.end()));
    copy.clear();
    EXPECT_EQ(t.counts.released_individual, 1);
    EXPECT_EQ(t.counts.live, n);
  }
  EXPECT_EQ(t.counts.released_individual, 2);
}

std::vector<int> iota(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = (i * 37) % n;
  return v;
}

TEST_F(Burst, ListRangeAndCopyTakeOneBurstAndClearGivesOneBack) {
  expect_bursts<refipc::list<int, burst_alloc<int>>>(*this, alloc<int>(), iota(100));
}
TEST_F(Burst, SlistRangeAndCopyTakeOneBurstAndClearGivesOneBack) {
  expect_bursts<refipc::slist<int, burst_alloc<int>>>(*this, alloc<int>(), iota(100));
}
TEST_F(Burst, SetRangeAndCopyTakeOneBurstAndClearGivesOneBack) {
  expect_bursts<refipc::multiset<int, std::less<int>, burst_alloc<int>>>(*this, alloc<int>(),
                                                                         iota(100));
}

TEST_F(Burst, SingleInsertsTakeOneNode) {
  refipc::list<int, burst_alloc<int>> l(alloc<int>());
  l.push_back(1);
  l.emplace_front(0);
  refipc::map<int, int, std::less<int>, burst_alloc<std::pair<const int, int>>> m(
      alloc<std::pair<const int, int>>());
  m.emplace(1, 2);
  EXPECT_EQ(counts.one, 3);
  EXPECT_EQ(counts.individual, 0);
}

TEST_F(Burst, InsertNAssignResizeAndSizedConstructorsTakeOneBurstEach) {
  refipc::list<int, burst_alloc<int>> l(5, 7, alloc<int>());
  l.insert(l.begin(), 10, 1);
  l.resize(30);
  l.assign(40, 2);  // 30 assigned, 10 new
  refipc::slist<int, burst_alloc<int>> s(8, alloc<int>());
  s.insert_after(s.before_begin(), 3, 4);
  EXPECT_EQ(counts.individual, 6);
  EXPECT_EQ(counts.individual_nodes, 5u + 10 + 15 + 10 + 8 + 3);
  EXPECT_EQ(counts.one, 0);
  EXPECT_EQ(counts.live, l.size() + s.size());
}

TEST_F(Burst, MapRangeInsertGivesBackTheNodesOfPresentKeys) {
  std::vector<std::pair<int, int>> v;
  for (int i = 0; i < 50; ++i) v.emplace_back(i % 20, i);
  refipc::map<int, int, std::less<int>, burst_alloc<std::pair<const int, int>>> m(
      alloc<std::pair<const int, int>>());
  m.insert(v.begin(), v.end());
  EXPECT_EQ(m.size(), 20u);
  EXPECT_EQ(counts.individual, 1);
  EXPECT_EQ(counts.individual_nodes, 50u);
  EXPECT_EQ(counts.live, 20u);
  EXPECT_EQ(m.at(3), 3);  // the first of equal keys stays
}

TEST_F(Burst, InputIteratorsTakeNodesOneByOne) {
  std::istringstream in("1 2 3 4");
  refipc::list<int, burst_alloc<int>> l(std::istream_iterator<int>(in),
                                        std::istream_iterator<int>(), alloc<int>());
  EXPECT_EQ(l.size(), 4u);
  EXPECT_EQ(counts.individual, 0);
  EXPECT_EQ(counts.one, 4);
}

// A burst that cannot be had changes nothing.
TEST_F(Burst, AFailedBurstLeavesTheContainerUnchanged) {
  refipc::list<int, burst_alloc<int>> l({1, 2, 3}, alloc<int>());
  refipc::slist<int, burst_alloc<int>> s({1, 2, 3}, alloc<int>());
  refipc::set<int, std::less<int>, burst_alloc<int>> set({1, 2, 3}, alloc<int>());
  counts.limit = counts.live + 2;
  const std::vector<int> more(6, 9);
  const std::vector<int> keys = iota(6);
  EXPECT_THROW(l.insert(l.begin(), more.begin(), more.end()), std::bad_alloc);
  EXPECT_THROW(s.insert_after(s.before_begin(), 6, 9), std::bad_alloc);
  EXPECT_THROW((refipc::list<int, burst_alloc<int>>(l)), std::bad_alloc);
  EXPECT_THROW(set.insert(keys.begin(), keys.end()), std::bad_alloc);
  EXPECT_EQ(counts.live, 9u);
  counts.limit = ~std::size_t{0};
  EXPECT_EQ(l, (refipc::list<int, burst_alloc<int>>({1, 2, 3}, alloc<int>())));
  EXPECT_TRUE(l.check_invariants());
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(set.size(), 3u);
}

// An element that throws mid-way: the nodes built so far and the burst's
// unused ones all go back; the list and slist are unchanged (strong), the
// tree keeps what it had inserted (basic) and is sound.
TEST_F(Burst, AThrowingElementMidBurstLeavesNoNodeBehind) {
  using list_t = refipc::list<throwing_copy, burst_alloc<throwing_copy>>;
  using slist_t = refipc::slist<throwing_copy, burst_alloc<throwing_copy>>;
  const std::vector<throwing_copy> src{throwing_copy(1), throwing_copy(2), throwing_copy(3),
                                       throwing_copy(4), throwing_copy(5), throwing_copy(6)};
  list_t l(alloc<throwing_copy>());
  l.emplace_back(0);
  slist_t s(alloc<throwing_copy>());
  s.emplace_front(0);
  throwing_copy::countdown = 3;
  EXPECT_THROW(l.insert(l.end(), src.begin(), src.end()), std::runtime_error);
  throwing_copy::countdown = 3;
  EXPECT_THROW(s.insert_after(s.before_begin(), src.begin(), src.end()), std::runtime_error);
  throwing_copy::countdown = 2;
  EXPECT_THROW(list_t(src.begin(), src.end(), alloc<throwing_copy>()), std::runtime_error);
  throwing_copy::countdown = -1;
  EXPECT_EQ(l.size(), 1u);
  EXPECT_TRUE(l.check_invariants());
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(counts.individual, 3);
  EXPECT_EQ(counts.live, 2u);

  std::vector<int> keys = iota(10);
  refipc::set<int, std::less<int>, burst_alloc<int>> set(alloc<int>());
  struct throwing_key {
    int k;
    operator int() const {  // NOLINT: implicit
      if (k == 7) throw std::runtime_error("key");
      return k;
    }
  };
  std::vector<throwing_key> tk;
  for (int k : keys) tk.push_back(throwing_key{k});
  EXPECT_THROW(set.insert(tk.begin(), tk.end()), std::runtime_error);
  EXPECT_EQ(set.size(), 1u);  // 0, then 7 throws
  EXPECT_TRUE(set.check_invariants());
  EXPECT_EQ(counts.live, 2u + set.size());
}

// A comparator that throws while a new node's place is sought leaves no node
// behind: emplace and emplace_hint, unique and equal keys.
TEST_F(Burst, AThrowingComparatorLeavesNoNode) {
  struct picky_less {
    bool operator()(int a, int b) const {
      if (a == 13 || b == 13) throw std::runtime_error("compare");
      return a < b;
    }
  };
  refipc::set<int, picky_less, burst_alloc<int>> set(alloc<int>());
  refipc::multiset<int, picky_less, burst_alloc<int>> multi(alloc<int>());
  set.insert(1);
  multi.insert(1);
  EXPECT_THROW(set.emplace(13), std::runtime_error);
  EXPECT_THROW(set.emplace_hint(set.end(), 13), std::runtime_error);
  EXPECT_THROW(multi.emplace(13), std::runtime_error);
  EXPECT_THROW(multi.emplace_hint(multi.end(), 13), std::runtime_error);
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(multi.size(), 1u);
  EXPECT_EQ(counts.live, 2u);
}

// Through allocate_one and allocate_individual, a node_allocator's
// containers take their nodes from its pool, not from the segment.
TEST(BurstPool, NodeAllocatorContainersTakeTheirNodesFromThePool) {
  managed_heap_memory heap(1 << 20);
  segment_manager* mgr = heap.get_segment_manager();
  using node = refipc::containers_detail::list_node<int, refipc::offset_ptr<void>>;
  refipc::node_allocator<node, segment_manager> nodes(mgr);
  auto* pool = nodes.get_node_pool();
  {
    using alloc = refipc::node_allocator<int, segment_manager>;
    refipc::list<int, alloc> l(alloc{mgr});
    l.push_back(1);
    EXPECT_EQ(pool->num_blocks(mgr), 1u);
    EXPECT_EQ(pool->num_free_blocks(mgr), 0u);
    l.insert(l.end(), pool->pool().nodes_per_block() * 2, 2);
    EXPECT_EQ(pool->num_blocks(mgr), 3u);
  }
  EXPECT_EQ(pool->num_free_blocks(mgr), 3u);
  nodes.deallocate_free_blocks();
  EXPECT_EQ(pool->num_blocks(mgr), 0u);
}

}  // namespace
