// A version 2 allocator for the containers' unit tests that counts how
// nodes are asked for (one at a time or in bursts) and given back, and can
// be made to fail: over refipc::allocator, so the memory is a segment's.
#ifndef REFIPC_CONTAINERS_TESTING_BURST_ALLOCATOR_HPP_
#define REFIPC_CONTAINERS_TESTING_BURST_ALLOCATOR_HPP_

#include <cstddef>
#include <new>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/version_type.hpp"

namespace refipc_test {

// Shared by every copy and rebound copy of a burst_allocator.
struct burst_counts {
  int one = 0;                          // allocate_one calls
  int individual = 0;                   // allocate_individual calls
  std::size_t individual_nodes = 0;     // nodes they asked for
  int released_individual = 0;          // deallocate_individual calls
  std::size_t live = 0;                 // nodes and buffers not given back
  std::size_t limit = ~std::size_t{0};  // bad_alloc when `live` would pass it
};

template <class T, class SegmentManager>
class burst_allocator {
  using base = refipc::allocator<T, SegmentManager>;

 public:
  using value_type = T;
  using pointer = typename base::pointer;
  using const_pointer = typename base::const_pointer;
  using void_pointer = typename base::void_pointer;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using multiallocation_chain = typename base::multiallocation_chain;
  using version = refipc::version_type<burst_allocator, 2>;
  template <class U>
  struct rebind {
    using other = burst_allocator<U, SegmentManager>;
  };

  burst_allocator(SegmentManager* mgr, burst_counts* counts) : mgr_(mgr), counts_(counts) {}
  template <class U>
  burst_allocator(const burst_allocator<U, SegmentManager>& o)  // NOLINT: implicit
      : mgr_(o.mgr_), counts_(o.counts_) {}

  pointer allocate(size_type n) {
    check(1);
    pointer p = base(mgr_).allocate(n);
    ++counts_->live;
    return p;
  }
  void deallocate(const pointer& p, size_type n) {
    --counts_->live;
    base(mgr_).deallocate(p, n);
  }
  size_type max_size() const { return base(mgr_).max_size(); }

  pointer allocate_one() {
    ++counts_->one;
    check(1);
    pointer p = base(mgr_).allocate_one();
    ++counts_->live;
    return p;
  }
  void deallocate_one(const pointer& p) {
    --counts_->live;
    base(mgr_).deallocate_one(p);
  }
  // All or nothing, as refipc's allocators are.
  void allocate_individual(std::size_t n, multiallocation_chain& chain) {
    ++counts_->individual;
    counts_->individual_nodes += n;
    check(n);
    base(mgr_).allocate_individual(n, chain);
    counts_->live += n;
  }
  void deallocate_individual(multiallocation_chain& chain) {
    ++counts_->released_individual;
    counts_->live -= chain.size();
    base(mgr_).deallocate_individual(chain);
  }

  friend bool operator==(const burst_allocator& a, const burst_allocator& b) {
    return a.mgr_ == b.mgr_;
  }
  friend bool operator!=(const burst_allocator& a, const burst_allocator& b) { return !(a == b); }

  SegmentManager* mgr_;
  burst_counts* counts_;

 private:
  void check(std::size_t n) const {
    if (n > counts_->limit - counts_->live) throw std::bad_alloc();
  }
};

}  // namespace refipc_test

#endif  // REFIPC_CONTAINERS_TESTING_BURST_ALLOCATOR_HPP_
