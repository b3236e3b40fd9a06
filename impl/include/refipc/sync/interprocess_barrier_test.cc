#include "refipc/sync/interprocess_barrier.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <thread>
#include <vector>

#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

TEST(Barrier, ZeroCountThrows) {
  try {
    barrier b(0);
    FAIL() << "barrier(0) constructed";
  } catch (const interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), other_error);
  }
}

TEST(Barrier, CountOfOneNeverWaits) {
  barrier b(1);
  EXPECT_TRUE(b.wait());
  EXPECT_TRUE(b.wait());
}

// A damaged arrival count (docs/layout.md: byte 4) is reported, not waited
// on for good. (The count itself is a const member: damaging it here would
// be undefined behaviour in the test, though not in a peer's mapping.)
TEST(Barrier, DamagedArrivalsAreReportedNotWaitedOn) {
  const struct {
    std::size_t offset;
    std::uint32_t value;
  } damage[] = {{4, 2}, {4, 3}, {4, 0xffffffffu}};
  for (const auto& d : damage) {
    alignas(barrier) unsigned char bytes[sizeof(barrier)];
    barrier* b = ::new (bytes) barrier(2);
    std::memcpy(bytes + d.offset, &d.value, sizeof d.value);
    try {
      b->wait();
      ADD_FAILURE() << "wait() returned over damage at byte " << d.offset;
    } catch (const interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), corrupted_error) << d.offset;
    }
    b->~barrier();
  }
}

TEST(Barrier, OneThreadPerRoundGetsTrueAndNobodyLeavesEarly) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 50;
  barrier b(kThreads);
  std::atomic<int> arrived[kRounds] = {};
  std::atomic<int> serial[kRounds] = {};
  std::atomic<bool> early{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int r = 0; r < kRounds; ++r) {
        ++arrived[r];
        if (b.wait()) ++serial[r];
        if (arrived[r] != kThreads) early = true;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(early);
  for (int r = 0; r < kRounds; ++r) EXPECT_EQ(serial[r], 1) << "round " << r;
}

}  // namespace
}  // namespace refipc
