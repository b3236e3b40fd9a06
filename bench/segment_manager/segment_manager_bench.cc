// Named-object costs per index type, refipc against Boost in one run:
// find<T>(name) among 1,000 and 100,000 objects, construct+destroy of one
// named object next to 1,000 others, and the segment memory each named
// object costs (counter "bytes_per_object": free memory consumed per object,
// the int itself included), and open_only of a segment holding 1,000 and
// 10,000 named objects (refipc checks its headers, free lists and indexes
// there; Boost reads nothing).
#include <benchmark/benchmark.h>

#include <boost/interprocess/indexes/flat_map_index.hpp>
#include <boost/interprocess/indexes/iset_index.hpp>
#include <boost/interprocess/indexes/iunordered_set_index.hpp>
#include <boost/interprocess/indexes/map_index.hpp>
#include <boost/interprocess/managed_external_buffer.hpp>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/managed_external_buffer.hpp"

namespace {

namespace bip = boost::interprocess;
constexpr std::size_t kSegmentSize = 64 << 20;

template <template <class> class Index>
struct Refipc {
  using segment = refipc::basic_managed_external_buffer<
      char, refipc::rbtree_best_fit<refipc::null_mutex_family>, Index>;
  static auto create() { return refipc::create_only; }
  static auto open() { return refipc::open_only; }
};
template <template <class> class Index>
struct Boost {
  using segment =
      bip::basic_managed_external_buffer<char, bip::rbtree_best_fit<bip::null_mutex_family>, Index>;
  static auto create() { return bip::create_only; }
  static auto open() { return bip::open_only; }
};

// Fixed-width names, created in increasing order.
std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "object_%07zu", i);
    out.emplace_back(buf);
  }
  return out;
}

template <class Impl>
struct Populated {
  explicit Populated(std::size_t n)
      : memory(new std::max_align_t[kSegmentSize / sizeof(std::max_align_t)]),
        segment(Impl::create(), memory.get(), kSegmentSize),
        keys(names(n)) {
    std::size_t free_before = segment.get_free_memory();
    for (const std::string& k : keys) segment.template construct<int>(k.c_str())(1);
    bytes_per_object = static_cast<double>(free_before - segment.get_free_memory()) / n;
  }
  std::unique_ptr<std::max_align_t[]> memory;
  typename Impl::segment segment;
  std::vector<std::string> keys;
  double bytes_per_object;
};

template <class Impl, std::size_t N>
void find_named(benchmark::State& state) {
  Populated<Impl> p(N);
  std::size_t i = 0;
  for (auto _ : state) {
    int* found = p.segment.template find<int>(p.keys[i].c_str()).first;
    benchmark::DoNotOptimize(found);
    i = (i + 7919) % N;
  }
  state.counters["bytes_per_object"] = p.bytes_per_object;
}

template <class Impl>
void construct_destroy(benchmark::State& state) {
  Populated<Impl> p(1000);
  std::size_t i = 0;
  for (auto _ : state) {
    const char* name = p.keys[i].c_str();
    p.segment.template destroy<int>(name);
    benchmark::DoNotOptimize(p.segment.template construct<int>(name)(2));
    i = (i + 7919) % 1000;
  }
}

// open_only of a populated segment.
template <class Impl, std::size_t N>
void open_populated(benchmark::State& state) {
  Populated<Impl> p(N);
  for (auto _ : state) {
    typename Impl::segment opened(Impl::open(), p.memory.get(), kSegmentSize);
    benchmark::DoNotOptimize(opened.get_segment_manager());
  }
}

#define SEGMENT_BENCH(index)                                                                     \
  BENCHMARK(find_named<Refipc<refipc::index>, 1000>)->Name("find_" #index "_1000/refipc");       \
  BENCHMARK(find_named<Boost<bip::index>, 1000>)->Name("find_" #index "_1000/boost");            \
  BENCHMARK(find_named<Refipc<refipc::index>, 100000>)->Name("find_" #index "_100000/refipc");   \
  BENCHMARK(find_named<Boost<bip::index>, 100000>)->Name("find_" #index "_100000/boost");        \
  BENCHMARK(construct_destroy<Refipc<refipc::index>>)                                            \
      ->Name("construct_destroy_" #index "/refipc");                                             \
  BENCHMARK(construct_destroy<Boost<bip::index>>)->Name("construct_destroy_" #index "/boost");   \
  BENCHMARK(open_populated<Refipc<refipc::index>, 1000>)->Name("open_" #index "_1000/refipc");   \
  BENCHMARK(open_populated<Boost<bip::index>, 1000>)->Name("open_" #index "_1000/boost");        \
  BENCHMARK(open_populated<Refipc<refipc::index>, 10000>)->Name("open_" #index "_10000/refipc"); \
  BENCHMARK(open_populated<Boost<bip::index>, 10000>)->Name("open_" #index "_10000/boost");

SEGMENT_BENCH(iset_index)
SEGMENT_BENCH(map_index)
SEGMENT_BENCH(flat_map_index)
SEGMENT_BENCH(iunordered_set_index)

}  // namespace
