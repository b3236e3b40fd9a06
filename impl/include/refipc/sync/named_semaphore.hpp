// A process-shared counting semaphore found by name: an
// interprocess_semaphore in a named shared memory object.
#ifndef REFIPC_SYNC_NAMED_SEMAPHORE_HPP_
#define REFIPC_SYNC_NAMED_SEMAPHORE_HPP_

#include <chrono>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/named_object.hpp"
#include "refipc/sync/detail/time_types.hpp"
#include "refipc/sync/interprocess_semaphore.hpp"

namespace refipc {

// Each process constructs its own named_semaphore from the name; all of them
// use the same count. Creation, opening, name rules and errors are those of
// named_mutex. An initial count above interprocess_semaphore::max_count
// throws sem_error and creates nothing; open_or_create ignores the count when
// the semaphore exists. Posting and waiting behave as interprocess_semaphore.
class named_semaphore {
 public:
  named_semaphore(create_only_t, const char* name, unsigned int initial_count,
                  const permissions& perm = permissions())
      : object_(create_only, name, kType, perm, initial_count) {}
  named_semaphore(open_or_create_t, const char* name, unsigned int initial_count,
                  const permissions& perm = permissions())
      : object_(open_or_create, name, kType, perm, initial_count) {}
  named_semaphore(open_only_t, const char* name) : object_(open_only, name, kType) {}
  named_semaphore(const named_semaphore&) = delete;
  named_semaphore& operator=(const named_semaphore&) = delete;
  ~named_semaphore() = default;

  void post() { object_.get().post(); }
  void wait() { object_.get().wait(); }
  bool try_wait() { return object_.get().try_wait(); }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_wait(const TimePoint& abs_time) {
    return object_.get().timed_wait(abs_time);
  }

  static bool remove(const char* name) noexcept {
    return sync_detail::named_object<interprocess_semaphore>::remove(name);
  }

 private:
  static constexpr const char* kType = "named_semaphore";
  sync_detail::named_object<interprocess_semaphore> object_;
};

}  // namespace refipc

#endif  // REFIPC_SYNC_NAMED_SEMAPHORE_HPP_
