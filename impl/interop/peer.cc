// One side of a cross-width test (see cross_width.sh): creates, opens or
// removes a managed segment or a message queue, so that a 32-bit and a
// 64-bit build of this program can be pointed at the same name.
//   peer create|open|remove segment|queue NAME
// Exit status: 0 done; 3 refused because the creator had another pointer
// width (the error names it); 1 any other error; 2 usage.
#include <cstdio>
#include <cstring>
#include <string>

#include "refipc/exceptions.hpp"
#include "refipc/ipc/message_queue.hpp"
#include "refipc/managed_shared_memory.hpp"

namespace {

constexpr int kValue = 0x5eed;
constexpr char kMessage[] = "across";

int create(bool segment, const char* name) {
  if (segment) {
    refipc::managed_shared_memory m(refipc::create_only, name, 64 * 1024);
    m.construct<int>("value")(kValue);
  } else {
    refipc::message_queue q(refipc::create_only, name, 4, 16);
    q.send(kMessage, sizeof kMessage, 1);
  }
  return 0;
}

// Opens and reads back what create() left.
int open(bool segment, const char* name) {
  if (segment) {
    refipc::managed_shared_memory m(refipc::open_only, name);
    const auto found = m.find<int>("value");
    if (found.first == nullptr || found.second != 1 || *found.first != kValue) {
      std::fprintf(stderr, "peer: the segment opened but its object is wrong\n");
      return 1;
    }
  } else {
    refipc::message_queue q(refipc::open_only, name);
    char buffer[16] = {};
    std::size_t size = 0;
    unsigned int priority = 0;
    if (!q.try_receive(buffer, sizeof buffer, size, priority) || size != sizeof kMessage ||
        priority != 1 || std::memcmp(buffer, kMessage, size) != 0) {
      std::fprintf(stderr, "peer: the queue opened but its message is wrong\n");
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string op = argv[1];
  const bool segment = std::strcmp(argv[2], "segment") == 0;
  const char* name = argv[3];
  try {
    if (op == "create") return create(segment, name);
    if (op == "open") return open(segment, name);
    if (op == "remove") {
      segment ? refipc::shared_memory_object::remove(name) : refipc::message_queue::remove(name);
      return 0;
    }
  } catch (const refipc::interprocess_exception& e) {
    std::fprintf(stderr, "peer (%zu-bit): %s\n", 8 * sizeof(void*), e.what());
    return std::strstr(e.what(), "another pointer width") != nullptr ? 3 : 1;
  }
  return 2;
}
