// intrusive_ptr: the add_ref/release protocol (found by ADL, never called
// with null), conversions, comparisons, and life in a segment that moves.
#include "refipc/smart_ptr/intrusive_ptr.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace counting {

struct Base {
  int refs = 0;
  int* released_to_zero = nullptr;
};
struct Derived : Base {};

void intrusive_ptr_add_ref(Base* p) { ++p->refs; }
void intrusive_ptr_release(Base* p) {
  if (--p->refs == 0 && p->released_to_zero) ++*p->released_to_zero;
}

}  // namespace counting

namespace {

using counting::Base;
using counting::Derived;
using ptr = refipc::intrusive_ptr<Base>;

static_assert(std::is_same_v<ptr::pointer, refipc::offset_ptr<Base>>);
static_assert(std::is_same_v<refipc::intrusive_ptr<Base, void*>::pointer, Base*>);
static_assert(sizeof(ptr) == sizeof(refipc::offset_ptr<Base>));

TEST(IntrusivePtr, CountsEveryOwner) {
  int zeros = 0;
  Base obj;
  obj.released_to_zero = &zeros;
  {
    ptr a(&obj);
    EXPECT_EQ(obj.refs, 1);
    ptr b = a;
    ptr c;
    c = b;
    EXPECT_EQ(obj.refs, 3);
    ptr moved(std::move(c));
    EXPECT_FALSE(c);
    EXPECT_EQ(obj.refs, 3);
    b = ptr::pointer();  // assignment from a pointer
    EXPECT_EQ(obj.refs, 2);
  }
  EXPECT_EQ(obj.refs, 0);
  EXPECT_EQ(zeros, 1);
}

TEST(IntrusivePtr, AdoptingDoesNotAddARef) {
  Base obj;
  obj.refs = 1;
  { ptr a(&obj, false); }
  EXPECT_EQ(obj.refs, 0);
}

TEST(IntrusivePtr, ResetReleasesAndHoldsNull) {
  int zeros = 0;
  Base obj;
  obj.released_to_zero = &zeros;
  ptr a(&obj);
  ptr b = a;
  a.reset();
  EXPECT_FALSE(a);
  EXPECT_EQ(obj.refs, 1);
  b.reset();
  EXPECT_EQ(obj.refs, 0);
  EXPECT_EQ(zeros, 1);
  b.reset();  // already null: nothing to release
  EXPECT_EQ(zeros, 1);
}

TEST(IntrusivePtr, ComparesAndConverts) {
  Derived d;
  Base other;
  refipc::intrusive_ptr<Derived> pd(&d);
  ptr pb = pd;
  EXPECT_EQ(d.refs, 2);
  EXPECT_TRUE(pb == pd);
  EXPECT_TRUE(pb == ptr::pointer(&d));
  EXPECT_TRUE(ptr::pointer(&d) == pb);
  ptr po(&other);
  EXPECT_TRUE(pb != po);
  EXPECT_TRUE(pb != ptr::pointer(&other));
  EXPECT_NE(pb < po, po < pb);
  swap(pb, po);
  EXPECT_EQ(refipc::get_pointer(pb), ptr::pointer(&other));
  EXPECT_EQ(&*po, &d);
  EXPECT_TRUE(!ptr());
  std::ostringstream a, b;
  a << po;
  b << refipc::offset_ptr<Base>(&d);
  EXPECT_EQ(a.str(), b.str());
}

TEST(IntrusivePtr, LivesInASegmentThatMoves) {
  refipc::managed_heap_memory heap(64 * 1024);
  Base* obj = heap.construct<Base>("obj")();
  heap.construct<ptr>("owner")(obj);
  heap.grow(64 * 1024);
  Base* moved = heap.find<Base>("obj").first;
  ptr* owner = heap.find<ptr>("owner").first;
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(refipc::get_pointer(*owner), ptr::pointer(moved));
  EXPECT_EQ(moved->refs, 1);
  heap.destroy_ptr(owner);
  EXPECT_EQ(moved->refs, 0);
}

}  // namespace
