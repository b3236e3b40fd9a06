// Pairs benchmarks measured for both implementations and reports their ratio.
//
// Benchmarks are named "<case>/refipc" and "<case>/boost" (or "/baseline" for
// a reference such as a raw futex or malloc, measured in the same run). For
// each case the table shows every implementation's time and boost/refipc and
// refipc/baseline ratios: boost/refipc > 1 means refipc is faster.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

  // case -> implementation -> nanoseconds per iteration (real time).
  const std::map<std::string, std::map<std::string, double>>& times() const { return times_; }
  void record(const std::string& benchmark_name, double nanoseconds);
  std::string ratio_table() const;

 private:
  std::map<std::string, std::map<std::string, double>> times_;
};

}  // namespace bench
