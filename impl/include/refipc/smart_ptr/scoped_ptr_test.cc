// scoped_ptr: deletion on scope exit and reset, release, swap, and a
// scoped_ptr holding refipc::deleter inside a segment.
#include "refipc/smart_ptr/scoped_ptr.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

struct Recorder {
  using pointer = int*;
  int* deleted = nullptr;
  int* count = nullptr;
  void operator()(int* p) {
    deleted = p;
    ++*count;
  }
};

using ptr = refipc::scoped_ptr<int, Recorder>;
static_assert(std::is_same_v<ptr::pointer, int*>);

TEST(ScopedPtr, DeletesOnScopeExitUnlessReleased) {
  int a = 1, b = 2, count = 0;
  {
    ptr p(&a, Recorder{nullptr, &count});
    EXPECT_TRUE(p);
    EXPECT_EQ(*p, 1);
  }
  EXPECT_EQ(count, 1);
  {
    ptr p(&b, Recorder{nullptr, &count});
    EXPECT_EQ(p.release(), &b);
    EXPECT_TRUE(!p);
  }
  EXPECT_EQ(count, 1);
}

TEST(ScopedPtr, ResetDeletesTheOldObject) {
  int a = 1, b = 2, count = 0, other_count = 0;
  ptr p(&a, Recorder{nullptr, &count});
  p.reset(&b);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(p.get(), &b);
  p.reset(&a, Recorder{nullptr, &other_count});
  EXPECT_EQ(count, 2);
  p.reset();
  EXPECT_EQ(other_count, 1);
  EXPECT_EQ(p.get(), nullptr);
}

TEST(ScopedPtr, SwapExchangesPointerAndDeleter) {
  int a = 1, b = 2, ca = 0, cb = 0;
  {
    ptr p(&a, Recorder{nullptr, &ca});
    ptr q(&b, Recorder{nullptr, &cb});
    swap(p, q);
    EXPECT_EQ(refipc::get_pointer(p), &b);
    EXPECT_EQ(q.get(), &a);
    p.reset();
    EXPECT_EQ(cb, 1);
  }
  EXPECT_EQ(ca, 1);
}

TEST(ScopedPtr, WithTheSegmentDeleterItLivesInTheSegment) {
  using deleter = refipc::managed_heap_memory::deleter<double>::type;
  using sptr = refipc::scoped_ptr<double, deleter>;
  static_assert(std::is_same_v<sptr::pointer, refipc::offset_ptr<double>>);
  refipc::managed_heap_memory heap(64 * 1024);
  heap.construct<sptr>("guard")(heap.construct<double>("value")(2.5), heap.get_deleter<double>());
  heap.grow(64 * 1024);
  sptr* guard = heap.find<sptr>("guard").first;
  ASSERT_NE(guard, nullptr);
  EXPECT_EQ(**guard, 2.5);
  heap.destroy_ptr(guard);
  EXPECT_EQ(heap.find<double>("value").first, nullptr);
}

}  // namespace
