// flat_map_index: the name index as one array of (hash, block) entries
// sorted by hash (binary search; insertion and erasure shift entries).
// reserve() preallocates the array, shrink_to_fit() trims it.
#ifndef REFIPC_INDEXES_FLAT_MAP_INDEX_HPP_
#define REFIPC_INDEXES_FLAT_MAP_INDEX_HPP_

#include "refipc/detail/segment/index_config.hpp"
#include "refipc/indexes/detail/hash_sorted_vector.hpp"

namespace refipc {

template <class MapConfig>
class flat_map_index
    : public index_detail::hash_sorted_vector<typename MapConfig::char_type,
                                              typename MapConfig::segment_manager_base> {
  using base_type = index_detail::hash_sorted_vector<typename MapConfig::char_type,
                                                     typename MapConfig::segment_manager_base>;

 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.flat_map_index";
  using segment_manager_base = typename MapConfig::segment_manager_base;

  explicit flat_map_index(segment_manager_base* segment_mgr) : base_type(segment_mgr) {}
};

}  // namespace refipc

#endif  // REFIPC_INDEXES_FLAT_MAP_INDEX_HPP_
