// iset_index: the default name index, an ordered intrusive container (a skip
// list) whose links live in the objects' blocks, so that an entry costs no
// allocation of its own; entries iterate in the order of their names' order
// keys (length and last bytes, then all characters), which the manual leaves
// open.
#ifndef REFIPC_INDEXES_ISET_INDEX_HPP_
#define REFIPC_INDEXES_ISET_INDEX_HPP_

#include "refipc/detail/segment/index_config.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/detail/intrusive_skip_list.hpp"

namespace refipc {

template <class MapConfig>
class iset_index : public index_detail::intrusive_skip_list<typename MapConfig::char_type,
                                                            typename MapConfig::void_pointer> {
 public:
  // Its id in a segment's signature (see docs/layout.md).
  static constexpr char layout_name[] = "refipc.iset_index";
  using segment_manager_base = typename MapConfig::segment_manager_base;

  explicit iset_index(segment_manager_base*) {}
};

}  // namespace refipc

#endif  // REFIPC_INDEXES_ISET_INDEX_HPP_
