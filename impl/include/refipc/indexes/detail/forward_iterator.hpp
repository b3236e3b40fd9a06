// The forward iterator of the segment containers, over a Cursor that holds
// the position: `value_type`, `value_type* get()`, `void next()` and `at()`,
// what two positions compare equal by.
#ifndef REFIPC_INDEXES_DETAIL_FORWARD_ITERATOR_HPP_
#define REFIPC_INDEXES_DETAIL_FORWARD_ITERATOR_HPP_

#include <cstddef>
#include <iterator>
#include <type_traits>

namespace refipc {
namespace index_detail {

template <class Cursor, bool Const>
class forward_iterator {
  using element = typename Cursor::value_type;

 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = element;
  using difference_type = std::ptrdiff_t;
  using pointer = std::conditional_t<Const, const element*, element*>;
  using reference = std::conditional_t<Const, const element&, element&>;

  forward_iterator() = default;
  explicit forward_iterator(const Cursor& c) : c_(c) {}
  template <bool C = Const, class = std::enable_if_t<C>>
  forward_iterator(const forward_iterator<Cursor, false>& other) : c_(other.cursor()) {}

  reference operator*() const { return *c_.get(); }
  pointer operator->() const { return c_.get(); }
  forward_iterator& operator++() {
    c_.next();
    return *this;
  }
  forward_iterator operator++(int) {
    forward_iterator old = *this;
    c_.next();
    return old;
  }
  friend bool operator==(const forward_iterator& a, const forward_iterator& b) {
    return a.c_.at() == b.c_.at();
  }
  friend bool operator!=(const forward_iterator& a, const forward_iterator& b) { return !(a == b); }

  const Cursor& cursor() const noexcept { return c_; }

 private:
  Cursor c_;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_FORWARD_ITERATOR_HPP_
