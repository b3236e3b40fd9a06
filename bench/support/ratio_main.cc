#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "bench/support/ratio_reporter.hpp"

namespace {

// How many times every benchmark runs, unless --benchmark_repetitions says
// otherwise: the one place that sets it for bench/run and every suite. The
// ratio table reports the median and min-max of these samples.
constexpr const char* kRepetitions = "--benchmark_repetitions=5";

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool repetitions_given = false;
  for (char* arg : args) {
    repetitions_given = repetitions_given || std::strncmp(arg, "--benchmark_repetitions", 23) == 0;
  }
  std::vector<char> default_repetitions(kRepetitions, kRepetitions + std::strlen(kRepetitions) + 1);
  if (!repetitions_given) args.insert(args.begin() + 1, default_repetitions.data());
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
