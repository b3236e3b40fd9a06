// unordered_map_index: the name index as a hash table with separate chaining; reserve() sizes the
// bucket array.
#ifndef REFIPC_INDEXES_UNORDERED_MAP_INDEX_HPP_
#define REFIPC_INDEXES_UNORDERED_MAP_INDEX_HPP_

#include <cstddef>

#include "refipc/detail/segment/index_config.hpp"
#include "refipc/indexes/detail/hash_map.hpp"

namespace refipc {

template <class MapConfig>
class unordered_map_index
    : public index_detail::hash_map<typename MapConfig::key_type, typename MapConfig::mapped_type,
                                    index_key_hash, typename MapConfig::segment_manager_base> {
  using base_type =
      index_detail::hash_map<typename MapConfig::key_type, typename MapConfig::mapped_type,
                             index_key_hash, typename MapConfig::segment_manager_base>;

 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.unordered_map_index";
  using segment_manager_base = typename MapConfig::segment_manager_base;

  explicit unordered_map_index(segment_manager_base* segment_mgr) : base_type(segment_mgr) {}
};

}  // namespace refipc

#endif  // REFIPC_INDEXES_UNORDERED_MAP_INDEX_HPP_
