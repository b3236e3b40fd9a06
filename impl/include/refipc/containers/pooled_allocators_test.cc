// refipc's node containers over refipc's pooled allocators (node_allocator
// for list and map, adaptive_pool for set) in a managed shared memory
// segment: built through one mapping, read and changed through a second one
// at another address, and every pool gone with the last container.
#include <gtest/gtest.h>

#include <functional>
#include <iterator>
#include <utility>
#include <vector>

#include "refipc/allocators/adaptive_pool.hpp"
#include "refipc/allocators/node_allocator.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/containers/testing/shm_name.hpp"
#include "refipc/managed_shared_memory.hpp"

namespace {

using segment_manager = refipc::managed_shared_memory::segment_manager;
using int_pair = std::pair<const int, int>;
using pooled_list = refipc::list<int, refipc::node_allocator<int, segment_manager>>;
using pooled_map =
    refipc::map<int, int, std::less<int>, refipc::node_allocator<int_pair, segment_manager>>;
using pooled_set = refipc::set<int, std::less<int>, refipc::adaptive_pool<int, segment_manager>>;

TEST(PooledAllocatorContainers, BuiltInOneMappingReadInAnother) {
  refipc_test::scoped_shm_name name("pooled_containers");
  refipc::managed_shared_memory first(refipc::create_only, name.c_str(), 512 * 1024);
  segment_manager* manager = first.get_segment_manager();
  pooled_list* l = first.construct<pooled_list>("list")(manager);
  pooled_map* m = first.construct<pooled_map>("map")(std::less<int>(), manager);
  pooled_set* s = first.construct<pooled_set>("set")(std::less<int>(), manager);
  for (int i = 0; i < 1000; ++i) {
    l->push_back(i);
    m->emplace(i * 7 % 1000, i);
    s->insert(999 - i);
  }
  // A set node and a list node sit in blocks of their pools, in the segment.
  EXPECT_TRUE(first.belongs_to_segment(&*s->begin()));
  EXPECT_TRUE(first.belongs_to_segment(&l->back()));

  refipc::managed_shared_memory second(refipc::open_only, name.c_str());
  ASSERT_NE(second.get_address(), first.get_address());
  pooled_list* l2 = second.find<pooled_list>("list").first;
  pooled_map* m2 = second.find<pooled_map>("map").first;
  pooled_set* s2 = second.find<pooled_set>("set").first;
  ASSERT_TRUE(l2 && m2 && s2);
  ASSERT_EQ(l2->size(), 1000u);
  int expected = 0;
  for (const int& v : *l2) {
    ASSERT_EQ(v, expected++);
    ASSERT_TRUE(second.belongs_to_segment(&v));
  }
  ASSERT_EQ(m2->size(), 1000u);
  expected = 0;
  for (const auto& [key, value] : *m2) {
    ASSERT_EQ(key, expected++);
    ASSERT_EQ(value * 7 % 1000, key);
  }
  ASSERT_EQ(s2->size(), 1000u);
  EXPECT_EQ(*s2->begin(), 0);
  EXPECT_EQ(*s2->rbegin(), 999);
  EXPECT_EQ(std::distance(s2->lower_bound(100), s2->upper_bound(199)), 100);

  // Changes through the second mapping allocate from the same pools and are
  // seen through the first.
  for (int i = 0; i < 1000; i += 2) {
    ASSERT_EQ(m2->erase(i), 1u);
    ASSERT_EQ(s2->erase(i), 1u);
  }
  l2->remove_if([](int v) { return v % 3 != 0; });
  l2->push_front(-1);
  m2->emplace(5000, 1);
  s2->insert(5000);
  EXPECT_EQ(l->size(), 335u);
  EXPECT_EQ(l->front(), -1);
  EXPECT_EQ(*std::next(l->begin()), 0);
  EXPECT_EQ(l->back(), 999);
  EXPECT_EQ(m->size(), 501u);
  EXPECT_EQ(m->begin()->first, 1);
  EXPECT_EQ(m->at(5000), 1);
  EXPECT_EQ(s->size(), 501u);
  EXPECT_EQ(*s->begin(), 1);
  EXPECT_EQ(*s->rbegin(), 5000);

  // The pools go with the last allocator using them.
  second.destroy_ptr(l2);
  second.destroy_ptr(m2);
  first.destroy_ptr(s);
  EXPECT_TRUE(first.all_memory_deallocated());
}

}  // namespace
