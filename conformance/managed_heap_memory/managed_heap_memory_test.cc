// Conformance tests of basic_managed_heap_memory ("Managed Heap Memory" and
// its reference entry).
#include <cstddef>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class ManagedHeapMemory : public ipc_test::ConformanceTest {};

TEST_F(ManagedHeapMemory, CreatesASegmentOfTheRequestedSize) {
  IPC_SPEC("managed_heap_memory.create");
  ipc::managed_heap_memory heap(4096);
  EXPECT_EQ(heap.get_size(), 4096u);
  int* i = heap.construct<int>("i")(3);
  EXPECT_EQ(heap.find<int>("i").first, i);
  EXPECT_TRUE(heap.belongs_to_segment(i));
}

// The manual's example, with a linked chain of offset pointers in place of
// the list and a 4 KiB segment (SmallSegmentFillsAndGrows keeps the 1000
// bytes): fill until bad_alloc, grow, and the chain (reached again through
// its handle) keeps its contents while more room is available.
TEST_F(ManagedHeapMemory, GrowKeepsObjectsAndAddsRoom) {
  IPC_SPEC("managed_heap_memory.grow");
  struct Node {
    ipc::offset_ptr<Node> next;
    int value;
  };
  ipc::managed_heap_memory heap(4096);
  Node* head = heap.construct<Node>("head")(Node{nullptr, -1});
  ipc::managed_heap_memory::handle_t handle = heap.get_handle_from_address(head);
  auto fill = [&] {
    int count = 0;
    try {
      for (;;) {
        Node* n = heap.construct<Node>(ipc::anonymous_instance)(Node{head->next, count});
        head->next = n;
        ++count;
      }
    } catch (const ipc::bad_alloc&) {
    }
    return count;
  };
  int before = fill();
  EXPECT_GT(before, 0);
  std::size_t old_size = heap.get_size();
  ASSERT_TRUE(heap.grow(1000));
  EXPECT_EQ(heap.get_size(), old_size + 1000);
  head = static_cast<Node*>(heap.get_address_from_handle(handle));
  EXPECT_EQ(heap.find<Node>("head").first, head);
  int expected = before - 1;
  for (Node* n = head->next.get(); n; n = n->next.get()) EXPECT_EQ(n->value, expected--);
  EXPECT_EQ(expected, -1);
  EXPECT_GT(fill(), 0);
}

// The manual's example sizes: a 1000-byte segment holds a named object and
// some allocations, and growing it by 1000 bytes makes room for more.
TEST_F(ManagedHeapMemory, SmallSegmentFillsAndGrows) {
  IPC_SPEC("managed_heap_memory.small_segment");
  ipc::managed_heap_memory heap(1000);
  int* named = heap.construct<int>("MyList")(42);
  auto fill = [&] {
    int count = 0;
    try {
      for (;;) {
        heap.allocate(16);
        ++count;
      }
    } catch (const ipc::bad_alloc&) {
    }
    return count;
  };
  EXPECT_GT(fill(), 0);
  ASSERT_TRUE(heap.grow(1000));
  EXPECT_EQ(heap.get_size(), 2000u);
  named = heap.find<int>("MyList").first;
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(*named, 42);
  EXPECT_GT(fill(), 0);
}

TEST_F(ManagedHeapMemory, MoveAndSwapTransferTheSegment) {
  IPC_SPEC("managed_heap_memory.move_swap");
  ipc::managed_heap_memory a(4096);
  a.construct<int>("in_a")(1);
  ipc::managed_heap_memory moved(std::move(a));
  EXPECT_NE(moved.find<int>("in_a").first, nullptr);
  ipc::managed_heap_memory b(4096);
  b.construct<int>("in_b")(2);
  moved.swap(b);
  EXPECT_NE(moved.find<int>("in_b").first, nullptr);
  EXPECT_NE(b.find<int>("in_a").first, nullptr);
}

}  // namespace
