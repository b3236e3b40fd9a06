// list: a randomized differential run against std::list over
// refipc::allocator in a managed heap segment, the list operations
// (splice, merge, sort, unique, remove_if, reverse) and the strong guarantee
// of the multi-element inserts.
#include "refipc/containers/list.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <iterator>
#include <list>
#include <random>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using int_allocator = refipc::allocator<int, segment_manager>;
using shm_list = refipc::list<int, int_allocator>;

static_assert(std::is_same_v<std::iterator_traits<shm_list::iterator>::iterator_category,
                             std::bidirectional_iterator_tag>);
static_assert(std::is_nothrow_move_constructible_v<shm_list>);

template <class A, class B>
void expect_same(const A& a, const B& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  EXPECT_TRUE(std::equal(a.rbegin(), a.rend(), b.rbegin(), b.rend()));
  EXPECT_TRUE(a.check_invariants());
}

TEST(List, RandomOperationsMatchStdListInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    std::mt19937 rng(7);
    shm_list l(int_allocator(heap.get_segment_manager()));
    shm_list other(int_allocator(heap.get_segment_manager()));
    std::list<int> model, model_other;
    for (int step = 0; step < 6000; ++step) {
      const int v = static_cast<int>(rng() % 50);
      const std::size_t at = l.empty() ? 0 : rng() % (l.size() + 1);
      auto it = std::next(l.begin(), static_cast<long>(at));
      auto mit = std::next(model.begin(), static_cast<long>(at));
      switch (rng() % 16) {
        case 0:
          l.push_back(v);
          model.push_back(v);
          break;
        case 1:
          l.push_front(v);
          model.push_front(v);
          break;
        case 2:
          if (!l.empty()) {
            l.pop_back();
            model.pop_back();
          }
          break;
        case 3:
          if (!l.empty()) {
            l.pop_front();
            model.pop_front();
          }
          break;
        case 4:
          EXPECT_EQ(*l.emplace(it, v), *model.emplace(mit, v));
          break;
        case 5:
          l.insert(it, static_cast<std::size_t>(v % 4), v);
          model.insert(mit, static_cast<std::size_t>(v % 4), v);
          break;
        case 6:
          if (it != l.end()) {
            l.erase(it);
            model.erase(mit);
          }
          break;
        case 7:
          l.erase(it, l.end());
          model.erase(mit, model.end());
          break;
        case 8:
          l.remove(v);
          model.remove(v);
          break;
        case 9:
          l.remove_if([v](int x) { return x % 7 == v % 7; });
          model.remove_if([v](int x) { return x % 7 == v % 7; });
          break;
        case 10:
          l.unique();
          model.unique();
          break;
        case 11:
          l.sort();
          model.sort();
          break;
        case 12:
          l.reverse();
          model.reverse();
          break;
        case 13:
          other.push_back(v);
          model_other.push_back(v);
          other.push_front(v + 1);
          model_other.push_front(v + 1);
          l.splice(it, other, std::next(other.begin()), other.end());
          model.splice(mit, model_other, std::next(model_other.begin()), model_other.end());
          break;
        case 14: {
          other.sort();
          model_other.sort();
          l.sort(std::greater<int>());
          model.sort(std::greater<int>());
          other.reverse();
          model_other.reverse();
          l.merge(other, std::greater<int>());
          model.merge(model_other, std::greater<int>());
          break;
        }
        case 15:
          l.resize(static_cast<std::size_t>(v), v);
          model.resize(static_cast<std::size_t>(v), v);
          break;
      }
      expect_same(l, model);
      expect_same(other, model_other);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(List, SortIsStable) {
  refipc::list<std::pair<int, int>> l;
  for (int i = 0; i < 100; ++i) l.emplace_back(i % 5, i);
  l.sort([](const auto& a, const auto& b) { return a.first < b.first; });
  int last_key = -1, last_seq = -1;
  for (auto& e : l) {
    if (e.first == last_key) {
      EXPECT_GT(e.second, last_seq);
    }
    EXPECT_GE(e.first, last_key);
    last_key = e.first;
    last_seq = e.second;
  }
}

TEST(List, SpliceMovesNodesNotValues) {
  refipc::list<int> a{1, 2, 3};
  refipc::list<int> b{10, 20};
  const int* twenty = &b.back();
  a.splice(a.begin(), b, std::prev(b.end()));
  EXPECT_EQ(&a.front(), twenty);
  EXPECT_EQ(a, (refipc::list<int>{20, 1, 2, 3}));
  a.splice(a.end(), std::move(b));
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(a.size(), 5u);
  a.splice(a.begin(), a, std::prev(a.end()), a.end());
  EXPECT_EQ(a, (refipc::list<int>{10, 20, 1, 2, 3}));
}

// Throws on the n-th copy, to check the strong guarantee.
struct fragile {
  static int countdown;
  int v;
  explicit fragile(int x) : v(x) {}
  fragile(const fragile& o) : v(o.v) {
    if (--countdown == 0) throw std::runtime_error("copy");
  }
  bool operator==(const fragile& o) const { return v == o.v; }
};
int fragile::countdown = 0;

TEST(List, RangeInsertThatThrowsLeavesTheListUnchanged) {
  refipc::list<fragile> l;
  l.emplace_back(1);
  l.emplace_back(2);
  std::vector<fragile> src{fragile(7), fragile(8), fragile(9)};
  fragile::countdown = 3;
  EXPECT_THROW(l.insert(std::next(l.begin()), src.begin(), src.end()), std::runtime_error);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l.front().v, 1);
  EXPECT_EQ(l.back().v, 2);
  fragile::countdown = 2;
  EXPECT_THROW(l.resize(5, fragile(0)), std::runtime_error);
  EXPECT_EQ(l.size(), 2u);
  EXPECT_TRUE(l.check_invariants());
  fragile::countdown = 0;
}

TEST(List, MoveAssignmentAndSwapRelinkTheHeader) {
  managed_heap_memory heap(1 << 16);
  {
    shm_list a({1, 2, 3}, int_allocator(heap.get_segment_manager()));
    shm_list b(int_allocator(heap.get_segment_manager()));
    b = std::move(a);
    EXPECT_TRUE(a.empty());
    EXPECT_TRUE(a.check_invariants());
    EXPECT_TRUE(b.check_invariants());
    a.push_back(4);
    swap(a, b);
    EXPECT_EQ(a.size(), 3u);
    EXPECT_EQ(b.front(), 4);
    EXPECT_TRUE(a.check_invariants());
    EXPECT_TRUE(b.check_invariants());
    shm_list c(a);
    EXPECT_EQ(c, a);
    EXPECT_TRUE(a < b);
    EXPECT_FALSE(b < a);
    c.assign({9, 9});
    EXPECT_EQ(c.size(), 2u);
    EXPECT_EQ(c.get_allocator(), a.get_allocator());
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

}  // namespace
