// deleter: takes the segment's pointers, and works when stored in the
// segment itself (it holds the segment manager through a relative pointer).
// Destruction of each kind of object is checked by the conformance suite.
#include "refipc/smart_ptr/deleter.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

using refipc::managed_heap_memory;
using deleter = managed_heap_memory::deleter<double>::type;

TEST(Deleter, AStoredDeleterWorksAfterTheSegmentMoved) {
  static_assert(std::is_same_v<deleter::pointer, refipc::offset_ptr<double>>);
  static_assert(sizeof(deleter) == sizeof(refipc::offset_ptr<void>));
  managed_heap_memory heap(64 * 1024);
  heap.construct<deleter>("deleter")(heap.get_deleter<double>());
  heap.construct<double>("value")(1.5);
  heap.grow(64 * 1024);  // copies the segment to a new buffer
  deleter* d = heap.find<deleter>("deleter").first;
  ASSERT_NE(d, nullptr);
  (*d)(refipc::offset_ptr<double>(heap.find<double>("value").first));
  EXPECT_EQ(heap.find<double>("value").first, nullptr);
  EXPECT_EQ(heap.get_num_named_objects(), 1u);
}

}  // namespace
