// intrusive_ptr<T, VoidPointer>: a pointer to an object that counts its own
// references. The stored pointer is VoidPointer's family (offset_ptr<T> by
// default, so the intrusive_ptr can live in a segment); the counting is the
// object's, through unqualified calls (found by argument-dependent lookup) to
//   void intrusive_ptr_add_ref(T*);  void intrusive_ptr_release(T*);
// made only with a non-null pointer.
#ifndef REFIPC_SMART_PTR_INTRUSIVE_PTR_HPP_
#define REFIPC_SMART_PTR_INTRUSIVE_PTR_HPP_

#include <ostream>
#include <utility>

#include "refipc/offset_ptr.hpp"
#include "refipc/smart_ptr/pointer_to.hpp"

namespace refipc {

template <class T, class VoidPointer = offset_ptr<void>>
class intrusive_ptr {
 public:
  using pointer = smart_ptr_detail::pointer_to_t<VoidPointer, T>;
  using element_type = T;

  intrusive_ptr() noexcept : ptr_() {}

  intrusive_ptr(const pointer& p, bool add_ref = true) : ptr_(p) {  // NOLINT: implicit
    if (ptr_ && add_ref) intrusive_ptr_add_ref(smart_ptr_detail::to_raw(ptr_));
  }

  intrusive_ptr(const intrusive_ptr& other) : intrusive_ptr(other.ptr_) {}

  template <class U>
  intrusive_ptr(const intrusive_ptr<U, VoidPointer>& other)  // NOLINT: implicit
      : intrusive_ptr(pointer(smart_ptr_detail::to_raw(other.get()))) {}

  intrusive_ptr(intrusive_ptr&& other) noexcept : ptr_(other.ptr_) { other.ptr_ = pointer(); }

  intrusive_ptr& operator=(const intrusive_ptr& other) {
    intrusive_ptr(other).swap(*this);
    return *this;
  }

  template <class U>
  intrusive_ptr& operator=(const intrusive_ptr<U, VoidPointer>& other) {
    intrusive_ptr(other).swap(*this);
    return *this;
  }

  intrusive_ptr& operator=(intrusive_ptr&& other) noexcept {
    intrusive_ptr(std::move(other)).swap(*this);
    return *this;
  }

  intrusive_ptr& operator=(pointer p) {
    intrusive_ptr(p).swap(*this);
    return *this;
  }

  ~intrusive_ptr() {
    if (ptr_) intrusive_ptr_release(smart_ptr_detail::to_raw(ptr_));
  }

  pointer& get() noexcept { return ptr_; }
  const pointer& get() const noexcept { return ptr_; }
  T& operator*() const noexcept { return *ptr_; }
  const pointer& operator->() const noexcept { return ptr_; }
  pointer& operator->() noexcept { return ptr_; }
  explicit operator bool() const noexcept { return static_cast<bool>(ptr_); }
  bool operator!() const noexcept { return !ptr_; }

  // Releases the object, if any, and holds null.
  void reset() noexcept { intrusive_ptr().swap(*this); }

  void swap(intrusive_ptr& other) noexcept {
    pointer tmp = ptr_;
    ptr_ = other.ptr_;
    other.ptr_ = tmp;
  }

 private:
  pointer ptr_;
};

template <class T, class U, class VP>
bool operator==(const intrusive_ptr<T, VP>& a, const intrusive_ptr<U, VP>& b) noexcept {
  return smart_ptr_detail::to_raw(a.get()) == smart_ptr_detail::to_raw(b.get());
}

template <class T, class U, class VP>
bool operator!=(const intrusive_ptr<T, VP>& a, const intrusive_ptr<U, VP>& b) noexcept {
  return !(a == b);
}

template <class T, class VP>
bool operator==(const intrusive_ptr<T, VP>& a,
                const typename intrusive_ptr<T, VP>::pointer& b) noexcept {
  return a.get() == b;
}

template <class T, class VP>
bool operator!=(const intrusive_ptr<T, VP>& a,
                const typename intrusive_ptr<T, VP>::pointer& b) noexcept {
  return a.get() != b;
}

template <class T, class VP>
bool operator==(const typename intrusive_ptr<T, VP>::pointer& a,
                const intrusive_ptr<T, VP>& b) noexcept {
  return a == b.get();
}

template <class T, class VP>
bool operator!=(const typename intrusive_ptr<T, VP>::pointer& a,
                const intrusive_ptr<T, VP>& b) noexcept {
  return a != b.get();
}

template <class T, class VP>
bool operator<(const intrusive_ptr<T, VP>& a, const intrusive_ptr<T, VP>& b) noexcept {
  return smart_ptr_detail::to_raw(a.get()) < smart_ptr_detail::to_raw(b.get());
}

template <class T, class VP>
void swap(intrusive_ptr<T, VP>& a, intrusive_ptr<T, VP>& b) noexcept {
  a.swap(b);
}

// Writes the stored pointer as its own operator<< does.
template <class E, class Tr, class Y, class VP>
std::basic_ostream<E, Tr>& operator<<(std::basic_ostream<E, Tr>& os,
                                      const intrusive_ptr<Y, VP>& p) {
  return os << p.get();
}

template <class T, class VP>
typename intrusive_ptr<T, VP>::pointer get_pointer(intrusive_ptr<T, VP> p) noexcept {
  return p.get();
}

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_INTRUSIVE_PTR_HPP_
