// map and multimap: std::pair<const Key, T> values ordered by key in a
// red-black tree whose links are the allocator's pointers (see set.hpp).
// Values are built by uses-allocator construction, so a map of strings to
// vectors in a managed segment hands the segment's allocator to both.
#ifndef REFIPC_CONTAINERS_MAP_HPP_
#define REFIPC_CONTAINERS_MAP_HPP_

#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/ordered.hpp"

namespace refipc {
namespace containers_detail {

template <class Key, class T, class Compare, class Allocator, bool Multi>
class map_base
    : public ordered_container<std::pair<const Key, T>, first_key<std::pair<const Key, T>>, Compare,
                               Allocator, Multi, false> {
  using base = ordered_container<std::pair<const Key, T>, first_key<std::pair<const Key, T>>,
                                 Compare, Allocator, Multi, false>;

 public:
  using mapped_type = T;
  using typename base::const_iterator;
  using typename base::iterator;
  using typename base::value_type;

  class value_compare {
   public:
    bool operator()(const value_type& a, const value_type& b) const {
      return comp(a.first, b.first);
    }

   protected:
    friend class map_base;
    explicit value_compare(Compare c) : comp(c) {}
    Compare comp;
  };

  using base::base;
  using base::insert;
  using base::operator=;

  value_compare value_comp() const { return value_compare(this->key_comp()); }

  // Anything a value_type can be built from.
  template <class P, class = std::enable_if_t<std::is_constructible<value_type, P&&>::value>>
  auto insert(P&& v) {
    return this->emplace(std::forward<P>(v));
  }
  template <class P, class = std::enable_if_t<std::is_constructible<value_type, P&&>::value>>
  iterator insert(const_iterator hint, P&& v) {
    return this->emplace_hint(hint, std::forward<P>(v));
  }
};

}  // namespace containers_detail

// Unique keys.
template <class Key, class T, class Compare, class Allocator>
class map : public containers_detail::map_base<Key, T, Compare, Allocator, false> {
  using base = containers_detail::map_base<Key, T, Compare, Allocator, false>;

 public:
  using base::base;
  using typename base::const_iterator;
  using typename base::iterator;
  using typename base::key_type;
  using typename base::size_type;
  using base::operator=;

  // Builds the value from (key, args...) only when the key is absent.
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const key_type& k, Args&&... args) {
    return this->t_.emplace_unique_key(k, std::piecewise_construct, std::forward_as_tuple(k),
                                       std::forward_as_tuple(std::forward<Args>(args)...));
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(key_type&& k, Args&&... args) {
    return this->t_.emplace_unique_key(k, std::piecewise_construct,
                                       std::forward_as_tuple(std::move(k)),
                                       std::forward_as_tuple(std::forward<Args>(args)...));
  }
  template <class... Args>
  iterator try_emplace(const_iterator hint, const key_type& k, Args&&... args) {
    return this->t_
        .emplace_hint_unique_key(hint, k, std::piecewise_construct, std::forward_as_tuple(k),
                                 std::forward_as_tuple(std::forward<Args>(args)...))
        .first;
  }
  template <class... Args>
  iterator try_emplace(const_iterator hint, key_type&& k, Args&&... args) {
    return this->t_
        .emplace_hint_unique_key(hint, k, std::piecewise_construct,
                                 std::forward_as_tuple(std::move(k)),
                                 std::forward_as_tuple(std::forward<Args>(args)...))
        .first;
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const key_type& k, M&& m) {
    auto r = try_emplace(k, std::forward<M>(m));
    if (!r.second) r.first->second = std::forward<M>(m);
    return r;
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(key_type&& k, M&& m) {
    auto r = try_emplace(std::move(k), std::forward<M>(m));
    if (!r.second) r.first->second = std::forward<M>(m);
    return r;
  }
  template <class M>
  iterator insert_or_assign(const_iterator hint, const key_type& k, M&& m) {
    auto r = this->t_.emplace_hint_unique_key(hint, k, std::piecewise_construct,
                                              std::forward_as_tuple(k),
                                              std::forward_as_tuple(std::forward<M>(m)));
    if (!r.second) r.first->second = std::forward<M>(m);
    return r.first;
  }

  T& operator[](const key_type& k) { return try_emplace(k).first->second; }
  T& operator[](key_type&& k) { return try_emplace(std::move(k)).first->second; }
  T& at(const key_type& k) {
    iterator it = this->find(k);
    if (it == this->end()) throw std::out_of_range("refipc::map::at: no such key");
    return it->second;
  }
  const T& at(const key_type& k) const {
    const_iterator it = this->find(k);
    if (it == this->end()) throw std::out_of_range("refipc::map::at: no such key");
    return it->second;
  }
};

// Equal keys allowed, kept in insertion order among themselves.
template <class Key, class T, class Compare, class Allocator>
class multimap : public containers_detail::map_base<Key, T, Compare, Allocator, true> {
  using base = containers_detail::map_base<Key, T, Compare, Allocator, true>;

 public:
  using base::base;
  using base::operator=;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_MAP_HPP_
