// Managed shared memory, refipc against Boost in one run:
//  - create_destroy_64MiB: create_only of a 64 MiB managed_shared_memory,
//    unmap and remove it;
//  - reserve_64MiB: the share of that spent creating and sizing the shared
//    memory object alone (both reserve the memory with posix_fallocate);
//  - open_64MiB: open_only of an existing 64 MiB segment, then unmap it;
//  - create_destroy_1GiB, reserve_1GiB: the same at 1 GiB, with
//    size_only_1GiB/posix beside them: shm_open and ftruncate alone, what
//    sizing costs without reserving the space (the difference is the price
//    of an out_of_space error at creation instead of a SIGBUS later);
//  - find_random / construct_destroy_random: named objects through
//    managed_shared_memory with the process-shared mutex_family, per index,
//    among 1,000 and 100,000 objects, names visited in a random order.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <boost/interprocess/indexes/iset_index.hpp>
#include <boost/interprocess/indexes/iunordered_set_index.hpp>
#include <boost/interprocess/managed_shared_memory.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cstddef>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

namespace bip = boost::interprocess;
constexpr std::size_t kSegmentSize = 64 << 20;
constexpr std::size_t kLargeSize = std::size_t{1} << 30;

template <template <class> class Index>
struct Refipc {
  using segment =
      refipc::basic_managed_shared_memory<char, refipc::rbtree_best_fit<refipc::mutex_family>,
                                          Index>;
  using shm = refipc::shared_memory_object;
  static constexpr auto create_only = refipc::create_only;
  static constexpr auto open_only = refipc::open_only;
  static constexpr auto read_write = refipc::read_write;
};
template <template <class> class Index>
struct Boost {
  using segment =
      bip::basic_managed_shared_memory<char, bip::rbtree_best_fit<bip::mutex_family>, Index>;
  using shm = bip::shared_memory_object;
  static constexpr auto create_only = bip::create_only;
  static constexpr auto open_only = bip::open_only;
  static constexpr auto read_write = bip::read_write;
};

std::string segment_name(const char* tag) {
  return std::string("refipc_bench_") + tag + "_" + std::to_string(getpid());
}

template <class Impl>
void create_destroy_64MiB(benchmark::State& state) {
  const std::string name = segment_name("create");
  Impl::shm::remove(name.c_str());
  for (auto _ : state) {
    {
      typename Impl::segment segment(Impl::create_only, name.c_str(), kSegmentSize);
      benchmark::DoNotOptimize(segment.get_address());
    }
    Impl::shm::remove(name.c_str());
  }
}

template <class Impl>
void reserve_64MiB(benchmark::State& state) {
  const std::string name = segment_name("reserve");
  Impl::shm::remove(name.c_str());
  for (auto _ : state) {
    {
      typename Impl::shm shm(Impl::create_only, name.c_str(), Impl::read_write);
      shm.truncate(kSegmentSize);
    }
    Impl::shm::remove(name.c_str());
  }
}

template <class Impl>
void create_destroy_1GiB(benchmark::State& state) {
  const std::string name = segment_name("create_large");
  Impl::shm::remove(name.c_str());
  for (auto _ : state) {
    {
      typename Impl::segment segment(Impl::create_only, name.c_str(), kLargeSize);
      benchmark::DoNotOptimize(segment.get_address());
    }
    Impl::shm::remove(name.c_str());
  }
}

template <class Impl>
void reserve_1GiB(benchmark::State& state) {
  const std::string name = segment_name("reserve_large");
  Impl::shm::remove(name.c_str());
  for (auto _ : state) {
    {
      typename Impl::shm shm(Impl::create_only, name.c_str(), Impl::read_write);
      shm.truncate(kLargeSize);
    }
    Impl::shm::remove(name.c_str());
  }
}

// The baseline: a 1 GiB object sized but not reserved.
void size_only_1GiB(benchmark::State& state) {
  const std::string name = "/" + segment_name("size_only");
  for (auto _ : state) {
    const int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, static_cast<off_t>(kLargeSize)) != 0) {
      state.SkipWithError("shm_open or ftruncate failed");
    }
    if (fd >= 0) close(fd);
    shm_unlink(name.c_str());
  }
}

template <class Impl>
void open_64MiB(benchmark::State& state) {
  const std::string name = segment_name("open");
  Impl::shm::remove(name.c_str());
  { typename Impl::segment segment(Impl::create_only, name.c_str(), kSegmentSize); }
  for (auto _ : state) {
    typename Impl::segment segment(Impl::open_only, name.c_str());
    benchmark::DoNotOptimize(segment.get_address());
  }
  Impl::shm::remove(name.c_str());
}

// A segment holding `n` named ints, and their names in a random order.
template <class Impl>
struct Populated {
  explicit Populated(std::size_t n) : name(segment_name("named")) {
    Impl::shm::remove(name.c_str());
    segment = typename Impl::segment(Impl::create_only, name.c_str(), kSegmentSize);
    char buf[32];
    for (std::size_t i = 0; i < n; ++i) {
      std::snprintf(buf, sizeof buf, "object_%07zu", i);
      keys.emplace_back(buf);
      segment.template construct<int>(keys.back().c_str())(1);
    }
    std::shuffle(keys.begin(), keys.end(), std::mt19937(42));
  }
  ~Populated() { Impl::shm::remove(name.c_str()); }
  std::string name;
  typename Impl::segment segment;
  std::vector<std::string> keys;
};

template <class Impl, std::size_t N>
void find_random(benchmark::State& state) {
  Populated<Impl> p(N);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.segment.template find<int>(p.keys[i].c_str()).first);
    if (++i == N) i = 0;
  }
}

template <class Impl, std::size_t N>
void construct_destroy_random(benchmark::State& state) {
  Populated<Impl> p(N);
  std::size_t i = 0;
  for (auto _ : state) {
    const char* key = p.keys[i].c_str();
    p.segment.template destroy<int>(key);
    benchmark::DoNotOptimize(p.segment.template construct<int>(key)(2));
    if (++i == N) i = 0;
  }
}

BENCHMARK(create_destroy_64MiB<Refipc<refipc::iset_index>>)
    ->Name("create_destroy_64MiB/refipc")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(create_destroy_64MiB<Boost<bip::iset_index>>)
    ->Name("create_destroy_64MiB/boost")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(reserve_64MiB<Refipc<refipc::iset_index>>)
    ->Name("reserve_64MiB/refipc")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(reserve_64MiB<Boost<bip::iset_index>>)
    ->Name("reserve_64MiB/boost")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(open_64MiB<Refipc<refipc::iset_index>>)
    ->Name("open_64MiB/refipc")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(open_64MiB<Boost<bip::iset_index>>)
    ->Name("open_64MiB/boost")
    ->Unit(benchmark::kMicrosecond);

BENCHMARK(create_destroy_1GiB<Refipc<refipc::iset_index>>)
    ->Name("create_destroy_1GiB/refipc")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(create_destroy_1GiB<Boost<bip::iset_index>>)
    ->Name("create_destroy_1GiB/boost")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(reserve_1GiB<Refipc<refipc::iset_index>>)
    ->Name("reserve_1GiB/refipc")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(reserve_1GiB<Boost<bip::iset_index>>)
    ->Name("reserve_1GiB/boost")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(size_only_1GiB)->Name("size_only_1GiB/posix")->Unit(benchmark::kMillisecond);

#define NAMED_BENCH(index, n)                                                                     \
  BENCHMARK(find_random<Refipc<refipc::index>, n>)->Name("find_random_" #index "_" #n "/refipc"); \
  BENCHMARK(find_random<Boost<bip::index>, n>)->Name("find_random_" #index "_" #n "/boost");      \
  BENCHMARK(construct_destroy_random<Refipc<refipc::index>, n>)                                   \
      ->Name("construct_destroy_random_" #index "_" #n "/refipc");                                \
  BENCHMARK(construct_destroy_random<Boost<bip::index>, n>)                                       \
      ->Name("construct_destroy_random_" #index "_" #n "/boost");

NAMED_BENCH(iset_index, 1000)
NAMED_BENCH(iset_index, 100000)
NAMED_BENCH(iunordered_set_index, 1000)
NAMED_BENCH(iunordered_set_index, 100000)

}  // namespace
