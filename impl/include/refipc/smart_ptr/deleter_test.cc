// deleter: destroys named, unique and anonymous objects through the segment
// manager, from a segment's get_deleter().
#include "refipc/smart_ptr/deleter.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

using refipc::managed_heap_memory;

struct Counted {
  static int live;
  Counted() { ++live; }
  ~Counted() { --live; }
};
int Counted::live = 0;

TEST(Deleter, DestroysEveryKindOfObject) {
  managed_heap_memory heap(64 * 1024);
  using deleter = managed_heap_memory::deleter<Counted>::type;
  static_assert(std::is_same_v<deleter::pointer, refipc::offset_ptr<Counted>>);
  deleter d = heap.get_deleter<Counted>();
  Counted* named = heap.construct<Counted>("named")();
  Counted* unique = heap.construct<Counted>(refipc::unique_instance)();
  Counted* anonymous = heap.construct<Counted>(refipc::anonymous_instance)();
  EXPECT_EQ(Counted::live, 3);
  d(named);
  d(refipc::offset_ptr<Counted>(unique));
  d(anonymous);
  EXPECT_EQ(Counted::live, 0);
  EXPECT_EQ(heap.find<Counted>("named").first, nullptr);
  EXPECT_EQ(heap.get_num_named_objects(), 0u);
  EXPECT_EQ(heap.get_num_unique_objects(), 0u);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

}  // namespace
