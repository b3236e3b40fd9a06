// What a segment manager hands to its index type: the key (a counted name),
// the mapped value (where the object's block is) and the configuration
// struct the index template is instantiated with.
#ifndef REFIPC_DETAIL_SEGMENT_INDEX_CONFIG_HPP_
#define REFIPC_DETAIL_SEGMENT_INDEX_CONFIG_HPP_

#include <cstddef>
#include <string>
#include <type_traits>

#include "refipc/detail/segment/raw_pointer.hpp"

namespace refipc {

template <class MemoryAlgorithm>
class segment_manager_base;

// Key of the name indexes: the name (not owned, stored in the object's block)
// and its length without the terminating null. Names sort by length first,
// then character by character, which is cheaper than a lexicographic order
// and serves the indexes equally well.
template <class CharT, class VoidPointer>
struct index_key {
  using char_type = CharT;
  using const_char_ptr_t = segment_detail::rebind_pointer_t<VoidPointer, const CharT>;

  const_char_ptr_t mp_str;
  std::size_t m_len;

  index_key(const CharT* name, std::size_t length) : mp_str(name), m_len(length) {}

  const CharT* name() const noexcept { return segment_detail::raw(mp_str); }
  std::size_t name_length() const noexcept { return m_len; }

  bool operator<(const index_key& right) const {
    return m_len < right.m_len || (m_len == right.m_len && std::char_traits<CharT>::compare(
                                                               name(), right.name(), m_len) < 0);
  }
  bool operator==(const index_key& right) const {
    return m_len == right.m_len &&
           std::char_traits<CharT>::compare(name(), right.name(), m_len) == 0;
  }
  bool operator!=(const index_key& right) const { return !(*this == right); }

  // FNV-1a over the name's characters, for the hashed indexes: the 64-bit
  // variant, or the 32-bit one where size_t has 32 bits.
  std::size_t hash() const noexcept {
    constexpr bool k64 = sizeof(std::size_t) >= 8;
    constexpr std::size_t kBasis =
        k64 ? static_cast<std::size_t>(14695981039346656037ull) : std::size_t{2166136261u};
    constexpr std::size_t kPrime =
        k64 ? static_cast<std::size_t>(1099511628211ull) : std::size_t{16777619u};
    std::size_t h = kBasis;
    const CharT* s = name();
    for (std::size_t i = 0; i < m_len; ++i) {
      h ^= static_cast<std::size_t>(s[i]);
      h *= kPrime;
    }
    return h;
  }
};

// Mapped value of the name indexes: the block holding the object.
template <class VoidPointer>
struct index_data {
  VoidPointer m_ptr;
  explicit index_data(void* ptr) : m_ptr(ptr) {}
};

// The configuration an IndexType template receives.
template <class CharT, class MemoryAlgorithm>
struct index_config {
  using char_type = CharT;
  using void_pointer = typename MemoryAlgorithm::void_pointer;
  using key_type = index_key<CharT, void_pointer>;
  using mapped_type = index_data<void_pointer>;
  using segment_manager_base = refipc::segment_manager_base<MemoryAlgorithm>;
  // The manual's name for the same type.
  using segment_manager = segment_manager_base;
};

// A block index deals in the objects' blocks themselves rather than in
// (index_key, index_data) pairs; an intrusive one keeps its links inside
// each block, right before the block_header (see block_header.hpp), instead
// of allocating an entry per object. It declares
// `using block_index_tag = void;` and offers, besides
// find/erase/begin/end/size/reserve/shrink_to_fit over iterators that
// dereference to the block_header:
//   header* insert_check(const key_type&, insert_commit_data&);
//       the block of that name, or null after noting where it would go
//   std::size_t link_bytes();  links the next inserted block needs
//   void insert_commit(header&, const insert_commit_data&);
//       adds a block whose name insert_check() did not find, the index
//       unchanged in between; strong guarantee on bad_alloc
//   header* unlink(const key_type&);  removes and returns the block of that
//       name, null when absent
// Any other index is a map from index_key to index_data.
template <class Index, class = void>
struct is_block_index : std::false_type {};
template <class Index>
struct is_block_index<Index, std::void_t<typename Index::block_index_tag>> : std::true_type {};

// Hash functor over index keys.
struct index_key_hash {
  template <class Key>
  std::size_t operator()(const Key& k) const noexcept {
    return k.hash();
  }
};

}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_INDEX_CONFIG_HPP_
