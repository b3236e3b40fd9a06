// Conformance tests of allocator (spec/allocators/allocator.spec) in a
// managed shared memory segment.
#include <boost/container/deque.hpp>
#include <boost/container/flat_map.hpp>
#include <boost/container/list.hpp>
#include <boost/container/map.hpp>
#include <boost/container/set.hpp>
#include <boost/container/stable_vector.hpp>
#include <boost/container/string.hpp>
#include <boost/container/vector.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSize = 512 * 1024;
using segment_manager = ipc::managed_shared_memory::segment_manager;
template <class T>
using alloc = ipc::allocator<T, segment_manager>;

class Allocators : public ipc_test::ConformanceTest {
 protected:
  void SetUp() override {
    const std::string n = unique_resource(
        [](const std::string& name) { ipc::shared_memory_object::remove(name.c_str()); });
    segment_ = ipc::managed_shared_memory(ipc::create_only, n.c_str(), kSize);
  }
  void TearDown() override { segment_ = ipc::managed_shared_memory(); }
  segment_manager* manager() { return segment_.get_segment_manager(); }

  ipc::managed_shared_memory segment_;
};

// The manual's forms, detected so that the binary builds where one is missing.
template <class A, class = void>
struct has_manual_individual : std::false_type {};
template <class A>
struct has_manual_individual<
    A, std::void_t<decltype(std::declval<A&>().allocate_individual(std::size_t{1}))>>
    : std::true_type {};
template <class A, class = void>
struct has_manual_command : std::false_type {};
template <class A>
struct has_manual_command<
    A, std::void_t<decltype(std::declval<A&>().allocation_command(
           ipc::allocate_new, std::size_t{1}, std::size_t{1}, std::declval<std::size_t&>()))>>
    : std::true_type {};

TEST_F(Allocators, AllocatesObjectsInsideTheSegment) {
  IPC_SPEC("allocator.segment_memory", "allocator.pointer_family");
  static_assert(std::is_same_v<alloc<int>::pointer, ipc::offset_ptr<int>>);
  static_assert(std::is_same_v<alloc<int>::value_type, int>);
  const std::size_t free_before = segment_.get_free_memory();
  alloc<int> a(manager());
  EXPECT_EQ(a.get_segment_manager(), manager());
  alloc<int>::pointer p = a.allocate(100);
  EXPECT_TRUE(segment_.belongs_to_segment(p.get()));
  for (int i = 0; i < 100; ++i) p[i] = i;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(p[i], i);
  EXPECT_LT(segment_.get_free_memory(), free_before);
  a.deallocate(p, 100);
  EXPECT_EQ(segment_.get_free_memory(), free_before);
  EXPECT_LE(a.max_size(), kSize / sizeof(int));
  EXPECT_THROW(a.allocate(a.max_size()), ipc::bad_alloc);
  // The allocator itself can live in the segment.
  alloc<int>* stored = segment_.construct<alloc<int>>("allocator")(manager());
  alloc<int>::pointer q = stored->allocate(1);
  stored->deallocate(q, 1);
  segment_.destroy_ptr(stored);
  EXPECT_EQ(segment_.get_free_memory(), free_before);
}

TEST_F(Allocators, RebindingKeepsTheSegmentAndEquality) {
  IPC_SPEC("allocator.rebind_equality");
  alloc<int> a(manager());
  alloc<int>::rebind<char>::other c(a);
  EXPECT_EQ(c.get_segment_manager(), manager());
  alloc<int> back(c);
  EXPECT_TRUE(a == back);
  EXPECT_FALSE(a != back);
  const std::string other_name = unique_resource(
      [](const std::string& name) { ipc::shared_memory_object::remove(name.c_str()); }, "other");
  ipc::managed_shared_memory other(ipc::create_only, other_name.c_str(), kSize);
  alloc<int> elsewhere(other.get_segment_manager());
  EXPECT_TRUE(a != elsewhere);
}

TEST_F(Allocators, Version2SingleNodes) {
  IPC_SPEC("allocator.version2_nodes");
  static_assert(alloc<int>::version::value == 2);
  const std::size_t free_before = segment_.get_free_memory();
  alloc<int> a(manager());
  alloc<int>::pointer one = a.allocate_one();
  *one = 5;
  EXPECT_EQ(*one, 5);
  EXPECT_GE(a.size(one), 1u);
  a.deallocate_one(one);
  alloc<int>::pointer many = a.allocate(30);
  EXPECT_GE(a.size(many), 30u);
  a.deallocate(many, 30);
  EXPECT_EQ(segment_.get_free_memory(), free_before);
}

template <class A>
void manual_individual(A& a, std::size_t& count) {
  if constexpr (has_manual_individual<A>::value) {
    typename A::multiallocation_chain chain = a.allocate_individual(10);
    count = chain.size();
    a.deallocate_individual(std::move(chain));
  } else {
    ADD_FAILURE() << "allocate_individual(n) returning a chain is missing";
  }
}

TEST_F(Allocators, IndividualAllocationManualForm) {
  IPC_SPEC("allocator.individual_manual");
  const std::size_t free_before = segment_.get_free_memory();
  alloc<int> a(manager());
  std::size_t count = 0;
  manual_individual(a, count);
  EXPECT_EQ(count, 10u);
  EXPECT_EQ(segment_.get_free_memory(), free_before);
}

TEST_F(Allocators, IndividualAllocationBoostForm) {
  IPC_SPEC("allocator.individual_boost");
  const std::size_t free_before = segment_.get_free_memory();
  alloc<int> a(manager());
  alloc<int>::multiallocation_chain chain;
  a.allocate_individual(4, chain);
  a.allocate_individual(3, chain);
  EXPECT_EQ(chain.size(), 7u);
  for (auto it = chain.begin(); it != chain.end(); ++it) {
    EXPECT_TRUE(segment_.belongs_to_segment(&*it));
  }
  a.deallocate_individual(chain);
  EXPECT_EQ(segment_.get_free_memory(), free_before);
}

template <class A>
void manual_command(A& a, ipc::managed_shared_memory& segment) {
  if constexpr (has_manual_command<A>::value) {
    std::size_t received = 0;
    auto r = a.allocation_command(ipc::allocate_new, 10, 20, received);
    ASSERT_TRUE(r.first);
    EXPECT_FALSE(r.second);
    EXPECT_GE(received, 10u);
    EXPECT_TRUE(segment.belongs_to_segment(r.first.get()));
    std::size_t grown = 0;
    auto e = a.allocation_command(ipc::expand_fwd, received + 20, received + 20, grown, r.first);
    EXPECT_EQ(e.first, r.first);
    EXPECT_TRUE(e.second);
    EXPECT_GE(grown, received + 20);
    a.deallocate(r.first, grown);
  } else {
    ADD_FAILURE() << "allocation_command(command, limit, preferred, received, reuse) is missing";
  }
}

TEST_F(Allocators, AllocationCommandManualForm) {
  IPC_SPEC("allocator.allocation_command_manual");
  alloc<int> a(manager());
  manual_command(a, segment_);
}

TEST_F(Allocators, AllocationCommandBoostForm) {
  IPC_SPEC("allocator.allocation_command_boost");
  const std::size_t free_before = segment_.get_free_memory();
  alloc<int> a(manager());
  alloc<int>::pointer reuse;
  std::size_t size = 10;
  alloc<int>::pointer p = a.allocation_command(ipc::allocate_new, 10, size, reuse);
  ASSERT_TRUE(p);
  EXPECT_GE(size, 10u);
  for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<int>(i);
  reuse = p;
  std::size_t bigger = size + 40;
  alloc<int>::pointer q = a.allocation_command(ipc::expand_fwd, size + 40, bigger, reuse);
  EXPECT_EQ(q, p);
  EXPECT_EQ(reuse, p);  // expanded in place: reuse stays set
  EXPECT_GE(bigger, size + 40);
  for (std::size_t i = 0; i < size; ++i) EXPECT_EQ(p[i], static_cast<int>(i));
  a.deallocate(p, bigger);
  EXPECT_EQ(segment_.get_free_memory(), free_before);
}

TEST_F(Allocators, BoostContainersWorkOverTheAllocator) {
  IPC_SPEC("allocator.boost_containers");
  namespace bc = boost::container;
  using string = bc::basic_string<char, std::char_traits<char>, alloc<char>>;
  using ivec = bc::vector<int, alloc<int>>;
  using map = bc::map<string, ivec, std::less<string>, alloc<std::pair<const string, ivec>>>;
  const std::size_t free_before = segment_.get_free_memory();
  {
    ivec v(manager());
    for (int i = 0; i < 2000; ++i) v.push_back(i);
    EXPECT_EQ(v[1999], 1999);
    bc::list<int, alloc<int>> l(manager());
    const std::vector<int> src{3, 1, 2};
    l.insert(l.end(), src.begin(), src.end());
    l.sort();
    EXPECT_EQ(l.front(), 1);
    map* m = segment_.construct<map>("map")(std::less<string>(), manager());
    for (int i = 0; i < 50; ++i) {
      string key("a key longer than any small string buffer: ", manager());
      key += std::to_string(i).c_str();
      ivec values(manager());
      values.assign(static_cast<std::size_t>(i), i);
      m->emplace(std::move(key), std::move(values));
    }
    EXPECT_EQ(m->size(), 50u);
    EXPECT_EQ(m->rbegin()->second.size(), 9u);  // "...: 9" sorts last
    segment_.destroy_ptr(m);
    bc::set<int, std::less<int>, alloc<int>> s(src.begin(), src.end(), std::less<int>(), manager());
    EXPECT_EQ(*s.begin(), 1);
    bc::flat_map<int, int, std::less<int>, alloc<std::pair<int, int>>> fm(manager());
    for (int i = 0; i < 100; ++i) fm[99 - i] = i;
    EXPECT_EQ(fm.begin()->second, 99);
    bc::stable_vector<int, alloc<int>> sv(manager());
    for (int i = 0; i < 300; ++i) sv.push_back(i);
    sv.insert(sv.begin(), src.begin(), src.end());
    EXPECT_EQ(sv[3], 0);
    bc::deque<int, alloc<int>> d(manager());
    for (int i = 0; i < 3000; ++i) d.push_front(i);
    EXPECT_EQ(d.front(), 2999);
  }
  EXPECT_EQ(segment_.get_free_memory(), free_before);
}

}  // namespace
