// construct_with_allocator: the leading (allocator_arg) and trailing forms,
// types that take no allocator, and std::pair built member by member from
// every form a pair can be built from.
#include <gtest/gtest.h>

#include <memory>
#include <new>
#include <string>
#include <tuple>
#include <utility>

#include "refipc/containers/detail/uses_allocator.hpp"

namespace {

struct tag_alloc {
  using value_type = char;
  int id;
};

// Takes the allocator first, after allocator_arg.
struct leading {
  using allocator_type = tag_alloc;
  int value = 0;
  int alloc_id = -1;
  leading(std::allocator_arg_t, const tag_alloc& a, int v) : value(v), alloc_id(a.id) {}
  leading(std::allocator_arg_t, const tag_alloc& a) : alloc_id(a.id) {}
};

// Takes the allocator last.
struct trailing {
  using allocator_type = tag_alloc;
  int value = 0;
  int alloc_id = -1;
  trailing(int v, const tag_alloc& a) : value(v), alloc_id(a.id) {}
};

template <class T>
struct slot {
  alignas(T) unsigned char bytes[sizeof(T)];
  T* ptr() { return reinterpret_cast<T*>(bytes); }
  ~slot() { std::launder(ptr())->~T(); }
};

TEST(UsesAllocator, LeadingAndTrailingForms) {
  const tag_alloc a{7};
  slot<leading> l;
  refipc::containers_detail::construct_with_allocator(a, l.ptr(), 3);
  EXPECT_EQ(std::launder(l.ptr())->value, 3);
  EXPECT_EQ(std::launder(l.ptr())->alloc_id, 7);
  slot<trailing> t;
  refipc::containers_detail::construct_with_allocator(a, t.ptr(), 4);
  EXPECT_EQ(std::launder(t.ptr())->value, 4);
  EXPECT_EQ(std::launder(t.ptr())->alloc_id, 7);
  slot<std::string> s;
  refipc::containers_detail::construct_with_allocator(a, s.ptr(), 3u, 'x');
  EXPECT_EQ(*std::launder(s.ptr()), "xxx");
}

TEST(UsesAllocator, PairMembersGetTheAllocatorWhateverTheForm) {
  const tag_alloc a{9};
  using P = std::pair<const leading, trailing>;
  {
    slot<P> p;
    refipc::containers_detail::construct_with_allocator(
        a, p.ptr(), std::piecewise_construct, std::forward_as_tuple(1), std::forward_as_tuple(2));
    EXPECT_EQ(std::launder(p.ptr())->first.alloc_id, 9);
    EXPECT_EQ(std::launder(p.ptr())->second.value, 2);
    EXPECT_EQ(std::launder(p.ptr())->second.alloc_id, 9);
  }
  {
    slot<P> p;
    refipc::containers_detail::construct_with_allocator(a, p.ptr(), 5, 6);
    EXPECT_EQ(std::launder(p.ptr())->first.value, 5);
    EXPECT_EQ(std::launder(p.ptr())->second.alloc_id, 9);
  }
  {
    slot<std::pair<int, trailing>> p;
    const std::pair<int, int> from(1, 2);
    refipc::containers_detail::construct_with_allocator(a, p.ptr(), from);
    EXPECT_EQ(std::launder(p.ptr())->second.value, 2);
    EXPECT_EQ(std::launder(p.ptr())->second.alloc_id, 9);
    slot<std::pair<int, trailing>> q;
    refipc::containers_detail::construct_with_allocator(a, q.ptr(), std::pair<int, int>(3, 4));
    EXPECT_EQ(std::launder(q.ptr())->second.value, 4);
  }
  {
    slot<std::pair<int, std::string>> p;
    refipc::containers_detail::construct_with_allocator(a, p.ptr());
    EXPECT_EQ(std::launder(p.ptr())->first, 0);
    EXPECT_TRUE(std::launder(p.ptr())->second.empty());
  }
}

}  // namespace
