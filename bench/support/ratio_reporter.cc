#include "bench/support/ratio_reporter.hpp"

#include <cstdio>
#include <sstream>

namespace bench {

void RatioReporter::record(const std::string& benchmark_name, double nanoseconds) {
  // "<case>/<impl>" possibly followed by benchmark arguments ("/64"), which
  // belong to the case: the implementation is the first known component.
  static const char* const kImplementations[] = {"refipc", "boost", "baseline"};
  std::istringstream parts(benchmark_name);
  std::string part;
  std::string case_name;
  std::string impl;
  while (std::getline(parts, part, '/')) {
    bool is_impl = false;
    for (const char* known : kImplementations) is_impl = is_impl || (impl.empty() && part == known);
    if (is_impl) {
      impl = part;
    } else {
      case_name += (case_name.empty() ? "" : "/") + part;
    }
  }
  if (!impl.empty()) times_[case_name][impl] = nanoseconds;
}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  // With repetitions, the median (reported after the iterations) wins.
  for (const auto& run : runs) {
    const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
    if (run.error_occurred || (run.run_type != Run::RT_Iteration && !median)) continue;
    const double seconds_per_ns = 1e-9;
    const double ns = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit) /
                      seconds_per_ns;
    record(run.run_name.str(), ns);
  }
  ConsoleReporter::ReportRuns(runs);
}

std::string RatioReporter::ratio_table() const {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%-44s %12s %12s %12s %13s %15s\n", "case", "refipc ns",
                "boost ns", "baseline ns", "boost/refipc", "refipc/baseline");
  out << line;
  for (const auto& [case_name, by_impl] : times_) {
    const auto get = [&](const char* impl) {
      const auto found = by_impl.find(impl);
      return found == by_impl.end() ? -1.0 : found->second;
    };
    const double refipc = get("refipc");
    const double boost = get("boost");
    const double baseline = get("baseline");
    const auto cell = [](double v, const char* format) {
      char text[32];
      if (v < 0) return std::string("-");
      std::snprintf(text, sizeof text, format, v);
      return std::string(text);
    };
    std::snprintf(line, sizeof line, "%-44s %12s %12s %12s %13s %15s\n", case_name.c_str(),
                  cell(refipc, "%.1f").c_str(), cell(boost, "%.1f").c_str(),
                  cell(baseline, "%.1f").c_str(),
                  cell(refipc > 0 && boost > 0 ? boost / refipc : -1, "%.2fx").c_str(),
                  cell(refipc > 0 && baseline > 0 ? refipc / baseline : -1, "%.2fx").c_str());
    out << line;
  }
  return out.str();
}

void RatioReporter::Finalize() {
  ConsoleReporter::Finalize();
  std::printf("\n%s", ratio_table().c_str());
  std::fflush(stdout);
}

}  // namespace bench
