#include "bench/support/ratio_reporter.hpp"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(RatioReporter, PairsImplementationsOfACaseWithArguments) {
  RatioReporter reporter;
  reporter.record("BM_Find/refipc/1000", 10.0);
  reporter.record("BM_Find/boost/1000", 25.0);
  reporter.record("BM_Find/baseline/1000", 5.0);
  reporter.record("BM_Find/spin_baseline/1000", 8.0);
  reporter.record("BM_Other/refipc", 3.0);
  const auto& times = reporter.times();
  ASSERT_EQ(times.size(), 2u);
  EXPECT_DOUBLE_EQ(times.at("BM_Find/1000").at("boost").at(0), 25.0);
  const auto table = reporter.ratio_table();
  EXPECT_NE(table.find("2.50x"), std::string::npos) << table;  // boost/refipc
  EXPECT_NE(table.find("2.00x"), std::string::npos) << table;  // refipc/baseline
  EXPECT_NE(table.find("1.25x"), std::string::npos) << table;  // refipc/spin_baseline
}

TEST(RatioReporter, ReportsMediansAndTheWidestSpreadOfRepetitions) {
  RatioReporter reporter;
  for (double ns : {10.0, 12.0, 11.0, 30.0, 9.0}) reporter.record("BM_Lock/refipc", ns);
  for (double ns : {20.0, 24.0, 22.0, 21.0, 23.0}) reporter.record("BM_Lock/boost", ns);
  const auto table = reporter.ratio_table();
  EXPECT_NE(table.find("11.0 (9.0-30.0)"), std::string::npos) << table;
  EXPECT_NE(table.find("22.0 (20.0-24.0)"), std::string::npos) << table;
  // 22/11, from 20/30 to 24/9.
  EXPECT_NE(table.find("2.00x (0.67-2.67)"), std::string::npos) << table;
}

TEST(RatioReporter, ReportsCpuTimeBesideWallTime) {
  RatioReporter reporter;
  reporter.record("BM_Contended/refipc", 100.0);
  reporter.record_cpu("BM_Contended/refipc", 150.0);
  reporter.record_cpu("BM_Contended/boost", 300.0);
  const auto table = reporter.ratio_table();
  EXPECT_NE(table.find("CPU time per operation"), std::string::npos) << table;
  EXPECT_NE(table.find("150.0 (150.0-150.0)"), std::string::npos) << table;
}

TEST(RatioReporter, MedianOfAnEvenCountIsTheMiddlePairsMean) {
  const Spread s = spread_of({4.0, 1.0, 3.0, 2.0});
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 4.0);
}

TEST(RatioReporter, IgnoresWhatTheLibraryAppendsToNames) {
  RatioReporter reporter;
  reporter.record("BM_Trip/refipc/one_cpu/real_time", 1.0);
  reporter.record("BM_Round/boost/iterations:50/manual_time", 1.0);
  EXPECT_EQ(reporter.times().count("BM_Trip/one_cpu"), 1u);
  EXPECT_EQ(reporter.times().count("BM_Round"), 1u);
}

TEST(RatioReporter, IgnoresNamesWithoutImplementation) {
  RatioReporter reporter;
  reporter.record("BM_Unpaired/16", 1.0);
  EXPECT_TRUE(reporter.times().empty());
}

}  // namespace
}  // namespace bench
