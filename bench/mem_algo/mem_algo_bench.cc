// Random mixes of allocations and deallocations over a set of slots: each
// step frees the slot's buffer if it has one and allocates a new one
// otherwise, so about half the slots are live in steady state. The same
// pseudo-random sequence drives every implementation; malloc/free is the
// baseline. One iteration is one allocate or deallocate. Mixes:
//   mix            8-512 B, uniform, 4,096 slots (the exact-size bins)
//   mix_600_4000   600-4,000 B, uniform, 32,768 slots (the trie bins)
//   mix_8_64k      8 B-64 KiB, log-uniform, 4,096 slots (every bin)
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include "bench/mem_algo/heaps.hpp"

namespace bench_mem_algo {
namespace {

template <class Heap, std::size_t kSlots, std::size_t kSegment, class Size>
void run_mix(benchmark::State& state, Size size_of) {
  Heap heap(kSegment);
  std::vector<void*> slots(kSlots, nullptr);
  Rng rng;
  for (auto _ : state) {
    void*& slot = slots[rng.next() % kSlots];
    if (slot) {
      heap.free(slot);
      slot = nullptr;
    } else {
      // A local, not the slot, kept through keep() (heaps.hpp).
      void* p = heap.alloc(size_of(rng));
      keep(p);
      if (!p) {
        state.SkipWithError("out of memory");
        break;
      }
      slot = p;
    }
  }
  for (void* p : slots) {
    if (p) heap.free(p);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Heap>
void BM_Mix(benchmark::State& state) {
  run_mix<Heap, 4096, 16 << 20>(state, [](Rng& r) { return r.between(8, 512); });
}
template <class Heap>
void BM_Mix600To4000(benchmark::State& state) {
  run_mix<Heap, 32768, 256 << 20>(state, [](Rng& r) { return r.between(600, 4000); });
}
template <class Heap>
void BM_Mix8To64k(benchmark::State& state) {
  run_mix<Heap, 4096, 256 << 20>(state, [](Rng& r) { return r.log_between(8, 65536); });
}

#define MIX_CASES(bm, name)                                               \
  BENCHMARK_TEMPLATE(bm, InSegment<refipc_rbtree>)->Name(name "/refipc"); \
  BENCHMARK_TEMPLATE(bm, InSegment<boost_rbtree>)->Name(name "/boost");   \
  BENCHMARK_TEMPLATE(bm, Malloc)->Name(name "/baseline");

MIX_CASES(BM_Mix, "rbtree_best_fit_mix")
MIX_CASES(BM_Mix600To4000, "rbtree_best_fit_mix_600_4000")
MIX_CASES(BM_Mix8To64k, "rbtree_best_fit_mix_8_64k")
BENCHMARK_TEMPLATE(BM_Mix, InSegment<refipc_rbtree_mutex>)
    ->Name("rbtree_best_fit_mutex_mix/refipc");
BENCHMARK_TEMPLATE(BM_Mix, InSegment<boost_rbtree_mutex>)->Name("rbtree_best_fit_mutex_mix/boost");
BENCHMARK_TEMPLATE(BM_Mix, Malloc)->Name("rbtree_best_fit_mutex_mix/baseline");
BENCHMARK_TEMPLATE(BM_Mix, InSegment<refipc_seq>)->Name("simple_seq_fit_mix/refipc");
BENCHMARK_TEMPLATE(BM_Mix, InSegment<boost_seq>)->Name("simple_seq_fit_mix/boost");

}  // namespace
}  // namespace bench_mem_algo
