#include "refipc/mem_algo/rbtree_best_fit.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <thread>
#include <type_traits>
#include <vector>

#include "refipc/exceptions.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace refipc {
namespace {

// The algorithms over mutex_family lock refipc's robust mutex.
template <class Algo>
struct locks_robust_mutex : std::false_type {};
template <class V, std::size_t A>
struct locks_robust_mutex<rbtree_best_fit<mutex_family, V, A>> : std::true_type {};
template <class V>
struct locks_robust_mutex<simple_seq_fit<mutex_family, V>> : std::true_type {};

template <class Algo>
class MemAlgoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (locks_robust_mutex<Algo>::value) {
      REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
    }
  }
  static constexpr std::size_t kSize = 64 * 1024;
  MemAlgoTest()
      : buf_(new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) /
                                  sizeof(std::max_align_t)]) {
    algo_ = ::new (buf_.get()) Algo(kSize, 0);
  }
  ~MemAlgoTest() override { algo_->~Algo(); }

  std::unique_ptr<std::max_align_t[]> buf_;
  Algo* algo_;
};

using Algos = ::testing::Types<rbtree_best_fit<null_mutex_family>,
                               rbtree_best_fit<mutex_family, offset_ptr<void>, 64>,
                               rbtree_best_fit<null_mutex_family, void*>,
                               simple_seq_fit<null_mutex_family>, simple_seq_fit<mutex_family>>;
TYPED_TEST_SUITE(MemAlgoTest, Algos);

TYPED_TEST(MemAlgoTest, AllocateAlignsAndAccountsFreeMemory) {
  auto* a = this->algo_;
  const std::size_t initial = a->get_free_memory();
  EXPECT_EQ(a->get_size(), this->kSize);
  EXPECT_TRUE(a->all_memory_deallocated());
  void* p = a->allocate(100);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % TypeParam::memory_alignment, 0u);
  EXPECT_GE(a->size(p), 100u);
  EXPECT_LT(a->get_free_memory(), initial);
  EXPECT_FALSE(a->all_memory_deallocated());
  EXPECT_TRUE(a->check_sanity());
  a->deallocate(p);
  EXPECT_EQ(a->get_free_memory(), initial);
  EXPECT_TRUE(a->all_memory_deallocated());
  EXPECT_TRUE(a->check_sanity());
}

// The mark left when a process died inside a structure built on the heap
// (see "Failure model: segment internals" in docs/using-refipc.md).
TYPED_TEST(MemAlgoTest, MarkedCorruptedRefusesEveryLockedOperation) {
  auto* a = this->algo_;
  void* p = a->allocate(100);
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(a->is_corrupted());
  a->mark_corrupted();
  EXPECT_TRUE(a->is_corrupted());
  const auto refused = [](auto op) {
    try {
      op();
    } catch (const interprocess_exception& e) {
      return e.get_error_code() == corrupted_error;
    }
    return false;
  };
  EXPECT_TRUE(refused([&] { a->allocate(16); }));
  EXPECT_TRUE(refused([&] { a->allocate_aligned(16, 64); }));
  EXPECT_TRUE(refused([&] { a->deallocate(p); }));
  EXPECT_TRUE(refused([&] { a->all_memory_deallocated(); }));
  EXPECT_FALSE(a->check_sanity());
  EXPECT_FALSE(TypeParam::is_valid_header(this->buf_.get(), this->kSize));
}

TYPED_TEST(MemAlgoTest, ExhaustionReturnsNull) {
  auto* a = this->algo_;
  EXPECT_EQ(a->allocate(this->kSize), nullptr);
  std::vector<void*> ptrs;
  while (void* p = a->allocate(1000)) ptrs.push_back(p);
  EXPECT_GT(ptrs.size(), 50u);
  EXPECT_TRUE(a->check_sanity());
  for (void* p : ptrs) a->deallocate(p);
  EXPECT_TRUE(a->all_memory_deallocated());
}

TYPED_TEST(MemAlgoTest, DeallocateRejectsForeignAndFreedPointers) {
  auto* a = this->algo_;
  int local = 0;
  EXPECT_THROW(a->deallocate(&local), interprocess_exception);
  void* p = a->allocate(64);
  void* q = a->allocate(64);
  a->deallocate(p);
  EXPECT_THROW(a->deallocate(p), interprocess_exception);
  EXPECT_THROW(a->deallocate(static_cast<char*>(q) + 16), interprocess_exception);
  a->deallocate(q);
  EXPECT_TRUE(a->check_sanity());
}

TYPED_TEST(MemAlgoTest, AllocateAlignedHonoursPowersOfTwo) {
  auto* a = this->algo_;
  for (std::size_t al : {16u, 32u, 128u, 1024u, 4096u}) {
    void* p = a->allocate_aligned(3 * al - TypeParam::PayloadPerAllocation, al);
    ASSERT_NE(p, nullptr) << al;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % al, 0u);
    EXPECT_TRUE(a->check_sanity());
    a->deallocate(p);
  }
  EXPECT_EQ(a->allocate_aligned(10, 48), nullptr);
  EXPECT_TRUE(a->all_memory_deallocated());
}

TYPED_TEST(MemAlgoTest, AllocateManyPacksAndFrees) {
  auto* a = this->algo_;
  const std::size_t initial = a->get_free_memory();
  typename TypeParam::multiallocation_chain chain;
  a->allocate_many(100, 16, chain);
  ASSERT_EQ(chain.size(), 16u);
  for (char& c : chain) EXPECT_GE(a->size(&c), 100u);
  std::size_t sizes[10];
  for (std::size_t i = 0; i < 10; ++i) sizes[i] = i * 3;
  a->allocate_many(sizes, 10, 1, chain);
  EXPECT_EQ(chain.size(), 26u);
  a->allocate_many(this->kSize, 2, chain);
  EXPECT_EQ(chain.size(), 26u);
  EXPECT_TRUE(a->check_sanity());
  a->deallocate_many(chain);
  EXPECT_TRUE(chain.empty());
  EXPECT_EQ(a->get_free_memory(), initial);
  EXPECT_TRUE(a->all_memory_deallocated());
}

TYPED_TEST(MemAlgoTest, AllocationCommandExpandsAndShrinks) {
  auto* a = this->algo_;
  std::size_t received = 0;
  auto r = a->template allocation_command<std::size_t>(allocate_new, 100, 1000, received);
  ASSERT_NE(r.first, nullptr);
  EXPECT_FALSE(r.second);
  EXPECT_GE(received, 1000u);
  std::size_t* ptr = r.first;
  for (std::size_t i = 0; i < received; ++i) ptr[i] = i;
  const std::size_t free_before = a->get_free_memory();
  std::size_t expanded = 0;
  r = a->allocation_command(expand_fwd, received * 2, received * 3, expanded, ptr);
  EXPECT_EQ(r.first, ptr);
  EXPECT_TRUE(r.second);
  EXPECT_GE(expanded, received * 2);
  EXPECT_LT(a->get_free_memory(), free_before);
  for (std::size_t i = 0; i < received; ++i) ASSERT_EQ(ptr[i], i);
  std::size_t shrunk = 0;
  r = a->allocation_command(shrink_in_place, 200, 100, shrunk, ptr);
  EXPECT_EQ(r.first, ptr);
  EXPECT_GE(shrunk, 100u);
  EXPECT_LE(shrunk, 200u);
  for (std::size_t i = 0; i < 100; ++i) ASSERT_EQ(ptr[i], i);
  EXPECT_TRUE(a->check_sanity());

  // Today's form: reuse by reference, nullptr after a new allocation.
  std::size_t* reuse = ptr;
  std::size_t size = 100000;
  EXPECT_EQ(a->allocation_command(expand_fwd | nothrow_allocation, 50000, size, reuse), nullptr);
  EXPECT_THROW(a->allocation_command(expand_fwd, 50000, size = 100000, reuse = ptr), bad_alloc);
  reuse = ptr;
  size = 50;
  std::size_t* moved = a->allocation_command(expand_fwd | allocate_new, 20, size, reuse);
  EXPECT_EQ(moved, ptr);
  EXPECT_EQ(reuse, ptr);
  a->deallocate(ptr);
  EXPECT_TRUE(a->all_memory_deallocated());
}

TYPED_TEST(MemAlgoTest, ExpandBackwardKeepsObjectMultiple) {
  auto* a = this->algo_;
  void* left = a->allocate(400);
  void* mid = a->allocate(96);
  void* guard = a->allocate(16);
  std::memset(mid, 0x5a, 96);
  a->deallocate(left);
  struct obj {
    char bytes[24];
  };
  obj* reuse = static_cast<obj*>(mid);
  std::size_t size = 12;
  obj* p = a->allocation_command(expand_bwd | nothrow_allocation, 6, size, reuse);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reuse, mid);
  EXPECT_LT(static_cast<void*>(p), mid);
  EXPECT_EQ((static_cast<char*>(mid) - reinterpret_cast<char*>(p)) % sizeof(obj), 0u);
  EXPECT_GE(size, 12u);
  EXPECT_EQ(static_cast<unsigned char*>(mid)[95], 0x5a);
  EXPECT_TRUE(a->check_sanity());
  a->deallocate(p);
  a->deallocate(guard);
  EXPECT_TRUE(a->all_memory_deallocated());
}

TYPED_TEST(MemAlgoTest, PreconditionViolations) {
  auto* a = this->algo_;
  void* p = a->allocate(64);
  std::size_t r = 0;
  const auto nt = nothrow_allocation;
  EXPECT_EQ(a->raw_allocation_command(shrink_in_place | expand_fwd | nt, 10, 5, r, p).first,
            nullptr);
  EXPECT_EQ(a->raw_allocation_command(expand_fwd | nt, 10, 5, r, p).first, nullptr);
  EXPECT_EQ(a->raw_allocation_command(shrink_in_place | nt, 5, 10, r, p).first, nullptr);
  EXPECT_EQ(a->raw_allocation_command(expand_fwd | nt, 5, 10, r, nullptr).first, nullptr);
  EXPECT_THROW(a->raw_allocation_command(expand_fwd, 10, 5, r, p), bad_alloc);
  a->deallocate(p);
}

TYPED_TEST(MemAlgoTest, GrowShrinkToFitAndZeroFreeMemory) {
  auto* a = this->algo_;
  const std::size_t half = this->kSize / 2;
  a->~TypeParam();
  this->algo_ = a = ::new (this->buf_.get()) TypeParam(half, 0);
  void* p = a->allocate(100);
  const std::size_t free_small = a->get_free_memory();
  a->grow(half);
  EXPECT_EQ(a->get_size(), this->kSize);
  EXPECT_GT(a->get_free_memory(), free_small);
  EXPECT_TRUE(a->check_sanity());
  a->shrink_to_fit();
  EXPECT_LT(a->get_size(), 1024u + sizeof(TypeParam));
  EXPECT_TRUE(a->check_sanity());
  a->grow(this->kSize - a->get_size());
  a->zero_free_memory();
  EXPECT_TRUE(a->check_sanity());
  a->deallocate(p);
  EXPECT_TRUE(a->all_memory_deallocated());
}

TYPED_TEST(MemAlgoTest, HeaderValidation) {
  auto* a = this->algo_;
  EXPECT_TRUE(TypeParam::is_valid_header(a, this->kSize));
  EXPECT_FALSE(TypeParam::is_valid_header(a, this->kSize / 2));
  std::vector<std::max_align_t> zeros((this->kSize + sizeof(std::max_align_t) - 1) /
                                      sizeof(std::max_align_t));
  EXPECT_FALSE(TypeParam::is_valid_header(zeros.data(), this->kSize));
  EXPECT_FALSE(TypeParam::is_valid_header(nullptr, this->kSize));
}

TEST(MemAlgo, HeadersOfDifferentConfigurationsAreRejected) {
  alignas(std::max_align_t) static unsigned char buf[16384];
  auto* a = ::new (buf) rbtree_best_fit<null_mutex_family>(sizeof buf, 0);
  EXPECT_TRUE(rbtree_best_fit<null_mutex_family>::is_valid_header(buf, sizeof buf));
  EXPECT_FALSE(simple_seq_fit<null_mutex_family>::is_valid_header(buf, sizeof buf));
  EXPECT_FALSE((rbtree_best_fit<null_mutex_family, void*>::is_valid_header(buf, sizeof buf)));
  EXPECT_FALSE(
      (rbtree_best_fit<null_mutex_family, offset_ptr<void>, 64>::is_valid_header(buf, sizeof buf)));
  a->~rbtree_best_fit();
  EXPECT_FALSE(rbtree_best_fit<null_mutex_family>::is_valid_header(buf, sizeof buf));
}

TEST(MemAlgo, SegmentCopiedToAnotherAddressStaysValid) {
  using algo = rbtree_best_fit<null_mutex_family>;
  constexpr std::size_t kSize = 32768;
  std::vector<std::max_align_t> one((kSize + sizeof(std::max_align_t) - 1) /
                                    sizeof(std::max_align_t));
  std::vector<std::max_align_t> two((kSize + sizeof(std::max_align_t) - 1) /
                                    sizeof(std::max_align_t));
  auto* a = ::new (one.data()) algo(kSize, 0);
  std::vector<std::size_t> offsets;
  for (int i = 0; i < 40; ++i) {
    void* p = a->allocate(16 + 13 * i);
    std::memset(p, i, 16);
    offsets.push_back(static_cast<char*>(p) - reinterpret_cast<char*>(a));
  }
  for (int i = 0; i < 40; i += 3) a->deallocate(reinterpret_cast<char*>(a) + offsets[i]);
  std::memcpy(two.data(), one.data(), kSize);
  std::memset(one.data(), 0xee, kSize);
  auto* b = reinterpret_cast<algo*>(two.data());
  EXPECT_TRUE(algo::is_valid_header(b, kSize));
  EXPECT_TRUE(b->check_sanity());
  for (int i = 0; i < 40; ++i) {
    if (i % 3 == 0) continue;
    char* p = reinterpret_cast<char*>(b) + offsets[i];
    EXPECT_EQ(p[15], static_cast<char>(i));
    b->deallocate(p);
  }
  EXPECT_TRUE(b->all_memory_deallocated());
}

TEST(MemAlgo, MutexFamilySerialisesConcurrentThreads) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  using algo = rbtree_best_fit<mutex_family>;
  constexpr std::size_t kSize = 1 << 20;
  std::vector<std::max_align_t> buf((kSize + sizeof(std::max_align_t) - 1) /
                                    sizeof(std::max_align_t));
  auto* a = ::new (buf.data()) algo(kSize, 0);
  const std::size_t initial = a->get_free_memory();
  auto worker = [a](unsigned char tag) {
    std::vector<unsigned char*> mine;
    for (int i = 0; i < 2000; ++i) {
      if (i % 3 == 2 && !mine.empty()) {
        unsigned char* p = mine.back();
        mine.pop_back();
        for (std::size_t j = 0; j < 8; ++j) ASSERT_EQ(p[j], tag);
        a->deallocate(p);
      } else {
        auto* p = static_cast<unsigned char*>(a->allocate(8 + i % 200));
        ASSERT_NE(p, nullptr);
        std::memset(p, tag, 8);
        mine.push_back(p);
      }
    }
    for (unsigned char* p : mine) a->deallocate(p);
  };
  std::thread t1(worker, 1), t2(worker, 2);
  t1.join();
  t2.join();
  EXPECT_TRUE(a->check_sanity());
  EXPECT_EQ(a->get_free_memory(), initial);
  EXPECT_TRUE(a->all_memory_deallocated());
  a->~algo();
}

TEST(MemAlgo, TooSmallSegmentThrows) {
  alignas(std::max_align_t) static unsigned char buf[4096];
  using algo = rbtree_best_fit<null_mutex_family>;
  EXPECT_LE(algo::get_min_size(0), sizeof buf);
  EXPECT_THROW(::new (buf) algo(algo::get_min_size(100) - 1, 100), interprocess_exception);
}

// The header leaves most of a few hundred bytes to allocations.
TEST(MemAlgo, SmallSegmentServesAllocations) {
  alignas(std::max_align_t) static unsigned char buf[512];
  using algo = rbtree_best_fit<null_mutex_family>;
  auto* a = ::new (buf) algo(sizeof buf, 0);
  int allocated = 0;
  while (a->allocate(16)) ++allocated;
  EXPECT_GE(allocated, 4);
  EXPECT_TRUE(a->check_sanity());
  a->~algo();
}

// Bin heads count 32-bit alignment units: a larger segment is refused, and
// so is growth beyond it, the segment unchanged.
TEST(MemAlgo, SegmentBeyondTheBinRangeIsRefused) {
  if (sizeof(std::size_t) == 4) GTEST_SKIP() << "a 32-bit size cannot exceed the range";
  alignas(std::max_align_t) static unsigned char buf[4096];
  using algo = rbtree_best_fit<null_mutex_family>;
  const std::size_t too_big =
      std::size_t(std::numeric_limits<std::uint32_t>::max()) * alignof(std::max_align_t);
  try {
    ::new (buf) algo(too_big, 0);
    ADD_FAILURE() << "no exception";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), size_error);
  }
  auto* a = ::new (buf) algo(sizeof buf, 0);
  EXPECT_THROW(a->grow(too_big), interprocess_exception);
  EXPECT_EQ(a->get_size(), sizeof buf);
  EXPECT_TRUE(a->check_sanity());
  a->~algo();
}

}  // namespace
}  // namespace refipc
