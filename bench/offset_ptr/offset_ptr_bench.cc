// offset_ptr costs: walking a shuffled linked list (get() on every hop),
// storing raw pointers into offset_ptrs, and copying offset_ptrs. The
// baseline is the same code with raw pointers.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/interprocess/offset_ptr.hpp>
#include <cstddef>
#include <numeric>
#include <random>
#include <vector>

#include "refipc/offset_ptr.hpp"

namespace {

constexpr std::size_t kNodes = 4096;

template <class T>
using RefipcPtr = refipc::offset_ptr<T>;
template <class T>
using BoostPtr = boost::interprocess::offset_ptr<T>;
template <class T>
using RawPtr = T*;

std::vector<std::size_t> shuffled_order() {
  std::vector<std::size_t> order(kNodes);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(42));
  return order;
}

template <template <class> class Ptr>
struct Node {
  Ptr<Node> next;
  std::size_t value;
};

template <template <class> class Ptr>
void list_walk(benchmark::State& state) {
  using N = Node<Ptr>;
  std::vector<N> nodes(kNodes);
  const auto order = shuffled_order();
  for (std::size_t i = 0; i < kNodes; ++i) {
    nodes[order[i]].value = i;
    nodes[order[i]].next = &nodes[order[(i + 1) % kNodes]];
  }
  for (auto _ : state) {
    const N* at = &nodes[order[0]];
    std::size_t sum = 0;
    for (std::size_t i = 0; i < kNodes; ++i) {
      sum += at->value;
      at = &*at->next;  // raw pointers and offset_ptrs alike
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kNodes);
}

template <template <class> class Ptr>
void store_raw(benchmark::State& state) {
  std::vector<int> targets(kNodes);
  std::vector<Ptr<int>> pointers(kNodes);
  const auto order = shuffled_order();
  for (auto _ : state) {
    for (std::size_t i = 0; i < kNodes; ++i) pointers[i] = &targets[order[i]];
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kNodes);
}

template <template <class> class Ptr>
void copy_between(benchmark::State& state) {
  std::vector<int> targets(kNodes);
  std::vector<Ptr<int>> from(kNodes);
  std::vector<Ptr<int>> to(kNodes);
  for (std::size_t i = 0; i < kNodes; ++i) from[i] = &targets[i];
  for (auto _ : state) {
    std::copy(from.begin(), from.end(), to.begin());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kNodes);
}

}  // namespace

BENCHMARK(list_walk<RefipcPtr>)->Name("offset_ptr_list_walk/refipc");
BENCHMARK(list_walk<BoostPtr>)->Name("offset_ptr_list_walk/boost");
BENCHMARK(list_walk<RawPtr>)->Name("offset_ptr_list_walk/baseline");
BENCHMARK(store_raw<RefipcPtr>)->Name("offset_ptr_store_raw/refipc");
BENCHMARK(store_raw<BoostPtr>)->Name("offset_ptr_store_raw/boost");
BENCHMARK(store_raw<RawPtr>)->Name("offset_ptr_store_raw/baseline");
BENCHMARK(copy_between<RefipcPtr>)->Name("offset_ptr_copy/refipc");
BENCHMARK(copy_between<BoostPtr>)->Name("offset_ptr_copy/boost");
BENCHMARK(copy_between<RawPtr>)->Name("offset_ptr_copy/baseline");
