// Conformance tests of the node containers (list, slist, set, multiset, map,
// multimap) in managed segments: where their memory comes from, use by
// another process at another address, move semantics, containers of
// containers (the manual's listing with a void allocator), the standard
// interface, bad_alloc, and uses-allocator construction.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <list>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using segment_manager_t = ipc::managed_shared_memory::segment_manager;
template <class T>
using shm_allocator = ipc::allocator<T, segment_manager_t>;
using int_list = ipc::list<int, shm_allocator<int>>;
using int_slist = ipc::slist<int, shm_allocator<int>>;
using int_set = ipc::set<int, std::less<int>, shm_allocator<int>>;
using int_multiset = ipc::multiset<int, std::less<int>, shm_allocator<int>>;
using int_map = ipc::map<int, int, std::less<int>, shm_allocator<std::pair<const int, int>>>;
using int_multimap =
    ipc::multimap<int, int, std::less<int>, shm_allocator<std::pair<const int, int>>>;

constexpr std::size_t kSize = 512 * 1024;

class NodeContainers : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, tag);
  }
};

// The node containers over each allocator family: refipc-style allocator,
// node_allocator and adaptive_pool, with the child role checking them in
// another process.
template <class T>
using shm_node_allocator = ipc::node_allocator<T, segment_manager_t>;
template <class T>
using shm_adaptive_pool = ipc::adaptive_pool<T, segment_manager_t>;

template <template <class> class Allocator>
struct node_family {
  using list = ipc::list<int, Allocator<int>>;
  using slist = ipc::slist<int, Allocator<int>>;
  using set = ipc::set<int, std::less<int>, Allocator<int>>;
  using multiset = ipc::multiset<int, std::less<int>, Allocator<int>>;
  using map = ipc::map<int, int, std::less<int>, Allocator<std::pair<const int, int>>>;
  using multimap = ipc::multimap<int, int, std::less<int>, Allocator<std::pair<const int, int>>>;
};
struct allocator_family : node_family<shm_allocator> {
  static constexpr const char* role = "node_containers_child";
};
struct node_allocator_family : node_family<shm_node_allocator> {
  static constexpr const char* role = "node_containers_node_allocator_child";
};
struct adaptive_pool_family : node_family<shm_adaptive_pool> {
  static constexpr const char* role = "node_containers_adaptive_pool_child";
};

template <class Family>
class NodeContainersOverAllocators : public NodeContainers {};
using AllocatorFamilies =
    ::testing::Types<allocator_family, node_allocator_family, adaptive_pool_family>;
TYPED_TEST_SUITE(NodeContainersOverAllocators, AllocatorFamilies);

// The container gets its allocator from the segment manager, so that
// destroying it releases everything its allocator family took (pooled
// allocators free their pool with the last allocator).
template <class C, class Fill>
void check_in_segment(ipc::managed_shared_memory& segment, const char* object, Fill fill) {
  const std::size_t free_before = segment.get_free_memory();
  C* c = segment.construct<C>(object)(segment.get_segment_manager());
  fill(*c);
  EXPECT_EQ(std::distance(c->begin(), c->end()), 100) << object;
  for (auto it = c->begin(); it != c->end(); ++it) {
    EXPECT_TRUE(segment.belongs_to_segment(&*it)) << object;
  }
  EXPECT_LT(segment.get_free_memory(), free_before) << object;
  segment.destroy_ptr(c);
  EXPECT_EQ(segment.get_free_memory(), free_before) << object;
}

TYPED_TEST(NodeContainersOverAllocators, EveryNodeContainerKeepsItsElementsInTheSegment) {
  IPC_SPEC("node_containers.in_segment");
  using F = TypeParam;
  const std::string n = this->name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  check_in_segment<typename F::list>(segment, "list", [](typename F::list& c) {
    for (int i = 0; i < 100; ++i) c.push_back(i);
  });
  check_in_segment<typename F::slist>(segment, "slist", [](typename F::slist& c) {
    for (int i = 0; i < 100; ++i) c.push_front(i);
  });
  check_in_segment<typename F::set>(segment, "set", [](typename F::set& c) {
    for (int i = 0; i < 100; ++i) c.insert(i * 7 % 100);
  });
  check_in_segment<typename F::multiset>(segment, "multiset", [](typename F::multiset& c) {
    for (int i = 0; i < 100; ++i) c.insert(i % 10);
  });
  check_in_segment<typename F::map>(segment, "map", [](typename F::map& c) {
    for (int i = 0; i < 100; ++i) c.insert(std::pair<const int, int>(i, i));
  });
  check_in_segment<typename F::multimap>(segment, "multimap", [](typename F::multimap& c) {
    for (int i = 0; i < 100; ++i) c.insert(std::pair<const int, int>(i % 3, i));
  });
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// args: segment name. Checks the parent's map {i: 2i} and list 0..3, then
// erases the map's even keys, adds key 1000 and reverses the list.
template <class Family>
void child_check_and_modify(const std::vector<std::string>& args) {
  using map_t = typename Family::map;
  using list_t = typename Family::list;
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  map_t* m = segment.find<map_t>("map").first;
  list_t* l = segment.find<list_t>("list").first;
  IPC_CHILD_CHECK(m != nullptr && l != nullptr);
  IPC_CHILD_CHECK(m->size() == 500);
  int expected = 0;
  for (const auto& e : *m) {
    IPC_CHILD_CHECK_MSG(e.first == expected && e.second == 2 * expected, "key " << e.first);
    ++expected;
  }
  IPC_CHILD_CHECK(m->find(250) != m->end() && m->find(250)->second == 500);
  for (int i = 0; i < 500; i += 2) IPC_CHILD_CHECK(m->erase(i) == 1);
  m->insert(std::pair<const int, int>(1000, -1));
  IPC_CHILD_CHECK(std::equal(l->begin(), l->end(), std::vector<int>{0, 1, 2, 3}.begin()));
  l->reverse();
  l->push_back(-1);
}
IPC_CHILD_ROLE(node_containers_child) { child_check_and_modify<allocator_family>(args); }
IPC_CHILD_ROLE(node_containers_node_allocator_child) {
  child_check_and_modify<node_allocator_family>(args);
}
IPC_CHILD_ROLE(node_containers_adaptive_pool_child) {
  child_check_and_modify<adaptive_pool_family>(args);
}

TYPED_TEST(NodeContainersOverAllocators, ContainersBuiltByOneProcessAreChangedByAnother) {
  IPC_SPEC("node_containers.other_mapping");
  using map_t = typename TypeParam::map;
  using list_t = typename TypeParam::list;
  const std::string n = this->name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  map_t* m = segment.construct<map_t>("map")(std::less<int>(), segment.get_segment_manager());
  for (int i = 499; i >= 0; --i) m->insert(std::pair<const int, int>(i, 2 * i));
  list_t* l = segment.construct<list_t>("list")(segment.get_segment_manager());
  for (int i = 0; i < 4; ++i) l->push_back(i);
  auto child = ipc_test::spawn_role(TypeParam::role, {n});
  IPC_ASSERT_CHILD_OK(child.wait());
  ASSERT_EQ(m->size(), 251u);
  int expected = 1;
  for (auto it = m->begin(); std::next(it) != m->end(); ++it, expected += 2) {
    EXPECT_EQ(it->first, expected);
  }
  EXPECT_EQ(m->rbegin()->first, 1000);
  EXPECT_EQ(std::vector<int>(l->begin(), l->end()), (std::vector<int>{3, 2, 1, 0, -1}));
  segment.destroy_ptr(m);
  segment.destroy_ptr(l);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(NodeContainers, MovingToAnotherSegmentsAllocatorCopiesTheElements) {
  IPC_SPEC("node_containers.unequal_allocators");
  ipc::managed_heap_memory first(kSize);
  ipc::managed_heap_memory second(kSize);
  using heap_alloc = ipc::allocator<int, ipc::managed_heap_memory::segment_manager>;
  using heap_list = ipc::list<int, heap_alloc>;
  using heap_map = ipc::map<
      int, int, std::less<int>,
      ipc::allocator<std::pair<const int, int>, ipc::managed_heap_memory::segment_manager>>;
  heap_list a(heap_alloc(first.get_segment_manager()));
  for (int i = 0; i < 10; ++i) a.push_back(i);
  heap_list b(std::move(a), heap_alloc(second.get_segment_manager()));
  ASSERT_EQ(b.size(), 10u);
  for (const int& v : b) EXPECT_TRUE(second.belongs_to_segment(&v));
  heap_map m(std::less<int>(), heap_alloc(first.get_segment_manager()));
  m.insert(std::pair<const int, int>(1, 2));
  heap_map other(std::less<int>(), heap_alloc(second.get_segment_manager()));
  other = std::move(m);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_TRUE(second.belongs_to_segment(&*other.begin()));
  EXPECT_EQ(other.get_allocator().get_segment_manager(), second.get_segment_manager());
}

TEST_F(NodeContainers, MovingTransfersTheNodes) {
  IPC_SPEC("node_containers.move");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  shm_allocator<int> alloc(segment.get_segment_manager());
  int_map* m = segment.construct<int_map>("map")(std::less<int>(), alloc);
  for (int i = 0; i < 50; ++i) m->insert(std::pair<const int, int>(i, i));
  const std::pair<const int, int>* first = &*m->begin();
  int_map* moved = segment.construct<int_map>("moved")(std::less<int>(), alloc);
  const std::size_t free_before = segment.get_free_memory();
  *moved = std::move(*m);
  EXPECT_TRUE(m->empty());
  EXPECT_EQ(moved->size(), 50u);
  EXPECT_EQ(&*moved->begin(), first);
  // Neither allocated nor freed anything.
  EXPECT_EQ(segment.get_free_memory(), free_before);
  int_map local(std::move(*moved));
  EXPECT_TRUE(moved->empty());
  EXPECT_EQ(&*local.begin(), first);
  EXPECT_EQ(segment.get_free_memory(), free_before);
  int_list l(alloc);
  l.push_back(7);
  int_list target(alloc);
  const int* seven = &l.front();
  target = std::move(l);
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(&target.front(), seven);
}

TEST_F(NodeContainers, MoveInsertedInnerContainerKeepsItsNodes) {
  IPC_SPEC("node_containers.move_insert");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  using list_of_lists = ipc::list<int_list, shm_allocator<int_list>>;
  shm_allocator<int> alloc(segment.get_segment_manager());
  list_of_lists* outer = segment.construct<list_of_lists>("outer")(alloc);
  for (int round = 0; round < 5; ++round) {
    int_list inner(alloc);
    for (int i = 0; i < 10; ++i) inner.push_back(round * 10 + i);
    const int* front = &inner.front();
    outer->push_back(std::move(inner));
    EXPECT_TRUE(inner.empty());
    ASSERT_EQ(outer->back().size(), 10u);
    EXPECT_EQ(&outer->back().front(), front);
  }
  int expected = 0;
  for (const int_list& inner : *outer) {
    for (int v : inner) EXPECT_EQ(v, expected++);
  }
  segment.destroy_ptr(outer);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// The manual's "Containers of containers", with lists for the inner
// containers: one void allocator initialises every one of them.
using void_allocator = ipc::allocator<void, segment_manager_t>;
using int_list_list = ipc::list<int_list, shm_allocator<int_list>>;

class complex_data {
 public:
  complex_data(int id, const void_allocator& void_alloc)
      : id_(id), ints_(void_alloc), int_lists_(void_alloc) {
    for (int i = 0; i < id % 5; ++i) ints_.push_back(i);
    int_lists_.push_back(ints_);
  }
  int id_;
  int_list ints_;
  int_list_list int_lists_;
};

using complex_map =
    ipc::map<int, complex_data, std::less<int>, shm_allocator<std::pair<const int, complex_data>>>;

TEST_F(NodeContainers, AMapOfComplexDataBuiltFromAVoidAllocator) {
  IPC_SPEC("node_containers.containers_of_containers");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  void_allocator alloc_inst(segment.get_segment_manager());
  complex_map* mymap = segment.construct<complex_map>("MyMap")(std::less<int>(), alloc_inst);
  for (int i = 0; i < 100; ++i) {
    complex_data mapped_object(i, alloc_inst);
    std::pair<const int, complex_data> value(i, mapped_object);
    mymap->insert(value);
  }
  ASSERT_EQ(mymap->size(), 100u);
  for (const auto& [key, data] : *mymap) {
    EXPECT_EQ(data.id_, key);
    EXPECT_EQ(data.ints_.size(), static_cast<std::size_t>(key % 5));
    ASSERT_EQ(data.int_lists_.size(), 1u);
    EXPECT_TRUE(data.int_lists_.front() == data.ints_);
    EXPECT_TRUE(segment.belongs_to_segment(&data.int_lists_.front()));
    for (const int& v : data.ints_) EXPECT_TRUE(segment.belongs_to_segment(&v));
  }
  segment.destroy_ptr(mymap);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(NodeContainers, StandardInterfaceMatchesStd) {
  IPC_SPEC("node_containers.std_interface");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  shm_allocator<int> alloc(segment.get_segment_manager());
  int_map m(std::less<int>(), alloc);
  std::map<int, int> model;
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    const int k = static_cast<int>(rng() % 100);
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
        EXPECT_EQ(std::distance(m.begin(), m.upper_bound(k)),
                  std::distance(model.begin(), model.upper_bound(k)));
        EXPECT_EQ(std::distance(m.equal_range(k).first, m.equal_range(k).second),
                  std::distance(model.equal_range(k).first, model.equal_range(k).second));
        break;
    }
  }
  EXPECT_TRUE(std::equal(m.begin(), m.end(), model.begin(), model.end()));

  int_multimap mm(std::less<int>(), alloc);
  std::multimap<int, int> mmodel;
  for (int i = 0; i < 300; ++i) {
    mm.emplace(i % 7, i);
    mmodel.emplace(i % 7, i);
  }
  EXPECT_TRUE(std::equal(mm.begin(), mm.end(), mmodel.begin(), mmodel.end()));

  int_list l(alloc), other(alloc);
  std::list<int> lmodel, omodel;
  for (int i = 0; i < 200; ++i) {
    const int v = static_cast<int>(rng() % 30);
    l.push_back(v);
    lmodel.push_back(v);
    other.push_front(v);
    omodel.push_front(v);
  }
  l.sort();
  lmodel.sort();
  other.sort();
  omodel.sort();
  l.merge(other);
  lmodel.merge(omodel);
  EXPECT_TRUE(other.empty());
  l.unique();
  lmodel.unique();
  l.remove_if([](int v) { return v % 3 == 0; });
  lmodel.remove_if([](int v) { return v % 3 == 0; });
  l.reverse();
  lmodel.reverse();
  other.splice(other.end(), l, std::next(l.begin()), l.end());
  omodel.splice(omodel.end(), lmodel, std::next(lmodel.begin()), lmodel.end());
  EXPECT_TRUE(std::equal(l.begin(), l.end(), lmodel.begin(), lmodel.end()));
  EXPECT_TRUE(std::equal(other.begin(), other.end(), omodel.begin(), omodel.end()));
}

TEST_F(NodeContainers, InsertingIntoAFullSegmentThrowsAndChangesNothing) {
  IPC_SPEC("node_containers.strong_guarantee");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), 32 * 1024);
  shm_allocator<int> alloc(segment.get_segment_manager());
  int_map* m = segment.construct<int_map>("map")(std::less<int>(), alloc);
  int_list* l = segment.construct<int_list>("list")(alloc);
  std::map<int, int> model;
  bool threw = false;
  for (int i = 0; i < 100000 && !threw; ++i) {
    try {
      m->insert(std::pair<const int, int>(i * 31 % 100003, i));
      model.emplace(i * 31 % 100003, i);
    } catch (const ipc::bad_alloc&) {
      threw = true;
    }
  }
  ASSERT_TRUE(threw);
  EXPECT_TRUE(std::equal(m->begin(), m->end(), model.begin(), model.end()));
  m->clear();
  EXPECT_THROW(
      {
        for (int i = 0; i < 100000; ++i) l->push_back(i);
      },
      ipc::bad_alloc);
  const std::size_t size = l->size();
  EXPECT_THROW(l->push_front(-1), ipc::bad_alloc);
  EXPECT_EQ(l->size(), size);
  EXPECT_EQ(l->front(), 0);
}

TEST_F(NodeContainers, InnerContainersGetTheMapsAllocator) {
  IPC_SPEC("node_containers.uses_allocator");
#ifdef IPC_HAS_USES_ALLOCATOR_CONSTRUCTION
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  using list_map =
      ipc::map<int, int_list, std::less<int>, shm_allocator<std::pair<const int, int_list>>>;
  list_map* m =
      segment.construct<list_map>("map")(shm_allocator<int>(segment.get_segment_manager()));
  (*m)[1].push_back(10);
  m->try_emplace(2).first->second.push_back(20);
  m->emplace(3, 4u);  // a list of four zeros
  for (auto& [key, inner] : *m) {
    EXPECT_EQ(inner.get_allocator().get_segment_manager(), segment.get_segment_manager()) << key;
    for (int& v : inner) EXPECT_TRUE(segment.belongs_to_segment(&v));
  }
  EXPECT_EQ(m->at(3).size(), 4u);
  segment.destroy_ptr(m);
  EXPECT_TRUE(segment.all_memory_deallocated());
#else
  FAIL() << "the adapter does not provide uses-allocator construction";
#endif
}

}  // namespace
