// flat_map and flat_multimap: std::pair<Key, T> values sorted by key in one
// contiguous buffer (see flat_set.hpp). As in Boost, the value type's key
// is not const, because elements move when others are inserted or erased;
// changing a key through an iterator breaks the order.
#ifndef REFIPC_CONTAINERS_FLAT_MAP_HPP_
#define REFIPC_CONTAINERS_FLAT_MAP_HPP_

#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/flat_tree.hpp"

namespace refipc {
namespace containers_detail {

template <class Key, class T, class Compare, class Allocator, bool Multi>
class flat_map_base : public flat_container<std::pair<Key, T>, first_key<std::pair<Key, T>>,
                                            Compare, Allocator, Multi, false> {
  using base = flat_container<std::pair<Key, T>, first_key<std::pair<Key, T>>, Compare, Allocator,
                              Multi, false>;

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
    friend class flat_map_base;
    explicit value_compare(Compare c) : comp(c) {}
    Compare comp;
  };

  using base::base;
  using base::insert;
  using base::operator=;

  value_compare value_comp() const { return value_compare(this->key_comp()); }

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

template <class Key, class T, class Compare, class Allocator>
class flat_map : public containers_detail::flat_map_base<Key, T, Compare, Allocator, false> {
  using base = containers_detail::flat_map_base<Key, T, Compare, Allocator, false>;

 public:
  using base::base;
  using typename base::const_iterator;
  using typename base::iterator;
  using typename base::key_type;
  using typename base::size_type;
  using typename base::value_type;
  using base::operator=;

  // Builds the value from (key, args...) only when the key is absent.
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const key_type& k, Args&&... args) {
    return emplace_key(k, std::forward<Args>(args)...);
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(key_type&& k, Args&&... args) {
    return emplace_key(std::move(k), std::forward<Args>(args)...);
  }
  template <class... Args>
  iterator try_emplace(const_iterator hint, const key_type& k, Args&&... args) {
    return emplace_key_hint(hint, k, std::forward<Args>(args)...);
  }
  template <class... Args>
  iterator try_emplace(const_iterator hint, key_type&& k, Args&&... args) {
    return emplace_key_hint(hint, std::move(k), std::forward<Args>(args)...);
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
    auto pos = this->unique_hint_index(hint, k);
    if (!pos.second) {
      iterator it = this->begin() + pos.first;
      it->second = std::forward<M>(m);
      return it;
    }
    return place(pos.first, k, std::forward<M>(m));
  }

  T& operator[](const key_type& k) { return try_emplace(k).first->second; }
  T& operator[](key_type&& k) { return try_emplace(std::move(k)).first->second; }
  T& at(const key_type& k) {
    iterator it = this->find(k);
    if (it == this->end()) throw std::out_of_range("refipc::flat_map::at: no such key");
    return it->second;
  }
  const T& at(const key_type& k) const {
    const_iterator it = this->find(k);
    if (it == this->end()) throw std::out_of_range("refipc::flat_map::at: no such key");
    return it->second;
  }

 private:
  template <class K, class... Args>
  std::pair<iterator, bool> emplace_key(K&& k, Args&&... args) {
    const size_type i = this->lower_bound_index(k);
    if (i != this->size() && !this->comp_(k, this->key_at(i))) return {this->begin() + i, false};
    return {place(i, std::forward<K>(k), std::forward<Args>(args)...), true};
  }
  template <class K, class... Args>
  iterator emplace_key_hint(const_iterator hint, K&& k, Args&&... args) {
    auto pos = this->unique_hint_index(hint, k);
    if (!pos.second) return this->begin() + pos.first;
    return place(pos.first, std::forward<K>(k), std::forward<Args>(args)...);
  }
  template <class K, class... Args>
  iterator place(size_type i, K&& k, Args&&... args) {
    containers_detail::value_holder<value_type> v(
        this->get_allocator(), std::piecewise_construct, std::forward_as_tuple(std::forward<K>(k)),
        std::forward_as_tuple(std::forward<Args>(args)...));
    return this->put(i, std::move(*v.ptr()));
  }
};

template <class Key, class T, class Compare, class Allocator>
class flat_multimap : public containers_detail::flat_map_base<Key, T, Compare, Allocator, true> {
  using base = containers_detail::flat_map_base<Key, T, Compare, Allocator, true>;

 public:
  using base::base;
  using base::operator=;
};

}  // namespace refipc

#endif  // REFIPC_CONTAINERS_FLAT_MAP_HPP_
