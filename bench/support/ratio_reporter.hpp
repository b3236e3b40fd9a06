// Pairs benchmarks measured for both implementations and reports their ratio.
//
// Benchmarks are named "<case>/refipc" and "<case>/boost", or "/baseline"
// and "/spin_baseline" for references such as a raw futex (sleeping at once
// or after refipc's spin) or malloc, measured in the same run. Every
// repetition of a benchmark is a sample; for each case the table shows every
// implementation's median time with the min-max of its samples, and the
// ratios boost/refipc, refipc/baseline and refipc/spin_baseline of the
// medians with the widest spread the samples allow (boost/refipc > 1 means
// refipc is faster). A benchmark whose iteration is several operations sets
// the counter "ops_per_iteration", and the table shows time per operation;
// one that sets "cpu_ns_per_op" (CPU time of every thread and process per
// operation) gets a second table.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace bench {

// Median and extremes of a benchmark's samples.
struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
};
Spread spread_of(std::vector<double> samples);

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  static constexpr const char* kCpuCounter = "cpu_ns_per_op";
  static constexpr const char* kOpsCounter = "ops_per_iteration";

  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

  // case -> implementation -> samples (nanoseconds per iteration).
  using Samples = std::map<std::string, std::map<std::string, std::vector<double>>>;
  const Samples& times() const { return times_; }
  void record(const std::string& benchmark_name, double nanoseconds);
  void record_cpu(const std::string& benchmark_name, double nanoseconds);
  std::string ratio_table() const;

 private:
  Samples times_;
  Samples cpu_;
};

}  // namespace bench
