// Conformance tests of the segment manager: the manual's object construction
// family, anonymous and unique instances, instance information, index
// functions, raw allocation and handles, reached through managed memory.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class SegmentManager : public ipc_test::ConformanceTest {};

constexpr std::size_t kSegmentSize = 64 * 1024;

// Counts live instances; construction number `throw_at` throws.
struct Tracked {
  static int live;
  static int throw_at;
  int value;
  explicit Tracked(int v = 0) : value(v) {
    if (throw_at >= 0 && throw_at-- == 0) throw std::runtime_error("constructor failure");
    ++live;
  }
  ~Tracked() { --live; }
};
int Tracked::live = 0;
int Tracked::throw_at = -1;

TEST_F(SegmentManager, ConstructsAndFindsANamedObject) {
  IPC_SPEC("segment_manager.construct.named");
  ipc::managed_heap_memory heap(kSegmentSize);
  double* d = heap.construct<double>("pi")(3.25);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(*d, 3.25);
  std::pair<double*, std::size_t> found = heap.find<double>("pi");
  EXPECT_EQ(found.first, d);
  EXPECT_EQ(found.second, 1u);
}

TEST_F(SegmentManager, ConstructsArraysWithTheSameArguments) {
  IPC_SPEC("segment_manager.construct.array");
  ipc::managed_heap_memory heap(kSegmentSize);
  int* a = heap.construct<int>("array")[10](42);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a[i], 42);
  EXPECT_EQ(heap.find<int>("array").second, 10u);
}

TEST_F(SegmentManager, ConstructsArraysFromIterators) {
  IPC_SPEC("segment_manager.construct.iterators");
  struct Pair {
    Pair(int f, float s) : first(f), second(s) {}
    int first;
    float second;
  };
  ipc::managed_heap_memory heap(kSegmentSize);
  int ints[] = {1, 2, 3};
  float floats[] = {0.5f, 1.5f, 2.5f};
  Pair* p = heap.construct_it<Pair>("pairs")[3](&ints[0], &floats[0]);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(p[i].first, ints[i]);
    EXPECT_EQ(p[i].second, floats[i]);
  }
  int other[] = {9, 9, 9};
  EXPECT_EQ(heap.find_or_construct_it<Pair>("pairs")[3](&other[0], &floats[0]), p);
  EXPECT_EQ(p[0].first, 1);
}

TEST_F(SegmentManager, DuplicateNameThrowsOrGivesNull) {
  IPC_SPEC("segment_manager.construct.duplicate_throws");
  ipc::managed_heap_memory heap(kSegmentSize);
  int* first = heap.construct<int>("taken")(1);
  try {
    heap.construct<int>("taken")(2);
    ADD_FAILURE() << "constructing under a taken name did not throw";
  } catch (const ipc::interprocess_exception&) {
  }
  EXPECT_EQ(heap.construct<int>("taken", std::nothrow)(3), nullptr);
  EXPECT_EQ(heap.find<int>("taken").first, first);
  EXPECT_EQ(*first, 1);
}

TEST_F(SegmentManager, FindOrConstructReturnsTheExistingObject) {
  IPC_SPEC("segment_manager.find_or_construct.existing");
  ipc::managed_heap_memory heap(kSegmentSize);
  int* a = heap.find_or_construct<int>("x")(5);
  EXPECT_EQ(*a, 5);
  EXPECT_EQ(heap.find_or_construct<int>("x")(6), a);
  EXPECT_EQ(heap.find_or_construct<int>("x", std::nothrow)(7), a);
  EXPECT_EQ(*a, 5);
}

TEST_F(SegmentManager, FindOfAMissingNameGivesNull) {
  IPC_SPEC("segment_manager.find.missing");
  ipc::managed_heap_memory heap(kSegmentSize);
  heap.construct<int>("present")(1);
  EXPECT_EQ(heap.find<int>("absent").first, nullptr);
}

TEST_F(SegmentManager, DestroyRunsDestructorsAndFreesTheName) {
  IPC_SPEC("segment_manager.destroy.named");
  ipc::managed_heap_memory heap(kSegmentSize);
  heap.construct<Tracked>("t")[4](1);
  EXPECT_EQ(Tracked::live, 4);
  EXPECT_TRUE(heap.destroy<Tracked>("t"));
  EXPECT_EQ(Tracked::live, 0);
  EXPECT_EQ(heap.find<Tracked>("t").first, nullptr);
  EXPECT_FALSE(heap.destroy<Tracked>("t"));
  EXPECT_NE(heap.construct<Tracked>("t")(2), nullptr);
  heap.destroy<Tracked>("t");
}

TEST_F(SegmentManager, DestroyPtrHandlesEveryKindOfObject) {
  IPC_SPEC("segment_manager.destroy_ptr");
  ipc::managed_heap_memory heap(kSegmentSize);
  Tracked* named = heap.construct<Tracked>("named")[2](1);
  Tracked* unique = heap.construct<Tracked>(ipc::unique_instance)(2);
  Tracked* anonymous = heap.construct<Tracked>(ipc::anonymous_instance)[3](3);
  EXPECT_EQ(Tracked::live, 6);
  heap.destroy_ptr(named);
  heap.destroy_ptr(unique);
  heap.destroy_ptr(anonymous);
  EXPECT_EQ(Tracked::live, 0);
  EXPECT_EQ(heap.find<Tracked>("named").first, nullptr);
  EXPECT_EQ(heap.find<Tracked>(ipc::unique_instance).first, nullptr);
  EXPECT_EQ(heap.get_num_named_objects(), 0u);
  EXPECT_EQ(heap.get_num_unique_objects(), 0u);
}

TEST_F(SegmentManager, OutOfMemoryThrowsBadAllocOrGivesNull) {
  IPC_SPEC("segment_manager.no_memory");
  ipc::managed_heap_memory heap(kSegmentSize);
  EXPECT_THROW(heap.construct<char>("big")[kSegmentSize](), ipc::bad_alloc);
  EXPECT_EQ(heap.construct<char>("big", std::nothrow)[kSegmentSize](), nullptr);
  EXPECT_EQ(heap.construct<char>(ipc::anonymous_instance, std::nothrow)[kSegmentSize](), nullptr);
  EXPECT_EQ(heap.find<char>("big").first, nullptr);
}

TEST_F(SegmentManager, ThrowingConstructorLeavesNothingBehind) {
  IPC_SPEC("segment_manager.ctor_throws.strong");
  ipc::managed_heap_memory heap(kSegmentSize);
  std::size_t free_before = heap.get_free_memory();
  Tracked::throw_at = 3;
  EXPECT_THROW(heap.construct<Tracked>("partial")[5](0), std::runtime_error);
  Tracked::throw_at = -1;
  EXPECT_EQ(Tracked::live, 0);
  EXPECT_EQ(heap.find<Tracked>("partial").first, nullptr);
  EXPECT_EQ(heap.get_num_named_objects(), 0u);
  heap.shrink_to_fit_indexes();
  EXPECT_EQ(heap.get_free_memory(), free_before);
  EXPECT_NE(heap.construct<Tracked>("partial")[5](0), nullptr);
  heap.destroy<Tracked>("partial");
}

TEST_F(SegmentManager, AnonymousObjectsHaveNoName) {
  IPC_SPEC("segment_manager.anonymous");
  ipc::managed_heap_memory heap(kSegmentSize);
  int* a = heap.construct<int>(ipc::anonymous_instance)[3](8);
  EXPECT_EQ(a[2], 8);
  EXPECT_EQ(heap.get_num_named_objects(), 0u);
  EXPECT_EQ(heap.get_num_unique_objects(), 0u);
  heap.destroy_ptr(a);
}

TEST_F(SegmentManager, UniqueInstanceIsOnePerType) {
  IPC_SPEC("segment_manager.unique");
  ipc::managed_heap_memory heap(kSegmentSize);
  long* u = heap.construct<long>(ipc::unique_instance)(11);
  EXPECT_EQ(heap.find<long>(ipc::unique_instance).first, u);
  EXPECT_THROW(heap.construct<long>(ipc::unique_instance)(12), ipc::interprocess_exception);
  EXPECT_EQ(heap.construct<long>(ipc::unique_instance, std::nothrow)(12), nullptr);
  EXPECT_EQ(heap.find_or_construct<long>(ipc::unique_instance)(13), u);
  // Another type has its own unique instance.
  EXPECT_NE(heap.construct<short>(ipc::unique_instance)(1), nullptr);
  EXPECT_TRUE(heap.destroy<long>(ipc::unique_instance));
  EXPECT_EQ(heap.find<long>(ipc::unique_instance).first, nullptr);
  EXPECT_FALSE(heap.destroy<long>(ipc::unique_instance));
}

// The manual's example of get_instance_name, get_instance_type and
// get_instance_length.
TEST_F(SegmentManager, InstanceNameTypeAndLengthAsInTheManual) {
  IPC_SPEC("segment_manager.instance_info");
  struct my_class {
    int i = 0;
  };
  ipc::managed_heap_memory heap(kSegmentSize);
  my_class* named_object = heap.construct<my_class>("Object name")[1]();
  my_class* unique_object = heap.construct<my_class>(ipc::unique_instance)[2]();
  my_class* anon_object = heap.construct<my_class>(ipc::anonymous_instance)[3]();
  using segment = ipc::managed_heap_memory;
  EXPECT_STREQ(segment::get_instance_name(named_object), "Object name");
  EXPECT_EQ(segment::get_instance_name(unique_object), nullptr);
  EXPECT_EQ(segment::get_instance_name(anon_object), nullptr);
  EXPECT_EQ(segment::get_instance_type(named_object), ipc::named_type);
  EXPECT_EQ(segment::get_instance_type(unique_object), ipc::unique_type);
  EXPECT_EQ(segment::get_instance_type(anon_object), ipc::anonymous_type);
  EXPECT_EQ(segment::get_instance_length(named_object), 1u);
  EXPECT_EQ(segment::get_instance_length(unique_object), 2u);
  EXPECT_EQ(segment::get_instance_length(anon_object), 3u);
}

TEST_F(SegmentManager, WideCharacterNames) {
  IPC_SPEC("segment_manager.wide_names");
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  ipc::wmanaged_external_buffer buffer(ipc::create_only, memory.data(), kSegmentSize);
  int* i = buffer.construct<int>(L"wide name")(4);
  EXPECT_EQ(buffer.find<int>(L"wide name").first, i);
  EXPECT_EQ(std::wstring(ipc::wmanaged_external_buffer::get_instance_name(i)), L"wide name");
  EXPECT_TRUE(buffer.destroy<int>(L"wide name"));
}

TEST_F(SegmentManager, CountsNamedAndUniqueObjects) {
  IPC_SPEC("segment_manager.counts");
  ipc::managed_heap_memory heap(kSegmentSize);
  heap.construct<int>("a")(1);
  heap.construct<int>("b")(2);
  heap.construct<int>(ipc::unique_instance)(3);
  heap.construct<int>(ipc::anonymous_instance)(4);
  EXPECT_EQ(heap.get_num_named_objects(), 2u);
  EXPECT_EQ(heap.get_num_unique_objects(), 1u);
  heap.destroy<int>("a");
  EXPECT_EQ(heap.get_num_named_objects(), 1u);
}

TEST_F(SegmentManager, IteratesNamedAndUniqueObjects) {
  IPC_SPEC("segment_manager.iteration");
  ipc::managed_heap_memory heap(kSegmentSize);
  std::map<std::string, const void*> expected;
  for (int i = 0; i < 20; ++i) {
    std::string name = "object_" + std::to_string(i);
    expected[name] = heap.construct<int>(name.c_str())(i);
  }
  const void* unique = heap.construct<double>(ipc::unique_instance)(1.0);
  std::map<std::string, const void*> seen;
  for (auto it = heap.named_begin(); it != heap.named_end(); ++it) {
    std::string name(it->name(), it->name_length());
    EXPECT_EQ(std::strlen(it->name()), it->name_length());
    EXPECT_TRUE(seen.emplace(name, it->value()).second) << name << " visited twice";
  }
  EXPECT_EQ(seen, expected);
  auto u = heap.unique_begin();
  ASSERT_NE(u, heap.unique_end());
  EXPECT_STREQ(u->name(), typeid(double).name());
  EXPECT_EQ(u->value(), unique);
  EXPECT_EQ(++u, heap.unique_end());
}

TEST_F(SegmentManager, ReserveAndShrinkKeepObjectsAndReturnMemory) {
  IPC_SPEC("segment_manager.reserve_shrink");
  ipc::managed_heap_memory heap(kSegmentSize);
  std::size_t free_before = heap.get_free_memory();
  heap.reserve_named_objects(50);
  heap.reserve_unique_objects(5);
  for (int i = 0; i < 50; ++i) heap.construct<int>(std::to_string(i).c_str())(i);
  heap.shrink_to_fit_indexes();
  for (int i = 0; i < 50; ++i) {
    int* p = heap.find<int>(std::to_string(i).c_str()).first;
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, i);
  }
  for (int i = 0; i < 50; ++i) heap.destroy<int>(std::to_string(i).c_str());
  heap.shrink_to_fit_indexes();
  EXPECT_EQ(heap.get_free_memory(), free_before);
}

TEST_F(SegmentManager, AtomicFuncCallsTheFunctionOnce) {
  IPC_SPEC("segment_manager.atomic_func");
  ipc::managed_heap_memory heap(kSegmentSize);
  int calls = 0;
  auto f = [&] {
    ++calls;
    heap.find_or_construct<int>("inside")(calls);
    EXPECT_NE(heap.find<int>("inside").first, nullptr);
  };
  heap.atomic_func(f);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(*heap.find<int>("inside").first, 1);
}

TEST_F(SegmentManager, RawAllocationThrowsOrGivesNull) {
  IPC_SPEC("segment_manager.raw_allocation");
  ipc::managed_heap_memory heap(kSegmentSize);
  std::size_t free_before = heap.get_free_memory();
  void* p = heap.allocate(100);
  std::memset(p, 0xAB, 100);
  EXPECT_LT(heap.get_free_memory(), free_before);
  heap.deallocate(p);
  EXPECT_EQ(heap.get_free_memory(), free_before);
  EXPECT_THROW(heap.allocate(kSegmentSize * 2), ipc::bad_alloc);
  EXPECT_EQ(heap.allocate(kSegmentSize * 2, std::nothrow), nullptr);
  void* aligned = heap.allocate_aligned(64, 256);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 256, 0u);
  heap.deallocate(aligned);
}

TEST_F(SegmentManager, PayloadPerAllocationSizesAlignedRequests) {
  IPC_SPEC("segment_manager.payload_per_allocation");
  ipc::managed_heap_memory heap(65536);
  const std::size_t free_before = heap.get_free_memory();
  const std::size_t alignment = 128;
  const std::size_t payload = ipc::managed_heap_memory::PayloadPerAllocation;
  EXPECT_GT(alignment, payload);
  void* ptr = heap.allocate_aligned(3 * alignment - payload, alignment);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(ptr) % alignment, 0u);
  std::memset(ptr, 1, 3 * alignment - payload);
  void* second = heap.allocate_aligned(3 * alignment - payload, alignment, std::nothrow);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(second) % alignment, 0u);
  heap.deallocate(ptr);
  heap.deallocate(second);
  EXPECT_EQ(heap.get_free_memory(), free_before);
}

TEST_F(SegmentManager, AllocateManyInTodaysChainForm) {
  IPC_SPEC("segment_manager.allocate_many.chain_form");
  ipc::managed_heap_memory heap(65536);
  const std::size_t free_before = heap.get_free_memory();
  ipc::managed_heap_memory::multiallocation_chain chain;
  heap.allocate_many(std::nothrow, 100, 16, chain);
  ASSERT_EQ(chain.size(), 16u);
  std::vector<char*> buffers;
  while (!chain.empty()) {
    // The chain yields the segment's void_pointer: take the first byte's address.
    char* buf = reinterpret_cast<char*>(&*chain.begin());
    chain.pop_front();
    std::memset(buf, static_cast<int>(buffers.size()), 100);
    buffers.push_back(buf);
  }
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    for (std::size_t b = 0; b < 100; ++b) ASSERT_EQ(buffers[i][b], static_cast<char>(i)) << i;
  }
  while (!buffers.empty()) {
    heap.deallocate(buffers.back());
    buffers.pop_back();
  }
  EXPECT_EQ(heap.get_free_memory(), free_before);

  std::size_t sizes[10];
  for (std::size_t i = 0; i < 10; ++i) sizes[i] = i * 3;
  heap.allocate_many(sizes, 10, 1, chain);
  EXPECT_EQ(chain.size(), 10u);
  heap.deallocate_many(chain);
  EXPECT_EQ(heap.get_free_memory(), free_before);

  heap.allocate_many(std::nothrow, 65536 / 4, 8, chain);
  EXPECT_TRUE(chain.empty());
  EXPECT_THROW(heap.allocate_many(65536 / 4, 8, chain), ipc::bad_alloc);
  EXPECT_TRUE(chain.empty());
  EXPECT_EQ(heap.get_free_memory(), free_before);
}

// The manual's example: chains returned by value, deallocate_many taking one.
template <class Segment, class = void>
struct HasChainReturningAllocateMany : std::false_type {};
template <class Segment>
struct HasChainReturningAllocateMany<
    Segment, std::enable_if_t<
                 std::is_same_v<decltype(std::declval<Segment&>().allocate_many(
                                    std::size_t{}, std::size_t{}, std::nothrow)),
                                typename Segment::multiallocation_chain> &&
                     std::is_same_v<decltype(std::declval<Segment&>().allocate_many(
                                        static_cast<const std::size_t*>(nullptr), std::size_t{})),
                                    typename Segment::multiallocation_chain>,
                 std::void_t<decltype(std::declval<Segment&>().deallocate_many(
                     std::declval<typename Segment::multiallocation_chain>()))>>> : std::true_type {
};

template <class Segment>
void run_manual_allocate_many_example(Segment& heap) {
  using multiallocation_chain = typename Segment::multiallocation_chain;
  const std::size_t free_before = heap.get_free_memory();
  multiallocation_chain chain(heap.allocate_many(100, 16, std::nothrow));
  ASSERT_FALSE(chain.empty());
  ASSERT_EQ(chain.size(), 16u);
  std::vector<char*> buffers;
  while (!chain.empty()) {
    char* buf = reinterpret_cast<char*>(&*chain.begin());
    chain.pop_front();
    std::memset(buf, static_cast<int>(buffers.size()), 100);
    buffers.push_back(buf);
  }
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    for (std::size_t b = 0; b < 100; ++b) ASSERT_EQ(buffers[i][b], static_cast<char>(i)) << i;
  }
  while (!buffers.empty()) {
    heap.deallocate(buffers.back());
    buffers.pop_back();
  }
  EXPECT_EQ(heap.get_free_memory(), free_before);

  std::size_t sizes[10];
  for (std::size_t i = 0; i < 10; ++i) sizes[i] = i * 3;
  chain = heap.allocate_many(sizes, 10);
  EXPECT_EQ(chain.size(), 10u);
  heap.deallocate_many(std::move(chain));
  EXPECT_EQ(heap.get_free_memory(), free_before);

  EXPECT_TRUE(heap.allocate_many(65536 / 4, 8, std::nothrow).empty());
  const std::size_t too_big[2] = {65536, 65536};
  EXPECT_THROW(heap.allocate_many(too_big, 2), ipc::bad_alloc);
  EXPECT_EQ(heap.get_free_memory(), free_before);
}

TEST_F(SegmentManager, AllocateManyFollowsTheManualsExample) {
  IPC_SPEC("segment_manager.allocate_many");
  ipc::managed_heap_memory heap(65536);
  if constexpr (HasChainReturningAllocateMany<ipc::managed_heap_memory>::value) {
    run_manual_allocate_many_example(heap);
  } else {
    FAIL() << "the manual's allocate_many(elem_size, n, std::nothrow) and "
              "allocate_many(elem_sizes, n) returning multiallocation_chain, or "
              "deallocate_many(multiallocation_chain), do not exist";
  }
}

// The manual's synopsis: allocate_many(elem_size, min_elements,
// preferred_elements, received_elements[, std::nothrow]) returning a
// multiallocation_iterator.
template <class Segment, class = void>
struct HasIteratorAllocateMany : std::false_type {};
template <class Segment>
struct HasIteratorAllocateMany<
    Segment,
    std::void_t<decltype(static_cast<bool>(std::declval<Segment&>().allocate_many(
                    std::size_t{}, std::size_t{}, std::size_t{}, std::declval<std::size_t&>()))),
                decltype(*std::declval<Segment&>().allocate_many(
                    std::size_t{}, std::size_t{}, std::size_t{}, std::declval<std::size_t&>(),
                    std::nothrow))>> : std::true_type {};

template <class Segment>
void run_manual_iterator_allocate_many(Segment& heap) {
  const std::size_t free_before = heap.get_free_memory();
  std::size_t received = 0;
  auto it = heap.allocate_many(100, 16, 16, received);
  using iterator = decltype(it);
  static_assert(std::is_same_v<decltype(*it), char&>, "dereferencing gives char&");
  static_assert(std::is_base_of_v<std::forward_iterator_tag,
                                  typename std::iterator_traits<iterator>::iterator_category>,
                "at least a forward iterator");
  ASSERT_TRUE(static_cast<bool>(it));
  EXPECT_EQ(received, 16u);
  std::vector<char*> buffers;
  while (it != iterator()) {
    char* buf = &*it;
    ++it;  // before the buffer is overwritten, as the manual asks
    std::memset(buf, static_cast<int>(buffers.size()), 100);
    buffers.push_back(buf);
  }
  ASSERT_EQ(buffers.size(), 16u);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    for (std::size_t b = 0; b < 100; ++b) ASSERT_EQ(buffers[i][b], static_cast<char>(i)) << i;
  }
  for (char* b : buffers) heap.deallocate(b);
  EXPECT_EQ(heap.get_free_memory(), free_before);

  // More preferred than fit: at least the minimum, at most the preferred.
  it = heap.allocate_many(65536 / 16, 2, 64, received, std::nothrow);
  ASSERT_TRUE(static_cast<bool>(it));
  EXPECT_GE(received, 2u);
  EXPECT_LE(received, 64u);
  std::size_t walked = 0;
  while (it != iterator()) {
    char* buf = &*it++;
    heap.deallocate(buf);
    ++walked;
  }
  EXPECT_EQ(walked, received);
  EXPECT_EQ(heap.get_free_memory(), free_before);

  EXPECT_FALSE(static_cast<bool>(heap.allocate_many(65536 / 4, 8, 8, received, std::nothrow)));
  EXPECT_FALSE(static_cast<bool>(iterator()));
  EXPECT_THROW(heap.allocate_many(65536 / 4, 8, 8, received), ipc::bad_alloc);
  EXPECT_EQ(heap.get_free_memory(), free_before);
}

TEST_F(SegmentManager, AllocateManyReturnsTheManualsIterator) {
  IPC_SPEC("segment_manager.allocate_many.iterator");
  ipc::managed_heap_memory heap(65536);
  if constexpr (HasIteratorAllocateMany<ipc::managed_heap_memory>::value) {
    run_manual_iterator_allocate_many(heap);
  } else {
    FAIL() << "the manual's allocate_many(elem_size, min_elements, preferred_elements, "
              "received_elements[, std::nothrow]) returning multiallocation_iterator does not "
              "exist";
  }
}

// The manual's allocation_command returns std::pair<T*, bool> (the buffer, and
// whether it was expanded or shrunk in place) and takes preferred_size,
// received_size and reuse_ptr apart.
template <class Segment, class = void>
struct HasPairAllocationCommand : std::false_type {};
template <class Segment>
struct HasPairAllocationCommand<
    Segment, std::enable_if_t<std::is_same_v<
                 decltype(std::declval<Segment&>().template allocation_command<std::size_t>(
                     ipc::allocate_new, std::size_t{}, std::size_t{}, std::declval<std::size_t&>(),
                     static_cast<std::size_t*>(nullptr))),
                 std::pair<std::size_t*, bool>>>> : std::true_type {};

// The manual's example, in the manual's form.
template <class Segment>
void run_manual_allocation_command_example(Segment& heap) {
  const std::size_t min_size = 100;
  std::size_t received = 0;
  std::size_t* ptr =
      heap.template allocation_command<std::size_t>(ipc::allocate_new, min_size, 1000, received)
          .first;
  ASSERT_NE(ptr, nullptr);
  EXPECT_GE(received, min_size);
  const std::size_t free_after_allocation = heap.get_free_memory();
  for (std::size_t i = 0; i < received; ++i) ptr[i] = i;

  std::size_t expanded = 0;
  auto ret = heap.allocation_command(ipc::expand_fwd, received * 2, received * 3, expanded, ptr);
  EXPECT_TRUE(ret.second);
  EXPECT_EQ(ret.first, ptr);
  EXPECT_GE(expanded, received * 2);
  const std::size_t free_after_expansion = heap.get_free_memory();
  EXPECT_LT(free_after_expansion, free_after_allocation);
  for (std::size_t i = received; i < expanded; ++i) ptr[i] = i;

  std::size_t shrunk = 0;
  ret = heap.allocation_command(ipc::shrink_in_place, min_size * 2, min_size, shrunk, ptr);
  EXPECT_TRUE(ret.second);
  EXPECT_EQ(ret.first, ptr);
  EXPECT_LE(shrunk, min_size * 2);
  EXPECT_GE(shrunk, min_size);
  EXPECT_GT(heap.get_free_memory(), free_after_expansion);
  for (std::size_t i = 0; i < shrunk; ++i) ASSERT_EQ(ptr[i], i);
  heap.deallocate(ptr);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST_F(SegmentManager, AllocationCommandFollowsTheManualsExample) {
  IPC_SPEC("segment_manager.allocation_command");
  ipc::managed_heap_memory heap(10000 * sizeof(std::size_t));
  if constexpr (HasPairAllocationCommand<ipc::managed_heap_memory>::value) {
    run_manual_allocation_command_example(heap);
  } else {
    FAIL() << "the manual's allocation_command(command, limit_size, preferred_size, "
              "received_size, reuse_ptr) returning std::pair<T*, bool> does not exist";
  }
}

TEST_F(SegmentManager, AllocationCommandInTodaysReuseForm) {
  IPC_SPEC("segment_manager.allocation_command.reuse_form");
  ipc::managed_heap_memory heap(10000 * sizeof(std::size_t));
  const std::size_t min_size = 100;
  std::size_t received = 1000;
  std::size_t* reuse = nullptr;
  std::size_t* ptr =
      heap.allocation_command<std::size_t>(ipc::allocate_new, min_size, received, reuse);
  ASSERT_NE(ptr, nullptr);
  EXPECT_GE(received, min_size);
  const std::size_t free_after_allocation = heap.get_free_memory();
  for (std::size_t i = 0; i < received; ++i) ptr[i] = i;

  std::size_t expanded = received * 3;
  reuse = ptr;
  std::size_t* ret = heap.allocation_command(ipc::expand_fwd, received * 2, expanded, reuse);
  EXPECT_EQ(ret, ptr);
  EXPECT_EQ(reuse, ptr);
  EXPECT_GE(expanded, received * 2);
  const std::size_t free_after_expansion = heap.get_free_memory();
  EXPECT_LT(free_after_expansion, free_after_allocation);
  for (std::size_t i = 0; i < received; ++i) ASSERT_EQ(ptr[i], i);
  for (std::size_t i = received; i < expanded; ++i) ptr[i] = i;

  std::size_t shrunk = min_size;
  reuse = ptr;
  ret = heap.allocation_command(ipc::shrink_in_place, min_size * 2, shrunk, reuse);
  EXPECT_EQ(ret, ptr);
  EXPECT_EQ(reuse, ptr);
  EXPECT_LE(shrunk, min_size * 2);
  EXPECT_GE(shrunk, min_size);
  EXPECT_GT(heap.get_free_memory(), free_after_expansion);
  for (std::size_t i = 0; i < shrunk; ++i) ASSERT_EQ(ptr[i], i);
  heap.deallocate(ptr);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST_F(SegmentManager, AllocationCommandThatFailsThrowsUnlessNothrow) {
  IPC_SPEC("segment_manager.allocation_command.throws");
  ipc::managed_heap_memory heap(kSegmentSize);
  char* buffer = static_cast<char*>(heap.allocate(64));
  std::memset(buffer, 0x5a, 64);
  // A request for twice the segment, as a new buffer and as an expansion.
  for (const auto& [command, reuse_ptr] :
       {std::pair<ipc::allocation_type, char*>{ipc::allocate_new, nullptr},
        {ipc::expand_fwd, buffer}}) {
    std::size_t size = kSegmentSize * 2;
    char* reuse = reuse_ptr;
    EXPECT_THROW(heap.allocation_command(command, kSegmentSize * 2, size, reuse), ipc::bad_alloc)
        << command;
    size = kSegmentSize * 2;
    reuse = reuse_ptr;
    EXPECT_EQ(
        heap.allocation_command(command | ipc::nothrow_allocation, kSegmentSize * 2, size, reuse),
        nullptr)
        << command;
  }
  for (std::size_t i = 0; i < 64; ++i) ASSERT_EQ(buffer[i], 0x5a);
  heap.deallocate(buffer);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST_F(SegmentManager, GetAllocatorAllocatesFromTheSegment) {
  IPC_SPEC("segment_manager.get_allocator");
  ipc::managed_heap_memory heap(kSegmentSize);
  using allocator = ipc::managed_heap_memory::allocator<int>::type;
  allocator a = heap.get_allocator<int>();
  EXPECT_EQ(a.get_segment_manager(), heap.get_segment_manager());
  const std::size_t free_before = heap.get_free_memory();
  allocator::pointer p = a.allocate(64);
  ASSERT_TRUE(p);
  EXPECT_TRUE(heap.belongs_to_segment(&*p));
  for (int i = 0; i < 64; ++i) p[i] = i;
  EXPECT_LT(heap.get_free_memory(), free_before);
  a.deallocate(p, 64);
  EXPECT_EQ(heap.get_free_memory(), free_before);
  ipc::managed_heap_memory::allocator<char>::type c(a);
  EXPECT_TRUE(c == heap.get_allocator<char>());
  EXPECT_THROW(a.allocate(kSegmentSize), ipc::bad_alloc);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

struct Counted {
  static int live;
  Counted() { ++live; }
  ~Counted() { --live; }
};
int Counted::live = 0;

TEST_F(SegmentManager, GetDeleterDestroysAnyKindOfObject) {
  IPC_SPEC("segment_manager.get_deleter");
  ipc::managed_heap_memory heap(kSegmentSize);
  ipc::managed_heap_memory::deleter<Counted>::type d = heap.get_deleter<Counted>();
  Counted* named = heap.construct<Counted>("named")();
  Counted* unique = heap.construct<Counted>(ipc::unique_instance)();
  Counted* anonymous = heap.construct<Counted>(ipc::anonymous_instance)();
  ASSERT_EQ(Counted::live, 3);
  d(named);
  d(unique);
  d(anonymous);
  EXPECT_EQ(Counted::live, 0);
  EXPECT_EQ(heap.find<Counted>("named").first, nullptr);
  EXPECT_EQ(heap.get_num_named_objects(), 0u);
  EXPECT_EQ(heap.get_num_unique_objects(), 0u);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST_F(SegmentManager, HandlesConvertBackToTheSameAddress) {
  IPC_SPEC("segment_manager.handles");
  ipc::managed_heap_memory heap(kSegmentSize);
  int* p = heap.construct<int>("h")(1);
  ipc::managed_heap_memory::handle_t h = heap.get_handle_from_address(p);
  EXPECT_EQ(heap.get_address_from_handle(h), p);
}

// Beyond Boost: each damaged buffer is refused.
TEST_F(SegmentManager, OpeningABufferWithoutASegmentThrows) {
  IPC_SPEC("segment_manager.open_validates");
  IPC_REQUIRE_FEATURE("checked_open");
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  std::vector<std::max_align_t> zeros(memory.size());
  EXPECT_THROW(ipc::managed_external_buffer(ipc::open_only, zeros.data(), kSegmentSize),
               ipc::interprocess_exception);
  {
    ipc::managed_external_buffer created(ipc::create_only, memory.data(), kSegmentSize);
    created.construct<int>("x")(1);
  }
  EXPECT_THROW(ipc::managed_external_buffer(ipc::open_only, memory.data(), kSegmentSize / 2),
               ipc::interprocess_exception);
  EXPECT_THROW(ipc::wmanaged_external_buffer(ipc::open_only, memory.data(), kSegmentSize),
               ipc::interprocess_exception);
  {
    ipc::managed_external_buffer reopened(ipc::open_only, memory.data(), kSegmentSize);
    EXPECT_NE(reopened.find<int>("x").first, nullptr);
  }
  // The manual places the memory algorithm in the segment's first bytes.
  std::memset(memory.data(), 0, 64);
  EXPECT_THROW(ipc::managed_external_buffer(ipc::open_only, memory.data(), kSegmentSize),
               ipc::interprocess_exception);
}

// Beyond Boost: the error code says whether the buffer is too short or
// holds something else.
TEST_F(SegmentManager, OpenSaysWhetherTheBufferIsShortOrForeign) {
  IPC_SPEC("segment_manager.open_error_codes");
  IPC_REQUIRE_FEATURE("checked_open");
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  {
    ipc::managed_external_buffer created(ipc::create_only, memory.data(), kSegmentSize);
    created.construct<int>("x")(1);
  }
  auto code_of = [&](auto open) -> int {
    try {
      open();
    } catch (const ipc::interprocess_exception& e) {
      return e.get_error_code();
    }
    return ipc::no_error;
  };
  EXPECT_EQ(code_of([&] {
              ipc::managed_external_buffer s(ipc::open_only, memory.data(), kSegmentSize / 2);
            }),
            ipc::size_error);
  EXPECT_EQ(code_of([&] {
              ipc::wmanaged_external_buffer s(ipc::open_only, memory.data(), kSegmentSize);
            }),
            ipc::corrupted_error);
  EXPECT_EQ(code_of([&] {
              ipc::basic_managed_external_buffer<char, ipc::rbtree_best_fit<ipc::mutex_family>,
                                                 ipc::iset_index>
                  s(ipc::open_only, memory.data(), kSegmentSize);
            }),
            ipc::corrupted_error);
  EXPECT_EQ(code_of([&] {
              ipc::basic_managed_external_buffer<char, ipc::rbtree_best_fit<ipc::null_mutex_family>,
                                                 ipc::flat_map_index>
                  s(ipc::open_only, memory.data(), kSegmentSize);
            }),
            ipc::corrupted_error);
  std::vector<std::max_align_t> zeros(memory.size());
  EXPECT_EQ(
      code_of([&] { ipc::managed_external_buffer s(ipc::open_only, zeros.data(), kSegmentSize); }),
      ipc::corrupted_error);
}

// Beyond Boost: each byte of the segment manager damaged in turn; the
// damaged copy is refused, or refuses an operation, or works whole.
TEST_F(SegmentManager, DamagedSegmentManagerBytesAreRefusedOrHarmless) {
  IPC_SPEC("segment_manager.hostile_bytes");
  IPC_REQUIRE_FEATURE("checked_open");
  std::vector<std::max_align_t> valid((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                      sizeof(std::max_align_t));
  std::size_t header_bytes;
  {
    ipc::managed_external_buffer created(ipc::create_only, valid.data(), kSegmentSize);
    for (int i = 0; i < 8; ++i) created.construct<int>(("n" + std::to_string(i)).c_str())(i);
    created.construct<long>(ipc::unique_instance)(7);
    void* a = created.allocate(100);
    created.allocate(60);
    created.deallocate(a);
    header_bytes = sizeof(*created.get_segment_manager());
  }
  std::size_t refused = 0;
  for (std::size_t at = 0; at < header_bytes; ++at) {
    std::vector<std::max_align_t> copy = valid;
    reinterpret_cast<unsigned char*>(copy.data())[at] ^= 0xFF;
    try {
      ipc::managed_external_buffer s(ipc::open_only, copy.data(), kSegmentSize);
      bool right = true;
      for (int i = 0; i < 8; ++i) {
        int* p = s.find<int>(("n" + std::to_string(i)).c_str()).first;
        right = right && p && *p == i;
      }
      std::size_t named = 0;
      for (auto it = s.named_begin(); it != s.named_end(); ++it) ++named;
      right = right && named == 8 && s.find<long>(ipc::unique_instance).first;
      s.destroy<int>("n3");
      s.deallocate(s.allocate(200));
      right = right && s.construct<int>("added", std::nothrow)(1) != nullptr;
      EXPECT_TRUE(right && s.check_sanity()) << "byte " << at << " flipped, accepted, damaged";
    } catch (const ipc::interprocess_exception& e) {
      EXPECT_TRUE(e.get_error_code() == ipc::corrupted_error ||
                  e.get_error_code() == ipc::size_error)
          << "byte " << at << ": " << e.what();
      ++refused;
    }
  }
  // The magic, versions and signature alone make some bytes refusable.
  EXPECT_GT(refused, 0u);
}

}  // namespace
