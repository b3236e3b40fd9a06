// unique_ptr with the segment deleter: stored pointer type, moves into
// vectors in process memory and in the segment.
#include "refipc/smart_ptr/unique_ptr.hpp"

#include <gtest/gtest.h>

#include <type_traits>
#include <utility>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

using refipc::managed_heap_memory;
using uptr = refipc::managed_unique_ptr<int, managed_heap_memory>::type;
static_assert(std::is_same_v<uptr::pointer, refipc::offset_ptr<int>>);
static_assert(!std::is_copy_constructible_v<uptr>);

TEST(UniquePtr, ResetDestroysInTheSegment) {
  managed_heap_memory heap(64 * 1024);
  const std::size_t free_at_start = heap.get_free_memory();
  uptr p =
      refipc::make_managed_unique_ptr(heap.construct<int>(refipc::anonymous_instance)(4), heap);
  EXPECT_EQ(*p, 4);
  p.reset();
  EXPECT_EQ(heap.get_free_memory(), free_at_start);
}

// refipc::allocator has the manual's construct(pointer, const T&), which
// copies; this one lets the vector move elements, as containers do.
template <class T>
struct MovingAllocator : refipc::allocator<T, managed_heap_memory::segment_manager> {
  using base = refipc::allocator<T, managed_heap_memory::segment_manager>;
  using base::base;
  template <class U>
  struct rebind {
    using other = MovingAllocator<U>;
  };
  template <class U>
  MovingAllocator(const MovingAllocator<U>& other) : base(other) {}  // NOLINT: implicit
  template <class... Args>
  void construct(T* p, Args&&... args) {
    ::new (static_cast<void*>(p)) T(std::forward<Args>(args)...);
  }
  void destroy(T* p) { p->~T(); }
};

TEST(UniquePtr, MovesIntoVectorsInProcessMemoryAndInTheSegment) {
  managed_heap_memory heap(256 * 1024);
  const std::size_t free_at_start = heap.get_free_memory();
  {
    std::vector<uptr> local;
    for (int i = 0; i < 10; ++i) {
      local.push_back(refipc::make_managed_unique_ptr(
          heap.construct<int>(refipc::anonymous_instance)(i), heap));
    }
    using seg_vector = std::vector<uptr, MovingAllocator<uptr>>;
    auto* in_segment = heap.construct<seg_vector>("v")(heap.get_segment_manager());
    for (auto& p : local) in_segment->push_back(std::move(p));
    for (const auto& p : local) EXPECT_FALSE(p);
    heap.grow(64 * 1024);  // the vector and its unique_ptrs move
    in_segment = heap.find<seg_vector>("v").first;
    ASSERT_NE(in_segment, nullptr);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(*(*in_segment)[i], i);
    heap.destroy_ptr(in_segment);
  }
  EXPECT_EQ(heap.get_free_memory(), free_at_start + 64 * 1024);
}

}  // namespace

namespace {

struct Counting {
  int* deletions;
  void operator()(int* p) const {
    ++*deletions;
    *p = -1;
  }
};

TEST(UniquePtr, ResetToTheStoredPointerDoesNothing) {
  int value = 1, deletions = 0;
  refipc::unique_ptr<int, Counting> p(&value, Counting{&deletions});
  static_assert(std::is_same_v<decltype(p)::pointer, int*>);
  p.reset(p.get());
  EXPECT_EQ(deletions, 0);
  EXPECT_EQ(*p, 1);
  p = 0;
  EXPECT_EQ(deletions, 1);
  EXPECT_TRUE(p == 0);
  EXPECT_TRUE(nullptr == p);
}

TEST(UniquePtr, AReferenceDeleterIsShared) {
  int a = 1, b = 2, deletions = 0;
  Counting d{&deletions};
  {
    refipc::unique_ptr<int, Counting&> p(&a, d);
    EXPECT_EQ(&p.get_deleter(), &d);
    refipc::unique_ptr<int, Counting&> q(std::move(p));
    EXPECT_EQ(&q.get_deleter(), &d);
    EXPECT_FALSE(p);
    q.reset(&b);
    EXPECT_EQ(deletions, 1);
  }
  EXPECT_EQ(deletions, 2);
}

struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {};
struct DeleteBase {
  void operator()(Base* p) const { delete p; }
};

TEST(UniquePtr, ConvertsBetweenRelatedTypesAndOrders) {
  refipc::unique_ptr<Derived, DeleteBase> d(new Derived, DeleteBase());
  Derived* raw = d.get();
  refipc::unique_ptr<Base, DeleteBase> b(std::move(d));
  EXPECT_EQ(b.get(), raw);
  refipc::unique_ptr<Base, DeleteBase> other(new Derived, DeleteBase());
  EXPECT_NE(b < other, other < b);
  EXPECT_EQ(b <= other, !(other < b));
  EXPECT_TRUE(b != other);
  b = std::move(other);
  EXPECT_FALSE(other);
}

}  // namespace
