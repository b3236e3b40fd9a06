// The sequence containers' requirements, checked generically over a table of
// containers × allocators in a managed shared memory segment: types and
// iterators, every insert and erase form against a std::vector model, copy,
// move, swap and comparison, use through a second mapping and by another
// process (exec'd, so at another address), and bad_alloc leaving the
// container unchanged.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using segment_manager_t = ipc::managed_shared_memory::segment_manager;
template <class T>
using segment_allocator = ipc::allocator<T, segment_manager_t>;

template <class T>
using segment_node_allocator = ipc::node_allocator<T, segment_manager_t>;
template <class T>
using segment_adaptive_pool = ipc::adaptive_pool<T, segment_manager_t>;

// The table's rows: a container of T over an allocator family, and the child
// role that checks it in another process.
template <template <class...> class Container, template <class> class Allocator>
struct row_of {
  template <class T>
  using allocator = Allocator<T>;
  template <class T>
  using container = Container<T, Allocator<T>>;
};
struct vector_row : row_of<ipc::vector, segment_allocator> {
  static constexpr const char* role = "containers_vector_row";
};
struct vector_node_allocator_row : row_of<ipc::vector, segment_node_allocator> {
  static constexpr const char* role = "containers_vector_node_allocator_row";
};
struct vector_adaptive_pool_row : row_of<ipc::vector, segment_adaptive_pool> {
  static constexpr const char* role = "containers_vector_adaptive_pool_row";
};
struct deque_row : row_of<ipc::deque, segment_allocator> {
  static constexpr const char* role = "containers_deque_row";
};
struct deque_node_allocator_row : row_of<ipc::deque, segment_node_allocator> {
  static constexpr const char* role = "containers_deque_node_allocator_row";
};
struct deque_adaptive_pool_row : row_of<ipc::deque, segment_adaptive_pool> {
  static constexpr const char* role = "containers_deque_adaptive_pool_row";
};
struct stable_vector_row : row_of<ipc::stable_vector, segment_allocator> {
  static constexpr const char* role = "containers_stable_vector_row";
};
struct stable_vector_node_allocator_row : row_of<ipc::stable_vector, segment_node_allocator> {
  static constexpr const char* role = "containers_stable_vector_node_allocator_row";
};
struct stable_vector_adaptive_pool_row : row_of<ipc::stable_vector, segment_adaptive_pool> {
  static constexpr const char* role = "containers_stable_vector_adaptive_pool_row";
};

constexpr std::size_t kSize = 512 * 1024;

std::string remove_segment(const std::string& n) {
  ipc::shared_memory_object::remove(n.c_str());
  return n;
}

template <class C>
std::vector<int> contents(const C& c) {
  return std::vector<int>(c.begin(), c.end());
}

template <class Row>
void check_types_and_iterators(ipc::managed_shared_memory& segment) {
  using C = typename Row::template container<int>;
  static_assert(std::is_same<typename std::iterator_traits<typename C::iterator>::iterator_category,
                             std::random_access_iterator_tag>::value);
  static_assert(std::is_convertible<typename C::iterator, typename C::const_iterator>::value);
  static_assert(std::is_same<typename C::value_type, int>::value);
  using A = typename Row::template allocator<int>;
  static_assert(std::is_same<typename C::allocator_type, A>::value);
  const A a(segment.get_segment_manager());
  C c(a);
  EXPECT_TRUE(c.get_allocator() == a);
  EXPECT_TRUE(c.empty());
  EXPECT_TRUE(c.begin() == c.end());
  c.push_back(1);
  c.push_back(2);
  typename C::const_iterator first = c.begin();
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(c.end() - c.begin(), 2);
  EXPECT_EQ(*c.rbegin(), 2);
  EXPECT_EQ(*(c.crend() - 1), 1);
  EXPECT_EQ(c.begin()[1], 2);
  EXPECT_TRUE(segment.belongs_to_segment(&c.front()));
}

template <class Row>
void check_against_a_model(ipc::managed_shared_memory& segment) {
  using C = typename Row::template container<int>;
  C c{typename Row::template allocator<int>(segment.get_segment_manager())};
  std::vector<int> model;
  std::mt19937 rng(16);
  for (int step = 0; step < 3000; ++step) {
    const std::size_t at = rng() % (model.size() + 1);
    const int v = static_cast<int>(rng() % 1000);
    const int extra[] = {v, v + 1, v + 2};
    switch (rng() % 9) {
      case 0:
        c.emplace_back(v);
        model.emplace_back(v);
        break;
      case 1:
        c.push_back(v);
        model.push_back(v);
        break;
      case 2:
        EXPECT_EQ(*c.emplace(c.begin() + at, v), v);
        model.emplace(model.begin() + at, v);
        break;
      case 3:
        EXPECT_EQ(*c.insert(c.begin() + at, v), v);
        model.insert(model.begin() + at, v);
        break;
      case 4:
        c.insert(c.begin() + at, 2, v);
        model.insert(model.begin() + at, 2, v);
        break;
      case 5:
        c.insert(c.begin() + at, std::begin(extra), std::end(extra));
        model.insert(model.begin() + at, std::begin(extra), std::end(extra));
        break;
      case 6:
        if (at < model.size()) {
          c.erase(c.begin() + at);
          model.erase(model.begin() + at);
        }
        break;
      case 7: {
        const std::size_t n = std::min<std::size_t>(rng() % 4, model.size() - at);
        c.erase(c.begin() + at, c.begin() + at + n);
        model.erase(model.begin() + at, model.begin() + at + n);
        break;
      }
      default:
        if (!model.empty()) {
          c.pop_back();
          model.pop_back();
        }
    }
    ASSERT_EQ(c.size(), model.size()) << "step " << step;
  }
  EXPECT_EQ(contents(c), model);
  c.resize(10);
  model.resize(10);
  c.resize(12, 5);
  model.resize(12, 5);
  EXPECT_EQ(contents(c), model);
  c.clear();
  EXPECT_TRUE(c.empty());
}

template <class Row>
void check_copy_move_swap_compare(ipc::managed_shared_memory& segment) {
  using C = typename Row::template container<int>;
  const typename Row::template allocator<int> a(segment.get_segment_manager());
  const int values[] = {1, 2, 3};
  C x(std::begin(values), std::end(values), a);
  C copy(x);
  EXPECT_TRUE(copy == x);
  EXPECT_TRUE(copy.get_allocator() == a);
  copy.push_back(4);
  EXPECT_TRUE(x < copy);
  EXPECT_TRUE(x != copy);
  EXPECT_TRUE(copy > x);
  EXPECT_TRUE(x <= copy && copy >= x);
  C moved(std::move(copy));
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(moved.size(), 4u);
  C assigned(a);
  assigned = x;
  EXPECT_TRUE(assigned == x);
  assigned = std::move(moved);
  EXPECT_EQ(assigned.size(), 4u);
  swap(assigned, x);
  EXPECT_EQ(x.size(), 4u);
  EXPECT_EQ(assigned.size(), 3u);
  x.swap(assigned);
  EXPECT_EQ(x.size(), 3u);
  assigned.assign(2, 9);
  EXPECT_EQ(contents(assigned), (std::vector<int>{9, 9}));
}

template <class Row>
void check_second_mapping(const std::string& n) {
  using C = typename Row::template container<int>;
  ipc::managed_shared_memory first(ipc::create_only, n.c_str(), kSize);
  C* c = first.construct<C>("container")(first.get_segment_manager());
  for (int i = 0; i < 1000; ++i) c->insert(c->begin() + c->size() / 2, i);
  const std::vector<int> built = contents(*c);
  ipc::managed_shared_memory second(ipc::open_only, n.c_str());
  ASSERT_NE(second.get_address(), first.get_address());
  C* d = second.find<C>("container").first;
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(contents(*d), built);
  d->erase(d->begin(), d->begin() + 500);
  d->push_back(-1);
  EXPECT_EQ(c->size(), 501u);
  EXPECT_EQ(c->back(), -1);
  EXPECT_EQ(c->front(), built[500]);
  first.destroy_ptr(c);
  EXPECT_TRUE(first.all_memory_deallocated());
}

// In the child: the parent stored 0..999; check, then erase the odd values
// and append 1000.
template <class Row>
void child_check_and_modify(const std::vector<std::string>& args) {
  using C = typename Row::template container<int>;
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  C* c = segment.find<C>("container").first;
  IPC_CHILD_CHECK(c != nullptr);
  IPC_CHILD_CHECK_MSG(c->size() == 1000, "size " << c->size());
  for (int i = 0; i < 1000; ++i) IPC_CHILD_CHECK_MSG((*c)[i] == i, "element " << i);
  for (int i = 999; i >= 0; --i) {
    if (i % 2) c->erase(c->begin() + i);
  }
  c->push_back(1000);
}
IPC_CHILD_ROLE(containers_vector_row) { child_check_and_modify<vector_row>(args); }
IPC_CHILD_ROLE(containers_vector_node_allocator_row) {
  child_check_and_modify<vector_node_allocator_row>(args);
}
IPC_CHILD_ROLE(containers_vector_adaptive_pool_row) {
  child_check_and_modify<vector_adaptive_pool_row>(args);
}
IPC_CHILD_ROLE(containers_deque_row) { child_check_and_modify<deque_row>(args); }
IPC_CHILD_ROLE(containers_deque_node_allocator_row) {
  child_check_and_modify<deque_node_allocator_row>(args);
}
IPC_CHILD_ROLE(containers_deque_adaptive_pool_row) {
  child_check_and_modify<deque_adaptive_pool_row>(args);
}
IPC_CHILD_ROLE(containers_stable_vector_row) { child_check_and_modify<stable_vector_row>(args); }
IPC_CHILD_ROLE(containers_stable_vector_node_allocator_row) {
  child_check_and_modify<stable_vector_node_allocator_row>(args);
}
IPC_CHILD_ROLE(containers_stable_vector_adaptive_pool_row) {
  child_check_and_modify<stable_vector_adaptive_pool_row>(args);
}

template <class Row>
void check_another_process(const std::string& n) {
  using C = typename Row::template container<int>;
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  C* c = segment.construct<C>("container")(segment.get_segment_manager());
  for (int i = 0; i < 1000; ++i) c->push_back(i);
  auto child = ipc_test::spawn_role(Row::role, {n});
  IPC_ASSERT_CHILD_OK(child.wait());
  ASSERT_EQ(c->size(), 501u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ((*c)[i], 2 * i);
  EXPECT_EQ(c->back(), 1000);
  segment.destroy_ptr(c);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// The standard's sequence containers (manual level).
template <class Row>
class ContainersSequence : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") { return unique_resource(remove_segment, tag); }
};
using SequenceRows =
    ::testing::Types<vector_row, vector_node_allocator_row, vector_adaptive_pool_row, deque_row,
                     deque_node_allocator_row, deque_adaptive_pool_row>;
TYPED_TEST_SUITE(ContainersSequence, SequenceRows);

TYPED_TEST(ContainersSequence, TypesAndIterators) {
  IPC_SPEC("containers.sequence_requirements");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  check_types_and_iterators<TypeParam>(segment);
}
TYPED_TEST(ContainersSequence, InsertAndEraseFormsMatchAModel) {
  IPC_SPEC("containers.sequence_requirements");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  check_against_a_model<TypeParam>(segment);
}
TYPED_TEST(ContainersSequence, CopyMoveSwapAndCompare) {
  IPC_SPEC("containers.sequence_requirements");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  check_copy_move_swap_compare<TypeParam>(segment);
}
TYPED_TEST(ContainersSequence, UsedThroughASecondMapping) {
  IPC_SPEC("containers.internal_pointers");
  check_second_mapping<TypeParam>(this->name());
}
TYPED_TEST(ContainersSequence, ReadAndModifiedByAnotherProcess) {
  IPC_SPEC("containers.internal_pointers");
  check_another_process<TypeParam>(this->name());
}

// stable_vector (a Boost header): the same checks, plus stability.
template <class Row>
class ContainersStableSequence : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") { return unique_resource(remove_segment, tag); }
};
using StableRows = ::testing::Types<stable_vector_row, stable_vector_node_allocator_row,
                                    stable_vector_adaptive_pool_row>;
TYPED_TEST_SUITE(ContainersStableSequence, StableRows);

TYPED_TEST(ContainersStableSequence, TypesAndIterators) {
  IPC_SPEC("containers.stable_vector_header", "containers.sequence_requirements");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  check_types_and_iterators<TypeParam>(segment);
}
TYPED_TEST(ContainersStableSequence, InsertAndEraseFormsMatchAModel) {
  IPC_SPEC("containers.stable_vector_header", "containers.sequence_requirements");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  check_against_a_model<TypeParam>(segment);
}
TYPED_TEST(ContainersStableSequence, CopyMoveSwapAndCompare) {
  IPC_SPEC("containers.stable_vector_header", "containers.sequence_requirements");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  check_copy_move_swap_compare<TypeParam>(segment);
}
TYPED_TEST(ContainersStableSequence, UsedThroughASecondMapping) {
  IPC_SPEC("containers.stable_vector_header", "containers.internal_pointers");
  check_second_mapping<TypeParam>(this->name());
}
TYPED_TEST(ContainersStableSequence, ReadAndModifiedByAnotherProcess) {
  IPC_SPEC("containers.stable_vector_header", "containers.internal_pointers");
  check_another_process<TypeParam>(this->name());
}
TYPED_TEST(ContainersStableSequence, ElementsStayWhereTheyAre) {
  IPC_SPEC("containers.stable_vector_header");
  ipc::managed_shared_memory segment(ipc::create_only, this->name().c_str(), kSize);
  using C = typename TypeParam::template container<int>;
  C c{typename TypeParam::template allocator<int>(segment.get_segment_manager())};
  for (int i = 0; i < 100; ++i) c.push_back(i);
  const int* fifty = &c[50];
  typename C::iterator it = c.begin() + 50;
  for (int i = 0; i < 1000; ++i) c.insert(c.begin(), -i);
  c.erase(c.begin(), c.begin() + 900);
  EXPECT_EQ(&*it, fifty);
  EXPECT_EQ(*it, 50);
  EXPECT_EQ(it - c.begin(), 150);
}

// bad_alloc from a full segment leaves the container as it was.
class ContainersStrongGuarantee : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") { return unique_resource(remove_segment, tag); }
};

TEST_F(ContainersStrongGuarantee, PushBackAndAppendOnAFullSegment) {
  IPC_SPEC("containers.strong_guarantee");
  ipc::managed_shared_memory segment(ipc::create_only, name().c_str(), 64 * 1024);
  {
    ipc::vector<long, segment_allocator<long>> v(segment.get_segment_manager());
    v.reserve(2000);  // the copies taken for comparison fit beside it
    bool threw = false;
    while (!threw) {
      const std::size_t size = v.size(), capacity = v.capacity();
      const long* data = v.data();
      try {
        v.push_back(static_cast<long>(size));
      } catch (const ipc::bad_alloc&) {
        threw = true;
        EXPECT_EQ(v.size(), size);
        EXPECT_EQ(v.capacity(), capacity);
        EXPECT_EQ(v.data(), data);
      }
    }
    for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], static_cast<long>(i));
  }
  {
    using shm_string = ipc::basic_string<char, std::char_traits<char>, segment_allocator<char>>;
    shm_string s(segment.get_segment_manager());
    const std::string chunk(1000, 'x');
    std::string model;
    bool threw = false;
    while (!threw) {
      try {
        s.append(chunk.c_str());
        model += chunk;
      } catch (const ipc::bad_alloc&) {
        threw = true;
      }
      ASSERT_EQ(std::string(s.c_str()), model);
    }
  }
  {
    ipc::deque<long, segment_allocator<long>> d(segment.get_segment_manager());
    std::vector<long> model;
    bool threw = false;
    for (long i = 0; !threw; ++i) {
      try {
        d.push_back(i);
        model.push_back(i);
      } catch (const ipc::bad_alloc&) {
        threw = true;
      }
    }
    EXPECT_TRUE(std::equal(d.begin(), d.end(), model.begin(), model.end()));
  }
}

}  // namespace
