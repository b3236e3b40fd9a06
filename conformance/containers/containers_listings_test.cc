// Conformance tests of the manual's container listings that use vector and
// string: the vector of ints, where things are allocated (with another
// process reading the vector of strings), move semantics, containers of
// containers; and what the manual requires of any container's allocator use.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using segment_manager_t = ipc::managed_shared_memory::segment_manager;
using char_allocator = ipc::allocator<char, segment_manager_t>;
using shm_string = ipc::basic_string<char, std::char_traits<char>, char_allocator>;
using string_allocator = ipc::allocator<shm_string, segment_manager_t>;
using shm_string_vector = ipc::vector<shm_string, string_allocator>;

// Longer than any short-string buffer, so its characters are allocated.
const char kLongText[] = "this is a long, long, long, long, long, long, string...";

class ContainersListings : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, tag);
  }
};

TEST_F(ContainersListings, VectorOfIntsIsConstructedSortedAndDestroyedByName) {
  IPC_SPEC("containers.vector_example", "containers.sequence_headers");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), 65536);
  using ShmemAllocator = ipc::allocator<int, segment_manager_t>;
  using MyVector = ipc::vector<int, ShmemAllocator>;
  const int initVal[] = {0, 1, 2, 3, 4, 5, 6};
  const int* begVal = initVal;
  const int* endVal = initVal + sizeof(initVal) / sizeof(initVal[0]);
  const ShmemAllocator alloc_inst(segment.get_segment_manager());
  MyVector* myvector = segment.construct<MyVector>("MyVector")(begVal, endVal, alloc_inst);
  std::sort(myvector->rbegin(), myvector->rend());
  const int sorted[] = {6, 5, 4, 3, 2, 1, 0};
  EXPECT_TRUE(std::equal(myvector->begin(), myvector->end(), std::begin(sorted), std::end(sorted)));
  EXPECT_TRUE(segment.belongs_to_segment(&myvector->front()));
  EXPECT_TRUE(segment.destroy<MyVector>("MyVector"));
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// args: segment name. Reads the parent's vector of strings and changes it.
IPC_CHILD_ROLE(containers_string_vector_reader) {
  ipc::managed_shared_memory shm(ipc::open_only, args.at(0).c_str());
  shm_string_vector* v = shm.find<shm_string_vector>("myshmvector").first;
  IPC_CHILD_CHECK(v != nullptr);
  IPC_CHILD_CHECK_MSG(v->size() == 10, "size " << v->size());
  for (const shm_string& s : *v) IPC_CHILD_CHECK(s == "this is my text");
  for (shm_string& s : *v) s += " (child)";
  v->push_back(shm_string(kLongText, char_allocator(shm.get_segment_manager())));
}

TEST_F(ContainersListings, StringVectorBuiltInTheSegmentIsUsedByAnotherProcess) {
  IPC_SPEC("containers.where_allocated", "containers.internal_pointers");
  const std::string n = name();
  ipc::managed_shared_memory shm(ipc::create_only, n.c_str(), 65536);
  char_allocator charallocator(shm.get_segment_manager());
  string_allocator stringallocator(shm.get_segment_manager());
  {
    // Process-local string and vector: what they allocate is in the segment.
    shm_string mystring(charallocator);
    mystring = kLongText;
    EXPECT_TRUE(shm.belongs_to_segment(mystring.c_str()));
    shm_string_vector myvector(stringallocator);
    myvector.insert(myvector.begin(), 10, mystring);
    EXPECT_TRUE(shm.belongs_to_segment(&myvector[0]));
    EXPECT_TRUE(shm.belongs_to_segment(myvector[9].c_str()));
  }
  shm_string mystring(charallocator);
  mystring = "this is my text";
  shm_string_vector* myshmvector = shm.construct<shm_string_vector>("myshmvector")(stringallocator);
  myshmvector->insert(myshmvector->begin(), 10, mystring);
  auto child = ipc_test::spawn_role("containers_string_vector_reader", {n});
  IPC_ASSERT_CHILD_OK(child.wait());
  ASSERT_EQ(myshmvector->size(), 11u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ((*myshmvector)[i], "this is my text (child)");
  EXPECT_EQ(myshmvector->back(), kLongText);
  EXPECT_TRUE(shm.belongs_to_segment(myshmvector->back().c_str()));
  shm.destroy_ptr(myshmvector);
}

TEST_F(ContainersListings, MovedStringsAndContainersTransferTheirContents) {
  IPC_SPEC("containers.move_semantics");
  const std::string n = name();
  ipc::managed_shared_memory shm(ipc::create_only, n.c_str(), 65536);
  char_allocator charallocator(shm.get_segment_manager());
  string_allocator stringallocator(shm.get_segment_manager());
  shm_string_vector* myshmvector = shm.construct<shm_string_vector>("myshmvector")(stringallocator);
  shm_string string_to_compare(charallocator);
  string_to_compare = kLongText;
  myshmvector->reserve(50);
  for (int i = 0; i < 50; ++i) {
    shm_string move_me(string_to_compare);
    const std::size_t free_before = shm.get_free_memory();
    myshmvector->push_back(std::move(move_me));
    EXPECT_EQ(shm.get_free_memory(), free_before);  // no string copy
    EXPECT_TRUE(move_me.empty());
    EXPECT_EQ(myshmvector->back(), string_to_compare);
  }
  myshmvector->pop_back();
  const std::size_t free_before = shm.get_free_memory();
  myshmvector->insert(myshmvector->begin(), std::move(string_to_compare));
  EXPECT_EQ(shm.get_free_memory(), free_before);  // no allocation at all
  EXPECT_TRUE(string_to_compare.empty());
  EXPECT_EQ(myshmvector->front(), kLongText);

  shm_string_vector moved(std::move(*myshmvector));
  EXPECT_TRUE(myshmvector->empty());
  EXPECT_EQ(moved.size(), 50u);
  EXPECT_EQ(shm.get_free_memory(), free_before);
  *myshmvector = std::move(moved);
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(myshmvector->size(), 50u);
  shm.destroy_ptr(myshmvector);
  EXPECT_TRUE(shm.all_memory_deallocated());
}

// The manual's complex_data: several containers initialised from one void
// allocator.
using void_allocator = ipc::allocator<void, segment_manager_t>;
using int_allocator = ipc::allocator<int, segment_manager_t>;
using int_vector = ipc::vector<int, int_allocator>;
using int_vector_allocator = ipc::allocator<int_vector, segment_manager_t>;
using int_vector_vector = ipc::vector<int_vector, int_vector_allocator>;

class complex_data {
 public:
  complex_data(int id, const char* name, const void_allocator& void_alloc)
      : id_(id), char_string_(name, void_alloc), int_vector_vector_(void_alloc) {}

  int id_;
  shm_string char_string_;
  int_vector_vector int_vector_vector_;
};

TEST_F(ContainersListings, ContainersOfContainersTakeOneVoidAllocator) {
  IPC_SPEC("containers.containers_of_containers");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), 256 * 1024);
  void_allocator alloc_inst(segment.get_segment_manager());
  using complex_allocator = ipc::allocator<complex_data, segment_manager_t>;
  using complex_vector = ipc::vector<complex_data, complex_allocator>;
  complex_vector* v = segment.construct<complex_vector>("complex")(alloc_inst);
  for (int i = 0; i < 20; ++i) {
    complex_data value(i, kLongText, alloc_inst);
    value.int_vector_vector_.push_back(int_vector(3, i, alloc_inst));
    v->push_back(value);
  }
  ASSERT_EQ(v->size(), 20u);
  for (int i = 0; i < 20; ++i) {
    const complex_data& d = (*v)[i];
    EXPECT_EQ(d.id_, i);
    EXPECT_EQ(d.char_string_, kLongText);
    EXPECT_TRUE(segment.belongs_to_segment(d.char_string_.c_str()));
    ASSERT_EQ(d.int_vector_vector_.size(), 1u);
    EXPECT_EQ(d.int_vector_vector_[0], int_vector(3, i, alloc_inst));
    EXPECT_TRUE(segment.belongs_to_segment(&d.int_vector_vector_[0][0]));
  }
  segment.destroy_ptr(v);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(ContainersListings, ContentsFollowTheDestinationsAllocator) {
  IPC_SPEC("containers.unequal_allocators");
  const std::string n1 = name("one"), n2 = name("two");
  ipc::managed_shared_memory one(ipc::create_only, n1.c_str(), 65536);
  ipc::managed_shared_memory two(ipc::create_only, n2.c_str(), 65536);
  using alloc = ipc::allocator<int, segment_manager_t>;
  using vec = ipc::vector<int, alloc>;
  const int values[] = {1, 2, 3, 4};
  vec a(std::begin(values), std::end(values), alloc(one.get_segment_manager()));
  vec b(alloc(two.get_segment_manager()));
  EXPECT_TRUE(a.get_allocator() != b.get_allocator());
  b = a;
  EXPECT_TRUE(two.belongs_to_segment(&b[0]));
  EXPECT_TRUE(b == a);
  vec c(alloc(two.get_segment_manager()));
  c = std::move(a);
  EXPECT_TRUE(two.belongs_to_segment(&c[0]));
  EXPECT_TRUE(c == b);
  a.clear();
  a.shrink_to_fit();
  EXPECT_TRUE(one.all_memory_deallocated());
}

// A std-style allocator that counts its construct and destroy calls.
struct counts {
  int constructed = 0;
  int destroyed = 0;
};
template <class T>
struct counting_allocator {
  using value_type = T;
  counts* c;
  explicit counting_allocator(counts* c) : c(c) {}
  template <class U>
  counting_allocator(const counting_allocator<U>& o) : c(o.c) {}  // NOLINT: implicit
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) { std::allocator<T>().deallocate(p, n); }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ++c->constructed;
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  void destroy(U* p) {
    ++c->destroyed;
    p->~U();
  }
  friend bool operator==(const counting_allocator& a, const counting_allocator& b) {
    return a.c == b.c;
  }
  friend bool operator!=(const counting_allocator& a, const counting_allocator& b) {
    return a.c != b.c;
  }
};

template <class Container>
void expect_construct_and_destroy_through_the_allocator() {
  counts c;
  {
    Container v((counting_allocator<std::string>(&c)));
    v.push_back(std::string("one"));
    v.emplace_back("two");
    v.insert(v.end(), std::string("three"));
    EXPECT_GE(c.constructed, 3);
    const int destroyed = c.destroyed;
    v.pop_back();
    EXPECT_EQ(c.destroyed, destroyed + 1);
  }
  EXPECT_EQ(c.constructed, c.destroyed);
}

TEST_F(ContainersListings, ElementsAreConstructedAndDestroyedThroughTheAllocator) {
  IPC_SPEC("containers.construct_destroy", "containers.sequence_headers");
  expect_construct_and_destroy_through_the_allocator<
      ipc::vector<std::string, counting_allocator<std::string>>>();
  expect_construct_and_destroy_through_the_allocator<
      ipc::deque<std::string, counting_allocator<std::string>>>();
}

TEST_F(ContainersListings, DefaultArgumentsAreTheStandardContainers) {
  IPC_SPEC("containers.sequence_headers");
  ipc::vector<int> v;
  v.push_back(1);
  ipc::deque<int> d;
  d.push_front(2);
  ipc::string s("abc");
  s += "def";
  ipc::vector<int, std::allocator<int>> with_std(3, 7);
  EXPECT_EQ(v.front() + d.front(), 3);
  EXPECT_EQ(s.size(), 6u);
  EXPECT_EQ(with_std.back(), 7);
}

}  // namespace
