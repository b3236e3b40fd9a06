// Fragmented heaps.
//
// fragmented_N: N free blocks of 2,048-3,999 B, each kept apart from the
// next by a small live block, then allocate(4050) + deallocate per
// iteration. No free block holds 4,050 B, so every request passes over all
// of them to reach the free space at the end: a best fit whose cost grows
// with the free blocks shows it here (N = 1k, 10k, 100k).
//
// footprint_trace: one iteration replays a trace of 200,000 allocations and
// deallocations (8,192 slots; 60 % of requests 16-128 B, 30 % 128-2,048 B,
// 10 % 2-32 KiB; every 25,000 steps half the slots are freed at once) on a
// fresh segment. Besides the time per operation it reports `footprint`: the
// segment's peak extent (the end of the highest buffer ever handed out)
// over the peak of the bytes live requests asked for.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include "bench/mem_algo/heaps.hpp"

namespace bench_mem_algo {
namespace {

template <class Algo>
void BM_Fragmented(benchmark::State& state) {
  const std::size_t blocks = static_cast<std::size_t>(state.range(0));
  InSegment<Algo> heap(blocks * 4096 + (8 << 20));
  Rng rng;
  std::vector<void*> holes;
  holes.reserve(blocks);
  for (std::size_t i = 0; i < blocks; ++i) {
    holes.push_back(heap.alloc(rng.between(2048, 3999)));
    if (!holes.back() || !heap.alloc(16)) {
      state.SkipWithError("out of memory while fragmenting");
      return;
    }
  }
  for (void* p : holes) heap.free(p);
  for (auto _ : state) {
    void* p = heap.alloc(4050);
    keep(p);
    if (!p) {
      state.SkipWithError("out of memory");
      break;
    }
    heap.free(p);
  }
  state.SetItemsProcessed(state.iterations());
}

constexpr std::size_t kTraceSegment = 256 << 20;
constexpr std::size_t kTraceSlots = 8192;
constexpr int kTraceSteps = 200000;

std::size_t trace_size(Rng& rng) {
  const std::size_t pick = rng.next() % 10;
  if (pick < 6) return rng.between(16, 128);
  if (pick < 9) return rng.between(128, 2048);
  return rng.between(2048, 32768);
}

template <class Algo>
void BM_FootprintTrace(benchmark::State& state) {
  double footprint = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto heap = std::make_unique<InSegment<Algo>>(kTraceSegment);
    std::vector<void*> slots(kTraceSlots, nullptr);
    std::vector<std::size_t> sizes(kTraceSlots, 0);
    Rng rng;
    std::size_t live = 0, peak_live = 0, peak_end = 0;
    bool failed = false;
    state.ResumeTiming();
    for (int step = 0; step < kTraceSteps && !failed; ++step) {
      if (step % 25000 == 24999) {
        for (std::size_t s = 0; s < kTraceSlots; s += 2) {
          if (!slots[s]) continue;
          heap->free(slots[s]);
          slots[s] = nullptr;
          live -= sizes[s];
        }
      }
      const std::size_t s = rng.next() % kTraceSlots;
      if (slots[s]) {
        heap->free(slots[s]);
        slots[s] = nullptr;
        live -= sizes[s];
        continue;
      }
      sizes[s] = trace_size(rng);
      void* p = heap->alloc(sizes[s]);
      keep(p);
      failed = !p;
      if (failed) break;
      slots[s] = p;
      live += sizes[s];
      peak_live = std::max(peak_live, live);
      peak_end = std::max<std::size_t>(
          peak_end,
          static_cast<std::size_t>(static_cast<char*>(slots[s]) - heap->base()) + sizes[s]);
    }
    state.PauseTiming();
    if (failed) {
      state.SkipWithError("out of memory");
      break;
    }
    footprint = static_cast<double>(peak_end) / static_cast<double>(peak_live);
    for (void* p : slots) {
      if (p) heap->free(p);
    }
    heap.reset();
    state.ResumeTiming();
  }
  state.counters["footprint"] = footprint;
  state.SetItemsProcessed(state.iterations() * kTraceSteps);
}

BENCHMARK_TEMPLATE(BM_Fragmented, refipc_rbtree)
    ->Name("rbtree_best_fit_fragmented/refipc")
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000);
BENCHMARK_TEMPLATE(BM_Fragmented, boost_rbtree)
    ->Name("rbtree_best_fit_fragmented/boost")
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000);
BENCHMARK_TEMPLATE(BM_FootprintTrace, refipc_rbtree)
    ->Name("rbtree_best_fit_footprint_trace/refipc");
BENCHMARK_TEMPLATE(BM_FootprintTrace, boost_rbtree)->Name("rbtree_best_fit_footprint_trace/boost");

}  // namespace
}  // namespace bench_mem_algo
