// enable_shared_from_this<T, A, D>: a base that lets an object owned by a
// shared_ptr<T, A, D> get a new owner of itself. It holds a weak_ptr (of the
// segment's pointer family, so it can live in the segment) that the first
// shared_ptr taking ownership fills in.
#ifndef REFIPC_SMART_PTR_ENABLE_SHARED_FROM_THIS_HPP_
#define REFIPC_SMART_PTR_ENABLE_SHARED_FROM_THIS_HPP_

#include "refipc/smart_ptr/shared_ptr.hpp"
#include "refipc/smart_ptr/weak_ptr.hpp"

namespace refipc {

template <class T, class A, class D>
class enable_shared_from_this {
 public:
  // Throw bad_weak_ptr when no shared_ptr owns the object.
  shared_ptr<T, A, D> shared_from_this() { return shared_ptr<T, A, D>(weak_this_); }
  shared_ptr<const T, A, D> shared_from_this() const {
    return shared_ptr<const T, A, D>(weak_this_);
  }

 protected:
  enable_shared_from_this() noexcept = default;
  // A copy is a new object: it does not share its source's owners.
  enable_shared_from_this(const enable_shared_from_this&) noexcept {}
  enable_shared_from_this& operator=(const enable_shared_from_this&) noexcept { return *this; }
  ~enable_shared_from_this() = default;

 private:
  friend class shared_ptr<T, A, D>;

  void accept_owner(const shared_ptr<T, A, D>& owner) const noexcept {
    if (weak_this_.expired()) weak_this_ = owner;
  }

  mutable weak_ptr<T, A, D> weak_this_;
};

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_ENABLE_SHARED_FROM_THIS_HPP_
