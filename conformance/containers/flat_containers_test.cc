// Conformance tests of the flat containers (flat_set, flat_multiset,
// flat_map, flat_multimap) in managed segments: where their memory comes
// from, use by another process, reserve(), and the ordered interface.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using segment_manager_t = ipc::managed_shared_memory::segment_manager;
template <class T>
using shm_allocator = ipc::allocator<T, segment_manager_t>;
using int_flat_map = ipc::flat_map<int, int, std::less<int>, shm_allocator<std::pair<int, int>>>;
using int_flat_multimap =
    ipc::flat_multimap<int, int, std::less<int>, shm_allocator<std::pair<int, int>>>;
using int_flat_set = ipc::flat_set<int, std::less<int>, shm_allocator<int>>;
using int_flat_multiset = ipc::flat_multiset<int, std::less<int>, shm_allocator<int>>;

constexpr std::size_t kSize = 256 * 1024;

class FlatContainers : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, tag);
  }
};

// args: segment name. Checks the parent's flat_map {i: i*i} and flat_set of
// multiples of 3, then adds key -1 to the map.
IPC_CHILD_ROLE(flat_containers_child) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  int_flat_map* m = segment.find<int_flat_map>("map").first;
  int_flat_set* s = segment.find<int_flat_set>("set").first;
  IPC_CHILD_CHECK(m != nullptr && s != nullptr);
  IPC_CHILD_CHECK(m->size() == 300 && s->size() == 100);
  int expected = 0;
  for (const auto& e : *m) {
    IPC_CHILD_CHECK_MSG(e.first == expected && e.second == expected * expected, "key " << e.first);
    IPC_CHILD_CHECK(segment.belongs_to_segment(&e));
    ++expected;
  }
  IPC_CHILD_CHECK(s->count(297) == 1 && s->count(298) == 0);
  m->insert(std::pair<int, int>(-1, 1));
}

TEST_F(FlatContainers, FlatContainersInASegmentAreReadByAnotherProcess) {
  IPC_SPEC("flat_containers.in_segment");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  shm_allocator<int> alloc(segment.get_segment_manager());
  int_flat_map* m = segment.construct<int_flat_map>("map")(std::less<int>(), alloc);
  for (int i = 299; i >= 0; --i) m->insert(std::pair<int, int>(i, i * i));
  int_flat_set* s = segment.construct<int_flat_set>("set")(std::less<int>(), alloc);
  for (int i = 0; i < 100; ++i) s->insert(i * 3);
  int_flat_multimap* mm = segment.construct<int_flat_multimap>("multimap")(std::less<int>(), alloc);
  int_flat_multiset* ms = segment.construct<int_flat_multiset>("multiset")(std::less<int>(), alloc);
  for (int i = 0; i < 20; ++i) {
    mm->insert(std::pair<int, int>(i % 4, i));
    ms->insert(i % 4);
  }
  EXPECT_EQ(mm->count(2), 5u);
  EXPECT_EQ(ms->count(3), 5u);
  EXPECT_TRUE(segment.belongs_to_segment(&*mm->begin()));
  EXPECT_TRUE(segment.belongs_to_segment(&*ms->begin()));
  auto child = ipc_test::spawn_role("flat_containers_child", {n});
  IPC_ASSERT_CHILD_OK(child.wait());
  EXPECT_EQ(m->size(), 301u);
  EXPECT_EQ(m->begin()->first, -1);
  segment.destroy_ptr(m);
  segment.destroy_ptr(s);
  segment.destroy_ptr(mm);
  segment.destroy_ptr(ms);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(FlatContainers, ReserveMakesLaterInsertionsAllocateNothing) {
  IPC_SPEC("flat_containers.reserve");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  shm_allocator<int> alloc(segment.get_segment_manager());
  int_flat_map* m = segment.construct<int_flat_map>("map")(std::less<int>(), alloc);
  m->reserve(200);
  int_flat_set* s = segment.construct<int_flat_set>("set")(std::less<int>(), alloc);
  s->reserve(200);
  const std::size_t free_before = segment.get_free_memory();
  for (int i = 0; i < 200; ++i) {
    m->insert(std::pair<int, int>(i * 7 % 200, i));
    s->insert(i * 11 % 200);
  }
  EXPECT_EQ(segment.get_free_memory(), free_before);
  EXPECT_EQ(m->size(), 200u);
  EXPECT_EQ(s->size(), 200u);
}

TEST_F(FlatContainers, OrderedInterfaceMatchesStdMap) {
  IPC_SPEC("flat_containers.ordered");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  shm_allocator<int> alloc(segment.get_segment_manager());
  int_flat_map m(std::less<int>(), alloc);
  std::map<int, int> model;
  static_assert(std::is_same_v<std::iterator_traits<int_flat_map::iterator>::iterator_category,
                               std::random_access_iterator_tag>);
  std::mt19937 rng(9);
  for (int i = 0; i < 2000; ++i) {
    const int k = static_cast<int>(rng() % 120);
    switch (rng() % 5) {
      case 0:
        EXPECT_EQ(m.try_emplace(k, i).second, model.try_emplace(k, i).second);
        break;
      case 1:
        EXPECT_EQ(m.insert_or_assign(k, i).second, model.insert_or_assign(k, i).second);
        break;
      case 2:
        m.emplace_hint(m.lower_bound(k), k, i);
        model.emplace_hint(model.lower_bound(k), k, i);
        break;
      case 3:
        EXPECT_EQ(m.erase(k), model.erase(k));
        break;
      default:
        EXPECT_EQ(m.count(k), model.count(k));
        EXPECT_EQ(m.find(k) == m.end(), model.find(k) == model.end());
        EXPECT_EQ(std::distance(m.begin(), m.upper_bound(k)),
                  std::distance(model.begin(), model.upper_bound(k)));
        break;
    }
  }
  ASSERT_EQ(m.size(), model.size());
  EXPECT_TRUE(std::equal(
      m.begin(), m.end(), model.begin(), model.end(),
      [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; }));
  int_flat_multiset ms(std::less<int>(), alloc);
  std::multiset<int> msmodel;
  for (int i = 0; i < 300; ++i) {
    const int k = static_cast<int>(rng() % 20);
    ms.insert(k);
    msmodel.insert(k);
  }
  auto r = ms.equal_range(7);
  EXPECT_EQ(std::distance(r.first, r.second), static_cast<long>(msmodel.count(7)));
  EXPECT_TRUE(std::equal(ms.begin(), ms.end(), msmodel.begin(), msmodel.end()));
}

}  // namespace
