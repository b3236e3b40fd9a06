// construct_with_allocator: the allocator reaches elements that take one
// (first after allocator_arg, or last), pairs pass it to both members, and
// everything else is built from its arguments alone.
#include "refipc/containers/detail/uses_allocator.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/vector.hpp"
#include "refipc/managed_heap_memory.hpp"

namespace {

using refipc::containers_detail::construct_with_allocator;
using segment_manager = refipc::managed_heap_memory::segment_manager;
template <class T>
using heap_allocator = refipc::allocator<T, segment_manager>;
using heap_string = refipc::basic_string<char, std::char_traits<char>, heap_allocator<char>>;
using int_vector = refipc::vector<int, heap_allocator<int>>;

// Takes the allocator after std::allocator_arg and records which one.
struct leading {
  using allocator_type = heap_allocator<int>;
  leading(std::allocator_arg_t, const allocator_type& a, int v)
      : mgr(a.get_segment_manager()), v(v) {}
  segment_manager* mgr;
  int v;
};

template <class T>
struct slot {
  alignas(T) unsigned char bytes[sizeof(T)];
  T* get() { return reinterpret_cast<T*>(bytes); }
};

TEST(UsesAllocator, ElementsGetTheContainersAllocator) {
  refipc::managed_heap_memory heap(64 * 1024);
  heap_allocator<heap_string> strings(heap.get_segment_manager());

  slot<heap_string> s;
  construct_with_allocator(strings, s.get(), "a string long enough to be allocated");
  EXPECT_EQ(s.get()->get_allocator().get_segment_manager(), heap.get_segment_manager());
  EXPECT_TRUE(heap.belongs_to_segment(s.get()->c_str()));
  std::allocator_traits<heap_allocator<heap_string>>::destroy(strings, s.get());

  slot<leading> l;
  heap_allocator<leading> leadings(heap.get_segment_manager());
  construct_with_allocator(leadings, l.get(), 7);
  EXPECT_EQ(l.get()->mgr, heap.get_segment_manager());
  EXPECT_EQ(l.get()->v, 7);

  slot<int> i;
  heap_allocator<int> ints(heap.get_segment_manager());
  construct_with_allocator(ints, i.get(), 42);
  EXPECT_EQ(*i.get(), 42);
  EXPECT_TRUE(heap.all_memory_deallocated());
}

TEST(UsesAllocator, PairsPassItToBothMembers) {
  refipc::managed_heap_memory heap(64 * 1024);
  using value = std::pair<const heap_string, int_vector>;
  heap_allocator<value> a(heap.get_segment_manager());
  const std::string key(40, 'k');

  slot<value> from_members;
  construct_with_allocator(a, from_members.get(), key.c_str(), 3u);
  EXPECT_EQ(from_members.get()->first, key.c_str());
  EXPECT_EQ(from_members.get()->second.size(), 3u);
  EXPECT_TRUE(heap.belongs_to_segment(from_members.get()->first.c_str()));
  EXPECT_TRUE(heap.belongs_to_segment(from_members.get()->second.data()));

  slot<value> piecewise;
  construct_with_allocator(a, piecewise.get(), std::piecewise_construct,
                           std::forward_as_tuple(key.c_str()), std::forward_as_tuple(2u, 9));
  EXPECT_EQ(piecewise.get()->second, int_vector({9, 9}, a));

  slot<value> copied;
  construct_with_allocator(a, copied.get(), *piecewise.get());
  EXPECT_EQ(copied.get()->second, piecewise.get()->second);
  EXPECT_TRUE(heap.belongs_to_segment(copied.get()->second.data()));

  slot<value> empty;
  construct_with_allocator(a, empty.get());
  EXPECT_TRUE(empty.get()->first.empty());
  EXPECT_EQ(empty.get()->second.get_allocator().get_segment_manager(), heap.get_segment_manager());

  for (value* v : {from_members.get(), piecewise.get(), copied.get(), empty.get()}) v->~value();
  EXPECT_TRUE(heap.all_memory_deallocated());
}

}  // namespace
