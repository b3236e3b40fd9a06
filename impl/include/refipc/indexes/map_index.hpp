// map_index: the name index as an ordered node container (a skip list) of (key, data) pairs.
#ifndef REFIPC_INDEXES_MAP_INDEX_HPP_
#define REFIPC_INDEXES_MAP_INDEX_HPP_

#include <cstddef>

#include "refipc/detail/segment/index_config.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/detail/skip_list_map.hpp"

namespace refipc {

template <class MapConfig>
class map_index : public index_detail::skip_list_map<typename MapConfig::key_type,
                                                     typename MapConfig::mapped_type,
                                                     typename MapConfig::segment_manager_base> {
  using base_type =
      index_detail::skip_list_map<typename MapConfig::key_type, typename MapConfig::mapped_type,
                                  typename MapConfig::segment_manager_base>;

 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.map_index";
  using segment_manager_base = typename MapConfig::segment_manager_base;

  explicit map_index(segment_manager_base* segment_mgr) : base_type(segment_mgr) {}
};

}  // namespace refipc

#endif  // REFIPC_INDEXES_MAP_INDEX_HPP_
