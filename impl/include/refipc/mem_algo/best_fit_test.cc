// Best fit at every size and fragmentation, the trie bins' structure under
// random use, and damage to the trie links (see "Memory algorithm" in
// docs/design.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <vector>

#include "refipc/exceptions.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc {
namespace {

template <class Algo>
struct Heap {
  explicit Heap(std::size_t size)
      : buf(new std::max_align_t[(size + sizeof(std::max_align_t) - 1) /
                                 sizeof(std::max_align_t)]) {
    algo = ::new (buf.get()) Algo(size, 0);
  }
  ~Heap() { algo->~Algo(); }
  std::unique_ptr<std::max_align_t[]> buf;
  Algo* algo;
};

// Log-uniform sizes from 8 bytes to `max`: every small bin and trie bin.
std::size_t random_size(std::mt19937& rng, std::size_t max) {
  const unsigned bits = std::uniform_int_distribution<unsigned>(3, 63 - __builtin_clzll(max))(rng);
  return std::uniform_int_distribution<std::size_t>(std::size_t(1) << (bits - 1), std::size_t(1)
                                                                                      << bits)(rng);
}

// Thousands of isolated free blocks of random sizes (many of them equal):
// each request must get the smallest free block that holds it, whatever the
// bin and however many blocks share it. The model maps usable size to the
// free blocks' buffers.
template <class Algo>
void expect_best_fit(std::size_t max_block) {
  constexpr std::size_t kSize = 32 << 20;
  Heap<Algo> heap(kSize);
  Algo* a = heap.algo;
  std::mt19937 rng(18);
  std::multimap<std::size_t, char*> free_blocks;
  std::vector<void*> freed;
  for (int i = 0; i < 3000; ++i) {
    freed.push_back(a->allocate(random_size(rng, max_block)));
    ASSERT_NE(a->allocate(8), nullptr);  // keeps the next one apart
  }
  for (void* p : freed) {
    free_blocks.emplace(a->size(p), static_cast<char*>(p));
    a->deallocate(p);
  }
  ASSERT_TRUE(a->check_sanity());
  const std::size_t tags = Algo::PayloadPerAllocation;
  for (int i = 0; i < 6000; ++i) {
    const std::size_t n = random_size(rng, max_block);
    char* p = static_cast<char*>(a->allocate(n));
    ASSERT_NE(p, nullptr);
    const auto fit = free_blocks.lower_bound(n);
    if (fit == free_blocks.end()) {
      // Only the free space at the end holds it.
      for (const auto& entry : free_blocks) ASSERT_NE(entry.second, p);
      a->deallocate(p);
      continue;
    }
    bool among_smallest = false;
    for (auto it = fit; it != free_blocks.end() && it->first == fit->first; ++it) {
      among_smallest |= it->second == p;
    }
    ASSERT_TRUE(among_smallest) << "request " << n << ": smallest fit " << fit->first;
    if (i % 3 != 0) {
      a->deallocate(p);  // merges back into the same free block
      continue;
    }
    // Kept: the block leaves the model, the tail it gave back joins it.
    auto taken = fit;
    while (taken->second != p) ++taken;
    const std::size_t block = taken->first + tags;
    const std::size_t got = a->size(p) + tags;
    free_blocks.erase(taken);
    if (got < block) free_blocks.emplace(block - got - tags, p + got);
    if (i % 500 == 0) {
      ASSERT_TRUE(a->check_sanity());
    }
  }
  EXPECT_TRUE(a->check_sanity());
}

TEST(BestFit, TakesTheSmallestFreeBlockThatFitsAtEverySize) {
  expect_best_fit<rbtree_best_fit<null_mutex_family>>(64 * 1024);
}

TEST(BestFit, HoldsWithAWiderAlignmentAndRawPointers) {
  expect_best_fit<rbtree_best_fit<null_mutex_family, void*, 64>>(16 * 1024);
}

// Random allocate, deallocate, aligned and in-place requests over live
// buffers of 8 B to 64 KiB, each filled with its own byte: no two buffers
// overlap, none loses its bytes, the structure stays sound throughout and
// everything freed gives back all memory.
template <class Algo>
class Churn : public ::testing::Test {};
using ChurnAlgos = ::testing::Types<rbtree_best_fit<null_mutex_family>,
                                    rbtree_best_fit<mutex_family, offset_ptr<void>, 64>,
                                    simple_seq_fit<null_mutex_family>>;
TYPED_TEST_SUITE(Churn, ChurnAlgos);

TYPED_TEST(Churn, RandomUseKeepsBuffersAndStructure) {
  constexpr std::size_t kSize = 4 << 20;
  Heap<TypeParam> heap(kSize);
  TypeParam* a = heap.algo;
  const std::size_t initial = a->get_free_memory();
  struct live {
    char* p;
    std::size_t n;
    unsigned char fill;
  };
  std::vector<live> slots(256, live{nullptr, 0, 0});
  std::mt19937 rng(4050);
  auto check = [](const live& s) {
    const char* end = s.p + s.n;
    const char* bad = std::find_if(static_cast<const char*>(s.p), end,
                                   [&](char c) { return (unsigned char)c != s.fill; });
    ASSERT_EQ(bad, end) << "byte " << bad - s.p << " of " << s.n;
  };
  for (int step = 0; step < 8000; ++step) {
    live& s = slots[rng() % slots.size()];
    if (s.p) {
      check(s);
      if (rng() % 4 == 0) {
        // Grow in place (forward or backward) or move to a new buffer.
        std::size_t want = s.n + random_size(rng, 8192);
        char* reuse = s.p;
        char* q = a->template allocation_command<char>(
            expand_fwd | expand_bwd | allocate_new | nothrow_allocation, s.n, want, reuse);
        if (q) {
          if (!reuse) {
            std::memcpy(q, s.p, s.n);
            a->deallocate(s.p);
          } else if (q != s.p) {
            std::memmove(q, s.p, s.n);
          }
          s.p = q;
          s.n = want;
          std::memset(q, s.fill, s.n);
        }
      } else {
        a->deallocate(s.p);
        s.p = nullptr;
      }
    } else {
      s.n = random_size(rng, 64 * 1024);
      s.fill = static_cast<unsigned char>(rng());
      s.p = static_cast<char*>(rng() % 8 == 0 ? a->allocate_aligned(s.n, 256) : a->allocate(s.n));
      if (s.p) std::memset(s.p, s.fill, s.n);
    }
    if (step % 250 == 0) {
      ASSERT_TRUE(a->check_sanity()) << "step " << step;
    }
  }
  for (live& s : slots) {
    if (!s.p) continue;
    check(s);
    a->deallocate(s.p);
  }
  EXPECT_TRUE(a->check_sanity());
  EXPECT_EQ(a->get_free_memory(), initial);
  EXPECT_TRUE(a->all_memory_deallocated());
}

// A trie node's links (after the tags: next, prev, child[0], child[1],
// parent; 32-bit block indexes, docs/layout.md) damaged: the open-time check
// and the next operation that follows them refuse with corrupted_error.
TEST(BestFit, DamagedTrieLinksAreRefused) {
  using algo = rbtree_best_fit<null_mutex_family>;
  auto code_of = [](auto op) -> int {
    try {
      op();
    } catch (const interprocess_exception& e) {
      return e.get_error_code();
    }
    return no_error;
  };
  for (unsigned field = 0; field < 5; ++field) {
    Heap<algo> heap(1 << 20);
    algo* a = heap.algo;
    // Freed in this order: 600 B is the root of its trie, 700 B its child,
    // the second 600 B chained to the root.
    void* root = a->allocate(600);
    a->allocate(8);
    void* child = a->allocate(700);
    a->allocate(8);
    void* chained = a->allocate(600);
    a->allocate(8);
    a->deallocate(root);
    a->deallocate(child);
    a->deallocate(chained);
    ASSERT_TRUE(a->check_sanity());
    a->check_structure();
    std::uint32_t* links = static_cast<std::uint32_t*>(field == 4 ? child : root);
    const std::uint32_t saved = links[field];
    // Out of range, or naming the wrong block (the first block is the root).
    links[field] = field % 2 == 0 && field != 4 ? 0x7777777u : saved ^ 1u;
    EXPECT_FALSE(a->check_sanity()) << "field " << field;
    EXPECT_EQ(code_of([&] { a->check_structure(); }), corrupted_error) << "field " << field;
    // 600 B takes the root; 650 B fits only the 700 B child, reached
    // through the root.
    EXPECT_EQ(code_of([&] { a->allocate(field < 2 ? 600 : 650); }), corrupted_error)
        << "field " << field;
    links[field] = saved;
    EXPECT_TRUE(a->check_sanity()) << "field " << field;
  }
}

}  // namespace
}  // namespace refipc
