// Boost.Container 1.81's containers over refipc::allocator in a managed
// shared memory segment: each compiles against the version 2 protocol and
// keeps its contents, and everything it allocated is given back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/container/deque.hpp>
#include <boost/container/flat_map.hpp>
#include <boost/container/list.hpp>
#include <boost/container/map.hpp>
#include <boost/container/set.hpp>
#include <boost/container/stable_vector.hpp>
#include <boost/container/string.hpp>
#include <boost/container/vector.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "refipc/allocators/adaptive_pool.hpp"
#include "refipc/allocators/allocator.hpp"
#include "refipc/allocators/cached_node_allocator.hpp"
#include "refipc/allocators/node_allocator.hpp"
#include "refipc/allocators/private_adaptive_pool.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

namespace bc = boost::container;
using refipc::managed_shared_memory;
using segment_manager = managed_shared_memory::segment_manager;
template <class T>
using alloc = refipc::allocator<T, segment_manager>;

static_assert(bc::dtl::version<alloc<int>>::value == 2);

class BoostContainerInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = "refipc_bc_interop_" + std::to_string(::getpid());
    refipc::shared_memory_object::remove(name_.c_str());
    segment_ = managed_shared_memory(refipc::create_only, name_.c_str(), 1 << 20);
    free_before_ = segment_.get_free_memory();
  }
  void TearDown() override {
    EXPECT_EQ(segment_.get_free_memory(), free_before_);
    EXPECT_TRUE(segment_.check_sanity());
    segment_ = managed_shared_memory();
    refipc::shared_memory_object::remove(name_.c_str());
  }
  segment_manager* manager() { return segment_.get_segment_manager(); }

  std::string name_;
  managed_shared_memory segment_;
  std::size_t free_before_ = 0;
};

TEST_F(BoostContainerInterop, Vector) {
  using vec = bc::vector<int, alloc<int>>;
  vec* v = segment_.construct<vec>("v")(manager());
  for (int i = 0; i < 10000; ++i) v->push_back(i);
  v->insert(v->begin(), -1);
  ASSERT_EQ(v->size(), 10001u);
  EXPECT_EQ(v->front(), -1);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ((*v)[i + 1], i);
  EXPECT_TRUE(segment_.belongs_to_segment(v->data()));
  const int* before = v->data();
  v->shrink_to_fit();  // shrinks in place, to the segment's granularity
  EXPECT_EQ(v->data(), before);
  EXPECT_LT(v->capacity() - v->size(), 8u);
  segment_.destroy_ptr(v);
}

TEST_F(BoostContainerInterop, ListWithRangeInsertAndErase) {
  using list = bc::list<int, alloc<int>>;
  list l(manager());
  const std::vector<int> src{1, 2, 3, 4, 5, 6, 7, 8};
  l.insert(l.end(), src.begin(), src.end());  // allocate_individual
  l.push_front(0);
  l.erase(std::next(l.begin(), 2), std::next(l.begin(), 5));  // deallocate_individual
  EXPECT_EQ(std::vector<int>(l.begin(), l.end()), (std::vector<int>{0, 1, 5, 6, 7, 8}));
  l.clear();
  EXPECT_TRUE(l.empty());
}

TEST_F(BoostContainerInterop, MapOfStringsToVectors) {
  using string = bc::basic_string<char, std::char_traits<char>, alloc<char>>;
  using vec = bc::vector<int, alloc<int>>;
  using map = bc::map<string, vec, std::less<string>, alloc<std::pair<const string, vec>>>;
  map* m = segment_.construct<map>("m")(std::less<string>(), manager());
  for (int i = 0; i < 100; ++i) {
    string key("a key long enough to leave the small buffer ", manager());
    key += std::to_string(i).c_str();
    vec values(manager());
    for (int j = 0; j <= i; ++j) values.push_back(j);
    m->emplace(std::move(key), std::move(values));
  }
  ASSERT_EQ(m->size(), 100u);
  string probe("a key long enough to leave the small buffer 42", manager());
  auto it = m->find(probe);
  ASSERT_NE(it, m->end());
  EXPECT_EQ(it->second.size(), 43u);
  EXPECT_EQ(it->second.back(), 42);
  segment_.destroy_ptr(m);
}

TEST_F(BoostContainerInterop, SetAndFlatMap) {
  bc::set<int, std::less<int>, alloc<int>> s(manager());
  const std::vector<int> src{5, 3, 9, 1, 7};
  s.insert(src.begin(), src.end());
  EXPECT_EQ(std::vector<int>(s.begin(), s.end()), (std::vector<int>{1, 3, 5, 7, 9}));
  bc::flat_map<int, int, std::less<int>, alloc<std::pair<int, int>>> fm(manager());
  for (int i = 100; i > 0; --i) fm.emplace(i, i * i);
  EXPECT_EQ(fm.size(), 100u);
  EXPECT_EQ(fm.begin()->first, 1);
  EXPECT_EQ(fm.at(10), 100);
}

TEST_F(BoostContainerInterop, StableVectorAndDeque) {
  bc::stable_vector<int, alloc<int>> sv(manager());
  for (int i = 0; i < 1000; ++i) sv.push_back(i);
  int* stable = &sv[500];
  sv.erase(sv.begin(), sv.begin() + 100);
  EXPECT_EQ(*stable, 500);
  EXPECT_EQ(sv.size(), 900u);
  sv.insert(sv.begin(), 10, -1);  // takes nodes from the pool in bursts
  EXPECT_EQ(sv.front(), -1);
  sv.shrink_to_fit();
  sv.clear();
  bc::deque<int, alloc<int>> d(manager());
  for (int i = 0; i < 5000; ++i) (i % 2 ? d.push_back(i) : d.push_front(i));
  EXPECT_EQ(d.size(), 5000u);
  EXPECT_EQ(d.back(), 4999);
  EXPECT_EQ(d.front(), 4998);
}

TEST_F(BoostContainerInterop, StdVectorOverFancyPointers) {
  std::vector<int, alloc<int>> v(manager());
  for (int i = 0; i < 1000; ++i) v.push_back(i);
  EXPECT_EQ(v[999], 999);
  EXPECT_TRUE(segment_.belongs_to_segment(v.data()));
}

// Node containers over the pooled allocators take their nodes from the pool
// (allocate_one, allocate_individual), vectors their arrays from the segment.
template <template <class> class Alloc>
struct pooled {
  template <class T>
  using type = Alloc<T>;
};
template <class T>
using node_alloc = refipc::node_allocator<T, segment_manager>;
template <class T>
using adaptive = refipc::adaptive_pool<T, segment_manager>;
template <class T>
using cached = refipc::cached_node_allocator<T, segment_manager>;
template <class T>
using private_adaptive = refipc::private_adaptive_pool<T, segment_manager>;

template <class P>
class BoostContainersOverPools : public BoostContainerInterop {};
using pool_kinds = ::testing::Types<pooled<node_alloc>, pooled<adaptive>, pooled<cached>,
                                    pooled<private_adaptive>>;
TYPED_TEST_SUITE(BoostContainersOverPools, pool_kinds);

TYPED_TEST(BoostContainersOverPools, NodeAndArrayContainers) {
  using int_alloc = typename TypeParam::template type<int>;
  using pair_alloc = typename TypeParam::template type<std::pair<const int, int>>;
  {
    bc::list<int, int_alloc> l(this->manager());
    const std::vector<int> src{4, 5, 6};
    for (int i = 0; i < 1000; ++i) l.push_back(i);
    l.insert(l.begin(), src.begin(), src.end());
    EXPECT_EQ(l.size(), 1003u);
    EXPECT_EQ(l.front(), 4);
    l.erase(l.begin(), std::next(l.begin(), 500));
    EXPECT_EQ(l.size(), 503u);
    bc::map<int, int, std::less<int>, pair_alloc> m(this->manager());
    for (int i = 0; i < 1000; ++i) m.emplace(i * 7 % 1000, i);
    EXPECT_EQ(m.size(), 1000u);
    EXPECT_EQ(m.at(7), 1);
    bc::stable_vector<int, int_alloc> sv(this->manager());
    for (int i = 0; i < 500; ++i) sv.push_back(i);
    sv.insert(sv.begin(), src.begin(), src.end());
    EXPECT_EQ(sv[3], 0);
    bc::vector<int, int_alloc> v(this->manager());
    for (int i = 0; i < 5000; ++i) v.push_back(i);
    EXPECT_EQ(v[4999], 4999);
  }
}

}  // namespace
