// slist: a randomized differential run against std::forward_list over
// refipc::allocator in a managed heap segment, plus back()/push_back and
// previous(), which forward_list lacks.
#include "refipc/containers/slist.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <forward_list>
#include <iterator>
#include <random>
#include <type_traits>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using int_allocator = refipc::allocator<int, segment_manager>;
using shm_slist = refipc::slist<int, int_allocator>;

static_assert(std::is_same_v<std::iterator_traits<shm_slist::iterator>::iterator_category,
                             std::forward_iterator_tag>);

void expect_same(const shm_slist& a, const std::forward_list<int>& b) {
  ASSERT_EQ(a.size(), static_cast<std::size_t>(std::distance(b.begin(), b.end())));
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  EXPECT_TRUE(a.check_invariants());
}

TEST(Slist, RandomOperationsMatchStdForwardListInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    std::mt19937 rng(3);
    shm_slist l(int_allocator(heap.get_segment_manager()));
    shm_slist other(int_allocator(heap.get_segment_manager()));
    std::forward_list<int> model, model_other;
    for (int step = 0; step < 6000; ++step) {
      const int v = static_cast<int>(rng() % 50);
      const std::size_t at = rng() % (l.size() + 1);
      auto it = std::next(l.before_begin(), static_cast<long>(at));
      auto mit = std::next(model.before_begin(), static_cast<long>(at));
      switch (rng() % 13) {
        case 0:
          l.push_front(v);
          model.push_front(v);
          break;
        case 1:
          if (!l.empty()) {
            l.pop_front();
            model.pop_front();
          }
          break;
        case 2:
          EXPECT_EQ(*l.emplace_after(it, v), *model.emplace_after(mit, v));
          break;
        case 3:
          l.insert_after(it, static_cast<std::size_t>(v % 4), v);
          model.insert_after(mit, static_cast<std::size_t>(v % 4), v);
          break;
        case 4:
          if (std::next(it) != l.end()) {
            l.erase_after(it);
            model.erase_after(mit);
          }
          break;
        case 5:
          l.erase_after(it, l.end());
          model.erase_after(mit, model.end());
          break;
        case 6:
          l.remove(v);
          model.remove(v);
          break;
        case 7:
          l.unique();
          model.unique();
          break;
        case 8:
          l.sort();
          model.sort();
          break;
        case 9:
          l.reverse();
          model.reverse();
          break;
        case 10:
          other.push_front(v);
          model_other.push_front(v);
          other.push_front(v + 1);
          model_other.push_front(v + 1);
          l.splice_after(it, other, other.begin(), other.end());
          model.splice_after(mit, model_other, model_other.begin(), model_other.end());
          break;
        case 11:
          other.sort();
          model_other.sort();
          l.sort();
          model.sort();
          l.merge(other);
          model.merge(model_other);
          break;
        case 12:
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

TEST(Slist, BackPushBackAndPrevious) {
  refipc::slist<int> l{1, 2};
  l.push_back(3);
  EXPECT_EQ(l.back(), 3);
  l.reverse();
  EXPECT_EQ(l.back(), 1);
  l.push_back(0);
  EXPECT_EQ(l, (refipc::slist<int>{3, 2, 1, 0}));
  EXPECT_EQ(l.previous(l.begin()), l.before_begin());
  EXPECT_EQ(*l.previous(std::next(l.begin(), 2)), 2);
  refipc::slist<int> m(std::move(l));
  EXPECT_TRUE(l.empty());
  EXPECT_TRUE(l.check_invariants());
  m.push_back(9);
  EXPECT_EQ(m.size(), 5u);
  EXPECT_TRUE(m.check_invariants());
  swap(l, m);
  l.push_back(10);
  EXPECT_EQ(l.back(), 10);
  EXPECT_TRUE(m.empty());
}

}  // namespace
