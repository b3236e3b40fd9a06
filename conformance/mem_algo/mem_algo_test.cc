// Conformance tests of rbtree_best_fit and simple_seq_fit: the interface the
// manual requires of a memory algorithm, its aligned and multiple allocation
// examples, and allocation_command. Each algorithm is placed at offset 0 of a
// heap buffer, as a managed segment would place it.
#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSegment = 64 * 1024;

// Fresh anonymous pages, zero-filled as a new shared memory object is
// (VirtualAlloc on Windows).
char* fresh_pages(std::size_t size) {
#ifdef _WIN32
  void* p = ::VirtualAlloc(nullptr, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (p == nullptr) throw std::bad_alloc();
#else
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#endif
  return static_cast<char*>(p);
}

void release_pages(char* p, std::size_t size) {
#ifdef _WIN32
  (void)size;
  ::VirtualFree(p, 0, MEM_RELEASE);
#else
  ::munmap(p, size);
#endif
}

// Fresh pages holding an algorithm constructed at their start. Boost's
// simple_seq_fit reads a field it never writes and needs the pages' zeros:
// see docs/boost-deviations.md.
template <class Algo>
class Segment {
 public:
  explicit Segment(std::size_t size = kSegment, std::size_t extra = 0)
      : buf_(fresh_pages(kMapped)), algo_(::new (buf_) Algo(size, extra)) {}
  ~Segment() {
    algo_->~Algo();
    release_pages(buf_, kMapped);
  }
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  Algo* operator->() const { return algo_; }
  char* base() const { return buf_; }

 private:
  static constexpr std::size_t kMapped = kSegment * 2;

  char* buf_;
  Algo* algo_;
};

bool aligned(const void* p, std::size_t a) { return reinterpret_cast<std::uintptr_t>(p) % a == 0; }

// The manual's "most restrictive memory alignment of the system", as its
// example (Boost's max_align) defines it: that of the standard scalar types.
// Not alignof(std::max_align_t), which gcc raises to 16 on 32-bit x86 for
// its __float128 extension.
constexpr std::size_t kSystemAlignment =
    std::max({alignof(long double), alignof(long long), alignof(double), alignof(void*)});

template <class Algo>
class MemAlgo : public ipc_test::ConformanceTest {};

using Algorithms = ::testing::Types<ipc::rbtree_best_fit<ipc::null_mutex_family>,
                                    ipc::rbtree_best_fit<ipc::mutex_family, ipc::offset_ptr<void>>,
                                    ipc::simple_seq_fit<ipc::null_mutex_family>,
                                    ipc::simple_seq_fit<ipc::mutex_family, ipc::offset_ptr<void>>>;
TYPED_TEST_SUITE(MemAlgo, Algorithms);

TYPED_TEST(MemAlgo, TypesNameTheTemplateArguments) {
  IPC_SPEC("rbtree_best_fit.types", "simple_seq_fit.interface");
  static_assert(std::is_same<typename TypeParam::void_pointer, ipc::offset_ptr<void>>::value);
  using family = typename TypeParam::mutex_family;
  static_assert(std::is_same<family, ipc::null_mutex_family>::value ||
                std::is_same<family, ipc::mutex_family>::value);
  typename TypeParam::multiallocation_chain chain;
  EXPECT_TRUE(chain.empty());
}

TYPED_TEST(MemAlgo, GetMinSizeIsEnoughAndGrowsWithTheHeader) {
  IPC_SPEC("rbtree_best_fit.get_min_size", "simple_seq_fit.interface");
  const std::size_t min0 = TypeParam::get_min_size(0);
  EXPECT_GE(TypeParam::get_min_size(256), min0 + 256);
  Segment<TypeParam> seg(min0 + 256, 256);
  EXPECT_EQ(seg->get_size(), min0 + 256);
  EXPECT_TRUE(seg->check_sanity());
}

TYPED_TEST(MemAlgo, AllocatesInsideTheManagedRangeAndSparesTheExtraHeader) {
  IPC_SPEC("rbtree_best_fit.ctor.manages_range", "rbtree_best_fit.allocate", "rbtree_best_fit.size",
           "rbtree_best_fit.get_size", "simple_seq_fit.interface");
  constexpr std::size_t kExtra = 200;
  Segment<TypeParam> seg(kSegment, kExtra);
  char* extra = seg.base() + sizeof(TypeParam);
  std::memset(extra, 0x7e, kExtra);
  EXPECT_EQ(seg->get_size(), kSegment);
  std::vector<char*> ptrs;
  for (std::size_t n = 1; n < 3000; n = n * 3 + 1) {
    char* p = static_cast<char*>(seg->allocate(n));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_GE(p, extra + kExtra);
    EXPECT_LE(p + n, seg.base() + kSegment);
    EXPECT_TRUE(aligned(p, kSystemAlignment));
    EXPECT_GE(seg->size(p), n);
    std::memset(p, 0x11, seg->size(p));
    ptrs.push_back(p);
  }
  for (std::size_t i = 0; i < ptrs.size(); ++i) {
    for (std::size_t j = 0; j < ptrs.size(); ++j) {
      if (i != j) {
        EXPECT_TRUE(ptrs[i] + seg->size(ptrs[i]) <= ptrs[j] ||
                    ptrs[j] + seg->size(ptrs[j]) <= ptrs[i]);
      }
    }
  }
  for (std::size_t i = 0; i < kExtra; ++i) ASSERT_EQ(extra[i], 0x7e);
  for (char* p : ptrs) seg->deallocate(p);
}

TYPED_TEST(MemAlgo, ExhaustionReturnsNullAndFreeingRestoresFreeMemory) {
  IPC_SPEC("rbtree_best_fit.allocate", "rbtree_best_fit.deallocate",
           "rbtree_best_fit.get_free_memory", "rbtree_best_fit.all_memory_deallocated",
           "rbtree_best_fit.check_sanity", "simple_seq_fit.interface");
  Segment<TypeParam> seg;
  const std::size_t initial = seg->get_free_memory();
  EXPECT_TRUE(seg->all_memory_deallocated());
  EXPECT_EQ(seg->allocate(2 * kSegment), nullptr);
  std::vector<void*> ptrs;
  std::size_t last_free = initial;
  while (void* p = seg->allocate(500)) {
    EXPECT_LT(seg->get_free_memory(), last_free);
    last_free = seg->get_free_memory();
    ptrs.push_back(p);
  }
  EXPECT_GT(ptrs.size(), 64u);
  EXPECT_FALSE(seg->all_memory_deallocated());
  EXPECT_TRUE(seg->check_sanity());
  for (std::size_t i = 0; i < ptrs.size(); i += 2) seg->deallocate(ptrs[i]);
  for (std::size_t i = 1; i < ptrs.size(); i += 2) seg->deallocate(ptrs[i]);
  EXPECT_EQ(seg->get_free_memory(), initial);
  EXPECT_TRUE(seg->all_memory_deallocated());
  EXPECT_TRUE(seg->check_sanity());
}

TYPED_TEST(MemAlgo, GrowAddsAllocatableMemory) {
  IPC_SPEC("rbtree_best_fit.grow", "simple_seq_fit.interface");
  Segment<TypeParam> seg(kSegment / 2);
  void* keep = seg->allocate(1000);
  const std::size_t free_before = seg->get_free_memory();
  EXPECT_EQ(seg->allocate(kSegment / 2), nullptr);
  seg->grow(kSegment / 2 + 4096);
  EXPECT_EQ(seg->get_size(), kSegment + 4096);
  EXPECT_GE(seg->get_free_memory(), free_before + kSegment / 2);
  void* big = seg->allocate(kSegment / 2);
  EXPECT_NE(big, nullptr);
  EXPECT_TRUE(seg->check_sanity());
  seg->deallocate(big);
  seg->deallocate(keep);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TYPED_TEST(MemAlgo, ShrinkToFitKeepsLiveAllocations) {
  IPC_SPEC("rbtree_best_fit.shrink_to_fit", "rbtree_best_fit.check_sanity");
  Segment<TypeParam> seg;
  char* p = static_cast<char*>(seg->allocate(300));
  std::memset(p, 0x3c, 300);
  seg->shrink_to_fit();
  EXPECT_LE(seg->get_size(), kSegment);
  EXPECT_GE(seg.base() + seg->get_size(), p + 300);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(p[i], 0x3c);
  EXPECT_TRUE(seg->check_sanity());
  seg->deallocate(p);
}

TYPED_TEST(MemAlgo, ZeroFreeMemoryZeroesOnlyFreeMemory) {
  IPC_SPEC("rbtree_best_fit.zero_free_memory");
  Segment<TypeParam> seg;
  std::vector<char*> ptrs;
  for (int i = 0; i < 20; ++i) {
    ptrs.push_back(static_cast<char*>(seg->allocate(256)));
    std::memset(ptrs.back(), 0x55, 256);
  }
  for (int i = 0; i < 20; i += 2) seg->deallocate(ptrs[i]);
  seg->zero_free_memory();
  for (int i = 1; i < 20; i += 2) {
    for (int j = 0; j < 256; ++j) ASSERT_EQ(ptrs[i][j], 0x55);
  }
}

TYPED_TEST(MemAlgo, MemoryAllocatedAfterZeroFreeMemoryReadsAsZero) {
  IPC_SPEC("rbtree_best_fit.zero_free_memory.reads_zero");
  Segment<TypeParam> seg;
  char* dirty = static_cast<char*>(seg->allocate(4096));
  ASSERT_NE(dirty, nullptr);
  std::memset(dirty, 0x55, 4096);
  seg->deallocate(dirty);
  seg->zero_free_memory();
  char* q = static_cast<char*>(seg->allocate(4096));
  ASSERT_NE(q, nullptr);
  // refipc's bound: at most the first 64 bytes of a free block hold the
  // algorithm's bookkeeping, which allocation overwrites.
  for (int j = 64; j < 4096; ++j) ASSERT_EQ(q[j], 0) << j;
  seg->deallocate(q);
}

TYPED_TEST(MemAlgo, AllocateAlignedFollowsTheManualsExample) {
  IPC_SPEC("rbtree_best_fit.allocate_aligned", "rbtree_best_fit.payload_per_allocation",
           "simple_seq_fit.interface");
  Segment<TypeParam> seg;
  const std::size_t Alignment = 128;
  // A copy: Boost declares the constant without defining it.
  const std::size_t payload = TypeParam::PayloadPerAllocation;
  void* ptr = seg->allocate_aligned(100, Alignment);
  ASSERT_NE(ptr, nullptr);
  EXPECT_TRUE(aligned(ptr, Alignment));
  seg->deallocate(ptr);
  EXPECT_GT(Alignment, payload);
  ptr = seg->allocate_aligned(3 * Alignment - payload, Alignment);
  ASSERT_NE(ptr, nullptr);
  EXPECT_TRUE(aligned(ptr, Alignment));
  EXPECT_GE(seg->size(ptr), 3 * Alignment - payload);
  seg->deallocate(ptr);
  for (std::size_t a = 16; a <= 4096; a *= 2) {
    ptr = seg->allocate_aligned(a + 1, a);
    ASSERT_NE(ptr, nullptr) << a;
    EXPECT_TRUE(aligned(ptr, a)) << a;
    seg->deallocate(ptr);
  }
  EXPECT_EQ(seg->allocate_aligned(2 * kSegment, 64), nullptr);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TYPED_TEST(MemAlgo, AllocateManyFollowsTheManualsExample) {
  IPC_SPEC("rbtree_best_fit.allocate_many.equal", "rbtree_best_fit.allocate_many.sizes",
           "simple_seq_fit.interface");
  Segment<TypeParam> seg;
  const std::size_t initial = seg->get_free_memory();
  typename TypeParam::multiallocation_chain chain;
  seg->allocate_many(100, 16, chain);
  ASSERT_EQ(chain.size(), 16u);
  std::vector<void*> buffers;
  while (!chain.empty()) {
    // Boost's algorithm-level chain yields void_pointer, not void*: take the
    // first byte's address, which both document.
    void* buf = &*chain.begin();
    chain.pop_front();
    buffers.push_back(buf);
    std::memset(buf, 0, 100);
  }
  for (void* b : buffers) EXPECT_GE(seg->size(b), 100u);
  while (!buffers.empty()) {
    seg->deallocate(buffers.back());
    buffers.pop_back();
  }
  std::size_t sizes[10];
  for (std::size_t i = 0; i < 10; ++i) sizes[i] = i * 3;
  seg->allocate_many(sizes, 10, 1, chain);
  ASSERT_EQ(chain.size(), 10u);
  std::size_t i = 0;
  for (auto it = chain.begin(); it != chain.end(); ++it, ++i) {
    EXPECT_GE(seg->size(&*it), sizes[i]);
  }
  seg->deallocate_many(chain);
  EXPECT_EQ(seg->get_free_memory(), initial);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TYPED_TEST(MemAlgo, AllocateManyFailureLeavesTheChainUnchanged) {
  IPC_SPEC("rbtree_best_fit.allocate_many.failure", "simple_seq_fit.interface");
  Segment<TypeParam> seg;
  const std::size_t initial = seg->get_free_memory();
  typename TypeParam::multiallocation_chain chain;
  seg->allocate_many(kSegment / 4, 8, chain);
  EXPECT_TRUE(chain.empty());
  EXPECT_EQ(seg->get_free_memory(), initial);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TYPED_TEST(MemAlgo, SegmentCopiedToAnotherAddressKeepsWorking) {
  IPC_SPEC("rbtree_best_fit.relocatable", "simple_seq_fit.interface");
  Segment<TypeParam> seg;
  std::vector<std::size_t> offsets;
  for (int i = 0; i < 30; ++i) {
    char* p = static_cast<char*>(seg->allocate(40 + 7 * i));
    std::memset(p, i + 1, 40);
    offsets.push_back(static_cast<std::size_t>(p - seg.base()));
  }
  for (int i = 0; i < 30; i += 3) seg->deallocate(seg.base() + offsets[i]);
  char* copy = fresh_pages(kSegment);
  std::memcpy(copy, seg.base(), kSegment);
  auto* moved = reinterpret_cast<TypeParam*>(copy);
  EXPECT_TRUE(moved->check_sanity());
  for (int i = 0; i < 30; ++i) {
    if (i % 3 == 0) continue;
    char* p = copy + offsets[i];
    EXPECT_EQ(p[39], static_cast<char>(i + 1));
    moved->deallocate(p);
  }
  void* q = moved->allocate(1000);
  EXPECT_NE(q, nullptr);
  moved->deallocate(q);
  EXPECT_TRUE(moved->all_memory_deallocated());
  moved->~TypeParam();
  release_pages(copy, kSegment);
}

TYPED_TEST(MemAlgo, AllocationCommandFollowsTheManualsExample) {
  IPC_SPEC("allocation_command.manual_example", "allocation_command.allocate_new",
           "allocation_command.expand_fwd", "allocation_command.shrink_in_place",
           "allocation_command.received_size");
  Segment<TypeParam> seg(10000 * sizeof(std::size_t) + 4096);
  std::size_t min_size = 100, preferred = 1000;
  std::size_t received = preferred;
  std::size_t* reuse = nullptr;
  std::size_t* ptr =
      seg->template allocation_command<std::size_t>(ipc::allocate_new, min_size, received, reuse);
  ASSERT_NE(ptr, nullptr);
  EXPECT_GE(received, min_size);
  EXPECT_EQ(received, seg->size(ptr) / sizeof(std::size_t));
  const std::size_t free_after_allocation = seg->get_free_memory();
  for (std::size_t i = 0; i < received; ++i) ptr[i] = i;

  std::size_t expanded = received * 3;
  reuse = ptr;
  std::size_t* ret = seg->allocation_command(ipc::expand_fwd, received * 2, expanded, reuse);
  EXPECT_EQ(ret, ptr);
  EXPECT_EQ(reuse, ptr);
  EXPECT_GE(expanded, received * 2);
  EXPECT_LT(seg->get_free_memory(), free_after_allocation);
  const std::size_t free_after_expansion = seg->get_free_memory();
  for (std::size_t i = 0; i < received; ++i) ASSERT_EQ(ptr[i], i);
  for (std::size_t i = received; i < expanded; ++i) ptr[i] = i;

  std::size_t shrunk = min_size;
  reuse = ptr;
  ret = seg->allocation_command(ipc::shrink_in_place, min_size * 2, shrunk, reuse);
  EXPECT_EQ(ret, ptr);
  EXPECT_EQ(reuse, ptr);
  EXPECT_LE(shrunk, min_size * 2);
  EXPECT_GE(shrunk, min_size);
  EXPECT_GT(seg->get_free_memory(), free_after_expansion);
  for (std::size_t i = 0; i < shrunk; ++i) ASSERT_EQ(ptr[i], i);
  seg->deallocate(ptr);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TYPED_TEST(MemAlgo, ForwardExpansionThatCannotReachTheLimitFails) {
  IPC_SPEC("allocation_command.expand_fwd.fails", "allocation_command.nothrow");
  Segment<TypeParam> seg;
  char* p = static_cast<char*>(seg->allocate(64));
  char* blocker = static_cast<char*>(seg->allocate(64));
  std::memset(p, 0x42, 64);
  const std::size_t size_before = seg->size(p);
  std::size_t want = 10000;
  char* reuse = p;
  EXPECT_EQ(seg->allocation_command(ipc::expand_fwd | ipc::nothrow_allocation, 5000, want, reuse),
            nullptr);
  EXPECT_EQ(seg->size(p), size_before);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(p[i], 0x42);
  EXPECT_TRUE(seg->check_sanity());
  seg->deallocate(blocker);
  seg->deallocate(p);
}

TYPED_TEST(MemAlgo, ExpandOrAllocateFallsBackToANewBuffer) {
  IPC_SPEC("allocation_command.expand_or_new", "allocation_command.received_size");
  Segment<TypeParam> seg;
  char* p = static_cast<char*>(seg->allocate(64));
  char* blocker = static_cast<char*>(seg->allocate(64));
  std::memset(p, 0x42, 64);
  std::size_t want = 2000;
  char* reuse = p;
  char* q = seg->allocation_command(ipc::expand_fwd | ipc::allocate_new, 1000, want, reuse);
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q, p);
  EXPECT_GE(want, 1000u);
  EXPECT_EQ(want, seg->size(q));
  for (int i = 0; i < 64; ++i) ASSERT_EQ(p[i], 0x42);
  // Now there is room after q: the same command expands it in place.
  std::size_t more = seg->size(q) + 100;
  reuse = q;
  char* r = seg->allocation_command(ipc::expand_fwd | ipc::allocate_new, more, more, reuse);
  EXPECT_EQ(r, q);
  EXPECT_EQ(reuse, q);
  EXPECT_GE(more, seg->size(q) - 0);
  seg->deallocate(q);
  seg->deallocate(blocker);
  seg->deallocate(p);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TYPED_TEST(MemAlgo, PreconditionViolationsWithNothrowReturnNull) {
  IPC_SPEC("allocation_command.preconditions", "allocation_command.nothrow");
  Segment<TypeParam> seg;
  void* p = seg->allocate(256);
  const auto nt = ipc::nothrow_allocation;
  auto run = [&](ipc::allocation_type cmd, std::size_t limit, std::size_t preferred, void* ptr) {
    std::size_t r = preferred;
    void* reuse = ptr;
    return seg->raw_allocation_command(cmd | nt, limit, r, reuse);
  };
  EXPECT_EQ(run(ipc::expand_fwd, 100, 200, nullptr), nullptr);
  EXPECT_EQ(run(ipc::expand_bwd, 100, 200, nullptr), nullptr);
  EXPECT_EQ(run(ipc::shrink_in_place, 100, 50, nullptr), nullptr);
  EXPECT_EQ(run(ipc::shrink_in_place, 50, 100, p), nullptr);
  EXPECT_EQ(run(ipc::expand_fwd, 300, 200, p), nullptr);
  EXPECT_TRUE(seg->check_sanity());
  seg->deallocate(p);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

class AllocationCommand : public ipc_test::ConformanceTest {};

TEST_F(AllocationCommand, ExpandBackwardMovesTheStartByWholeObjects) {
  IPC_SPEC("allocation_command.expand_bwd");
  Segment<ipc::rbtree_best_fit<ipc::null_mutex_family>> seg;
  void* left = seg->allocate(400);
  char* mid = static_cast<char*>(seg->allocate(96));
  void* guard = seg->allocate(16);
  std::memset(mid, 0x5a, 96);
  seg->deallocate(left);
  struct obj {
    char bytes[24];
  };
  obj* reuse = reinterpret_cast<obj*>(mid);
  std::size_t size = 12;
  obj* p = seg->allocation_command(ipc::expand_bwd | ipc::nothrow_allocation, 6, size, reuse);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(static_cast<void*>(reuse), mid);
  EXPECT_LE(reinterpret_cast<char*>(p), mid);
  EXPECT_EQ((mid - reinterpret_cast<char*>(p)) % sizeof(obj), 0u);
  EXPECT_GE(size, 6u);
  for (int i = 0; i < 96; ++i) ASSERT_EQ(mid[i], 0x5a);
  seg->deallocate(p);
  seg->deallocate(guard);
  EXPECT_TRUE(seg->all_memory_deallocated());
}

TEST_F(AllocationCommand, ShrinkCombinedWithExpansionFails) {
  IPC_SPEC("allocation_command.preconditions");
  Segment<ipc::rbtree_best_fit<ipc::null_mutex_family>> seg;
  char* p = static_cast<char*>(seg->allocate(256));
  const std::size_t size_before = seg->size(p);
  for (ipc::allocation_type expand : {ipc::expand_fwd, ipc::expand_bwd}) {
    std::size_t r = 50;
    void* reuse = p;
    EXPECT_EQ(seg->raw_allocation_command(ipc::shrink_in_place | expand | ipc::nothrow_allocation,
                                          100, r, reuse),
              nullptr);
    EXPECT_EQ(seg->size(p), size_before);
  }
  seg->deallocate(p);
}

TEST_F(AllocationCommand, FailureWithoutNothrowThrows) {
  IPC_SPEC("allocation_command.throws_without_nothrow");
  Segment<ipc::rbtree_best_fit<ipc::null_mutex_family>> seg;
  void* p = seg->allocate(64);
  std::size_t want = 2 * kSegment;
  void* reuse = nullptr;
  EXPECT_THROW(seg->raw_allocation_command(ipc::allocate_new, kSegment, want, reuse),
               ipc::bad_alloc);
  want = 50;
  reuse = p;
  EXPECT_THROW(
      seg->raw_allocation_command(ipc::shrink_in_place | ipc::expand_fwd, 100, want, reuse),
      ipc::bad_alloc);
  seg->deallocate(p);
}

}  // namespace
