// A process-shared recursive mutex found by name: an interprocess_recursive_mutex in a
// named shared memory object.
#ifndef REFIPC_SYNC_NAMED_RECURSIVE_MUTEX_HPP_
#define REFIPC_SYNC_NAMED_RECURSIVE_MUTEX_HPP_

#include "refipc/creation_tags.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_mutex_base.hpp"
#include "refipc/sync/interprocess_recursive_mutex.hpp"

namespace refipc {

// Each process constructs its own named_recursive_mutex from the name; all of them use
// the same mutex, which lives until remove(name) (the name) and the last
// object using it are gone. Creation, opening, name rules and errors are
// those of sync_detail::named_object (see refipc/sync/detail/named_object.hpp):
// create_only throws already_exists_error if the name exists, open_only
// not_found_error if it does not, a malformed name invalid_argument, a too
// long one path_error, and a name held by something else corrupted_error.
//
// Locking behaves as interprocess_recursive_mutex, owner death included: when a holder
// ends without unlocking, the next lock throws owner_dead_exception holding
// the mutex; repair the data, call consistent(), unlock. Destroying a
// named_recursive_mutex while this thread holds it is undefined behaviour.
class named_recursive_mutex : public sync_detail::named_mutex_base<interprocess_recursive_mutex> {
  using base = sync_detail::named_mutex_base<interprocess_recursive_mutex>;

 public:
  named_recursive_mutex(create_only_t, const char* name, const permissions& perm = permissions())
      : base(create_only, name, kType, perm) {}
  named_recursive_mutex(open_or_create_t, const char* name, const permissions& perm = permissions())
      : base(open_or_create, name, kType, perm) {}
  named_recursive_mutex(open_only_t, const char* name) : base(open_only, name, kType) {}
  // Unmaps this process's view; the mutex and its name stay.
  ~named_recursive_mutex() = default;

  // Beyond Boost: see interprocess_recursive_mutex::consistent().
  void consistent() { mutex().consistent(); }

 private:
  static constexpr const char* kType = "named_recursive_mutex";
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_RECURSIVE_MUTEX_HPP_
