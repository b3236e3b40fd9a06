// flat_map, flat_multimap, flat_set, flat_multiset: randomized differential
// runs against the std:: node containers over refipc::allocator in a managed
// heap segment, random-access iterators, try_emplace and insert_or_assign,
// and the strong guarantee when the buffer cannot grow.
#include "refipc/containers/flat_map.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/flat_set.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using pair_allocator = refipc::allocator<std::pair<int, int>, segment_manager>;
using int_allocator = refipc::allocator<int, segment_manager>;
using shm_flat_map = refipc::flat_map<int, int, std::less<int>, pair_allocator>;
using shm_flat_multimap = refipc::flat_multimap<int, int, std::less<int>, pair_allocator>;

static_assert(std::is_same_v<std::iterator_traits<shm_flat_map::iterator>::iterator_category,
                             std::random_access_iterator_tag>);
static_assert(
    std::is_same_v<refipc::flat_set<int>::iterator, refipc::flat_set<int>::const_iterator>);

// Equal values, comparing pairs member by member (std::pair<int, int>
// against std::map's std::pair<const int, int>).
bool eq(int a, int b) { return a == b; }
template <class P, class Q>
bool eq(const P& a, const Q& b) {
  return a.first == b.first && a.second == b.second;
}

template <class A, class B>
bool same(const A& a, const B& b) {
  return a.size() == b.size() && a.check_invariants() &&
         std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return eq(x, y); });
}

template <class Map, class Model>
void random_map_run(Map& m, Model& model, std::uint32_t seed) {
  std::mt19937 rng(seed);
  for (int step = 0; step < 3000; ++step) {
    const int k = static_cast<int>(rng() % 150);
    const int v = static_cast<int>(rng() % 1000);
    switch (rng() % 6) {
      case 0:
        m.emplace(k, v);
        model.emplace(k, v);
        break;
      case 1: {
        auto lb = m.lower_bound(static_cast<int>(rng() % 150));
        auto mlb = std::next(model.begin(), std::distance(m.begin(), lb));
        EXPECT_TRUE(eq(*m.emplace_hint(lb, k, v), *model.emplace_hint(mlb, k, v)));
        break;
      }
      case 2:
        EXPECT_EQ(m.erase(k), model.erase(k));
        break;
      case 3:
        EXPECT_EQ(m.count(k), model.count(k));
        EXPECT_EQ(std::distance(m.begin(), m.upper_bound(k)),
                  std::distance(model.begin(), model.upper_bound(k)));
        break;
      case 4: {
        const int lo = static_cast<int>(rng() % 150);
        m.erase(m.lower_bound(lo), m.lower_bound(lo + 5));
        model.erase(model.lower_bound(lo), model.lower_bound(lo + 5));
        break;
      }
      case 5: {
        auto it = m.find(k);
        auto mit = model.find(k);
        ASSERT_EQ(it == m.end(), mit == model.end());
        if (it != m.end()) {
          m.erase(it);
          model.erase(mit);
        }
        break;
      }
    }
    ASSERT_TRUE(same(m, model));
  }
}

TEST(FlatMap, RandomOperationsMatchStdMapInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    shm_flat_map m(pair_allocator(heap.get_segment_manager()));
    std::map<int, int> model;
    random_map_run(m, model, 21);
    shm_flat_map copy(m);
    EXPECT_EQ(copy, m);
    shm_flat_map moved(std::move(copy));
    EXPECT_EQ(moved, m);
    EXPECT_TRUE(copy.empty());
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(FlatMultimap, RandomOperationsMatchStdMultimapInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    shm_flat_multimap m(pair_allocator(heap.get_segment_manager()));
    std::multimap<int, int> model;
    random_map_run(m, model, 22);
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

template <class Set, class Model>
void random_set_run(Set& s, Model& model, std::uint32_t seed) {
  std::mt19937 rng(seed);
  for (int step = 0; step < 3000; ++step) {
    const int k = static_cast<int>(rng() % 150);
    switch (rng() % 3) {
      case 0:
        s.insert(k);
        model.insert(k);
        break;
      case 1:
        s.insert(s.begin(), k);
        model.insert(model.begin(), k);
        break;
      case 2:
        EXPECT_EQ(s.erase(k), model.erase(k));
        break;
    }
    ASSERT_TRUE(same(s, model));
  }
}

TEST(FlatSet, RandomOperationsMatchStdSetInASegment) {
  managed_heap_memory heap(1 << 20);
  {
    refipc::flat_set<int, std::less<int>, int_allocator> s(
        int_allocator(heap.get_segment_manager()));
    std::set<int> model;
    random_set_run(s, model, 23);
    refipc::flat_multiset<int, std::less<int>, int_allocator> ms(
        int_allocator(heap.get_segment_manager()));
    std::multiset<int> mmodel;
    random_set_run(ms, mmodel, 24);
    ms.merge(s);
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(ms.size(), model.size() + mmodel.size());
    EXPECT_TRUE(ms.check_invariants());
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(FlatMap, TryEmplaceInsertOrAssignAndAt) {
  refipc::flat_map<std::string, std::unique_ptr<int>> m;
  auto p = std::make_unique<int>(1);
  EXPECT_TRUE(m.try_emplace("a", std::move(p)).second);
  auto q = std::make_unique<int>(2);
  EXPECT_FALSE(m.try_emplace("a", std::move(q)).second);
  EXPECT_NE(q, nullptr);
  m.insert_or_assign("a", std::make_unique<int>(3));
  EXPECT_EQ(*m.at("a"), 3);
  m.insert_or_assign(m.end(), "b", std::make_unique<int>(4));
  EXPECT_EQ(*m["b"], 4);
  EXPECT_EQ(m["c"], nullptr);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_THROW(m.at("d"), std::out_of_range);
  EXPECT_EQ(m.index_of(m.find("b")), 1u);
  EXPECT_EQ(m.nth(2)->first, "c");
}

TEST(FlatMap, FailedGrowthLeavesTheMapUnchanged) {
  managed_heap_memory heap(16 * 1024);
  shm_flat_map m(pair_allocator(heap.get_segment_manager()));
  std::map<int, int> model;
  bool threw = false;
  for (int i = 0; i < 100000 && !threw; ++i) {
    try {
      m.emplace(i * 3 % 1000, i);
      model.emplace(i * 3 % 1000, i);
    } catch (const refipc::bad_alloc&) {
      threw = true;
    }
  }
  ASSERT_TRUE(threw);
  EXPECT_TRUE(same(m, model));
  EXPECT_THROW(m.reserve(100000), refipc::bad_alloc);
  EXPECT_TRUE(same(m, model));
}

}  // namespace
