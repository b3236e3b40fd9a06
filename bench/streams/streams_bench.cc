// Formatting 1M ints into a fixed buffer in shared (anonymous, MAP_SHARED)
// memory and into a growing vector, and parsing them back. The baseline is
// what the manual's streams replace: a std::ostringstream whose text is then
// copied to the destination, and a std::istringstream built from a copy.
#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <boost/interprocess/streams/bufferstream.hpp>
#include <boost/interprocess/streams/vectorstream.hpp>
#include <cstddef>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "refipc/streams/bufferstream.hpp"
#include "refipc/streams/vectorstream.hpp"

namespace {

constexpr int kInts = 1000000;
constexpr std::size_t kBufferSize = std::size_t{kInts} * 8;  // up to 7 digits and a space

int value(int i) { return static_cast<int>(static_cast<long long>(i) * 7919 % 10000000); }

class SharedBuffer {
 public:
  SharedBuffer() {
    void* map =
        mmap(nullptr, kBufferSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) throw std::runtime_error("mmap");
    data_ = static_cast<char*>(map);
    std::memset(data_, 0, kBufferSize);
  }
  ~SharedBuffer() { munmap(data_, kBufferSize); }
  char* data() { return data_; }

 private:
  char* data_;
};

template <class Stream>
void format_ints(Stream& out) {
  for (int i = 0; i < kInts; ++i) out << value(i) << ' ';
}

template <class OBufferStream>
void format_into_buffer(benchmark::State& state) {
  SharedBuffer buffer;
  for (auto _ : state) {
    OBufferStream out(buffer.data(), kBufferSize);
    format_ints(out);
    if (!out.good()) state.SkipWithError("overflow");
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kInts);
}

void format_into_buffer_baseline(benchmark::State& state) {
  SharedBuffer buffer;
  for (auto _ : state) {
    std::ostringstream out;
    format_ints(out);
    const std::string text = out.str();
    std::memcpy(buffer.data(), text.data(), text.size());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kInts);
}

template <class OVectorStream>
void format_into_vector(benchmark::State& state) {
  for (auto _ : state) {
    OVectorStream out;
    format_ints(out);
    std::vector<char> result;
    out.swap_vector(result);
    benchmark::DoNotOptimize(result.data());
  }
  state.SetItemsProcessed(state.iterations() * kInts);
}

void format_into_vector_baseline(benchmark::State& state) {
  for (auto _ : state) {
    std::ostringstream out;
    format_ints(out);
    const std::string text = out.str();
    std::vector<char> result(text.begin(), text.end());
    benchmark::DoNotOptimize(result.data());
  }
  state.SetItemsProcessed(state.iterations() * kInts);
}

std::string formatted_text() {
  std::ostringstream out;
  format_ints(out);
  return out.str();
}

template <class IBufferStream>
void parse_buffer(benchmark::State& state) {
  SharedBuffer buffer;
  const std::string text = formatted_text();
  std::memcpy(buffer.data(), text.data(), text.size());
  for (auto _ : state) {
    IBufferStream in(buffer.data(), text.size());
    long long sum = 0;
    for (int v = 0; in >> v;) sum += v;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kInts);
}

void parse_buffer_baseline(benchmark::State& state) {
  SharedBuffer buffer;
  const std::string text = formatted_text();
  std::memcpy(buffer.data(), text.data(), text.size());
  for (auto _ : state) {
    std::istringstream in(std::string(buffer.data(), text.size()));
    long long sum = 0;
    for (int v = 0; in >> v;) sum += v;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kInts);
}

}  // namespace

BENCHMARK(format_into_buffer<refipc::obufferstream>)
    ->Name("obufferstream_1M_ints/refipc")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(format_into_buffer<boost::interprocess::obufferstream>)
    ->Name("obufferstream_1M_ints/boost")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(format_into_buffer_baseline)
    ->Name("obufferstream_1M_ints/baseline")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(format_into_vector<refipc::basic_ovectorstream<std::vector<char>>>)
    ->Name("ovectorstream_1M_ints/refipc")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(format_into_vector<boost::interprocess::basic_ovectorstream<std::vector<char>>>)
    ->Name("ovectorstream_1M_ints/boost")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(format_into_vector_baseline)
    ->Name("ovectorstream_1M_ints/baseline")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(parse_buffer<refipc::ibufferstream>)
    ->Name("ibufferstream_1M_ints/refipc")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(parse_buffer<boost::interprocess::ibufferstream>)
    ->Name("ibufferstream_1M_ints/boost")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(parse_buffer_baseline)
    ->Name("ibufferstream_1M_ints/baseline")
    ->Unit(benchmark::kMillisecond);
