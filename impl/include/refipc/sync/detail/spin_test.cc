#include "refipc/sync/detail/spin.hpp"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace refipc {
namespace sync_detail {
namespace {

// Each test runs in a fresh thread, so it starts from an empty history.
template <class Body>
void in_new_thread(Body body) {
  std::thread(body).join();
}

// How many times one spin on `key` polls a condition that becomes true at
// poll number `ready_at` (never if 0).
int polls(const void* key, int ready_at = 0) {
  int calls = 0;
  spin_until(key, [&] { return ++calls == ready_at; });
  return calls;
}

class Spin : public ::testing::Test {
 protected:
  void SetUp() override {
    if (spin_rounds() < 100) GTEST_SKIP() << "no spinning on a single-CPU machine";
  }
  int key_ = 0;
  int other_key_[8] = {};
};

TEST(SpinRounds, SpinsOnlyWithSeveralCpus) {
  if (std::thread::hardware_concurrency() > 1) {
    EXPECT_GT(spin_rounds(), 0);
  } else {
    EXPECT_EQ(spin_rounds(), 0);
  }
}

TEST_F(Spin, StopsAsSoonAsReady) {
  in_new_thread([&] {
    int calls = 0;
    EXPECT_TRUE(spin_until(&key_, [&] { return ++calls == 3; }));
    EXPECT_EQ(calls, 3);
  });
}

TEST_F(Spin, AFirstSpinLastsTheFullRounds) {
  in_new_thread([&] { EXPECT_EQ(polls(&key_), spin_rounds()); });
}

TEST_F(Spin, SuccessesShortenTheSpinToTwiceTheirAverage) {
  in_new_thread([&] {
    for (int i = 0; i < 40; ++i) polls(&key_, 11);  // success after 10 rounds
    const int limit = polls(&key_);
    EXPECT_GE(limit, 2 * 10 + spin_history::kMargin);
    EXPECT_LE(limit, 2 * 11 + spin_history::kMargin);
  });
}

TEST_F(Spin, SleepsAfterMissesAndProbesAtGrowingGaps) {
  in_new_thread([&] {
    std::vector<int> limits;
    for (int i = 0; i < 4000; ++i) limits.push_back(polls(&key_));
    for (int i = 0; i < spin_history::kMissesBeforeSleep; ++i) EXPECT_EQ(limits[i], spin_rounds());
    // Then only probes, each followed by a gap twice the last, up to kMaxGap.
    std::size_t at = spin_history::kMissesBeforeSleep;
    for (int gap = spin_history::kFirstGap; at < limits.size();
         gap = std::min(2 * gap, int{spin_history::kMaxGap})) {
      for (int i = 0; i < gap && at < limits.size(); ++i, ++at) {
        ASSERT_EQ(limits[at], 0) << "wait " << at;
      }
      if (at < limits.size()) {
        ASSERT_EQ(limits[at], spin_rounds()) << "probe at wait " << at;
        ++at;
      }
    }
  });
}

TEST_F(Spin, AProbeThatSucceedsEndsTheSleep) {
  in_new_thread([&] {
    for (int i = 0; i < spin_history::kMissesBeforeSleep; ++i) polls(&key_);
    for (int i = 0; i < spin_history::kFirstGap; ++i) EXPECT_EQ(polls(&key_), 0);
    EXPECT_EQ(polls(&key_, 50), 50);  // the probe
    EXPECT_GT(polls(&key_), 0);
  });
}

TEST_F(Spin, AConditionTrueAtOnceTeachesNothing) {
  in_new_thread([&] {
    for (int i = 0; i < 100; ++i) polls(&key_, 1);
    EXPECT_EQ(polls(&key_), spin_rounds());
  });
}

TEST_F(Spin, PrimitivesLearnApart) {
  in_new_thread([&] {
    for (int i = 0; i < spin_history::kMissesBeforeSleep; ++i) polls(&key_);
    EXPECT_EQ(polls(&key_), 0);
    // The next word maps to another slot of the table.
    EXPECT_EQ(polls(&other_key_[1]), spin_rounds());
  });
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
