// flat_set and flat_multiset: keys kept sorted in one contiguous buffer
// (a sorted vector). Lookups are binary searches, iteration is as fast as a
// vector's, insertion and erasure are linear. The buffer pointer is the
// allocator's pointer, so with refipc::allocator the set lives in a managed
// segment at any mapping address.
#ifndef REFIPC_CONTAINERS_FLAT_SET_HPP_
#define REFIPC_CONTAINERS_FLAT_SET_HPP_

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/flat_tree.hpp"

namespace refipc {

template <class Key, class Compare, class Allocator>
class flat_set : public containers_detail::flat_container<Key, containers_detail::identity_key<Key>,
                                                          Compare, Allocator, false, true> {
  using base = containers_detail::flat_container<Key, containers_detail::identity_key<Key>, Compare,
                                                 Allocator, false, true>;

 public:
  using value_compare = Compare;
  using base::base;
  using base::operator=;
  value_compare value_comp() const { return this->key_comp(); }
};

template <class Key, class Compare, class Allocator>
class flat_multiset
    : public containers_detail::flat_container<Key, containers_detail::identity_key<Key>, Compare,
                                               Allocator, true, true> {
  using base = containers_detail::flat_container<Key, containers_detail::identity_key<Key>, Compare,
                                                 Allocator, true, true>;

 public:
  using value_compare = Compare;
  using base::base;
  using base::operator=;
  value_compare value_comp() const { return this->key_comp(); }
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_FLAT_SET_HPP_
