// scoped_ptr<T, Deleter>: owns one object until it goes out of scope, reset()
// or release() (a rollback guard). The stored pointer is of the family of
// Deleter::pointer (offset_ptr<T> for refipc::deleter, so a scoped_ptr and
// its deleter can both live in a segment).
#ifndef REFIPC_SMART_PTR_SCOPED_PTR_HPP_
#define REFIPC_SMART_PTR_SCOPED_PTR_HPP_

#include <type_traits>
#include <utility>

#include "refipc/smart_ptr/pointer_to.hpp"

namespace refipc {

template <class T, class Deleter>
class scoped_ptr {
 public:
  using element_type = T;
  using deleter_type = Deleter;
  using pointer = smart_ptr_detail::pointer_to_t<typename Deleter::pointer, T>;
  using reference = std::add_lvalue_reference_t<T>;

  explicit scoped_ptr(const pointer& p = pointer(), const Deleter& d = Deleter())
      : ptr_(p), deleter_(d) {}
  scoped_ptr(const scoped_ptr&) = delete;
  scoped_ptr& operator=(const scoped_ptr&) = delete;

  ~scoped_ptr() {
    if (ptr_) deleter_(ptr_);
  }

  // The old object is deleted after the new pointer is stored, so a deleter
  // that reaches this scoped_ptr sees a consistent state.
  void reset(const pointer& p = pointer()) {
    pointer old = ptr_;
    ptr_ = p;
    if (old && old != p) deleter_(old);
  }

  void reset(const pointer& p, const Deleter& d) {
    reset(p);
    deleter_ = d;
  }

  pointer release() noexcept {
    pointer old = ptr_;
    ptr_ = pointer();
    return old;
  }

  reference operator*() const noexcept { return *ptr_; }
  pointer& operator->() noexcept { return ptr_; }
  const pointer& operator->() const noexcept { return ptr_; }
  pointer& get() noexcept { return ptr_; }
  const pointer& get() const noexcept { return ptr_; }
  explicit operator bool() const noexcept { return static_cast<bool>(ptr_); }
  bool operator!() const noexcept { return !ptr_; }

  void swap(scoped_ptr& other) noexcept {
    using std::swap;
    swap(ptr_, other.ptr_);
    swap(deleter_, other.deleter_);
  }

 private:
  pointer ptr_;
  Deleter deleter_;
};

template <class T, class D>
void swap(scoped_ptr<T, D>& a, scoped_ptr<T, D>& b) noexcept {
  a.swap(b);
}

template <class T, class D>
typename scoped_ptr<T, D>::pointer get_pointer(const scoped_ptr<T, D>& p) noexcept {
  return p.get();
}

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_SCOPED_PTR_HPP_
