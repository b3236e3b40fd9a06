// The untyped engine behind message_queue_t: a named shared memory object
// holding a header, the rings and heap that order the messages, and a fixed
// array of message slots. Not part of the API.
#ifndef REFIPC_IPC_QUEUE_CORE_HPP_
#define REFIPC_IPC_QUEUE_CORE_HPP_

#include <cstddef>
#include <cstdint>

#include "refipc/creation_tags.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/ipc/queue_layout.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/permissions.hpp"
#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace ipc_detail {

// Senders and receivers take separate robust mutexes and meet through two
// counters, each advanced by one store that commits an operation (see
// queue_header in queue_core.cc). A process that dies anywhere leaves the
// queue usable: a message whose send returned is neither lost nor
// duplicated, and a message whose sender died before the commit was never in
// the queue.
//
// Everything read from the shared object is checked before it is used as an
// index, a size or a pointer, and every loop is bounded by the geometry
// checked at open and kept in this process (queue_view): a damaged queue throws
// interprocess_exception with corrupted_error, a try_ operation never waits for more than a moment,
// and a timed one returns by its deadline, whatever the bytes hold.
class queue_core {
 public:
  queue_core(create_only_t, const char* name, std::size_t max_num_msg, std::size_t max_msg_size,
             const permissions& perm);
  queue_core(open_or_create_t, const char* name, std::size_t max_num_msg, std::size_t max_msg_size,
             const permissions& perm);
  queue_core(open_only_t, const char* name);
  queue_core(const queue_core&) = delete;
  queue_core& operator=(const queue_core&) = delete;

  // Blocking when `until` is null and not `try_only`; false when the queue
  // stayed full (empty) until the deadline, or at once with `try_only`.
  bool send(const void* buffer, std::size_t size, unsigned int priority,
            const sync_detail::deadline* until, bool try_only);
  bool receive(void* buffer, std::size_t buffer_size, std::size_t& recvd_size,
               unsigned int& priority, const sync_detail::deadline* until, bool try_only);

  std::size_t max_msg() const noexcept;
  std::size_t max_msg_size() const noexcept;
  std::size_t num_msg() const noexcept;

  static bool remove(const char* name) noexcept;

 private:
  void create(const char* name, std::size_t max_num_msg, std::size_t max_msg_size,
              const permissions& perm);
  void open(const char* name);

  mapped_region region_;
  queue_view view_;
};

}  // namespace ipc_detail
}  // namespace refipc

#endif  // REFIPC_IPC_QUEUE_CORE_HPP_
