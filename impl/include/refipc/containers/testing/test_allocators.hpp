// Allocators for the containers' unit tests: one that implements the version
// 2 allocation_command over a segment manager and counts expansions in place,
// and one that propagates on every operation and carries an identity.
#ifndef REFIPC_CONTAINERS_TESTING_TEST_ALLOCATORS_HPP_
#define REFIPC_CONTAINERS_TESTING_TEST_ALLOCATORS_HPP_

#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

#include "refipc/containers/allocation_type.hpp"
#include "refipc/containers/version_type.hpp"
#include "refipc/offset_ptr.hpp"

namespace refipc_test {

// Counts shared by every copy of a v2_allocator (they are tests' locals).
struct v2_counts {
  int expanded_in_place = 0;
  int allocated_new = 0;
};

// Version 2: allocation_command(command, limit, prefer_in_recvd_out, reuse)
// in objects, as Boost.Container calls it, forwarded to the segment manager.
template <class T, class SegmentManager>
class v2_allocator {
 public:
  using value_type = T;
  using pointer = refipc::offset_ptr<T>;
  using const_pointer = refipc::offset_ptr<const T>;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using version = refipc::version_type<v2_allocator, 2>;
  template <class U>
  struct rebind {
    using other = v2_allocator<U, SegmentManager>;
  };

  v2_allocator(SegmentManager* mgr, v2_counts* counts) : mgr_(mgr), counts_(counts) {}
  template <class U>
  v2_allocator(const v2_allocator<U, SegmentManager>& o)  // NOLINT: implicit
      : mgr_(o.mgr_), counts_(o.counts_) {}

  pointer allocate(size_type n) { return pointer(static_cast<T*>(mgr_->allocate(n * sizeof(T)))); }
  void deallocate(const pointer& p, size_type) { mgr_->deallocate(p.get()); }
  size_type max_size() const { return mgr_->get_size() / sizeof(T); }

  pointer allocation_command(refipc::allocation_type command, size_type limit_size,
                             size_type& prefer_in_recvd_out_size, pointer& reuse) {
    T* reuse_raw = reuse.get();
    T* r = mgr_->allocation_command(command, limit_size, prefer_in_recvd_out_size, reuse_raw);
    reuse = pointer(reuse_raw);
    if (r && reuse_raw) {
      ++counts_->expanded_in_place;
    } else if (r) {
      ++counts_->allocated_new;
    }
    return pointer(r);
  }

  friend bool operator==(const v2_allocator& a, const v2_allocator& b) { return a.mgr_ == b.mgr_; }
  friend bool operator!=(const v2_allocator& a, const v2_allocator& b) { return a.mgr_ != b.mgr_; }

  SegmentManager* mgr_;
  v2_counts* counts_;
};

// Propagates on copy and move assignment and on swap; allocators with
// different ids are unequal. Memory comes from operator new.
template <class T>
class tagged_allocator {
 public:
  using value_type = T;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  explicit tagged_allocator(int id) : id(id) {}
  template <class U>
  tagged_allocator(const tagged_allocator<U>& o) : id(o.id) {}  // NOLINT: implicit

  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) { std::allocator<T>().deallocate(p, n); }
  // Copies of a container get an allocator with id + 100.
  tagged_allocator select_on_container_copy_construction() const {
    return tagged_allocator(id + 100);
  }

  friend bool operator==(const tagged_allocator& a, const tagged_allocator& b) {
    return a.id == b.id;
  }
  friend bool operator!=(const tagged_allocator& a, const tagged_allocator& b) {
    return a.id != b.id;
  }

  int id;
};

// Copy construction throws once `countdown` reaches zero (when armed).
struct throwing_copy {
  static inline int countdown = -1;
  int value;
  explicit throwing_copy(int v) : value(v) {}
  throwing_copy(const throwing_copy& o) : value(o.value) {
    if (countdown == 0) throw std::runtime_error("copy");
    if (countdown > 0) --countdown;
  }
  throwing_copy& operator=(const throwing_copy&) = default;
  bool operator==(const throwing_copy& o) const { return value == o.value; }
};

}  // namespace refipc_test

#endif  // REFIPC_CONTAINERS_TESTING_TEST_ALLOCATORS_HPP_
