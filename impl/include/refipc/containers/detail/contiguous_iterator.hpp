// The random-access iterator of the contiguous containers (vector, string):
// a raw pointer to an element, valid in the process that made it. `Owner`
// keeps the iterators of different containers distinct types.
#ifndef REFIPC_CONTAINERS_DETAIL_CONTIGUOUS_ITERATOR_HPP_
#define REFIPC_CONTAINERS_DETAIL_CONTIGUOUS_ITERATOR_HPP_

#include <cstddef>
#include <iterator>
#include <type_traits>

namespace refipc {
namespace containers_detail {

template <class Elem, class Owner>
class contiguous_iterator {
 public:
  using iterator_category = std::random_access_iterator_tag;
#if __cplusplus > 201703L
  using iterator_concept = std::contiguous_iterator_tag;
#endif
  using value_type = std::remove_const_t<Elem>;
  using difference_type = std::ptrdiff_t;
  using pointer = Elem*;
  using reference = Elem&;

  contiguous_iterator() noexcept = default;
  explicit contiguous_iterator(Elem* p) noexcept : p_(p) {}
  // iterator to const_iterator.
  template <class E, class = std::enable_if_t<std::is_same<const E, Elem>::value &&
                                              !std::is_same<E, Elem>::value>>
  contiguous_iterator(const contiguous_iterator<E, Owner>& other) noexcept  // NOLINT: implicit
      : p_(other.get()) {}

  Elem* get() const noexcept { return p_; }

  reference operator*() const noexcept { return *p_; }
  pointer operator->() const noexcept { return p_; }
  reference operator[](difference_type n) const noexcept { return p_[n]; }

  contiguous_iterator& operator++() noexcept {
    ++p_;
    return *this;
  }
  contiguous_iterator operator++(int) noexcept { return contiguous_iterator(p_++); }
  contiguous_iterator& operator--() noexcept {
    --p_;
    return *this;
  }
  contiguous_iterator operator--(int) noexcept { return contiguous_iterator(p_--); }
  contiguous_iterator& operator+=(difference_type n) noexcept {
    p_ += n;
    return *this;
  }
  contiguous_iterator& operator-=(difference_type n) noexcept {
    p_ -= n;
    return *this;
  }
  friend contiguous_iterator operator+(contiguous_iterator it, difference_type n) noexcept {
    return it += n;
  }
  friend contiguous_iterator operator+(difference_type n, contiguous_iterator it) noexcept {
    return it += n;
  }
  friend contiguous_iterator operator-(contiguous_iterator it, difference_type n) noexcept {
    return it -= n;
  }

 private:
  Elem* p_ = nullptr;
};

// Comparisons and distance between any mix of iterator and const_iterator.
template <class E1, class E2, class O>
std::ptrdiff_t operator-(const contiguous_iterator<E1, O>& a,
                         const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() - b.get();
}
template <class E1, class E2, class O>
bool operator==(const contiguous_iterator<E1, O>& a, const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() == b.get();
}
template <class E1, class E2, class O>
bool operator!=(const contiguous_iterator<E1, O>& a, const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() != b.get();
}
template <class E1, class E2, class O>
bool operator<(const contiguous_iterator<E1, O>& a, const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() < b.get();
}
template <class E1, class E2, class O>
bool operator>(const contiguous_iterator<E1, O>& a, const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() > b.get();
}
template <class E1, class E2, class O>
bool operator<=(const contiguous_iterator<E1, O>& a, const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() <= b.get();
}
template <class E1, class E2, class O>
bool operator>=(const contiguous_iterator<E1, O>& a, const contiguous_iterator<E2, O>& b) noexcept {
  return a.get() >= b.get();
}

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_CONTIGUOUS_ITERATOR_HPP_
