// The six comparison operators of refipc's sequence containers, written
// once: a container derives from sequence_comparisons<itself> and gets them
// as hidden friends (found by argument-dependent lookup only). Equality is
// equal sizes and equal elements in order; the order is lexicographical.
#ifndef REFIPC_CONTAINERS_DETAIL_SEQUENCE_COMPARISONS_HPP_
#define REFIPC_CONTAINERS_DETAIL_SEQUENCE_COMPARISONS_HPP_

#include <algorithm>

namespace refipc {
namespace containers_detail {

template <class Container>
class sequence_comparisons {
 public:
  friend bool operator==(const Container& a, const Container& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator!=(const Container& a, const Container& b) { return !(a == b); }
  friend bool operator<(const Container& a, const Container& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator>(const Container& a, const Container& b) { return b < a; }
  friend bool operator<=(const Container& a, const Container& b) { return !(b < a); }
  friend bool operator>=(const Container& a, const Container& b) { return !(a < b); }
};

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_SEQUENCE_COMPARISONS_HPP_
