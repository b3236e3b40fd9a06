// shared_ptr<T, VoidAllocator, Deleter>: shared ownership of an object whose
// reference count block (smart_ptr/shared_count.hpp) is allocated with
// VoidAllocator. The stored pointers are VoidAllocator::pointer's family, so
// with a segment allocator a shared_ptr can live in the segment and be copied
// and released by any process that maps it; the last owner, in whichever
// process, destroys the object with Deleter and the last reference of any
// kind frees the block.
#ifndef REFIPC_SMART_PTR_SHARED_PTR_HPP_
#define REFIPC_SMART_PTR_SHARED_PTR_HPP_

#include <functional>
#include <memory>
#include <ostream>
#include <type_traits>
#include <utility>

#include "refipc/smart_ptr/bad_weak_ptr.hpp"
#include "refipc/smart_ptr/pointer_to.hpp"
#include "refipc/smart_ptr/shared_count.hpp"

namespace refipc {

template <class T, class VoidAllocator, class Deleter>
class weak_ptr;
template <class T, class VoidAllocator, class Deleter>
class enable_shared_from_this;

template <class T, class VoidAllocator, class Deleter>
class shared_ptr {
  using ops = smart_ptr_detail::block_ops<VoidAllocator, Deleter>;
  using block_pointer = typename ops::block_pointer;
  using void_pointer = typename std::allocator_traits<VoidAllocator>::pointer;

 public:
  using element_type = T;
  using value_type = T;
  using pointer = smart_ptr_detail::pointer_to_t<void_pointer, T>;
  using reference = std::add_lvalue_reference_t<T>;
  using const_reference = std::add_lvalue_reference_t<const T>;
  using const_deleter_pointer = smart_ptr_detail::pointer_to_t<void_pointer, const Deleter>;
  using const_allocator_pointer = smart_ptr_detail::pointer_to_t<void_pointer, const VoidAllocator>;

  shared_ptr() noexcept : ptr_(), block_() {}

  // Owns `p` (a null `p` gives an empty shared_ptr). Deleter's and
  // VoidAllocator's copies must not throw; if the block's allocation throws,
  // `p` is deleted with `d` before the exception propagates.
  explicit shared_ptr(const pointer& p, const VoidAllocator& a = VoidAllocator(),
                      const Deleter& d = Deleter())
      : ptr_(p), block_() {
    if (!p) return;
    block_ = ops::create(typename ops::owned_pointer(smart_ptr_detail::to_raw(p)), a, d);
    share_with_object();
  }

  // Shares ownership with `other` but stores `p` (the casts use it).
  template <class Y>
  shared_ptr(const shared_ptr<Y, VoidAllocator, Deleter>& other, const pointer& p) noexcept
      : ptr_(p), block_(other.block_) {
    add_use();
  }

  shared_ptr(const shared_ptr& other) noexcept : ptr_(other.ptr_), block_(other.block_) {
    add_use();
  }

  template <class Y, class = std::enable_if_t<std::is_convertible_v<Y*, T*>>>
  shared_ptr(const shared_ptr<Y, VoidAllocator, Deleter>& other) noexcept  // NOLINT: implicit
      : ptr_(smart_ptr_detail::to_raw(other.ptr_)), block_(other.block_) {
    add_use();
  }

  // Throws bad_weak_ptr when the object of `other` is gone.
  template <class Y>
  explicit shared_ptr(const weak_ptr<Y, VoidAllocator, Deleter>& other) : ptr_(), block_() {
    if (!other.block_ || !ops::try_add_use(smart_ptr_detail::to_raw(other.block_))) {
      throw bad_weak_ptr();
    }
    ptr_ = pointer(smart_ptr_detail::to_raw(other.ptr_));
    block_ = other.block_;
  }

  shared_ptr(shared_ptr&& other) noexcept : ptr_(other.ptr_), block_(other.block_) {
    other.ptr_ = pointer();
    other.block_ = block_pointer();
  }

  ~shared_ptr() {
    if (block_) ops::release_use(smart_ptr_detail::to_raw(block_));
  }

  shared_ptr& operator=(const shared_ptr& other) noexcept {
    shared_ptr(other).swap(*this);
    return *this;
  }

  template <class Y>
  shared_ptr& operator=(const shared_ptr<Y, VoidAllocator, Deleter>& other) noexcept {
    shared_ptr(other).swap(*this);
    return *this;
  }

  shared_ptr& operator=(shared_ptr&& other) noexcept {
    shared_ptr(std::move(other)).swap(*this);
    return *this;
  }

  void reset() noexcept { shared_ptr().swap(*this); }

  template <class Pointer>
  void reset(const Pointer& p, const VoidAllocator& a = VoidAllocator(),
             const Deleter& d = Deleter()) {
    shared_ptr(pointer(p), a, d).swap(*this);
  }

  template <class Y>
  void reset(const shared_ptr<Y, VoidAllocator, Deleter>& other, const pointer& p) noexcept {
    shared_ptr(other, p).swap(*this);
  }

  reference operator*() const noexcept { return *ptr_; }
  pointer operator->() const noexcept { return ptr_; }
  pointer get() const noexcept { return ptr_; }
  explicit operator bool() const noexcept { return static_cast<bool>(ptr_); }
  bool operator!() const noexcept { return !ptr_; }
  bool unique() const noexcept { return use_count() == 1; }

  long use_count() const noexcept {
    return block_ ? ops::use_count(smart_ptr_detail::to_raw(block_)) : 0;
  }

  void swap(shared_ptr& other) noexcept {
    pointer p = ptr_;
    ptr_ = other.ptr_;
    other.ptr_ = p;
    block_pointer b = block_;
    block_ = other.block_;
    other.block_ = b;
  }

  // The deleter in the count block (null when empty).
  const_deleter_pointer get_deleter() const noexcept {
    return block_ ? const_deleter_pointer(&smart_ptr_detail::to_raw(block_)->deleter)
                  : const_deleter_pointer();
  }

  // Ownership order: by count block, so every pointer sharing one object is
  // equivalent whatever it stores.
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
  friend class shared_ptr;
  template <class, class, class>
  friend class weak_ptr;

  // Adopts an owner reference already counted (weak_ptr::lock).
  shared_ptr(const pointer& p, const block_pointer& b) noexcept : ptr_(p), block_(b) {}

  void add_use() noexcept {
    if (block_) ops::add_use(smart_ptr_detail::to_raw(block_));
  }

  // An object deriving from enable_shared_from_this learns its first owner.
  void share_with_object() {
    if constexpr (std::is_base_of_v<enable_shared_from_this<T, VoidAllocator, Deleter>, T>) {
      static_cast<const enable_shared_from_this<T, VoidAllocator, Deleter>&>(*ptr_).accept_owner(
          *this);
    }
  }

  pointer ptr_;
  block_pointer block_;
};

template <class T, class A, class D, class U, class A2, class D2>
bool operator==(const shared_ptr<T, A, D>& a, const shared_ptr<U, A2, D2>& b) noexcept {
  return smart_ptr_detail::to_raw(a.get()) == smart_ptr_detail::to_raw(b.get());
}

template <class T, class A, class D, class U, class A2, class D2>
bool operator!=(const shared_ptr<T, A, D>& a, const shared_ptr<U, A2, D2>& b) noexcept {
  return !(a == b);
}

// Ownership order (owner_before), as for weak_ptr.
template <class T, class A, class D, class U, class A2, class D2>
bool operator<(const shared_ptr<T, A, D>& a, const shared_ptr<U, A2, D2>& b) noexcept {
  return a.owner_before(b);
}

template <class T, class A, class D>
void swap(shared_ptr<T, A, D>& a, shared_ptr<T, A, D>& b) noexcept {
  a.swap(b);
}

template <class T, class A, class D, class U>
shared_ptr<T, A, D> static_pointer_cast(const shared_ptr<U, A, D>& r) noexcept {
  using pointer = typename shared_ptr<T, A, D>::pointer;
  return shared_ptr<T, A, D>(r, pointer(static_cast<T*>(smart_ptr_detail::to_raw(r.get()))));
}

template <class T, class A, class D, class U>
shared_ptr<T, A, D> const_pointer_cast(const shared_ptr<U, A, D>& r) noexcept {
  using pointer = typename shared_ptr<T, A, D>::pointer;
  return shared_ptr<T, A, D>(r, pointer(const_cast<T*>(smart_ptr_detail::to_raw(r.get()))));
}

// Empty when the object is not a T.
template <class T, class A, class D, class U>
shared_ptr<T, A, D> dynamic_pointer_cast(const shared_ptr<U, A, D>& r) noexcept {
  using pointer = typename shared_ptr<T, A, D>::pointer;
  T* p = dynamic_cast<T*>(smart_ptr_detail::to_raw(r.get()));
  return p ? shared_ptr<T, A, D>(r, pointer(p)) : shared_ptr<T, A, D>();
}

template <class T, class A, class D>
T* get_pointer(const shared_ptr<T, A, D>& p) noexcept {
  return smart_ptr_detail::to_raw(p.get());
}

// Writes the stored pointer as its own operator<< does.
template <class E, class Tr, class Y, class A, class D>
std::basic_ostream<E, Tr>& operator<<(std::basic_ostream<E, Tr>& os, const shared_ptr<Y, A, D>& p) {
  return os << p.get();
}

// The shared_ptr of T whose count block and deleter are in ManagedMemory.
template <class T, class ManagedMemory>
struct managed_shared_ptr {
  using void_allocator = typename ManagedMemory::template allocator<void>::type;
  using deleter = typename ManagedMemory::template deleter<T>::type;
  using type = shared_ptr<T, void_allocator, deleter>;
};

// Owns an object constructed in `managed_memory`, with the segment's
// allocator and deleter. Throws what the segment's allocation throws (after
// destroying the object).
template <class T, class ManagedMemory>
typename managed_shared_ptr<T, ManagedMemory>::type make_managed_shared_ptr(
    T* constructed_object, ManagedMemory& managed_memory) {
  return typename managed_shared_ptr<T, ManagedMemory>::type(
      constructed_object, managed_memory.template get_allocator<void>(),
      managed_memory.template get_deleter<T>());
}

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_SHARED_PTR_HPP_
