// Builds a valid message queue from the input's first operations, damages its
// shared bytes as the input says, then runs the queue's operations on it
// (through the handle open before the damage and through one opened after)
// and checks refipc's promise for hostile shared state (refipc/ipc/
// message_queue.hpp): every operation works or throws corrupted_error, a try_
// operation returns at once, a timed one by its deadline, and nothing crashes
// or trips a sanitizer. Blocking operations are left out: on a consistent
// queue they may wait forever by design.
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "fuzz/support/check.hpp"
#include "fuzz/support/input.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

using namespace std::chrono;
using refipc::message_queue;

using fuzz_support::Input;

// A queue name of its own for each input, removed when the input is done.
class QueueName {
 public:
  QueueName() {
    static const std::string base =
        "fuzz_mq_" + std::to_string(getpid()) + "_" + std::to_string(std::random_device{}()) + "_";
    static unsigned long counter = 0;
    name_ = base + std::to_string(counter++);
  }
  QueueName(const QueueName&) = delete;
  QueueName& operator=(const QueueName&) = delete;
  ~QueueName() { message_queue::remove(name_.c_str()); }
  const char* c_str() const { return name_.c_str(); }

 private:
  std::string name_;
};

// How long an operation may take beyond its own bound before the harness
// calls it a hang: generous, for a loaded machine under ASan and UBSan.
constexpr milliseconds kMargin{1000};
// try_ operations wait at most 20 ms for a side's mutex held by a live thread.
constexpr milliseconds kTryBound{20};

// Runs `op`, which must return within `bound` + kMargin and either return or
// throw corrupted_error. True if it reported corruption.
template <class Op>
bool run(milliseconds bound, Op op) {
  const auto start = steady_clock::now();
  bool corrupted = false;
  try {
    op();
  } catch (const refipc::interprocess_exception& e) {
    if (e.get_error_code() != refipc::corrupted_error) {
      std::fprintf(stderr, "unexpected error %d: %s\n", static_cast<int>(e.get_error_code()),
                   e.what());
    }
    FUZZ_CHECK(e.get_error_code() == refipc::corrupted_error);
    corrupted = true;
  }
  FUZZ_CHECK(steady_clock::now() - start <= bound + kMargin);
  return corrupted;
}

// One operation chosen by the input, through `mq`.
void operate(Input& in, message_queue& mq) {
  const std::size_t max_size = mq.get_max_msg_size();
  const auto priority = static_cast<unsigned int>(in.take(1) % 8);
  const milliseconds wait{in.take(1) % 4};
  std::vector<char> buffer(max_size + 1);
  const std::size_t size = max_size == 0 ? 0 : in.take(1) % (max_size + 1);
  std::size_t recvd = 0;
  unsigned int got_priority = 0;
  switch (in.take(1) % 7) {
    case 0:
      run(kTryBound, [&] { mq.try_send(buffer.data(), size, priority); });
      break;
    case 1:
      run(kTryBound, [&] {
        if (mq.try_receive(buffer.data(), max_size, recvd, got_priority)) {
          FUZZ_CHECK(recvd <= max_size);
        }
      });
      break;
    case 2:
      run(wait, [&] { mq.timed_send(buffer.data(), size, priority, wait); });
      break;
    case 3:
      run(wait, [&] {
        if (mq.timed_receive(buffer.data(), max_size, recvd, got_priority, wait)) {
          FUZZ_CHECK(recvd <= max_size);
        }
      });
      break;
    case 4:
      // Wall-clock deadlines take the other clock through every wait.
      run(wait, [&] {
        mq.timed_receive(buffer.data(), max_size, recvd, got_priority, system_clock::now() + wait);
      });
      break;
    case 5:
      run(wait, [&] { mq.timed_send(buffer.data(), size, priority, system_clock::now() + wait); });
      break;
    case 6:
      FUZZ_CHECK(mq.get_num_msg() <= mq.get_max_msg());
      break;
  }
}

// A 32-bit value worth writing over a counter, an index or a lock word.
std::uint32_t interesting(Input& in, std::uint32_t old) {
  switch (in.take(1) % 8) {
    case 0:
      return 0;
    case 1:
      return 0xffffffffu;
    case 2:
      return 0x80000000u;
    case 3:
      return 0x3fffffffu;  // a thread id that never exists
    case 4:
      return static_cast<std::uint32_t>(syscall(SYS_gettid));  // the caller
    case 5:
      return static_cast<std::uint32_t>(getppid());  // a live thread
    case 6:
      return old + static_cast<std::uint32_t>(static_cast<std::int8_t>(in.take(1)));
    default:
      return static_cast<std::uint32_t>(in.take(4));
  }
}

// Damages the queue's bytes as the input says.
void damage(Input& in, unsigned char* bytes, std::size_t size) {
  const auto count = in.take(1) % 8;
  for (std::uint64_t i = 0; i < count; ++i) {
    // Most damage in the header (the first 448 bytes), some anywhere.
    const std::uint64_t where = in.take(2);
    const std::size_t offset = (where & 0x8000) != 0 ? where % size : where % 448 % size;
    if ((in.take(1) & 1) != 0) {
      bytes[offset] ^= static_cast<unsigned char>(in.take(1) | 1);
    } else {
      const std::size_t word = offset & ~std::size_t{3};
      if (word + 4 > size) continue;
      std::uint32_t value;
      std::memcpy(&value, bytes + word, 4);
      value = interesting(in, value);
      std::memcpy(bytes + word, &value, 4);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const std::size_t max_msg = 1 + in.take(1) % 8;
  const std::size_t max_size = in.take(1) % 40;
  const QueueName name;
  message_queue mq(refipc::create_only, name.c_str(), max_msg, max_size);
  refipc::shared_memory_object shm(refipc::open_only, name.c_str(), refipc::read_write);
  refipc::mapped_region region(shm, refipc::read_write);

  // A valid state: sends and receives on the undamaged queue all work.
  std::vector<char> buffer(max_size + 1);
  std::size_t recvd = 0;
  unsigned int priority = 0;
  for (auto steps = in.take(1) % 24; steps > 0; --steps) {
    const auto step = in.take(1);
    if ((step & 1) != 0) {
      mq.try_send(buffer.data(), max_size, static_cast<unsigned int>(step >> 1) % 8);
    } else {
      mq.try_receive(buffer.data(), max_size, recvd, priority);
    }
  }

  damage(in, static_cast<unsigned char*>(region.get_address()), region.get_size());

  std::unique_ptr<message_queue> reopened;
  for (int ops = 0; ops < 32 && !in.empty(); ++ops) {
    const auto which = in.take(1);
    if ((which & 3) != 3) {
      operate(in, mq);
    } else if (reopened != nullptr) {
      operate(in, *reopened);
    } else {
      run(milliseconds(0),
          [&] { reopened = std::make_unique<message_queue>(refipc::open_only, name.c_str()); });
    }
  }
  return 0;
}
