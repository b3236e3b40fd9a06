// The ownership bookkeeping shared by scoped_lock, sharable_lock and
// upgradable_lock. Not part of the API.
#ifndef REFIPC_SYNC_DETAIL_LOCK_BASE_HPP_
#define REFIPC_SYNC_DETAIL_LOCK_BASE_HPP_

#include <utility>

#include "refipc/exceptions.hpp"

namespace refipc {
namespace sync_detail {

// How each kind of lock gives its ownership back. Member templates, so that
// a mutex needs only the operations that are used.
struct exclusive_ownership {
  template <class Mutex>
  static void unlock(Mutex& m) {
    m.unlock();
  }
};
struct sharable_ownership {
  template <class Mutex>
  static void unlock(Mutex& m) {
    m.unlock_sharable();
  }
};
struct upgradable_ownership {
  template <class Mutex>
  static void unlock(Mutex& m) {
    m.unlock_upgradable();
  }
};

// A pointer to the mutex and whether the lock owns it, with the members
// that do not depend on the kind of ownership. The destructor, and a move
// assignment over an owning lock, unlock an owned mutex.
template <class Mutex, class Ownership>
class lock_base {
 public:
  using mutex_type = Mutex;

  lock_base(const lock_base&) = delete;
  lock_base& operator=(const lock_base&) = delete;

  // lock_exception when there is no mutex or it is not owned.
  void unlock() {
    if (mutex_ == nullptr || !owns_) throw lock_exception();
    Ownership::unlock(*mutex_);
    owns_ = false;
  }

  bool owns() const noexcept { return owns_; }
  explicit operator bool() const noexcept { return owns_; }
  mutex_type* mutex() const noexcept { return mutex_; }
  // Forgets the mutex without unlocking it.
  mutex_type* release() noexcept {
    owns_ = false;
    return std::exchange(mutex_, nullptr);
  }
  void swap(lock_base& other) noexcept {
    std::swap(mutex_, other.mutex_);
    std::swap(owns_, other.owns_);
  }

 protected:
  lock_base() noexcept = default;
  lock_base(mutex_type* m, bool owns) noexcept : mutex_(m), owns_(owns) {}
  lock_base(lock_base&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)), owns_(std::exchange(other.owns_, false)) {}
  lock_base& operator=(lock_base&& other) {
    if (this != &other) {
      if (owns_) Ownership::unlock(*mutex_);
      mutex_ = std::exchange(other.mutex_, nullptr);
      owns_ = std::exchange(other.owns_, false);
    }
    return *this;
  }
  ~lock_base() {
    if (owns_) Ownership::unlock(*mutex_);
  }

  // lock_exception when there is no mutex or it is already owned.
  void check_can_lock() const {
    if (mutex_ == nullptr || owns_) throw lock_exception();
  }

  // Transfers from another kind of lock: an owning source is taken over
  // once `convert` has changed the ownership of the mutex (if it throws,
  // the source keeps it); one that does not own hands over its mutex.
  template <class Source, class Convert>
  void take(Source& source, Convert convert) {
    if (source.owns()) {
      convert();
      owns_ = true;
    }
    mutex_ = source.release();
  }
  // As take(), for a conversion that may fail: then the source keeps its
  // ownership and this lock stays empty.
  template <class Source, class Convert>
  void take_if(Source& source, Convert convert) {
    if (source.owns()) {
      if (!convert()) return;
      owns_ = true;
    }
    mutex_ = source.release();
  }

  mutex_type* mutex_ = nullptr;
  bool owns_ = false;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_LOCK_BASE_HPP_
