// Conformance tests of managed shared memory across processes: the quick
// guide's scenarios, concurrent use of one segment, and racing
// open_or_create. Children are exec'd (spawn_role), so they map the segment
// at addresses of their own.
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSize = 256 * 1024;

class ManagedSharedMemoryMultiProcess : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, tag);
  }
};

struct Node {
  ipc::offset_ptr<Node> next;
  int value;
};

// args: name, handle. Checks the bytes the parent wrote, then frees them.
IPC_CHILD_ROLE(msm_free_by_handle) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  const auto handle = static_cast<ipc::managed_shared_memory::handle_t>(std::stoll(args.at(1)));
  auto* bytes = static_cast<unsigned char*>(segment.get_address_from_handle(handle));
  for (int i = 0; i < 1024; ++i) IPC_CHILD_CHECK_MSG(bytes[i] == (i & 0xff), "byte " << i);
  segment.deallocate(bytes);
}

TEST_F(ManagedSharedMemoryMultiProcess, RawMemoryPassedByHandleIsFreedByTheChild) {
  IPC_SPEC("managed_shared_memory.quick_guide_raw", "managed_shared_memory.handles");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  const std::size_t free_before = segment.get_free_memory();
  auto* bytes = static_cast<unsigned char*>(segment.allocate(1024));
  for (int i = 0; i < 1024; ++i) bytes[i] = static_cast<unsigned char>(i & 0xff);
  const auto handle = segment.get_handle_from_address(bytes);
  auto child = ipc_test::spawn_role("msm_free_by_handle", {n, std::to_string(handle)});
  IPC_ASSERT_CHILD_OK(child.wait());
  EXPECT_EQ(segment.get_free_memory(), free_before);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// args: name. Finds the parent's objects, checks them, destroys them.
IPC_CHILD_ROLE(msm_find_and_destroy) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  using MyType = std::pair<float, int>;
  std::pair<MyType*, std::size_t> res = segment.find<MyType>("MyType array");
  IPC_CHILD_CHECK(res.first != nullptr);
  IPC_CHILD_CHECK(res.second == 10);
  for (std::size_t i = 0; i < res.second; ++i) {
    IPC_CHILD_CHECK(res.first[i].first == 0.0f && res.first[i].second == static_cast<int>(i));
  }
  IPC_CHILD_CHECK(*segment.find<int>("MyInt").first == 42);
  IPC_CHILD_CHECK(segment.destroy<MyType>("MyType array"));
  IPC_CHILD_CHECK(segment.destroy<int>("MyInt"));
}

TEST_F(ManagedSharedMemoryMultiProcess, NamedObjectsAreFoundAndDestroyedByAnotherProcess) {
  IPC_SPEC("managed_shared_memory.quick_guide_named");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  const float floats[10] = {};
  const int ints[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const float* float_it = floats;
  const int* int_it = ints;
  segment.construct_it<std::pair<float, int>>("MyType array")[10](float_it, int_it);
  segment.construct<int>("MyInt")(42);
  auto child = ipc_test::spawn_role("msm_find_and_destroy", {n});
  IPC_ASSERT_CHILD_OK(child.wait());
  EXPECT_EQ((segment.find<std::pair<float, int>>("MyType array").first), nullptr);
  EXPECT_EQ(segment.find<int>("MyInt").first, nullptr);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// args: name, expected length. Walks the list from "head" and sums it.
IPC_CHILD_ROLE(msm_walk_list) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  Node* head = segment.find<Node>("head").first;
  IPC_CHILD_CHECK(head != nullptr);
  int expected = 0;
  for (Node* node = head; node; node = node->next.get()) {
    IPC_CHILD_CHECK(segment.belongs_to_segment(node));
    IPC_CHILD_CHECK_MSG(node->value == expected, "node " << expected << " holds " << node->value);
    ++expected;
  }
  IPC_CHILD_CHECK(expected == std::stoi(args.at(1)));
}

TEST_F(ManagedSharedMemoryMultiProcess, OffsetPtrListBuiltByOneProcessIsReadByAnother) {
  IPC_SPEC("managed_shared_memory.offset_ptr_list");
  const std::string n = name();
  constexpr int kNodes = 500;
  {
    ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
    Node* head = segment.construct<Node>("head")(Node{nullptr, 0});
    Node* tail = head;
    for (int i = 1; i < kNodes; ++i) {
      Node* node = segment.construct<Node>(ipc::anonymous_instance)(Node{nullptr, i});
      tail->next = node;
      tail = node;
    }
  }
  auto child = ipc_test::spawn_role("msm_walk_list", {n, std::to_string(kNodes)});
  IPC_EXPECT_CHILD_OK(child.wait());
}

// args: name, worker index, rounds. Constructs, finds and destroys objects
// whose names carry the worker's index, and allocates and frees raw memory.
IPC_CHILD_ROLE(msm_worker) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  const std::string prefix = "w" + args.at(1) + "_";
  const int rounds = std::stoi(args.at(2));
  std::vector<void*> raw;
  for (int r = 0; r < rounds; ++r) {
    const std::string key = prefix + std::to_string(r % 16);
    int* object = segment.find_or_construct<int>(key.c_str())[4](r);
    IPC_CHILD_CHECK(object != nullptr);
    IPC_CHILD_CHECK(segment.find<int>(key.c_str()).first == object);
    IPC_CHILD_CHECK(segment.find<int>(key.c_str()).second == 4);
    raw.push_back(segment.allocate(16 + static_cast<std::size_t>(r % 7) * 40));
    std::memset(raw.back(), r & 0xff, 16);
    if (r % 3 == 2) {
      IPC_CHILD_CHECK(segment.destroy<int>(key.c_str()));
      segment.deallocate(raw.front());
      raw.erase(raw.begin());
    }
  }
  for (void* p : raw) segment.deallocate(p);
  for (int k = 0; k < 16; ++k) segment.destroy<int>((prefix + std::to_string(k)).c_str());
}

TEST_F(ManagedSharedMemoryMultiProcess, ConcurrentProcessesLeaveTheSegmentSaneAndEmpty) {
  IPC_SPEC("managed_shared_memory.concurrent_processes");
  const std::string n = name();
  constexpr int kWorkers = 4;
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), 1024 * 1024);
  std::vector<ipc_test::Child> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.push_back(ipc_test::spawn_role("msm_worker", {n, std::to_string(w), "300"}));
  }
  for (auto& worker : workers) IPC_EXPECT_CHILD_OK(worker.wait());
  EXPECT_TRUE(segment.check_sanity());
  EXPECT_EQ(segment.get_num_named_objects(), 0u);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

// args: name, index, pipe. Waits for the start signal, then races
// open_or_create with its siblings.
IPC_CHILD_ROLE(msm_racer) {
  auto start = ipc_test::Pipe::from_arg(args.at(2));
  IPC_CHILD_CHECK(start.receive() == "go");
  ipc::managed_shared_memory segment(ipc::open_or_create, args.at(0).c_str(), kSize);
  int* counter = segment.find_or_construct<int>("counter")(0);
  auto increment = [&] { ++*counter; };
  segment.atomic_func(increment);
  segment.construct<int>(("racer" + args.at(1)).c_str())(std::stoi(args.at(1)));
}

TEST_F(ManagedSharedMemoryMultiProcess, RacingOpenOrCreateInitialisesExactlyOnce) {
  IPC_SPEC("managed_shared_memory.racing_open_or_create");
  constexpr int kRacers = 8;
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    const std::string n = name("r" + std::to_string(round));
    std::vector<ipc_test::Pipe> pipes(kRacers);
    std::vector<ipc_test::Child> racers;
    for (int r = 0; r < kRacers; ++r) {
      racers.push_back(ipc_test::spawn_role("msm_racer", {n, std::to_string(r), pipes[r].arg()}));
    }
    for (auto& pipe : pipes) pipe.send("go");
    for (auto& racer : racers) IPC_EXPECT_CHILD_OK(racer.wait());
    ipc::managed_shared_memory segment(ipc::open_only, n.c_str());
    ASSERT_NE(segment.find<int>("counter").first, nullptr);
    EXPECT_EQ(*segment.find<int>("counter").first, kRacers) << "round " << round;
    EXPECT_EQ(segment.get_num_named_objects(), static_cast<std::size_t>(kRacers + 1));
    for (int r = 0; r < kRacers; ++r) {
      int* mine = segment.find<int>(("racer" + std::to_string(r)).c_str()).first;
      ASSERT_NE(mine, nullptr);
      EXPECT_EQ(*mine, r);
    }
    EXPECT_TRUE(segment.check_sanity());
  }
}

}  // namespace
