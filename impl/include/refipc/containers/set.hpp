// set and multiset: ordered keys in a red-black tree whose links are the
// allocator's pointers, so a set built in a managed segment with
// refipc::allocator can be used from any process at any mapping address.
#ifndef REFIPC_CONTAINERS_SET_HPP_
#define REFIPC_CONTAINERS_SET_HPP_

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/ordered.hpp"

namespace refipc {

// Unique keys; iterators are constant (keys must not change in place).
template <class Key, class Compare, class Allocator>
class set : public containers_detail::ordered_container<Key, containers_detail::identity_key<Key>,
                                                        Compare, Allocator, false, true> {
  using base = containers_detail::ordered_container<Key, containers_detail::identity_key<Key>,
                                                    Compare, Allocator, false, true>;

 public:
  using value_compare = Compare;
  using base::base;
  using base::operator=;
  value_compare value_comp() const { return this->key_comp(); }
};

// Equal keys allowed, kept in insertion order among themselves.
template <class Key, class Compare, class Allocator>
class multiset
    : public containers_detail::ordered_container<Key, containers_detail::identity_key<Key>,
                                                  Compare, Allocator, true, true> {
  using base = containers_detail::ordered_container<Key, containers_detail::identity_key<Key>,
                                                    Compare, Allocator, true, true>;

 public:
  using value_compare = Compare;
  using base::base;
  using base::operator=;
  value_compare value_comp() const { return this->key_comp(); }
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_SET_HPP_
