// unique_ptr<T, D>: the manual's movable, non-copyable owner of one object.
// When D (or the type D refers to) has a pointer typedef, that is the stored
// pointer (offset_ptr<T> for refipc::deleter, so a unique_ptr can live in a
// segment and be moved into containers there); otherwise T*. D may be a
// reference to a deleter. managed_unique_ptr / make_managed_unique_ptr pair
// it with the deleter of a managed segment.
//
// It differs from std::unique_ptr where the manual says so: reset(get()) has
// no effect instead of deleting the object that stays stored.
#ifndef REFIPC_SMART_PTR_UNIQUE_PTR_HPP_
#define REFIPC_SMART_PTR_UNIQUE_PTR_HPP_

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

#include "refipc/smart_ptr/pointer_to.hpp"

namespace refipc {
namespace smart_ptr_detail {

template <class T, class D, class = void>
struct unique_pointer {
  using type = T*;
};

template <class T, class D>
struct unique_pointer<T, D, std::void_t<typename std::remove_reference_t<D>::pointer>> {
  using type = typename std::remove_reference_t<D>::pointer;
};

}  // namespace smart_ptr_detail

template <class T, class D>
class unique_ptr {
 public:
  using element_type = T;
  using deleter_type = D;
  using pointer = typename smart_ptr_detail::unique_pointer<T, D>::type;

  unique_ptr() noexcept : ptr_(), deleter_() {
    static_assert(!std::is_reference_v<D>, "a reference deleter needs a deleter argument");
  }
  unique_ptr(std::nullptr_t) noexcept : unique_ptr() {}  // NOLINT: implicit
  explicit unique_ptr(pointer p) noexcept : ptr_(p), deleter_() {
    static_assert(!std::is_reference_v<D>, "a reference deleter needs a deleter argument");
  }

  // A copy (or a move) of `d`; for a reference D, a reference to `d`.
  template <class E, class = std::enable_if_t<std::is_constructible_v<D, E&&>>>
  unique_ptr(pointer p, E&& d) noexcept : ptr_(p), deleter_(std::forward<E>(d)) {}

  unique_ptr(unique_ptr&& other) noexcept
      : ptr_(other.release()), deleter_(std::forward<D>(other.get_deleter())) {}

  template <class U, class E,
            class = std::enable_if_t<
                std::is_convertible_v<typename unique_ptr<U, E>::pointer, pointer> &&
                (std::is_reference_v<D> ? std::is_same_v<D, E> : std::is_convertible_v<E, D>)>>
  unique_ptr(unique_ptr<U, E>&& other) noexcept  // NOLINT: implicit
      : ptr_(other.release()), deleter_(std::forward<E>(other.get_deleter())) {}

  unique_ptr(const unique_ptr&) = delete;
  unique_ptr& operator=(const unique_ptr&) = delete;

  unique_ptr& operator=(unique_ptr&& other) noexcept {
    reset(other.release());
    deleter_ = std::forward<D>(other.get_deleter());
    return *this;
  }

  template <class U, class E>
  unique_ptr& operator=(unique_ptr<U, E>&& other) noexcept {
    reset(other.release());
    deleter_ = std::forward<E>(other.get_deleter());
    return *this;
  }

  // Also the assignment from a literal 0 or NULL.
  unique_ptr& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }

  ~unique_ptr() {
    if (ptr_) deleter_(ptr_);
  }

  std::add_lvalue_reference_t<T> operator*() const noexcept { return *ptr_; }
  pointer operator->() const noexcept { return ptr_; }
  pointer get() const noexcept { return ptr_; }
  std::remove_reference_t<D>& get_deleter() noexcept { return deleter_; }
  const std::remove_reference_t<D>& get_deleter() const noexcept { return deleter_; }
  explicit operator bool() const noexcept { return static_cast<bool>(ptr_); }

  pointer release() noexcept {
    pointer p = ptr_;
    ptr_ = pointer();
    return p;
  }

  // The new pointer is stored before the old object is deleted.
  void reset(pointer p = pointer()) noexcept {
    if (p == ptr_) return;
    pointer old = ptr_;
    ptr_ = p;
    if (old) deleter_(old);
  }

  void swap(unique_ptr& other) noexcept {
    using std::swap;
    swap(ptr_, other.ptr_);
    swap(deleter_, other.deleter_);
  }

 private:
  pointer ptr_;
  D deleter_;
};

template <class T, class D>
void swap(unique_ptr<T, D>& x, unique_ptr<T, D>& y) noexcept {
  x.swap(y);
}

template <class T1, class D1, class T2, class D2>
bool operator==(const unique_ptr<T1, D1>& x, const unique_ptr<T2, D2>& y) noexcept {
  return smart_ptr_detail::to_raw(x.get()) == smart_ptr_detail::to_raw(y.get());
}

template <class T1, class D1, class T2, class D2>
bool operator!=(const unique_ptr<T1, D1>& x, const unique_ptr<T2, D2>& y) noexcept {
  return !(x == y);
}

// A total order on the addresses, as std::less gives.
template <class T1, class D1, class T2, class D2>
bool operator<(const unique_ptr<T1, D1>& x, const unique_ptr<T2, D2>& y) noexcept {
  return std::less<const volatile void*>()(smart_ptr_detail::to_raw(x.get()),
                                           smart_ptr_detail::to_raw(y.get()));
}

template <class T1, class D1, class T2, class D2>
bool operator<=(const unique_ptr<T1, D1>& x, const unique_ptr<T2, D2>& y) noexcept {
  return !(y < x);
}

template <class T1, class D1, class T2, class D2>
bool operator>(const unique_ptr<T1, D1>& x, const unique_ptr<T2, D2>& y) noexcept {
  return y < x;
}

template <class T1, class D1, class T2, class D2>
bool operator>=(const unique_ptr<T1, D1>& x, const unique_ptr<T2, D2>& y) noexcept {
  return !(x < y);
}

// Null tests; a literal 0 converts to std::nullptr_t.
template <class T, class D>
bool operator==(const unique_ptr<T, D>& x, std::nullptr_t) noexcept {
  return !x;
}

template <class T, class D>
bool operator==(std::nullptr_t, const unique_ptr<T, D>& x) noexcept {
  return !x;
}

template <class T, class D>
bool operator!=(const unique_ptr<T, D>& x, std::nullptr_t) noexcept {
  return static_cast<bool>(x);
}

template <class T, class D>
bool operator!=(std::nullptr_t, const unique_ptr<T, D>& x) noexcept {
  return static_cast<bool>(x);
}

template <class T, class ManagedMemory>
struct managed_unique_ptr {
  using type = unique_ptr<T, typename ManagedMemory::template deleter<T>::type>;
};

// Takes ownership of an object constructed in `managed_memory`; destroying
// the unique_ptr destroys the object there.
template <class T, class ManagedMemory>
typename managed_unique_ptr<T, ManagedMemory>::type make_managed_unique_ptr(
    T* constructed_object, ManagedMemory& managed_memory) {
  return typename managed_unique_ptr<T, ManagedMemory>::type(
      constructed_object, managed_memory.template get_deleter<T>());
}

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_UNIQUE_PTR_HPP_
