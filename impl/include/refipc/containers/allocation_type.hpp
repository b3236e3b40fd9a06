// Commands of allocation_command: what a memory algorithm may do to satisfy a
// request (allocate, expand forward or backward, shrink) and how it reports
// failure. The values combine with bitwise OR.
#ifndef REFIPC_CONTAINERS_ALLOCATION_TYPE_HPP_
#define REFIPC_CONTAINERS_ALLOCATION_TYPE_HPP_

#include <utility>

namespace refipc {

enum allocation_type_v {
  allocate_new_v = 0x01,
  expand_fwd_v = 0x02,
  expand_bwd_v = 0x04,
  shrink_in_place_v = 0x08,
  nothrow_allocation_v = 0x10,
  zero_memory_v = 0x20,
  try_shrink_in_place_v = 0x40
};

// An int, so that OR-ed commands need no cast.
using allocation_type = int;

static const allocation_type allocate_new = allocate_new_v;
static const allocation_type expand_fwd = expand_fwd_v;
static const allocation_type expand_bwd = expand_bwd_v;
static const allocation_type shrink_in_place = shrink_in_place_v;
// Like shrink_in_place, but only reports the size a shrink would give.
static const allocation_type try_shrink_in_place = try_shrink_in_place_v;
static const allocation_type nothrow_allocation = nothrow_allocation_v;
// Newly obtained bytes (a new buffer, or the part added by an expansion) are
// zeroed.
static const allocation_type zero_memory = zero_memory_v;

namespace allocation_detail {

// allocation_command's form in the manual, (buffer, expanded or shrunk in
// place), from today's form: todays_form(prefer_in_recvd_out_size, reuse).
template <class T, class SizeType, class TodaysForm>
std::pair<T*, bool> manual_form(TodaysForm&& todays_form, SizeType preferred_size,
                                SizeType& received_size, T* reuse_ptr) {
  T* reuse = reuse_ptr;
  received_size = preferred_size;
  T* r = todays_form(received_size, reuse);
  return {r, r != nullptr && reuse != nullptr};
}

}  // namespace allocation_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_ALLOCATION_TYPE_HPP_
