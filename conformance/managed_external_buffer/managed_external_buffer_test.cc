// Conformance tests of basic_managed_external_buffer ("Managed External
// Buffer" and its reference entry).
#include <cstddef>
#include <cstring>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class ManagedExternalBuffer : public ipc_test::ConformanceTest {};

constexpr std::size_t kSize = 64 * 1024;

using Memory = std::vector<std::max_align_t>;
Memory make_memory() {
  return Memory((kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
}

TEST_F(ManagedExternalBuffer, CreatesTheSegmentInTheUserBuffer) {
  IPC_SPEC("managed_external_buffer.create");
  Memory memory = make_memory();
  ipc::managed_external_buffer buffer(ipc::create_only, memory.data(), kSize);
  EXPECT_EQ(buffer.get_address(), memory.data());
  EXPECT_EQ(buffer.get_size(), kSize);
  int* i = buffer.construct<int>("i")(5);
  const char* begin = reinterpret_cast<const char*>(memory.data());
  EXPECT_GE(reinterpret_cast<const char*>(i), begin);
  EXPECT_LT(reinterpret_cast<const char*>(i), begin + kSize);
  EXPECT_TRUE(buffer.belongs_to_segment(i));
}

// Like the manual's example: objects linked by offset pointers survive a
// byte copy of the buffer opened with open_only.
TEST_F(ManagedExternalBuffer, ByteCopyOpensWithTheSameObjects) {
  IPC_SPEC("managed_external_buffer.open_copy");
  struct Node {
    int value;
    ipc::offset_ptr<Node> next;
  };
  Memory original = make_memory();
  Memory copy = make_memory();
  {
    ipc::managed_external_buffer buffer(ipc::create_only, original.data(), kSize);
    Node* second = buffer.construct<Node>("second")(Node{2, nullptr});
    buffer.construct<Node>("first")(Node{1, second});
    std::memcpy(copy.data(), original.data(), kSize);
  }
  std::memset(original.data(), 0, kSize);
  ipc::managed_external_buffer opened(ipc::open_only, copy.data(), kSize);
  Node* first = opened.find<Node>("first").first;
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->value, 1);
  EXPECT_EQ(first->next.get(), opened.find<Node>("second").first);
  EXPECT_EQ(first->next->value, 2);
  EXPECT_TRUE(opened.destroy<Node>("second"));
}

TEST_F(ManagedExternalBuffer, MoveAndSwapTransferTheSegment) {
  IPC_SPEC("managed_external_buffer.move_swap");
  Memory a = make_memory();
  Memory b = make_memory();
  ipc::managed_external_buffer first(ipc::create_only, a.data(), kSize);
  first.construct<int>("in_a")(1);
  ipc::managed_external_buffer moved(std::move(first));
  EXPECT_EQ(moved.get_address(), a.data());
  EXPECT_NE(moved.find<int>("in_a").first, nullptr);
  ipc::managed_external_buffer other(ipc::create_only, b.data(), kSize);
  other.construct<int>("in_b")(2);
  moved.swap(other);
  EXPECT_NE(moved.find<int>("in_b").first, nullptr);
  EXPECT_NE(other.find<int>("in_a").first, nullptr);
  ipc::managed_external_buffer assigned;
  assigned = std::move(other);
  EXPECT_EQ(assigned.get_address(), a.data());
}

TEST_F(ManagedExternalBuffer, WideBufferUsesWideNames) {
  IPC_SPEC("managed_external_buffer.wide");
  Memory memory = make_memory();
  ipc::wmanaged_external_buffer buffer(ipc::create_only, memory.data(), kSize);
  buffer.reserve_named_objects(100);
  int* i = buffer.construct<int>(L"MyInt")(1);
  EXPECT_EQ(buffer.find<int>(L"MyInt").first, i);
}

}  // namespace
