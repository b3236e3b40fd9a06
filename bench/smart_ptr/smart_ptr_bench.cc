// shared_ptr costs in a managed segment: copying and destroying a shared_ptr
// (one increment and one decrement of the count in the segment), and locking
// a weak_ptr. Each iteration does kBatch operations on one object, whose
// count block lives in a heap-backed managed segment.
#include <benchmark/benchmark.h>

#include <boost/interprocess/managed_heap_memory.hpp>
#include <boost/interprocess/smart_ptr/shared_ptr.hpp>
#include <boost/interprocess/smart_ptr/weak_ptr.hpp>
#include <cstddef>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/smart_ptr/shared_ptr.hpp"
#include "refipc/smart_ptr/weak_ptr.hpp"

namespace {

constexpr int kBatch = 1000;
constexpr std::size_t kSegment = 64 * 1024;

struct Payload {
  long value = 1;
};

struct Refipc {
  using segment = refipc::managed_heap_memory;
  using shared = refipc::managed_shared_ptr<Payload, segment>::type;
  using weak = refipc::managed_weak_ptr<Payload, segment>::type;
  static shared make(segment& s) {
    return refipc::make_managed_shared_ptr(s.construct<Payload>(refipc::anonymous_instance)(), s);
  }
};

struct Boost {
  using segment = boost::interprocess::managed_heap_memory;
  using shared = boost::interprocess::managed_shared_ptr<Payload, segment>::type;
  using weak = boost::interprocess::managed_weak_ptr<Payload, segment>::type;
  static shared make(segment& s) {
    return boost::interprocess::make_managed_shared_ptr(
        s.construct<Payload>(boost::interprocess::anonymous_instance)(), s);
  }
};

template <class Impl>
void copy_destroy(benchmark::State& state) {
  typename Impl::segment segment(kSegment);
  // The owner lives in the segment, as a shared structure's would.
  auto* root = segment.template construct<typename Impl::shared>("root")(Impl::make(segment));
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      typename Impl::shared copy(*root);
      benchmark::DoNotOptimize(copy);
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  segment.destroy_ptr(root);
}

template <class Impl>
void weak_lock(benchmark::State& state) {
  typename Impl::segment segment(kSegment);
  typename Impl::shared owner = Impl::make(segment);
  typename Impl::weak observer(owner);
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      typename Impl::shared locked = observer.lock();
      benchmark::DoNotOptimize(locked);
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

}  // namespace

BENCHMARK(copy_destroy<Refipc>)->Name("shared_ptr_copy_destroy/refipc");
BENCHMARK(copy_destroy<Boost>)->Name("shared_ptr_copy_destroy/boost");
BENCHMARK(weak_lock<Refipc>)->Name("weak_ptr_lock/refipc");
BENCHMARK(weak_lock<Boost>)->Name("weak_ptr_lock/boost");
