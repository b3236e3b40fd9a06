// iunordered_set_index: the name index as an intrusive hash table whose
// chain links live in the objects' blocks; reserve() sizes the bucket array,
// shrink_to_fit() trims it.
#ifndef REFIPC_INDEXES_IUNORDERED_SET_INDEX_HPP_
#define REFIPC_INDEXES_IUNORDERED_SET_INDEX_HPP_

#include "refipc/detail/segment/index_config.hpp"
#include "refipc/indexes/detail/intrusive_hash_table.hpp"

namespace refipc {

template <class MapConfig>
class iunordered_set_index
    : public index_detail::intrusive_hash_table<typename MapConfig::char_type,
                                                typename MapConfig::segment_manager_base> {
  using base_type = index_detail::intrusive_hash_table<typename MapConfig::char_type,
                                                       typename MapConfig::segment_manager_base>;

 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.iunordered_set_index";
  using segment_manager_base = typename MapConfig::segment_manager_base;

  explicit iunordered_set_index(segment_manager_base* segment_mgr) : base_type(segment_mgr) {}
};

}  // namespace refipc

#endif  // REFIPC_INDEXES_IUNORDERED_SET_INDEX_HPP_
