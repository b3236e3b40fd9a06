// A random mix of allocations (8 to 512 bytes) and deallocations over 4096
// slots: each step frees the slot's buffer if it has one and allocates a new
// one otherwise, so about half the slots are live in steady state. The same
// pseudo-random sequence drives every implementation; malloc/free is the
// baseline. One iteration is one allocate or deallocate.
#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <boost/interprocess/mem_algo/rbtree_best_fit.hpp>
#include <boost/interprocess/mem_algo/simple_seq_fit.hpp>
#include <boost/interprocess/offset_ptr.hpp>
#include <boost/interprocess/sync/mutex_family.hpp>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace {

constexpr std::size_t kSlots = 4096;
constexpr std::size_t kSegment = 16 * 1024 * 1024;

// xorshift64: cheap and identical for every implementation.
struct Rng {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
};

template <class Alloc>
void run_mix(benchmark::State& state, Alloc& alloc) {
  std::vector<void*> slots(kSlots, nullptr);
  Rng rng;
  for (auto _ : state) {
    const std::uint64_t r = rng.next();
    void*& slot = slots[r % kSlots];
    if (slot) {
      alloc.free(slot);
      slot = nullptr;
    } else {
      slot = alloc.alloc(8 + (r >> 32) % 505);
      benchmark::DoNotOptimize(slot);
    }
  }
  for (void* p : slots) {
    if (p) alloc.free(p);
  }
  state.SetItemsProcessed(state.iterations());
}

// Fresh anonymous pages, zero-filled like a new shared memory segment (Boost's
// simple_seq_fit reads a field it never writes; see docs/boost-deviations.md).
template <class Algo>
struct InSegment {
  void* pages = map_pages();
  Algo* algo = ::new (pages) Algo(kSegment, 0);
  ~InSegment() {
    algo->~Algo();
    ::munmap(pages, kSegment);
  }
  static void* map_pages() {
    void* p = ::mmap(nullptr, kSegment, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
  }
  void* alloc(std::size_t n) { return algo->allocate(n); }
  void free(void* p) { algo->deallocate(p); }
};

struct Malloc {
  void* alloc(std::size_t n) { return std::malloc(n); }
  void free(void* p) { std::free(p); }
};

template <class Algo>
void BM_Mix(benchmark::State& state) {
  InSegment<Algo> seg;
  run_mix(state, seg);
}
void BM_MixMalloc(benchmark::State& state) {
  Malloc m;
  run_mix(state, m);
}

namespace bi = boost::interprocess;
using refipc_rbtree = refipc::rbtree_best_fit<refipc::null_mutex_family>;
using boost_rbtree = bi::rbtree_best_fit<bi::null_mutex_family>;
using refipc_rbtree_mutex = refipc::rbtree_best_fit<refipc::mutex_family>;
using boost_rbtree_mutex = bi::rbtree_best_fit<bi::mutex_family>;
using refipc_seq = refipc::simple_seq_fit<refipc::null_mutex_family>;
using boost_seq = bi::simple_seq_fit<bi::null_mutex_family, bi::offset_ptr<void>>;

BENCHMARK_TEMPLATE(BM_Mix, refipc_rbtree)->Name("rbtree_best_fit_mix/refipc");
BENCHMARK_TEMPLATE(BM_Mix, boost_rbtree)->Name("rbtree_best_fit_mix/boost");
BENCHMARK(BM_MixMalloc)->Name("rbtree_best_fit_mix/baseline");
BENCHMARK_TEMPLATE(BM_Mix, refipc_rbtree_mutex)->Name("rbtree_best_fit_mutex_mix/refipc");
BENCHMARK_TEMPLATE(BM_Mix, boost_rbtree_mutex)->Name("rbtree_best_fit_mutex_mix/boost");
BENCHMARK(BM_MixMalloc)->Name("rbtree_best_fit_mutex_mix/baseline");
BENCHMARK_TEMPLATE(BM_Mix, refipc_seq)->Name("simple_seq_fit_mix/refipc");
BENCHMARK_TEMPLATE(BM_Mix, boost_seq)->Name("simple_seq_fit_mix/boost");

}  // namespace
