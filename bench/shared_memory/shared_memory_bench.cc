// The life cycle of a segment (create, size, map, touch, unmap, remove) and
// mapping an existing object, for refipc, Boost and raw POSIX calls.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cstddef>
#include <random>
#include <string>

#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

constexpr std::size_t kSegmentSize = 64 * 1024;

std::string unique_name(const char* what) {
  return std::string("bench_") + what + "_" + std::to_string(getpid()) + "_" +
         std::to_string(std::random_device{}());
}

struct Refipc {
  using shm = refipc::shared_memory_object;
  using region = refipc::mapped_region;
  static constexpr auto create_only = refipc::create_only;
  static constexpr auto read_write = refipc::read_write;
};

struct Boost {
  using shm = boost::interprocess::shared_memory_object;
  using region = boost::interprocess::mapped_region;
  static constexpr auto create_only = boost::interprocess::create_only;
  static constexpr auto read_write = boost::interprocess::read_write;
};

template <class Impl>
void segment_life_cycle(benchmark::State& state) {
  const auto name = unique_name("life");
  for (auto _ : state) {
    {
      typename Impl::shm object(Impl::create_only, name.c_str(), Impl::read_write);
      object.truncate(kSegmentSize);
      typename Impl::region region(object, Impl::read_write);
      static_cast<char*>(region.get_address())[0] = 1;
    }
    Impl::shm::remove(name.c_str());
  }
}

void segment_life_cycle_posix(benchmark::State& state) {
  const auto name = "/" + unique_name("life");
  for (auto _ : state) {
    const int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, kSegmentSize) != 0) {
      state.SkipWithError("shm_open/ftruncate");
      if (fd >= 0) close(fd);
      shm_unlink(name.c_str());
      break;
    }
    void* address = mmap(nullptr, kSegmentSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (address == MAP_FAILED) {
      state.SkipWithError("mmap");
      close(fd);
      shm_unlink(name.c_str());
      break;
    }
    static_cast<char*>(address)[0] = 1;
    munmap(address, kSegmentSize);
    close(fd);
    shm_unlink(name.c_str());
  }
}

template <class Impl>
void map_existing(benchmark::State& state) {
  const auto name = unique_name("map");
  typename Impl::shm object(Impl::create_only, name.c_str(), Impl::read_write);
  object.truncate(kSegmentSize);
  for (auto _ : state) {
    typename Impl::region region(object, Impl::read_write);
    benchmark::DoNotOptimize(region.get_address());
  }
  Impl::shm::remove(name.c_str());
}

void map_existing_posix(benchmark::State& state) {
  const auto name = "/" + unique_name("map");
  const int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0 || ftruncate(fd, kSegmentSize) != 0) {
    state.SkipWithError("shm_open/ftruncate");
    if (fd >= 0) close(fd);
    shm_unlink(name.c_str());
    return;
  }
  for (auto _ : state) {
    void* address = mmap(nullptr, kSegmentSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (address == MAP_FAILED) {
      state.SkipWithError("mmap");
      break;
    }
    benchmark::DoNotOptimize(address);
    munmap(address, kSegmentSize);
  }
  close(fd);
  shm_unlink(name.c_str());
}

}  // namespace

BENCHMARK(segment_life_cycle<Refipc>)->Name("segment_life_cycle/refipc");
BENCHMARK(segment_life_cycle<Boost>)->Name("segment_life_cycle/boost");
BENCHMARK(segment_life_cycle_posix)->Name("segment_life_cycle/baseline");
BENCHMARK(map_existing<Refipc>)->Name("map_existing/refipc");
BENCHMARK(map_existing<Boost>)->Name("map_existing/boost");
BENCHMARK(map_existing_posix)->Name("map_existing/baseline");
