// refipc::vector and refipc::basic_string against boost::container's, in one
// run: push_back of 1M ints into an empty vector, and appending 64K chunks of
// 16 characters to an empty string (1 MiB). Both sides use the same
// allocator, refipc::allocator (version 2, so both grow in place through
// allocation_command when they can), in the same refipc managed heap
// segment: only the containers differ.
#include <benchmark/benchmark.h>

#include <boost/container/string.hpp>
#include <boost/container/vector.hpp>
#include <cstddef>
#include <string>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/vector.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

constexpr std::size_t kSegmentSize = 64 << 20;
using segment_manager = refipc::managed_heap_memory::segment_manager;
template <class T>
using shm_allocator = refipc::allocator<T, segment_manager>;

struct Segment {
  Segment() : segment(kSegmentSize) {}
  refipc::managed_heap_memory segment;
};

struct Refipc {
  template <class T>
  using vector = refipc::vector<T, shm_allocator<T>>;
  using string = refipc::basic_string<char, std::char_traits<char>, shm_allocator<char>>;
};
struct Boost {
  template <class T>
  using vector = boost::container::vector<T, shm_allocator<T>>;
  using string = boost::container::basic_string<char, std::char_traits<char>, shm_allocator<char>>;
};

template <class Impl>
void push_back_1m_ints(benchmark::State& state) {
  Segment s;
  using vec = typename Impl::template vector<int>;
  for (auto _ : state) {
    vec* v = s.segment.construct<vec>(refipc::anonymous_instance)(s.segment.get_segment_manager());
    for (int i = 0; i < 1000000; ++i) v->push_back(i);
    benchmark::DoNotOptimize(v->data());
    s.segment.destroy_ptr(v);
  }
}

template <class Impl>
void string_append_1mib(benchmark::State& state) {
  Segment s;
  using str = typename Impl::string;
  const char chunk[] = "0123456789abcdef";
  for (auto _ : state) {
    str* v = s.segment.construct<str>(refipc::anonymous_instance)(s.segment.get_segment_manager());
    for (int i = 0; i < 65536; ++i) v->append(chunk, 16);
    benchmark::DoNotOptimize(v->c_str());
    s.segment.destroy_ptr(v);
  }
}

BENCHMARK(push_back_1m_ints<Refipc>)->Name("vector_push_back_1M_ints/refipc");
BENCHMARK(push_back_1m_ints<Boost>)->Name("vector_push_back_1M_ints/boost");
BENCHMARK(string_append_1mib<Refipc>)->Name("string_append_1MiB/refipc");
BENCHMARK(string_append_1mib<Boost>)->Name("string_append_1MiB/boost");

}  // namespace
