// null_index: no name index at all, for segments that only hold anonymous
// objects and raw allocations. Named and unique construction do not compile
// with it (it has no insert); searches would find nothing.
#ifndef REFIPC_INDEXES_NULL_INDEX_HPP_
#define REFIPC_INDEXES_NULL_INDEX_HPP_

#include <cstddef>
#include <utility>

#include "refipc/detail/segment/index_config.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"

namespace refipc {

template <class MapConfig>
class null_index {
 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.null_index";
  // Its operations take the segment_bounds they check reads against.
  using bounded_index_tag = void;
  using key_type = typename MapConfig::key_type;
  using mapped_type = typename MapConfig::mapped_type;
  using value_type = std::pair<key_type, mapped_type>;
  using segment_manager_base = typename MapConfig::segment_manager_base;
  using iterator = value_type*;
  using const_iterator = const value_type*;

  explicit null_index(segment_manager_base*) {}

  iterator begin(const index_detail::segment_bounds&) noexcept { return nullptr; }
  iterator end() noexcept { return nullptr; }
  const_iterator begin(const index_detail::segment_bounds&) const noexcept { return nullptr; }
  const_iterator end() const noexcept { return nullptr; }
  std::size_t size() const noexcept { return 0; }
  bool empty() const noexcept { return true; }
  iterator find(const key_type&, const index_detail::segment_bounds&) noexcept { return nullptr; }
  // Only reachable with an iterator from find(), which never finds anything.
  iterator erase(iterator pos, const index_detail::segment_bounds&) noexcept { return pos; }
  void reserve(std::size_t, const index_detail::segment_bounds&) noexcept {}
  void shrink_to_fit(const index_detail::segment_bounds&) noexcept {}
};

}  // namespace refipc

#endif  // REFIPC_INDEXES_NULL_INDEX_HPP_
