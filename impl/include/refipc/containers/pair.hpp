// pair<T1, T2>: refipc's containers use std::pair, so refipc::pair is that
// type (its piecewise and allocator-passing construction included; see
// detail/uses_allocator.hpp).
#ifndef REFIPC_CONTAINERS_PAIR_HPP_
#define REFIPC_CONTAINERS_PAIR_HPP_

#include <utility>

#include "refipc/containers/containers_fwd.hpp"

namespace refipc {

using std::make_pair;
using std::piecewise_construct;
using std::piecewise_construct_t;

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_PAIR_HPP_
