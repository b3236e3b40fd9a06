// refipc's containers over Boost.Interprocess's allocator in a Boost managed
// segment: they rely only on std::allocator_traits and the allocator's
// pointer (Boost's offset_ptr here), so another implementation's allocator
// works too.
#include <gtest/gtest.h>

#include <boost/interprocess/allocators/allocator.hpp>
#include <boost/interprocess/managed_heap_memory.hpp>
#include <map>
#include <random>
#include <utility>

#include "refipc/containers/flat_map.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/slist.hpp"

namespace {

namespace bip = boost::interprocess;
using manager = bip::managed_heap_memory::segment_manager;
template <class T>
using alloc = bip::allocator<T, manager>;

TEST(BoostAllocator, MapListAndFlatMapMatchStd) {
  bip::managed_heap_memory heap(1 << 20);
  {
    refipc::map<int, int, std::less<int>, alloc<std::pair<const int, int>>> m(
        alloc<int>(heap.get_segment_manager()));
    refipc::flat_map<int, int, std::less<int>, alloc<std::pair<int, int>>> f(
        alloc<int>(heap.get_segment_manager()));
    refipc::list<int, alloc<int>> l(alloc<int>(heap.get_segment_manager()));
    refipc::slist<int, alloc<int>> s(alloc<int>(heap.get_segment_manager()));
    std::map<int, int> model;
    std::mt19937 rng(1);
    for (int i = 0; i < 3000; ++i) {
      const int k = static_cast<int>(rng() % 300);
      if (rng() % 3 == 0) {
        EXPECT_EQ(m.erase(k), model.erase(k));
        f.erase(k);
      } else {
        m.emplace(k, i);
        f.emplace(k, i);
        model.emplace(k, i);
      }
      l.push_back(k);
      s.push_front(k);
    }
    ASSERT_TRUE(m.check_invariants());
    ASSERT_TRUE(f.check_invariants());
    EXPECT_TRUE(std::equal(m.begin(), m.end(), model.begin(), model.end()));
    EXPECT_TRUE(std::equal(
        f.begin(), f.end(), model.begin(), model.end(),
        [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; }));
    for (const auto& e : m) EXPECT_TRUE(heap.belongs_to_segment(&e));
    l.sort();
    l.unique();
    EXPECT_TRUE(l.check_invariants());
    EXPECT_LE(l.size(), 300u);
    s.reverse();
    EXPECT_EQ(s.size(), 3000u);
    EXPECT_TRUE(s.check_invariants());
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

}  // namespace
