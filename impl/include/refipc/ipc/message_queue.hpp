// A named, bounded queue of prioritised messages shared between processes.
#ifndef REFIPC_IPC_MESSAGE_QUEUE_HPP_
#define REFIPC_IPC_MESSAGE_QUEUE_HPP_

#include <chrono>
#include <cstddef>
#include <memory>
#include <type_traits>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/interprocess_fwd.hpp"
#include "refipc/ipc/queue_core.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/futex.hpp"
#include "refipc/sync/detail/time_types.hpp"

namespace refipc {

// The queue lives in a shared memory object of the same name (so remove()
// is shared_memory_object::remove()); on Windows, in a file of the same name
// in the directory of refipc's named primitives (%TEMP%\refipc-named), whose
// names follow the named primitives' rules. It holds at most get_max_msg()
// messages of at most get_max_msg_size() bytes each, zero included. A
// receive returns the oldest message of the highest priority present.
//
// Errors: a message larger than get_max_msg_size(), or a receive buffer
// smaller than it, throws interprocess_exception with size_error before
// anything else happens. Creating a queue too large to address throws
// size_error too.
//
// Timed operations take std::chrono time points: a system_clock deadline
// follows the wall clock, a steady_clock one is not affected when the wall
// clock is set. Beyond Boost they also take a duration (a steady deadline
// that far from now).
//
// Beyond Boost: a process that dies (even by SIGKILL) in the middle of any
// operation leaves the queue usable; its message either was fully sent or
// never was, and a message is received once. Opening a queue whose creator
// died before finishing throws corrupted_error at once; an opener waits at
// most about ten seconds for a creator that is still initialising, then
// throws corrupted_error.
//
// Beyond Boost: the queue's shared bytes are untrusted. A queue found
// damaged (by a stray or hostile write) throws interprocess_exception with
// corrupted_error; try_send/try_receive wait at most 20 ms for a peer in the
// middle of an operation and never sleep on a damaged lock; the timed forms
// return by their deadline whatever the bytes hold.
//
// VoidPointer only sets size_type, as in Boost: the shared layout uses
// offsets and indices, never pointers.
template <class VoidPointer>
class message_queue_t {
 public:
  using void_pointer = VoidPointer;
  using difference_type = typename std::pointer_traits<VoidPointer>::difference_type;
  using size_type = std::make_unsigned_t<difference_type>;

  message_queue_t(create_only_t, const char* name, size_type max_num_msg, size_type max_msg_size,
                  const permissions& perm = permissions())
      : core_(create_only, name, max_num_msg, max_msg_size, perm) {}
  // When the queue exists, max_num_msg and max_msg_size are ignored.
  message_queue_t(open_or_create_t, const char* name, size_type max_num_msg, size_type max_msg_size,
                  const permissions& perm = permissions())
      : core_(open_or_create, name, max_num_msg, max_msg_size, perm) {}
  message_queue_t(open_only_t, const char* name) : core_(open_only, name) {}
  message_queue_t(const message_queue_t&) = delete;
  message_queue_t& operator=(const message_queue_t&) = delete;
  // Unmaps the queue; it and its messages stay until remove().
  ~message_queue_t() = default;

  void send(const void* buffer, size_type buffer_size, unsigned int priority) {
    core_.send(buffer, buffer_size, priority, nullptr, false);
  }
  bool try_send(const void* buffer, size_type buffer_size, unsigned int priority) {
    return core_.send(buffer, buffer_size, priority, nullptr, true);
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_send(const void* buffer, size_type buffer_size, unsigned int priority,
                  const TimePoint& abs_time) {
    const auto until = sync_detail::make_deadline(abs_time);
    return core_.send(buffer, buffer_size, priority, &until, false);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool timed_send(const void* buffer, size_type buffer_size, unsigned int priority,
                  const Duration& rel_time) {
    const auto until = sync_detail::deadline_after(rel_time);
    return core_.send(buffer, buffer_size, priority, &until, false);
  }

  void receive(void* buffer, size_type buffer_size, size_type& recvd_size, unsigned int& priority) {
    receive_into(buffer, buffer_size, recvd_size, priority, nullptr, false);
  }
  bool try_receive(void* buffer, size_type buffer_size, size_type& recvd_size,
                   unsigned int& priority) {
    return receive_into(buffer, buffer_size, recvd_size, priority, nullptr, true);
  }
  template <class TimePoint, sync_detail::if_time_point<TimePoint> = 0>
  bool timed_receive(void* buffer, size_type buffer_size, size_type& recvd_size,
                     unsigned int& priority, const TimePoint& abs_time) {
    const auto until = sync_detail::make_deadline(abs_time);
    return receive_into(buffer, buffer_size, recvd_size, priority, &until, false);
  }
  template <class Duration, sync_detail::if_duration<Duration> = 0>
  bool timed_receive(void* buffer, size_type buffer_size, size_type& recvd_size,
                     unsigned int& priority, const Duration& rel_time) {
    const auto until = sync_detail::deadline_after(rel_time);
    return receive_into(buffer, buffer_size, recvd_size, priority, &until, false);
  }

  size_type get_max_msg() const noexcept { return core_.max_msg(); }
  size_type get_max_msg_size() const noexcept { return core_.max_msg_size(); }
  size_type get_num_msg() const noexcept { return core_.num_msg(); }

  // False if there is no such queue or it cannot be removed. Processes that
  // have it open keep using it.
  static bool remove(const char* name) noexcept { return ipc_detail::queue_core::remove(name); }

 private:
  bool receive_into(void* buffer, size_type buffer_size, size_type& recvd_size,
                    unsigned int& priority, const sync_detail::deadline* until, bool try_only) {
    std::size_t size = 0;
    const bool received = core_.receive(buffer, buffer_size, size, priority, until, try_only);
    if (received) recvd_size = static_cast<size_type>(size);
    return received;
  }

  ipc_detail::queue_core core_;
};

// message_queue itself (message_queue_t<offset_ptr<void>>) is declared in
// interprocess_fwd.hpp.

}  // namespace refipc

#endif  // REFIPC_IPC_MESSAGE_QUEUE_HPP_
