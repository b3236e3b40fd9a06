// Test support for the intrusive indexes: named blocks laid out as the
// segment manager lays them out, and a segment manager stand-in that counts
// its live buffers and can be told to fail.
#ifndef REFIPC_INDEXES_DETAIL_INTRUSIVE_TEST_BLOCKS_HPP_
#define REFIPC_INDEXES_DETAIL_INTRUSIVE_TEST_BLOCKS_HPP_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"
#include "refipc/offset_ptr.hpp"

namespace refipc {
namespace index_detail {
namespace testing {

class counting_manager {
 public:
  using void_pointer = offset_ptr<void>;

  void* allocate(std::size_t n) {
    if (fail) throw bad_alloc();
    ++live;
    return ::operator new(n);
  }
  void deallocate(void* p) {
    --live;
    ::operator delete(p);
  }

  bool fail = false;
  int live = 0;
};

// Bounds that hold every address (the test blocks live on the heap), with
// `mgr` as the segment manager.
inline segment_bounds anywhere(const void* mgr = nullptr) {
  return segment_bounds(nullptr, SIZE_MAX, mgr);
}

// Owns the blocks of named int objects.
class blocks {
 public:
  // A block for `name` with `link_bytes` of links before its header.
  segment_detail::block_header& make(const std::string& name, std::size_t link_bytes) {
    const std::size_t size = segment_detail::block_header::block_size(
        link_bytes, sizeof(int), alignof(int), name.size(), 1, alignof(std::max_align_t));
    owned_.emplace_back(
        new std::max_align_t[(size + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t) + 1]);
    segment_detail::block_header* h = segment_detail::block_header::place(
        owned_.back().get(), link_bytes, sizeof(int), alignof(int), name.size(), named_type);
    std::memcpy(h->name<char>(), name.c_str(), name.size() + 1);
    return *h;
  }

  // Adds a block named `name` to an intrusive index as the segment manager
  // does (insert_check, then the block, then insert_commit); the name must
  // be absent.
  template <class Index>
  segment_detail::block_header& add(Index& index, const std::string& name,
                                    const segment_bounds& bounds) {
    typename Index::insert_commit_data data;
    if (index.insert_check(typename Index::key_type(name.c_str(), name.size()), data, bounds)) {
      throw std::logic_error("name already present: " + name);
    }
    segment_detail::block_header& h = make(name, index.link_bytes());
    index.insert_commit(h, data, bounds);
    return h;
  }

 private:
  std::vector<std::unique_ptr<std::max_align_t[]>> owned_;
};

inline std::string name_of(const segment_detail::block_header& h) {
  return std::string(h.name<char>(), h.name_length);
}

}  // namespace testing
}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_INTRUSIVE_TEST_BLOCKS_HPP_
