// Node containers, refipc against Boost.Container 1.81 in one run. Both use
// refipc::allocator over the same refipc managed heap segment, so the
// allocator and the memory algorithm are identical and only the containers
// differ:
//  - list_push_pop_10k: push_back 10,000 ints, then pop_front them all;
//  - map_insert_find_100k: insert 100,000 int keys in random order into a
//    map<int, int>, then find every key in another random order.
#include <algorithm>
#include <boost/container/list.hpp>
#include <boost/container/map.hpp>
#include <cstddef>
#include <functional>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using manager = refipc::managed_heap_memory::segment_manager;
template <class T>
using alloc = refipc::allocator<T, manager>;

refipc::managed_heap_memory& segment() {
  static refipc::managed_heap_memory heap(256 << 20);
  return heap;
}

struct Refipc {
  using list = refipc::list<int, alloc<int>>;
  using map = refipc::map<int, int, std::less<int>, alloc<std::pair<const int, int>>>;
};
struct Boost {
  using list = boost::container::list<int, alloc<int>>;
  using map = boost::container::map<int, int, std::less<int>, alloc<std::pair<const int, int>>>;
};

template <class Impl>
void list_push_pop_10k(benchmark::State& state) {
  typename Impl::list l(alloc<int>(segment().get_segment_manager()));
  for (auto _ : state) {
    for (int i = 0; i < 10000; ++i) l.push_back(i);
    long sum = 0;
    while (!l.empty()) {
      sum += l.front();
      l.pop_front();
    }
    benchmark::DoNotOptimize(sum);
  }
}

const std::vector<int>& shuffled(unsigned seed) {
  static std::vector<int> orders[2];
  std::vector<int>& v = orders[seed % 2];
  if (v.empty()) {
    v.resize(100000);
    std::iota(v.begin(), v.end(), 0);
    std::shuffle(v.begin(), v.end(), std::mt19937(seed));
  }
  return v;
}

template <class Impl>
void map_insert_find_100k(benchmark::State& state) {
  const std::vector<int>& insert_order = shuffled(1);
  const std::vector<int>& find_order = shuffled(2);
  for (auto _ : state) {
    typename Impl::map m(std::less<int>(), alloc<int>(segment().get_segment_manager()));
    for (int k : insert_order) m.emplace(k, k);
    long found = 0;
    for (int k : find_order) found += m.find(k)->second;
    benchmark::DoNotOptimize(found);
  }
}

BENCHMARK(list_push_pop_10k<Refipc>)->Name("list_push_pop_10k/refipc");
BENCHMARK(list_push_pop_10k<Boost>)->Name("list_push_pop_10k/boost");
BENCHMARK(map_insert_find_100k<Refipc>)
    ->Name("map_insert_find_100k/refipc")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(map_insert_find_100k<Boost>)
    ->Name("map_insert_find_100k/boost")
    ->Unit(benchmark::kMillisecond);

}  // namespace
