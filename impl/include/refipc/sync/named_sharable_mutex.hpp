// A process-shared mutex with exclusive and sharable ownership, found by
// name: an interprocess_sharable_mutex in a named shared memory object.
#ifndef REFIPC_SYNC_NAMED_SHARABLE_MUTEX_HPP_
#define REFIPC_SYNC_NAMED_SHARABLE_MUTEX_HPP_

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_sharable_base.hpp"
#include "refipc/sync/interprocess_sharable_mutex.hpp"

namespace refipc {

// Each process constructs its own named_sharable_mutex from the name; all of
// them use the same mutex. Creation, opening, name rules and errors are those
// of named_mutex (see refipc/sync/named_mutex.hpp). Locking behaves as
// interprocess_sharable_mutex: the death of an owner is not detected.
class named_sharable_mutex : public sync_detail::named_sharable_base<interprocess_sharable_mutex> {
  using base = sync_detail::named_sharable_base<interprocess_sharable_mutex>;

 public:
  named_sharable_mutex(create_only_t, const char* name, const permissions& perm = permissions())
      : base(create_only, name, kType, perm) {}
  named_sharable_mutex(open_or_create_t, const char* name, const permissions& perm = permissions())
      : base(open_or_create, name, kType, perm) {}
  named_sharable_mutex(open_only_t, const char* name) : base(open_only, name, kType) {}
  // Unmaps this process's view; the mutex and its name stay.
  ~named_sharable_mutex() = default;

 private:
  static constexpr const char* kType = "named_sharable_mutex";
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_SHARABLE_MUTEX_HPP_
