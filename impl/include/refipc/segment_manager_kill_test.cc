// Kill injection on a segment in shared memory: a child loops over named
// construction, destruction, raw and anonymous allocation and is SIGKILLed
// at a random point; fresh processes then use the segment. The contract
// (docs/using-refipc.md, "Failure model: segment internals"): nobody hangs,
// and each operation either works on a segment whose check_sanity() holds,
// or throws interprocess_exception(corrupted_error), as does every later
// operation from any process. Never owner_dead_exception, never bad data.
//
// Every index (iset, iunordered_set, flat_map, map, unordered_map, null)
// over both algorithms. Short form: kDefaultRounds rounds per configuration. Long form: set
// REFIPC_KILL_ROUNDS (for example 2000); the counts are printed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <type_traits>

#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/indexes/null_index.hpp"
#include "refipc/indexes/unordered_map_index.hpp"
#include "refipc/managed_external_buffer.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/shared_memory_object.hpp"
#include "refipc/sync/mutex_family.hpp"
#include "refipc/sync/testing/child_wait.hpp"
#include "refipc/sync/testing/kill_rounds.hpp"

namespace refipc {
namespace {

constexpr int kDefaultRounds = 30;
constexpr std::size_t kControlBytes = 4096;  // the progress counter, before the segment
constexpr std::size_t kSegmentBytes = 256 * 1024;
constexpr int kNames = 8;
constexpr auto kBound = std::chrono::seconds(30);  // every wait of the test

// Exit codes of a checking process.
enum outcome { sound = 0, failed = 1, other_exception = 2, corrupted = 3, owner_dead_leaked = 4 };

const char* name_of(int k) {
  static const char* const names[kNames] = {"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7"};
  return names[k];
}

// null_index has no names: named and unique construction do not compile with
// it, so its rounds use anonymous objects and raw memory only.
template <class Managed>
struct has_names : std::true_type {};
template <class Char, class Algorithm>
struct has_names<basic_managed_external_buffer<Char, Algorithm, null_index>> : std::false_type {};

// Complete only when its constructor ran to the end.
struct Payload {
  explicit Payload(std::uint32_t id) : id(id) {
    for (std::uint32_t j = 0; j < 30; ++j) words[j] = id * 31 + j;
    check = ~id;
  }
  bool whole() const {
    for (std::uint32_t j = 0; j < 30; ++j) {
      if (words[j] != id * 31 + j) return false;
    }
    return check == ~id;
  }
  std::uint32_t id;
  std::uint32_t words[30];
  std::uint32_t check;
};

int bounded_wait(pid_t pid) {
  return testing::wait_child_for(pid,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(kBound));
}

template <class Managed>
class SegmentKill : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ =
        "refipc_kill_" + std::to_string(getpid()) + "_" + std::to_string(std::random_device{}());
    shared_memory_object shm(create_only, name_.c_str(), read_write);
    shm.truncate(kControlBytes + kSegmentBytes);
    region_ = mapped_region(shm, read_write);
  }
  void TearDown() override { shared_memory_object::remove(name_.c_str()); }

  std::atomic<std::uint64_t>& progress() {
    return *static_cast<std::atomic<std::uint64_t>*>(region_.get_address());
  }
  void* segment() { return static_cast<char*>(region_.get_address()) + kControlBytes; }

  // The victim: never returns.
  [[noreturn]] void work(std::uint32_t seed) {
    Managed m(open_only, segment(), kSegmentBytes);
    std::mt19937 rng(seed);
    void* raw[8] = {};
    for (std::uint64_t n = 0;; ++n) {
      const int k = static_cast<int>(rng() % kNames);
      switch (rng() % 4) {
        case 0:
          if constexpr (has_names<Managed>::value) {
            m.template find_or_construct<Payload>(name_of(k))(static_cast<std::uint32_t>(k));
          } else {
            m.destroy_ptr(m.template construct<Payload>(anonymous_instance)(9u));
          }
          break;
        case 1:
          if constexpr (has_names<Managed>::value) m.template destroy<Payload>(name_of(k));
          break;
        case 2: {
          void*& slot = raw[rng() % 8];
          if (slot) m.deallocate(slot);
          const std::size_t bytes = 16 + rng() % 2048;
          slot = m.allocate(bytes, std::nothrow);
          if (slot) std::memset(slot, 0x5a, bytes);
          break;
        }
        default: {
          Payload* p = m.template construct<Payload>(anonymous_instance)[3](7u);
          m.destroy_ptr(p);
          break;
        }
      }
      progress().fetch_add(1, std::memory_order_relaxed);
    }
  }

  // A fresh process's use of the segment; returns an outcome.
  int check() {
    bool seen_corrupted = false;
    bool after_corruption_worked = false;
    // Runs `op`; once corrupted_error has been seen, every later operation
    // must throw it too.
    const auto attempt = [&](auto op) {
      try {
        op();
        if (seen_corrupted) after_corruption_worked = true;
        return true;
      } catch (const interprocess_exception& e) {
        if (e.get_error_code() != corrupted_error) throw;
        seen_corrupted = true;
        return false;
      }
    };
    try {
      Managed m;
      if (!attempt([&] { m = Managed(open_only, segment(), kSegmentBytes); })) return corrupted;
      if constexpr (has_names<Managed>::value) {
        for (int k = 0; k < kNames; ++k) {
          attempt([&] {
            const auto found = m.template find<Payload>(name_of(k));
            if (found.first && (found.second != 1 || !found.first->whole() ||
                                found.first->id != static_cast<std::uint32_t>(k))) {
              std::fprintf(stderr, "object %s found damaged\n", name_of(k));
              std::_Exit(failed);
            }
          });
        }
      }
      attempt([&] {
        void* p = m.allocate(100);
        std::memset(p, 1, 100);
        m.deallocate(p);
      });
      if constexpr (has_names<Managed>::value) {
        attempt([&] {
          Payload* p = m.template construct<Payload>("checker")(99u);
          if (!p->whole() || !m.template destroy<Payload>("checker")) std::_Exit(failed);
        });
        attempt([&] {
          auto count = [&] {
            for (auto it = m.named_begin(); it != m.named_end(); ++it) {
              if (it->name_length() != 2 || it->name()[0] != 'n') std::_Exit(failed);
            }
          };
          m.atomic_func(count);
        });
      } else {
        attempt([&] {
          Payload* p = m.template construct<Payload>(anonymous_instance)[2](99u);
          if (!p[0].whole() || !p[1].whole()) std::_Exit(failed);
          m.destroy_ptr(p);
        });
        attempt([&] {
          if (m.get_num_named_objects() != 0) std::_Exit(failed);
        });
      }
      const bool sane = m.check_sanity();
      if (sane == seen_corrupted || after_corruption_worked) {
        std::fprintf(stderr, "sane %d, corrupted %d, worked after corruption %d\n", sane,
                     seen_corrupted, after_corruption_worked);
        return failed;
      }
      if (seen_corrupted) {
        // Also refused to a new opener.
        return attempt([&] { Managed again(open_only, segment(), kSegmentBytes); }) ? failed
                                                                                    : corrupted;
      }
      return sound;
    } catch (const owner_dead_exception&) {
      return owner_dead_leaked;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "unexpected exception: %s\n", e.what());
      return other_exception;
    }
  }

  // Runs check() in a child, bounded; the outcome, or -1 for a hang.
  int check_in_child() {
    const pid_t pid = fork();
    if (pid == 0) std::_Exit(check());
    const int status = bounded_wait(pid);
    if (status < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
  }

  std::string name_;
  mapped_region region_;
};

using Configurations = ::testing::Types<
    basic_managed_external_buffer<char, rbtree_best_fit<mutex_family>, iset_index>,
    basic_managed_external_buffer<char, simple_seq_fit<mutex_family>, flat_map_index>,
    basic_managed_external_buffer<char, rbtree_best_fit<mutex_family>, unordered_map_index>,
    basic_managed_external_buffer<char, rbtree_best_fit<mutex_family>, iunordered_set_index>,
    basic_managed_external_buffer<char, simple_seq_fit<mutex_family>, map_index>,
    basic_managed_external_buffer<char, rbtree_best_fit<mutex_family>, null_index>>;
TYPED_TEST_SUITE(SegmentKill, Configurations);

TYPED_TEST(SegmentKill, SurvivorsNeverHangAndSeeASaneOrCorruptedSegment) {
  std::mt19937 rng(std::random_device{}());
  int outcomes[2] = {0, 0};  // sound, corrupted
  const int total = testing::kill_rounds(kDefaultRounds);
  for (int round = 0; round < total; ++round) {
    this->progress().store(0);
    { TypeParam created(create_only, this->segment(), kSegmentBytes); }
    const std::uint32_t seed = static_cast<std::uint32_t>(rng());
    const std::uint64_t target = 1 + rng() % 3000;
    const pid_t victim = fork();
    if (victim == 0) this->work(seed);
    // Let it run `target` operations, then kill it wherever it is.
    const auto deadline = std::chrono::steady_clock::now() + kBound;
    while (this->progress().load(std::memory_order_relaxed) < target &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    kill(victim, SIGKILL);
    int status = 0;
    waitpid(victim, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "round " << round << ": the victim ended by itself, status " << status;
    ASSERT_GE(this->progress().load(), target) << "round " << round << ": the victim stalled";

    const int first = this->check_in_child();
    ASSERT_NE(first, -1) << "round " << round << ": a process using the segment hung";
    ASSERT_TRUE(first == sound || first == corrupted)
        << "round " << round << " (seed " << seed << ", " << target << " ops): outcome " << first;
    // The outcome holds for every later process.
    const int second = this->check_in_child();
    ASSERT_EQ(second, first) << "round " << round;
    ++outcomes[first == sound ? 0 : 1];
  }
  std::printf("%d rounds: %d sound (repaired or untouched), %d corrupted\n", total, outcomes[0],
              outcomes[1]);
}

}  // namespace
}  // namespace refipc
