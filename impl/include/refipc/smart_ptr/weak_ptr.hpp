// weak_ptr<T, VoidAllocator, Deleter>: observes an object owned by
// shared_ptrs without owning it; lock() gives an owner while one remains. It
// keeps the count block (not the object) alive, so it works across processes
// like the shared_ptr it came from.
#ifndef REFIPC_SMART_PTR_WEAK_PTR_HPP_
#define REFIPC_SMART_PTR_WEAK_PTR_HPP_

#include <functional>
#include <utility>

#include "refipc/smart_ptr/pointer_to.hpp"
#include "refipc/smart_ptr/shared_count.hpp"
#include "refipc/smart_ptr/shared_ptr.hpp"

namespace refipc {

template <class T, class VoidAllocator, class Deleter>
class weak_ptr {
  using ops = smart_ptr_detail::block_ops<VoidAllocator, Deleter>;
  using block_pointer = typename ops::block_pointer;
  using pointer = typename shared_ptr<T, VoidAllocator, Deleter>::pointer;

 public:
  using element_type = T;
  using value_type = T;

  weak_ptr() noexcept : ptr_(), block_() {}

  weak_ptr(const weak_ptr& other) noexcept : ptr_(other.ptr_), block_(other.block_) { add_weak(); }

  // Converting Y* to T* may read the object (a virtual base), so it is done
  // only while an owner keeps the object alive; an expired source gives a
  // weak_ptr that observes the same (expired) count with a null pointer.
  template <class Y>
  weak_ptr(const weak_ptr<Y, VoidAllocator, Deleter>& other) noexcept  // NOLINT: implicit
      : ptr_(), block_(other.block_) {
    add_weak();
    shared_ptr<Y, VoidAllocator, Deleter> alive = other.lock();
    if (alive) ptr_ = pointer(smart_ptr_detail::to_raw(alive.get()));
  }

  template <class Y>
  weak_ptr(const shared_ptr<Y, VoidAllocator, Deleter>& other) noexcept  // NOLINT: implicit
      : ptr_(smart_ptr_detail::to_raw(other.ptr_)), block_(other.block_) {
    add_weak();
  }

  weak_ptr(weak_ptr&& other) noexcept : ptr_(other.ptr_), block_(other.block_) {
    other.ptr_ = pointer();
    other.block_ = block_pointer();
  }

  ~weak_ptr() {
    if (block_) ops::release_weak(smart_ptr_detail::to_raw(block_));
  }

  weak_ptr& operator=(const weak_ptr& other) noexcept {
    weak_ptr(other).swap(*this);
    return *this;
  }

  weak_ptr& operator=(weak_ptr&& other) noexcept {
    weak_ptr(std::move(other)).swap(*this);
    return *this;
  }

  template <class Y>
  weak_ptr& operator=(const weak_ptr<Y, VoidAllocator, Deleter>& other) noexcept {
    weak_ptr(other).swap(*this);
    return *this;
  }

  template <class Y>
  weak_ptr& operator=(const shared_ptr<Y, VoidAllocator, Deleter>& other) noexcept {
    weak_ptr(other).swap(*this);
    return *this;
  }

  // An owner of the object, or an empty shared_ptr once it is gone.
  shared_ptr<T, VoidAllocator, Deleter> lock() const noexcept {
    if (block_ && ops::try_add_use(smart_ptr_detail::to_raw(block_))) {
      return shared_ptr<T, VoidAllocator, Deleter>(ptr_, block_);
    }
    return shared_ptr<T, VoidAllocator, Deleter>();
  }

  long use_count() const noexcept {
    return block_ ? ops::use_count(smart_ptr_detail::to_raw(block_)) : 0;
  }

  bool expired() const noexcept { return use_count() == 0; }

  void reset() noexcept { weak_ptr().swap(*this); }

  void swap(weak_ptr& other) noexcept {
    pointer p = ptr_;
    ptr_ = other.ptr_;
    other.ptr_ = p;
    block_pointer b = block_;
    block_ = other.block_;
    other.block_ = b;
  }

  template <class Other>
  bool owner_before(const Other& other) const noexcept {
    // std::less: a total order even between unrelated blocks.
    return std::less<const void*>()(owner_address(), other.owner_address());
  }

  const void* owner_address() const noexcept {
    return static_cast<const void*>(smart_ptr_detail::to_raw(block_));
  }

 private:
  template <class, class, class>
  friend class weak_ptr;
  template <class, class, class>
  friend class shared_ptr;

  void add_weak() noexcept {
    if (block_) ops::add_weak(smart_ptr_detail::to_raw(block_));
  }

  pointer ptr_;
  block_pointer block_;
};

template <class T, class A, class D, class U, class A2, class D2>
bool operator<(const weak_ptr<T, A, D>& a, const weak_ptr<U, A2, D2>& b) noexcept {
  return a.owner_before(b);
}

template <class T, class A, class D>
void swap(weak_ptr<T, A, D>& a, weak_ptr<T, A, D>& b) noexcept {
  a.swap(b);
}

template <class T, class ManagedMemory>
struct managed_weak_ptr {
  using type = weak_ptr<T, typename ManagedMemory::template allocator<void>::type,
                        typename ManagedMemory::template deleter<T>::type>;
};

// As the manual states: a weak_ptr made from a make_managed_shared_ptr
// temporary. That temporary is the only owner, so the object is destroyed
// before this returns and the weak_ptr is already expired.
template <class T, class ManagedMemory>
typename managed_weak_ptr<T, ManagedMemory>::type make_managed_weak_ptr(
    T* constructed_object, ManagedMemory& managed_memory) {
  return typename managed_weak_ptr<T, ManagedMemory>::type(
      make_managed_shared_ptr(constructed_object, managed_memory));
}

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_WEAK_PTR_HPP_
