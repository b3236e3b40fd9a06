// set and multiset: a randomized differential run against std::set /
// std::multiset over refipc::allocator in a managed heap segment, constant
// iterators, heterogeneous lookup and merge between set and multiset.
#include "refipc/containers/set.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <type_traits>

#include "refipc/allocators/allocator.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using int_allocator = refipc::allocator<int, segment_manager>;

static_assert(std::is_same_v<refipc::set<int>::iterator, refipc::set<int>::const_iterator>);
static_assert(std::is_const_v<std::remove_reference_t<decltype(*refipc::set<int>().begin())>>);

template <class Set, class Model>
void random_run(Set& s, Model& model, std::uint32_t seed) {
  std::mt19937 rng(seed);
  for (int step = 0; step < 5000; ++step) {
    const int k = static_cast<int>(rng() % 300);
    switch (rng() % 6) {
      case 0:
        s.insert(k);
        model.insert(k);
        break;
      case 1:
        s.emplace_hint(s.lower_bound(k), k);
        model.emplace_hint(model.lower_bound(k), k);
        break;
      case 2:
        EXPECT_EQ(s.erase(k), model.erase(k));
        break;
      case 3:
        EXPECT_EQ(s.count(k), model.count(k));
        EXPECT_EQ(s.find(k) == s.end(), model.find(k) == model.end());
        break;
      case 4:
        s.insert(s.end(), k);
        model.insert(model.end(), k);
        break;
      case 5:
        s.insert(s.begin(), k);
        model.insert(model.begin(), k);
        break;
    }
    ASSERT_EQ(s.size(), model.size());
    ASSERT_TRUE(std::equal(s.begin(), s.end(), model.begin(), model.end()));
    ASSERT_TRUE(s.check_invariants());
  }
}

TEST(Set, RandomOperationsMatchStdSetInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    refipc::set<int, std::less<int>, int_allocator> s(int_allocator(heap.get_segment_manager()));
    std::set<int> model;
    random_run(s, model, 5);
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Multiset, RandomOperationsMatchStdMultisetInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    refipc::multiset<int, std::less<int>, int_allocator> s(
        int_allocator(heap.get_segment_manager()));
    std::multiset<int> model;
    random_run(s, model, 6);
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Set, TransparentComparatorFindsByAnotherType) {
  refipc::set<std::string, std::less<>> s{"apple", "pear"};
  EXPECT_NE(s.find("pear"), s.end());
  EXPECT_EQ(s.count("plum"), 0u);
  EXPECT_EQ(*s.lower_bound("b"), "pear");
}

TEST(Set, MergeWithMultiset) {
  refipc::multiset<int> m{1, 1, 2};
  refipc::set<int> s{2};
  s.merge(m);
  EXPECT_EQ(s, (refipc::set<int>{1, 2}));
  EXPECT_EQ(m, (refipc::multiset<int>{1, 2}));
  m.merge(s);
  EXPECT_EQ(m.size(), 4u);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.value_comp()(1, 2), true);
}

}  // namespace
