// map and multimap: the interface against std::map / std::multimap, in a
// randomized differential run over refipc::allocator in a managed heap
// segment, plus try_emplace, insert_or_assign, merge, allocator propagation
// and the tree's balance after every operation.
#include "refipc/containers/map.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::managed_heap_memory;
using segment_manager = managed_heap_memory::segment_manager;
using pair_allocator = refipc::allocator<std::pair<const int, int>, segment_manager>;
using shm_map = refipc::map<int, int, std::less<int>, pair_allocator>;
using shm_multimap = refipc::multimap<int, int, std::less<int>, pair_allocator>;

template <class A, class B>
void expect_same(const A& a, const B& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  EXPECT_TRUE(a.check_invariants());
}

static_assert(std::is_same_v<std::iterator_traits<shm_map::iterator>::iterator_category,
                             std::bidirectional_iterator_tag>);
static_assert(std::is_same_v<shm_map::value_type, std::pair<const int, int>>);
static_assert(std::is_same_v<shm_map::allocator_type, pair_allocator>);
static_assert(std::is_nothrow_move_constructible_v<shm_map>);

TEST(Map, DefaultsAreStdAllocatorAndLess) {
  refipc::map<int, std::string> m{{2, "b"}, {1, "a"}};
  static_assert(std::is_same_v<decltype(m)::allocator_type,
                               std::allocator<std::pair<const int, std::string>>>);
  EXPECT_EQ(m.begin()->second, "a");
  EXPECT_EQ(m.at(2), "b");
  EXPECT_THROW(m.at(3), std::out_of_range);
  m[3] = "c";
  EXPECT_EQ(m.size(), 3u);
}

template <class Map, class Model>
void random_run(Map& m, Model& model, bool multi, std::uint32_t seed) {
  std::mt19937 rng(seed);
  for (int step = 0; step < 4000; ++step) {
    const int k = static_cast<int>(rng() % 200);
    const int v = static_cast<int>(rng() % 1000);
    switch (rng() % 9) {
      case 0:
        m.emplace(k, v);
        model.emplace(k, v);
        break;
      case 1: {
        auto hint = m.lower_bound(static_cast<int>(rng() % 200));
        auto mhint = model.lower_bound(hint == m.end() ? 1 << 30 : hint->first);
        if (hint != m.end()) {
          // Same position among equal keys in both.
          mhint = model.find(hint->first);
          auto d = std::distance(m.lower_bound(hint->first), hint);
          std::advance(mhint, d);
        }
        auto it = m.emplace_hint(hint, k, v);
        auto mit = model.emplace_hint(mhint, k, v);
        EXPECT_EQ(*it, *mit);
        break;
      }
      case 2:
        EXPECT_EQ(m.erase(k), model.erase(k));
        break;
      case 3: {
        auto it = m.find(k);
        auto mit = model.find(k);
        ASSERT_EQ(it == m.end(), mit == model.end());
        if (it != m.end()) {
          m.erase(it);
          model.erase(mit);
        }
        break;
      }
      case 4:
        EXPECT_EQ(m.count(k), model.count(k));
        EXPECT_EQ(std::distance(m.begin(), m.lower_bound(k)),
                  std::distance(model.begin(), model.lower_bound(k)));
        EXPECT_EQ(std::distance(m.begin(), m.upper_bound(k)),
                  std::distance(model.begin(), model.upper_bound(k)));
        break;
      case 5: {
        auto r = m.equal_range(k);
        auto mr = model.equal_range(k);
        EXPECT_EQ(std::distance(r.first, r.second), std::distance(mr.first, mr.second));
        break;
      }
      case 6: {
        const int lo = static_cast<int>(rng() % 200);
        m.erase(m.lower_bound(lo), m.lower_bound(lo + 10));
        model.erase(model.lower_bound(lo), model.lower_bound(lo + 10));
        break;
      }
      case 7: {
        auto r = m.insert(std::make_pair(k, v));
        auto mr = model.insert(std::make_pair(k, v));
        if constexpr (!std::is_same_v<decltype(r), typename Map::iterator>) {
          EXPECT_EQ(r.second, mr.second);
        }
        break;
      }
      case 8:
        if (rng() % 50 == 0) {
          Map copy(m);
          m.clear();
          model.clear();
          EXPECT_TRUE(m.empty());
          m = std::move(copy);
          model.clear();
          for (auto& e : m) model.emplace(e.first, e.second);
        }
        break;
    }
    expect_same(m, model);
    if (::testing::Test::HasFatalFailure()) return;
  }
  (void)multi;
}

TEST(Map, RandomOperationsMatchStdMapInASegment) {
  managed_heap_memory heap(1 << 20);
  for (std::uint32_t seed = 1; seed <= 3; ++seed) {
    shm_map m(pair_allocator(heap.get_segment_manager()));
    std::map<int, int> model;
    random_run(m, model, false, seed);
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Multimap, RandomOperationsMatchStdMultimapInASegment) {
  managed_heap_memory heap(1 << 20);
  for (std::uint32_t seed = 11; seed <= 13; ++seed) {
    shm_multimap m(pair_allocator(heap.get_segment_manager()));
    std::multimap<int, int> model;
    random_run(m, model, true, seed);
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(Map, TryEmplaceBuildsOnlyForAnAbsentKey) {
  refipc::map<std::string, std::unique_ptr<int>> m;
  auto p = std::make_unique<int>(7);
  auto r = m.try_emplace("a", std::move(p));
  EXPECT_TRUE(r.second);
  EXPECT_EQ(*r.first->second, 7);
  auto q = std::make_unique<int>(8);
  r = m.try_emplace("a", std::move(q));
  EXPECT_FALSE(r.second);
  // Not moved from: the key was present.
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(*q, 8);
  auto it = m.try_emplace(m.end(), "b", std::make_unique<int>(9));
  EXPECT_EQ(*it->second, 9);
}

TEST(Map, InsertOrAssign) {
  refipc::map<int, std::string> m;
  EXPECT_TRUE(m.insert_or_assign(1, "x").second);
  EXPECT_FALSE(m.insert_or_assign(1, "y").second);
  EXPECT_EQ(m[1], "y");
  auto it = m.insert_or_assign(m.end(), 2, "z");
  EXPECT_EQ(it->second, "z");
  EXPECT_EQ(m.size(), 2u);
}

TEST(Map, MergeMovesNodesWithAbsentKeys) {
  refipc::map<int, int> a{{1, 1}, {3, 3}};
  refipc::map<int, int> b{{1, 10}, {2, 20}};
  const int* two = &b.at(2);
  a.merge(b);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(&a.at(2), two);  // the node itself moved
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b.at(1), 10);
  refipc::multimap<int, int> mm{{1, 5}};
  mm.merge(a);
  EXPECT_EQ(mm.size(), 4u);
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(mm.check_invariants());
}

TEST(Map, ComparisonsAreLexicographic) {
  refipc::map<int, int> a{{1, 1}, {2, 2}};
  refipc::map<int, int> b{{1, 1}, {2, 3}};
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(a != b);
  EXPECT_TRUE(a <= b);
  EXPECT_FALSE(a > b);
  b[2] = 2;
  EXPECT_TRUE(a == b);
}

TEST(Map, MoveAndSwapKeepElementsAndAllocator) {
  managed_heap_memory heap(1 << 16);
  shm_map a(pair_allocator(heap.get_segment_manager()));
  for (int i = 0; i < 50; ++i) a[i] = i * i;
  shm_map b(std::move(a));
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(b.size(), 50u);
  EXPECT_TRUE(b.check_invariants());
  shm_map c(pair_allocator(heap.get_segment_manager()));
  c[100] = 1;
  c.swap(b);
  EXPECT_EQ(c.size(), 50u);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_TRUE(b.check_invariants());
  EXPECT_TRUE(c.check_invariants());
  EXPECT_EQ(c.get_allocator(), pair_allocator(heap.get_segment_manager()));
  a = c;
  EXPECT_EQ(a, c);
  b.clear();
  c.clear();
  a.clear();
  EXPECT_TRUE(heap.all_memory_deallocated());
}

// An allocator that propagates on move assignment and swap and counts
// its allocations, to check the propagation traits are honoured.
template <class T>
struct tagged_allocator {
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using propagate_on_container_copy_assignment = std::false_type;
  using is_always_equal = std::false_type;
  int tag = 0;
  tagged_allocator(int t) : tag(t) {}  // NOLINT: implicit
  template <class U>
  tagged_allocator(const tagged_allocator<U>& o) : tag(o.tag) {}  // NOLINT: implicit
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) { std::allocator<T>().deallocate(p, n); }
  friend bool operator==(const tagged_allocator& a, const tagged_allocator& b) {
    return a.tag == b.tag;
  }
  friend bool operator!=(const tagged_allocator& a, const tagged_allocator& b) {
    return a.tag != b.tag;
  }
};

TEST(Map, AllocatorPropagationFollowsTheTraits) {
  using tmap = refipc::map<int, int, std::less<int>, tagged_allocator<std::pair<const int, int>>>;
  tmap a(tagged_allocator<std::pair<const int, int>>(1));
  tmap b(tagged_allocator<std::pair<const int, int>>(2));
  a[1] = 1;
  b[2] = 2;
  b = a;  // copy: does not propagate
  EXPECT_EQ(b.get_allocator().tag, 2);
  EXPECT_EQ(b.at(1), 1);
  b = std::move(a);  // move: propagates
  EXPECT_EQ(b.get_allocator().tag, 1);
  tmap c(tagged_allocator<std::pair<const int, int>>(3));
  c.swap(b);
  EXPECT_EQ(c.get_allocator().tag, 1);
  EXPECT_EQ(b.get_allocator().tag, 3);
  EXPECT_EQ(c.at(1), 1);
  // Move construction with an unequal allocator moves element by element.
  tmap d(std::move(c), tagged_allocator<std::pair<const int, int>>(4));
  EXPECT_EQ(d.get_allocator().tag, 4);
  EXPECT_EQ(d.at(1), 1);
}

}  // namespace
