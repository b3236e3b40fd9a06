// The bytes the containers leave in a managed segment with
// refipc::allocator (offset_ptr links, 8 bytes each), as docs/layout.md
// lists them: sizes and offsets are asserted here, for the node bases and
// for the container objects themselves.
#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/flat_map.hpp"
#include "refipc/containers/flat_set.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/containers/slist.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

namespace cd = refipc::containers_detail;
using void_ptr = refipc::offset_ptr<void>;
using manager = refipc::managed_shared_memory::segment_manager;
template <class T>
using alloc = refipc::allocator<T, manager>;

// The nodes derive from their link bases, so they are not standard-layout and
// offsetof on them is conditionally-supported; gcc and clang support it (the
// Itanium C++ ABI fixes the layout), and -Winvalid-offsetof says so.
#pragma GCC diagnostic ignored "-Winvalid-offsetof"

using rb_base = cd::rb_node_base<void_ptr>;
using rb_int = cd::rb_node<int, void_ptr>;
using rb_double = cd::rb_node<double, void_ptr>;
using list_int = cd::list_node<int, void_ptr>;
using slist_int = cd::slist_node<int, void_ptr>;
static_assert(sizeof(rb_base) == 32);
static_assert(offsetof(rb_base, parent_) == 0);
static_assert(offsetof(rb_base, left_) == 8);
static_assert(offsetof(rb_base, right_) == 16);
static_assert(offsetof(rb_base, red_) == 24);
static_assert(offsetof(rb_base, header_) == 25);
// The value follows the links, at its own alignment.
static_assert(sizeof(rb_int) == 32);
static_assert(offsetof(rb_int, storage) == 28);
static_assert(offsetof(rb_double, storage) == 32);

using list_base = cd::list_node_base<void_ptr>;
static_assert(sizeof(list_base) == 16);
static_assert(offsetof(list_base, next_) == 0);
static_assert(offsetof(list_base, prev_) == 8);
static_assert(offsetof(list_int, storage) == 16);

using slist_base = cd::slist_node_base<void_ptr>;
static_assert(sizeof(slist_base) == 8);
static_assert(offsetof(slist_int, storage) == 8);

// Container objects: allocator (the segment manager's offset_ptr), then the
// header node, then the size (and the comparator, empty, where it applies).
static_assert(sizeof(refipc::list<int, alloc<int>>) == 8 + 16 + 8);
static_assert(sizeof(refipc::slist<int, alloc<int>>) == 8 + 8 + 8 + 8);
static_assert(sizeof(refipc::map<int, int, std::less<int>, alloc<std::pair<const int, int>>>) ==
              8 + 8 + 32 + 8);
static_assert(sizeof(refipc::set<int, std::less<int>, alloc<int>>) == 56);
// flat: allocator, buffer pointer, size, capacity, comparator (padded).
static_assert(sizeof(refipc::flat_map<int, int, std::less<int>, alloc<std::pair<int, int>>>) ==
              8 + 8 + 8 + 8 + 8);
static_assert(sizeof(refipc::flat_set<int, std::less<int>, alloc<int>>) == 40);

TEST(ContainersLayout, HeaderLinksAreRelativeToTheirOwnAddress) {
  // An empty tree's header points to itself: offset 0, not the null offset.
  refipc::map<int, int> m;
  EXPECT_EQ(m.begin(), m.end());
  refipc::map<int, int> moved(std::move(m));
  EXPECT_EQ(moved.begin(), moved.end());
  EXPECT_TRUE(moved.check_invariants());
  EXPECT_TRUE(m.check_invariants());
}

}  // namespace
