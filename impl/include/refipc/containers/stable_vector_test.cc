// stable_vector: elements never move (iterators and references survive
// insertions and erasures elsewhere), random access, the allocator-aware
// requirements, a stable_vector in shared memory through a second mapping
// and the strong guarantee on bad_alloc.
#include "refipc/containers/stable_vector.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <type_traits>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/testing/shm_name.hpp"
#include "refipc/containers/testing/test_allocators.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace {

using refipc::stable_vector;
using segment_manager = refipc::managed_shared_memory::segment_manager;
using heap_manager = refipc::managed_heap_memory::segment_manager;

TEST(StableVector, TypesAndIteratorCategory) {
  using sv = stable_vector<int, refipc::allocator<int, segment_manager>>;
  static_assert(std::is_same_v<sv::pointer, refipc::offset_ptr<int>>);
  static_assert(std::is_same_v<std::iterator_traits<sv::iterator>::iterator_category,
                               std::random_access_iterator_tag>);
  static_assert(std::is_convertible_v<sv::iterator, sv::const_iterator>);
  static_assert(std::is_nothrow_move_constructible_v<sv>);
  // The layout docs/layout.md gives: allocator, then the index (a vector).
  static_assert(sizeof(sv) == 5 * sizeof(void*));
}

TEST(StableVector, ElementsNeverMove) {
  stable_vector<int> v;
  for (int i = 0; i < 100; ++i) v.push_back(i);
  int* fifty = &v[50];
  stable_vector<int>::iterator it = v.begin() + 50;
  for (int i = 0; i < 1000; ++i) v.insert(v.begin(), -i);  // the index reallocates
  v.erase(v.begin(), v.begin() + 500);
  v.erase(v.end() - 10, v.end());
  EXPECT_EQ(&*it, fifty);
  EXPECT_EQ(*it, 50);
  EXPECT_EQ(it - v.begin(), 550);
  EXPECT_EQ(it[1], 51);
  EXPECT_EQ(*(it - 550), -499);
  stable_vector<int> moved(std::move(v));
  EXPECT_EQ(&moved[550], fifty);
  EXPECT_EQ(*(it + 1), 51);
}

TEST(StableVector, BehavesLikeStdVector) {
  std::mt19937 rng(16);
  stable_vector<int> v;
  std::vector<int> model;
  for (int step = 0; step < 5000; ++step) {
    const std::size_t at = rng() % (model.size() + 1);
    const int value = static_cast<int>(rng() % 100);
    switch (rng() % 4) {
      case 0:
        v.insert(v.begin() + at, value);
        model.insert(model.begin() + at, value);
        break;
      case 1:
        if (at < model.size()) {
          v.erase(v.begin() + at);
          model.erase(model.begin() + at);
        }
        break;
      default:
        v.emplace_back(value);
        model.push_back(value);
    }
    ASSERT_EQ(v.size(), model.size());
  }
  EXPECT_TRUE(std::equal(v.begin(), v.end(), model.begin(), model.end()));
  EXPECT_TRUE(std::equal(v.rbegin(), v.rend(), model.rbegin(), model.rend()));
  v.resize(3);
  v.assign({1, 2, 3, 4});
  EXPECT_EQ(v, (stable_vector<int>{1, 2, 3, 4}));
  EXPECT_TRUE(v < (stable_vector<int>{1, 2, 4}));
  EXPECT_THROW(v.at(4), std::out_of_range);
  v.clear();
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.begin(), v.end());
}

TEST(StableVector, AllocatorPropagation) {
  using alloc = refipc_test::tagged_allocator<int>;
  stable_vector<int, alloc> a({1, 2}, alloc(1));
  stable_vector<int, alloc> copy(a);
  EXPECT_EQ(copy.get_allocator().id, 101);
  stable_vector<int, alloc> b({3}, alloc(2));
  b = a;
  EXPECT_EQ(b.get_allocator().id, 1);
  EXPECT_EQ(b, a);
  stable_vector<int, alloc> c({4}, alloc(3));
  c = std::move(b);
  EXPECT_EQ(c.get_allocator().id, 1);
  stable_vector<int, alloc> d(std::move(c), alloc(8));
  EXPECT_EQ(d.get_allocator().id, 8);
  EXPECT_EQ(d, a);
}

TEST(StableVector, InSharedMemoryThroughASecondMapping) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  refipc_test::scoped_shm_name name("stable_vector");
  using char_alloc = refipc::allocator<char, segment_manager>;
  using shm_string = refipc::basic_string<char, std::char_traits<char>, char_alloc>;
  using shm_sv = stable_vector<shm_string, refipc::allocator<shm_string, segment_manager>>;
  refipc::managed_shared_memory first(refipc::create_only, name.c_str(), 256 * 1024);
  shm_sv* v = first.construct<shm_sv>("sv")(first.get_segment_manager());
  for (int i = 0; i < 300; ++i) v->emplace(v->begin(), std::to_string(i).c_str());
  refipc::managed_shared_memory second(refipc::open_only, name.c_str());
  ASSERT_NE(second.get_address(), first.get_address());
  shm_sv* w = second.find<shm_sv>("sv").first;
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->size(), 300u);
  EXPECT_EQ(w->front(), "299");
  EXPECT_EQ(*(w->end() - 1), "0");
  w->erase(w->begin() + 1);
  w->emplace_back("last");
  EXPECT_EQ((*v)[1], "297");
  EXPECT_EQ(v->back(), "last");
  first.destroy_ptr(v);
  EXPECT_TRUE(first.all_memory_deallocated());
}

TEST(StableVector, BadAllocLeavesTheStableVectorUnchanged) {
  refipc::managed_heap_memory heap(8 * 1024);
  using alloc = refipc::allocator<long, heap_manager>;
  stable_vector<long, alloc> v(alloc(heap.get_segment_manager()));
  std::vector<long> model;
  bool threw = false;
  for (long i = 0; !threw; ++i) {
    try {
      v.insert(v.begin() + static_cast<long>(model.size() / 2), i);
      model.insert(model.begin() + static_cast<long>(model.size() / 2), i);
    } catch (const refipc::bad_alloc&) {
      threw = true;
    }
    ASSERT_TRUE(std::equal(v.begin(), v.end(), model.begin(), model.end()));
  }
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(v.size(), 0u);
}

}  // namespace
