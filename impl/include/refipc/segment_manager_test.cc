#include "refipc/segment_manager.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "refipc/detail/segment/first_fit_algorithm.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/indexes/null_index.hpp"
#include "refipc/indexes/unordered_map_index.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/offset_ptr.hpp"

namespace refipc {
namespace {

constexpr std::size_t kSize = 1 << 16;

template <template <class> class Index, class CharT = char>
struct Segment {
  using manager = segment_manager<CharT, testing::first_fit_algorithm, Index>;
  std::unique_ptr<std::max_align_t[]> buffer{
      new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]};
  manager* mgr = ::new (buffer.get()) manager(kSize);
};

struct Counted {
  static int live;
  static int throw_at;  // construction number that throws, -1 for none
  int value;
  explicit Counted(int v = 0) : value(v) {
    if (throw_at >= 0 && throw_at-- == 0) throw std::runtime_error("ctor");
    ++live;
  }
  ~Counted() { --live; }
};
int Counted::live = 0;
int Counted::throw_at = -1;

template <class T>
class SegmentManagerTest : public ::testing::Test {};

template <template <class> class I>
struct IndexTag {
  template <class C>
  using type = I<C>;
};
using Indexes =
    ::testing::Types<IndexTag<flat_map_index>, IndexTag<map_index>, IndexTag<iset_index>,
                     IndexTag<iunordered_set_index>, IndexTag<unordered_map_index>>;
TYPED_TEST_SUITE(SegmentManagerTest, Indexes);

TYPED_TEST(SegmentManagerTest, NamedLifecycleMatchesAModel) {
  Segment<TypeParam::template type> s;
  auto* m = s.mgr;
  std::size_t free_at_start = m->get_free_memory();
  std::map<std::string, int> model;
  for (int i = 0; i < 200; ++i) {
    std::string name = "object" + std::to_string(i * 7919 % 211);
    int* p = m->template find_or_construct<int>(name.c_str())(i);
    model.emplace(name, i);
    EXPECT_EQ(*p, model[name]);
  }
  EXPECT_EQ(m->get_num_named_objects(), model.size());
  std::map<std::string, int> iterated;
  for (auto it = m->named_begin(); it != m->named_end(); ++it) {
    iterated.emplace(std::string(it->name(), it->name_length()),
                     *static_cast<const int*>(it->value()));
  }
  EXPECT_EQ(iterated, model);
  for (auto& [name, value] : model) {
    auto found = m->template find<int>(name.c_str());
    ASSERT_NE(found.first, nullptr);
    EXPECT_EQ(*found.first, value);
    EXPECT_EQ(found.second, 1u);
  }
  int n = 0;
  for (auto& entry : model) {
    if (n++ % 2) {
      EXPECT_TRUE(m->template destroy<int>(entry.first.c_str()));
    } else {
      m->destroy_ptr(m->template find<int>(entry.first.c_str()).first);
    }
    EXPECT_EQ(m->template find<int>(entry.first.c_str()).first, nullptr);
  }
  EXPECT_EQ(m->get_num_named_objects(), 0u);
  m->shrink_to_fit_indexes();
  EXPECT_EQ(m->get_free_memory(), free_at_start);
}

TYPED_TEST(SegmentManagerTest, DuplicateThrowsOrGivesNullAndFailedArrayLeavesNothing) {
  Segment<TypeParam::template type> s;
  auto* m = s.mgr;
  std::size_t free_at_start = m->get_free_memory();
  ASSERT_NE(m->template construct<int>("x")(1), nullptr);
  try {
    m->template construct<int>("x")(2);
    ADD_FAILURE() << "no exception";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), already_exists_error);
  }
  EXPECT_EQ(m->template construct<int>("x", std::nothrow)(2), nullptr);
  EXPECT_EQ(m->template construct<char>("huge", std::nothrow)[kSize](), nullptr);
  EXPECT_THROW(m->template construct<char>("huge")[kSize](), bad_alloc);

  Counted::throw_at = 3;
  EXPECT_THROW(m->template construct<Counted>("arr")[5](7), std::runtime_error);
  EXPECT_EQ(Counted::live, 0);
  EXPECT_EQ(m->template find<Counted>("arr").first, nullptr);
  Counted::throw_at = -1;
  Counted* arr = m->template construct<Counted>("arr")[5](7);
  EXPECT_EQ(Counted::live, 5);
  EXPECT_EQ(m->get_instance_length(arr), 5u);
  EXPECT_TRUE(m->template destroy<Counted>("arr"));
  EXPECT_EQ(Counted::live, 0);
  EXPECT_TRUE(m->template destroy<int>("x"));
  m->shrink_to_fit_indexes();
  EXPECT_EQ(m->get_free_memory(), free_at_start);
}

TYPED_TEST(SegmentManagerTest, UniqueAnonymousAndInstanceInformation) {
  Segment<TypeParam::template type> s;
  auto* m = s.mgr;
  auto* named = m->template construct<double>("n")(1.5);
  auto* unique = m->template construct<Counted>(unique_instance)[2](3);
  auto* anon = m->template construct<long>(anonymous_instance)[3](9);
  EXPECT_STREQ(m->get_instance_name(named), "n");
  EXPECT_EQ(m->get_instance_name(unique), nullptr);
  EXPECT_EQ(m->get_instance_name(anon), nullptr);
  EXPECT_EQ(m->get_instance_type(named), named_type);
  EXPECT_EQ(m->get_instance_type(unique), unique_type);
  EXPECT_EQ(m->get_instance_type(anon), anonymous_type);
  EXPECT_EQ(m->get_instance_length(named), 1u);
  EXPECT_EQ(m->get_instance_length(unique), 2u);
  EXPECT_EQ(m->get_instance_length(anon), 3u);
  EXPECT_EQ(m->template find<Counted>(unique_instance).first, unique);
  EXPECT_EQ(m->template find_or_construct<Counted>(unique_instance)(4), unique);
  EXPECT_EQ(m->get_num_unique_objects(), 1u);
  auto it = m->unique_begin();
  ASSERT_NE(it, m->unique_end());
  EXPECT_STREQ(it->name(), typeid(Counted).name());
  EXPECT_EQ(it->value(), unique);
  EXPECT_TRUE(m->template destroy<Counted>(unique_instance));
  EXPECT_FALSE(m->template destroy<Counted>(unique_instance));
  m->destroy_ptr(anon);
  m->destroy_ptr(named);
  EXPECT_EQ(m->get_num_named_objects(), 0u);
}

TYPED_TEST(SegmentManagerTest, ConstructFromIterators) {
  Segment<TypeParam::template type> s;
  int a[] = {1, 2, 3};
  const char* b[] = {"x", "yy", "zzz"};
  struct P {
    P(int n, const char* t) : n(n), len(std::strlen(t)) {}
    int n;
    std::size_t len;
  };
  P* p = s.mgr->template construct_it<P>("p")[3](&a[0], &b[0]);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(p[i].n, i + 1);
    EXPECT_EQ(p[i].len, static_cast<std::size_t>(i + 1));
  }
  EXPECT_EQ(s.mgr->template find_or_construct_it<P>("p")[3](&a[0], &b[0]), p);
}

TYPED_TEST(SegmentManagerTest, ByteCopyAtAnotherAddressStaysValid) {
  Segment<TypeParam::template type> s;
  for (int i = 0; i < 50; ++i) {
    s.mgr->template construct<int>(("k" + std::to_string(i)).c_str())(i);
  }
  s.mgr->template construct<int>(unique_instance)(77);
  std::unique_ptr<std::max_align_t[]> copy(
      new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]);
  std::memcpy(copy.get(), s.buffer.get(), kSize);
  std::memset(s.buffer.get(), 0xA5, kSize);  // the original must not be consulted
  using manager = typename Segment<TypeParam::template type>::manager;
  manager* m = manager::open(copy.get(), kSize);
  for (int i = 0; i < 50; ++i) {
    auto found = m->template find<int>(("k" + std::to_string(i)).c_str());
    ASSERT_NE(found.first, nullptr);
    EXPECT_EQ(*found.first, i);
  }
  EXPECT_EQ(*m->template find<int>(unique_instance).first, 77);
  EXPECT_TRUE(m->template destroy<int>("k3"));
  EXPECT_NE(m->template construct<int>("new")(5), nullptr);
  EXPECT_EQ(m->get_num_named_objects(), 50u);
}

TEST(SegmentManager, WideNames) {
  Segment<iset_index, wchar_t> s;
  int* p = s.mgr->construct<int>(L"wide")(3);
  EXPECT_EQ(std::wstring(s.mgr->get_instance_name(p)), L"wide");
  EXPECT_EQ(s.mgr->find<int>(L"wide").first, p);
  EXPECT_TRUE(s.mgr->destroy<int>(L"wide"));
}

TEST(SegmentManager, NullIndexKeepsAnonymousObjects) {
  Segment<null_index> s;
  int* p = s.mgr->construct<int>(anonymous_instance)[4](1);
  EXPECT_EQ(s.mgr->get_instance_length(p), 4u);
  EXPECT_EQ(s.mgr->get_num_named_objects(), 0u);
  EXPECT_EQ(s.mgr->named_begin(), s.mgr->named_end());
  s.mgr->destroy_ptr(p);
}

TEST(SegmentManager, OverAlignedObjects) {
  Segment<iset_index> s;
  struct alignas(256) Big {
    char c;
  };
  Big* b = s.mgr->construct<Big>("big")[2]();
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b) % 256, 0u);
  EXPECT_EQ(s.mgr->find<Big>("big").first, b);
  s.mgr->destroy_ptr(b);
}

// What construct()'s proxy passes on: an rvalue reaches the constructor of a
// single object as an rvalue; an array's objects each see an lvalue.
struct Source {};
struct Sink {
  bool moved;
  explicit Sink(const Source&) : moved(false) {}
  explicit Sink(Source&&) : moved(true) {}
};
struct MoveOnly {
  std::unique_ptr<int> p;
  explicit MoveOnly(std::unique_ptr<int>&& q) : p(std::move(q)) {}
};

TEST(SegmentManager, ConstructForwardsRvaluesToASingleObject) {
  Segment<iset_index> s;
  EXPECT_TRUE(s.mgr->construct<Sink>("one")(Source{})->moved);
  Source lvalue;
  EXPECT_FALSE(s.mgr->construct<Sink>("from_lvalue")(lvalue)->moved);
  Sink* many = s.mgr->construct<Sink>("many")[3](Source{});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(many[i].moved) << i;
  MoveOnly* m = s.mgr->construct<MoveOnly>(unique_instance)(std::make_unique<int>(7));
  ASSERT_NE(m->p, nullptr);
  EXPECT_EQ(*m->p, 7);
  s.mgr->destroy_ptr(m);
  EXPECT_TRUE(s.mgr->destroy<Sink>("one"));
  EXPECT_TRUE(s.mgr->destroy<Sink>("from_lvalue"));
  EXPECT_TRUE(s.mgr->destroy<Sink>("many"));
}

TEST(SegmentManager, AtomicFuncRunsUnderTheLock) {
  Segment<iset_index> s;
  int calls = 0;
  // Named construction inside the function takes the recursive lock again.
  auto f = [&] { s.mgr->find_or_construct<int>("inside")(++calls); };
  s.mgr->atomic_func(f);
  EXPECT_TRUE(s.mgr->try_atomic_func(f));  // a null mutex is always free
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(*s.mgr->find<int>("inside").first, 1);
}

// The checks of open(): each damaged buffer is refused with its error code.
TEST(SegmentManagerOpen, RefusesBuffersThatHoldNoMatchingSegmentManager) {
  Segment<iset_index> s;
  using manager = Segment<iset_index>::manager;
  auto code_of = [](void* addr, std::size_t size) {
    try {
      manager::open(addr, size);
    } catch (const interprocess_exception& e) {
      return e.get_error_code();
    }
    return no_error;
  };
  EXPECT_EQ(code_of(s.buffer.get(), kSize), no_error);
  // Truncated: shorter than the recorded segment, or than a segment manager.
  EXPECT_EQ(code_of(s.buffer.get(), kSize - 1), size_error);
  EXPECT_EQ(code_of(s.buffer.get(), 8), size_error);
  // Another index type or character type reads the same bytes.
  using other_index = segment_manager<char, testing::first_fit_algorithm, flat_map_index>;
  std::vector<std::max_align_t> copy((kSize + sizeof(std::max_align_t) - 1) /
                                     sizeof(std::max_align_t));
  std::memcpy(copy.data(), s.buffer.get(), kSize);
  EXPECT_THROW(other_index::open(copy.data(), kSize), interprocess_exception);
  // Zeroed memory: no magic.
  std::vector<std::max_align_t> zero((kSize + sizeof(std::max_align_t) - 1) /
                                     sizeof(std::max_align_t));
  EXPECT_EQ(code_of(zero.data(), kSize), corrupted_error);
  // A damaged version field: find the version word after the magic.
  unsigned char* bytes = reinterpret_cast<unsigned char*>(copy.data());
  std::uint64_t magic = 0x7265666970635347ull;
  unsigned char* at = std::search(bytes, bytes + kSize, reinterpret_cast<unsigned char*>(&magic),
                                  reinterpret_cast<unsigned char*>(&magic) + 8);
  ASSERT_NE(at, bytes + kSize);
  at[8] ^= 0xFF;
  EXPECT_EQ(code_of(copy.data(), kSize), corrupted_error);
  EXPECT_EQ(code_of(nullptr, kSize), invalid_argument);
}

// refipc's own algorithm, for the forwarding the minimal test algorithm lacks.
using rbtree_manager = segment_manager<char, rbtree_best_fit<null_mutex_family>, iset_index>;

struct RbtreeSegment {
  std::unique_ptr<std::max_align_t[]> buffer{
      new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]()};
  rbtree_manager* mgr = ::new (buffer.get()) rbtree_manager(kSize);
};

TEST(SegmentManagerAllocationCommand, ManualsFormSaysWhetherTheBufferStayedInPlace) {
  RbtreeSegment s;
  std::size_t received = 0;
  const std::pair<int*, bool> fresh =
      s.mgr->allocation_command<int>(allocate_new, 10, 100, received);
  ASSERT_NE(fresh.first, nullptr);
  EXPECT_FALSE(fresh.second);
  EXPECT_GE(received, 10u);
  int* p = fresh.first;
  const std::pair<int*, bool> grown =
      s.mgr->allocation_command<int>(expand_fwd, received + 10, received + 50, received, p);
  EXPECT_EQ(grown.first, p);
  EXPECT_TRUE(grown.second);
  EXPECT_THROW(s.mgr->allocation_command<int>(expand_fwd, kSize, kSize, received, p), bad_alloc);
  EXPECT_EQ(
      s.mgr->allocation_command<int>(expand_fwd | nothrow_allocation, kSize, kSize, received, p)
          .first,
      nullptr);
  s.mgr->deallocate(p);
  EXPECT_TRUE(s.mgr->all_memory_deallocated());
}

TEST(SegmentManagerAllocationCommand, RawFormCountsObjects) {
  RbtreeSegment s;
  std::size_t objects = 8;
  void* reuse = nullptr;
  void* raw = s.mgr->raw_allocation_command(allocate_new, 4, objects, reuse, 24);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(reuse, nullptr);
  EXPECT_GE(objects, 4u);
  EXPECT_GE(s.mgr->size(raw), objects * 24);
  objects = kSize;
  reuse = nullptr;
  EXPECT_THROW(s.mgr->raw_allocation_command(allocate_new, kSize, objects, reuse, 24), bad_alloc);
  s.mgr->deallocate(raw);
  EXPECT_TRUE(s.mgr->all_memory_deallocated());
}

TEST(SegmentManagerAllocateMany, IteratorFormGivesBetweenMinAndPreferredBuffers) {
  RbtreeSegment s;
  std::size_t received = 0;
  rbtree_manager::multiallocation_iterator it = s.mgr->allocate_many(64, 4, 10, received);
  ASSERT_TRUE(it);
  EXPECT_EQ(received, 10u);
  std::vector<char*> buffers;
  for (; it != rbtree_manager::multiallocation_iterator();) {
    char* buf = &*it++;  // increment before the buffer's first bytes are overwritten
    std::memset(buf, 0x5A, 64);
    EXPECT_GE(s.mgr->size(buf), 64u);
    buffers.push_back(buf);
  }
  EXPECT_EQ(buffers.size(), 10u);
  for (char* b : buffers) s.mgr->deallocate(b);
  EXPECT_TRUE(s.mgr->all_memory_deallocated());

  // Too many preferred: fewer, but at least the minimum, are given.
  const std::size_t elem = kSize / 16;
  it = s.mgr->allocate_many(elem, 2, 64, received);
  ASSERT_TRUE(it);
  EXPECT_GE(received, 2u);
  EXPECT_LT(received, 64u);
  std::size_t walked = 0;
  while (it != rbtree_manager::multiallocation_iterator()) {
    s.mgr->deallocate(&*it++);
    ++walked;
  }
  EXPECT_EQ(walked, received);
  EXPECT_TRUE(s.mgr->all_memory_deallocated());

  // Not even the minimum: bad_alloc, or an invalid iterator with nothrow.
  EXPECT_THROW(s.mgr->allocate_many(elem, 64, 64, received), bad_alloc);
  EXPECT_EQ(received, 0u);
  EXPECT_FALSE(s.mgr->allocate_many(elem, 64, 64, received, std::nothrow));
  EXPECT_FALSE(rbtree_manager::multiallocation_iterator());
  EXPECT_TRUE(s.mgr->all_memory_deallocated());
}

TEST(SegmentManagerAllocateMany, ChainsReturnedByValue) {
  RbtreeSegment s;
  rbtree_manager::multiallocation_chain chain = s.mgr->allocate_many(32, 5);
  EXPECT_EQ(chain.size(), 5u);
  const std::size_t sizes[3] = {8, 100, 300};
  rbtree_manager::multiallocation_chain more = s.mgr->allocate_many(sizes, 3);
  ASSERT_EQ(more.size(), 3u);
  std::size_t i = 0;
  for (auto it = more.begin(); it != more.end(); ++it, ++i) EXPECT_GE(s.mgr->size(&*it), sizes[i]);
  s.mgr->deallocate_many(std::move(more));
  s.mgr->deallocate_many(std::move(chain));
  EXPECT_TRUE(s.mgr->all_memory_deallocated());

  EXPECT_THROW(s.mgr->allocate_many(kSize / 4, 8), bad_alloc);
  EXPECT_TRUE(s.mgr->allocate_many(kSize / 4, 8, std::nothrow).empty());
  const std::size_t huge[2] = {kSize, kSize};
  EXPECT_THROW(s.mgr->allocate_many(huge, 2), bad_alloc);
  EXPECT_TRUE(s.mgr->allocate_many(huge, 2, std::nothrow).empty());
  EXPECT_TRUE(s.mgr->all_memory_deallocated());
}

TEST(SegmentManagerAlgorithm, IsTheOneAtTheSegmentsFirstByte) {
  RbtreeSegment s;
  using algorithm = rbtree_best_fit<null_mutex_family>;
  algorithm& a = s.mgr->get_memory_algorithm();
  const rbtree_manager& const_mgr = *s.mgr;
  EXPECT_EQ(static_cast<const void*>(&a), static_cast<const void*>(s.buffer.get()));
  EXPECT_EQ(&const_mgr.get_memory_algorithm(), &a);
  const std::size_t free_before = s.mgr->get_free_memory();
  void* p = a.allocate(100);
  ASSERT_NE(p, nullptr);
  EXPECT_LT(s.mgr->get_free_memory(), free_before);
  s.mgr->deallocate(p);
  EXPECT_EQ(s.mgr->get_free_memory(), free_before);
  static_assert(rbtree_manager::PayloadPerAllocation == algorithm::PayloadPerAllocation);
  static_assert(rbtree_manager::PayloadPerAllocation > 0);
}

TEST(SegmentManagerOpen, RefusesADamagedAlgorithmHeader) {
  RbtreeSegment s;
  EXPECT_EQ(rbtree_manager::open(s.buffer.get(), kSize), s.mgr);
  std::memset(s.buffer.get(), 0, 64);  // the algorithm's header, the signature intact
  try {
    rbtree_manager::open(s.buffer.get(), kSize);
    ADD_FAILURE() << "opened a segment whose algorithm header is zero";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), corrupted_error);
  }
}

}  // namespace
}  // namespace refipc
