#include "bench/support/ratio_reporter.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace bench {

namespace {

const char* const kImplementations[] = {"refipc", "boost", "baseline", "spin_baseline"};

// "<case>/<impl>" possibly followed by benchmark arguments ("/64"), which
// belong to the case: the implementation is the first known component.
bool split(const std::string& benchmark_name, std::string& case_name, std::string& impl) {
  std::istringstream parts(benchmark_name);
  std::string part;
  case_name.clear();
  impl.clear();
  while (std::getline(parts, part, '/')) {
    // Added by UseRealTime(), UseManualTime() and Iterations().
    if (part == "real_time" || part == "manual_time" || part.rfind("iterations:", 0) == 0) continue;
    bool is_impl = false;
    for (const char* known : kImplementations) is_impl = is_impl || (impl.empty() && part == known);
    if (is_impl) {
      impl = part;
    } else {
      case_name += (case_name.empty() ? "" : "/") + part;
    }
  }
  return !impl.empty();
}

std::string format(const char* format, double a, double b = 0, double c = 0) {
  char text[96];
  std::snprintf(text, sizeof text, format, a, b, c);
  return text;
}

// "median (min-max)" of one implementation, "-" if it was not measured.
std::string time_cell(const std::map<std::string, std::vector<double>>& by_impl, const char* impl) {
  const auto found = by_impl.find(impl);
  if (found == by_impl.end() || found->second.empty()) return "-";
  const Spread s = spread_of(found->second);
  return format("%.1f (%.1f-%.1f)", s.median, s.min, s.max);
}

// num/den of the medians, with the least and greatest ratio any two samples
// give.
std::string ratio_cell(const std::map<std::string, std::vector<double>>& by_impl, const char* num,
                       const char* den) {
  const auto n = by_impl.find(num);
  const auto d = by_impl.find(den);
  if (n == by_impl.end() || d == by_impl.end() || n->second.empty() || d->second.empty()) {
    return "-";
  }
  const Spread a = spread_of(n->second);
  const Spread b = spread_of(d->second);
  if (a.min <= 0 || b.min <= 0) return "-";
  return format("%.2fx (%.2f-%.2f)", a.median / b.median, a.min / b.max, a.max / b.min);
}

}  // namespace

Spread spread_of(std::vector<double> samples) {
  Spread s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  s.median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  s.min = samples.front();
  s.max = samples.back();
  return s;
}

void RatioReporter::record(const std::string& benchmark_name, double nanoseconds) {
  std::string case_name, impl;
  if (split(benchmark_name, case_name, impl)) times_[case_name][impl].push_back(nanoseconds);
}

void RatioReporter::record_cpu(const std::string& benchmark_name, double nanoseconds) {
  std::string case_name, impl;
  if (split(benchmark_name, case_name, impl)) cpu_[case_name][impl].push_back(nanoseconds);
}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  // Each repetition is a sample; the library's aggregates are only shown.
  for (const auto& run : runs) {
    if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
    double ns = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit) * 1e9;
    const auto ops = run.counters.find(kOpsCounter);
    if (ops != run.counters.end() && ops->second.value > 0) ns /= ops->second.value;
    record(run.run_name.str(), ns);
    const auto cpu = run.counters.find(kCpuCounter);
    if (cpu != run.counters.end()) record_cpu(run.run_name.str(), cpu->second.value);
  }
  ConsoleReporter::ReportRuns(runs);
}

std::string RatioReporter::ratio_table() const {
  std::ostringstream out;
  char line[512];
  const char* const kRow = "%-44s %26s %26s %26s %26s %22s %22s %22s\n";
  std::snprintf(line, sizeof line, kRow, "case", "refipc ns", "boost ns", "baseline ns",
                "spin_baseline ns", "boost/refipc", "refipc/baseline", "refipc/spin_baseline");
  out << line;
  for (const auto& [case_name, by_impl] : times_) {
    std::snprintf(line, sizeof line, kRow, case_name.c_str(), time_cell(by_impl, "refipc").c_str(),
                  time_cell(by_impl, "boost").c_str(), time_cell(by_impl, "baseline").c_str(),
                  time_cell(by_impl, "spin_baseline").c_str(),
                  ratio_cell(by_impl, "boost", "refipc").c_str(),
                  ratio_cell(by_impl, "refipc", "baseline").c_str(),
                  ratio_cell(by_impl, "refipc", "spin_baseline").c_str());
    out << line;
  }
  if (!cpu_.empty()) {
    const char* const kCpuRow = "%-44s %26s %26s %22s\n";
    std::snprintf(line, sizeof line, kCpuRow, "case (CPU time per operation)", "refipc cpu ns",
                  "boost cpu ns", "boost/refipc");
    out << "\n" << line;
    for (const auto& [case_name, by_impl] : cpu_) {
      std::snprintf(line, sizeof line, kCpuRow, case_name.c_str(),
                    time_cell(by_impl, "refipc").c_str(), time_cell(by_impl, "boost").c_str(),
                    ratio_cell(by_impl, "boost", "refipc").c_str());
      out << line;
    }
  }
  out << "(median over the repetitions, min-max in parentheses)\n";
  return out.str();
}

void RatioReporter::Finalize() {
  ConsoleReporter::Finalize();
  std::printf("\n%s", ratio_table().c_str());
  std::fflush(stdout);
}

}  // namespace bench
