#include "refipc/sync/detail/time_types.hpp"

#include <time.h>

#include <chrono>

// The Boost types are what the traits must recognise; refipc's own headers
// never include them.
#include "boost/chrono/chrono.hpp"
#include "boost/date_time/posix_time/posix_time_types.hpp"
#include "gtest/gtest.h"

namespace refipc {
namespace sync_detail {
namespace {

namespace pt = boost::posix_time;

// Seconds from now until a deadline on its own clock (negative once passed).
double seconds_left(const deadline& d) {
  timespec now;
  clock_gettime(d.realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
  return static_cast<double>(d.at.tv_sec - now.tv_sec) + (d.at.tv_nsec - now.tv_nsec) / 1e9;
}

TEST(TimeTypesTest, RecognisesEveryAcceptedTimeType) {
  static_assert(is_time_point_v<std::chrono::system_clock::time_point>);
  static_assert(is_time_point_v<std::chrono::steady_clock::time_point>);
  static_assert(is_time_point_v<boost::chrono::system_clock::time_point>);
  static_assert(is_time_point_v<boost::chrono::steady_clock::time_point>);
  static_assert(is_time_point_v<pt::ptime>);
  static_assert(is_duration_v<std::chrono::milliseconds>);
  static_assert(is_duration_v<boost::chrono::milliseconds>);
  static_assert(is_duration_v<pt::time_duration>);
  static_assert(is_duration_v<pt::milliseconds>);
  // Absolute and relative types never overlap, so overloads on both (such as
  // message_queue::timed_send) stay unambiguous.
  static_assert(!is_duration_v<pt::ptime> && !is_time_point_v<pt::time_duration>);
  static_assert(!is_duration_v<std::chrono::system_clock::time_point>);
  static_assert(!is_time_point_v<std::chrono::seconds>);
  static_assert(!is_time_point_v<int> && !is_duration_v<int> && !is_duration_v<double>);
}

TEST(TimeTypesTest, PtimeIsAWallClockDeadlineInUtc) {
  const pt::ptime at(boost::gregorian::date(2023, 11, 14), pt::time_duration(22, 13, 20, 5));
  const deadline d = make_deadline(at);
  EXPECT_TRUE(d.realtime);
  EXPECT_EQ(d.at.tv_sec, 1700000000);
  EXPECT_EQ(d.at.tv_nsec, 5000);  // 5 microseconds: ptime's default resolution
}

TEST(TimeTypesTest, PtimeFromTheManualsClockIsThatFarAhead) {
  const deadline d = make_deadline(pt::microsec_clock::universal_time() + pt::seconds(30));
  EXPECT_NEAR(seconds_left(d), 30.0, 5.0);
}

TEST(TimeTypesTest, PtimeSpecialValues) {
  EXPECT_GT(seconds_left(make_deadline(pt::ptime(pt::pos_infin))), 100.0 * 365 * 24 * 3600);
  EXPECT_LE(seconds_left(make_deadline(pt::ptime(pt::neg_infin))), 0.0);
  EXPECT_LE(seconds_left(make_deadline(pt::ptime(pt::not_a_date_time))), 0.0);
}

TEST(TimeTypesTest, BoostChronoTimePointsAndDurations) {
  EXPECT_NEAR(
      seconds_left(make_deadline(boost::chrono::steady_clock::now() + boost::chrono::seconds(20))),
      20.0, 5.0);
  EXPECT_NEAR(
      seconds_left(make_deadline(boost::chrono::system_clock::now() + boost::chrono::seconds(20))),
      20.0, 5.0);
  EXPECT_NEAR(seconds_left(deadline_after(boost::chrono::milliseconds(40000))), 40.0, 5.0);
}

TEST(TimeTypesTest, PosixDurationsWithSpecialValues) {
  EXPECT_NEAR(seconds_left(deadline_after(pt::seconds(25))), 25.0, 5.0);
  EXPECT_LE(seconds_left(deadline_after(pt::seconds(-3))), 0.0);
  EXPECT_GT(seconds_left(deadline_after(pt::time_duration(pt::pos_infin))),
            100.0 * 365 * 24 * 3600);
  EXPECT_LE(seconds_left(deadline_after(pt::time_duration(pt::not_a_date_time))), 0.0);
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
