// node_allocator and adaptive_pool of refipc against Boost's in one run, both
// in a managed shared memory segment (process-shared pool mutexes):
// allocate_one+deallocate_one of one node ("one"), and 256 nodes taken then
// given back ("burst256", per node), which walks the pool's blocks.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <boost/interprocess/allocators/adaptive_pool.hpp>
#include <boost/interprocess/allocators/node_allocator.hpp>
#include <boost/interprocess/managed_shared_memory.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "refipc/allocators/adaptive_pool.hpp"
#include "refipc/allocators/node_allocator.hpp"
#include "refipc/managed_shared_memory.hpp"

namespace {

namespace bip = boost::interprocess;
constexpr std::size_t kSegmentSize = 16 << 20;

struct Refipc {
  using segment = refipc::managed_shared_memory;
  using manager = segment::segment_manager;
  using node = refipc::node_allocator<long, manager>;
  using adaptive = refipc::adaptive_pool<long, manager>;
  static void remove(const char* n) { refipc::shared_memory_object::remove(n); }
  static auto create() { return refipc::create_only; }
};
struct Boost {
  using segment = bip::managed_shared_memory;
  using manager = segment::segment_manager;
  using node = bip::node_allocator<long, manager>;
  using adaptive = bip::adaptive_pool<long, manager>;
  static void remove(const char* n) { bip::shared_memory_object::remove(n); }
  static auto create() { return bip::create_only; }
};

// A fresh segment, removed at the end of the benchmark.
template <class Impl>
struct Segment {
  Segment() : name("refipc_bench_alloc_" + std::to_string(::getpid())) {
    Impl::remove(name.c_str());
    segment = typename Impl::segment(Impl::create(), name.c_str(), kSegmentSize);
  }
  ~Segment() {
    segment = typename Impl::segment();
    Impl::remove(name.c_str());
  }
  std::string name;
  typename Impl::segment segment;
};

template <class Impl, class Alloc>
void one(benchmark::State& state) {
  Segment<Impl> s;
  Alloc a(s.segment.get_segment_manager());
  a.deallocate_one(a.allocate_one());  // the first block
  for (auto _ : state) {
    typename Alloc::pointer p = a.allocate_one();
    benchmark::DoNotOptimize(p);
    a.deallocate_one(p);
  }
}

template <class Impl, class Alloc>
void burst(benchmark::State& state) {
  constexpr std::size_t kNodes = 256;
  Segment<Impl> s;
  Alloc a(s.segment.get_segment_manager());
  std::vector<typename Alloc::pointer> nodes(kNodes);
  for (auto _ : state) {
    for (auto& p : nodes) p = a.allocate_one();
    benchmark::DoNotOptimize(nodes.data());
    for (auto& p : nodes) a.deallocate_one(p);
  }
  state.SetItemsProcessed(state.iterations() * kNodes);
}

BENCHMARK(one<Refipc, Refipc::node>)->Name("node_one/refipc");
BENCHMARK(one<Boost, Boost::node>)->Name("node_one/boost");
BENCHMARK(one<Refipc, Refipc::adaptive>)->Name("adaptive_one/refipc");
BENCHMARK(one<Boost, Boost::adaptive>)->Name("adaptive_one/boost");
BENCHMARK(burst<Refipc, Refipc::node>)->Name("node_burst256/refipc");
BENCHMARK(burst<Boost, Boost::node>)->Name("node_burst256/boost");
BENCHMARK(burst<Refipc, Refipc::adaptive>)->Name("adaptive_burst256/refipc");
BENCHMARK(burst<Boost, Boost::adaptive>)->Name("adaptive_burst256/boost");

}  // namespace
