// Layout of the block that holds a named, unique or anonymous allocation:
//
//   [index links][padding][block_header][object array][padding][name + null]
//
// The header sits right before the objects, so the objects' address finds
// it; the name follows the objects. An intrusive index keeps its links in
// the `link_bytes` right before the header (none for the other indexes).
// Everything is a size or an offset, so a byte copy of the segment keeps it
// valid.
#ifndef REFIPC_DETAIL_SEGMENT_BLOCK_HEADER_HPP_
#define REFIPC_DETAIL_SEGMENT_BLOCK_HEADER_HPP_

#include <cstddef>
#include <cstdint>

namespace refipc {

// How an object was created (manual: "get_instance_type").
enum instance_type { anonymous_type, named_type, unique_type, max_allocation_type };

namespace segment_detail {

inline std::size_t round_up(std::size_t n, std::size_t alignment) noexcept {
  return (n + alignment - 1) / alignment * alignment;
}

struct block_header {
  std::size_t value_bytes;     // bytes of the object array
  std::uint32_t name_length;   // characters, without the null
  std::uint16_t value_offset;  // from the start of the block to the objects
  std::uint8_t type;           // instance_type
  std::uint8_t char_size;      // sizeof the name's character type

  // Largest object alignment a block can honour.
  static constexpr std::size_t kMaxAlignment = 4096;

  static block_header* from_value(const void* value) noexcept {
    return reinterpret_cast<block_header*>(const_cast<char*>(static_cast<const char*>(value)) -
                                           sizeof(block_header));
  }
  void* value() noexcept { return reinterpret_cast<char*>(this) + sizeof(block_header); }
  const void* value() const noexcept {
    return reinterpret_cast<const char*>(this) + sizeof(block_header);
  }
  void* block() noexcept { return static_cast<char*>(value()) - value_offset; }

  template <class CharT>
  CharT* name() noexcept {
    char* end_of_values = static_cast<char*>(value()) + value_bytes;
    std::size_t misalignment = reinterpret_cast<std::uintptr_t>(end_of_values) % alignof(CharT);
    return reinterpret_cast<CharT*>(end_of_values +
                                    (misalignment ? alignof(CharT) - misalignment : 0));
  }
  template <class CharT>
  const CharT* name() const noexcept {
    return const_cast<block_header*>(this)->name<CharT>();
  }

  // Bytes to allocate for `link_bytes` of index links (a multiple of
  // alignof(block_header)), `value_bytes` of objects aligned to `alignment`
  // and a name of `name_length` characters of `char_size` bytes, assuming the
  // block itself is aligned to at least `block_alignment`.
  static std::size_t block_size(std::size_t link_bytes, std::size_t value_bytes,
                                std::size_t alignment, std::size_t name_length,
                                std::size_t char_size, std::size_t block_alignment) noexcept {
    std::size_t value_alignment =
        alignment < alignof(block_header) ? alignof(block_header) : alignment;
    std::size_t slack = value_alignment > block_alignment ? value_alignment - block_alignment : 0;
    return round_up(link_bytes + sizeof(block_header), value_alignment) + slack + value_bytes +
           (char_size - 1) + (name_length + 1) * char_size;
  }

  // Places the header inside a block allocated with block_size().
  static block_header* place(void* block, std::size_t link_bytes, std::size_t value_bytes,
                             std::size_t alignment, std::size_t name_length, std::size_t char_size,
                             instance_type type) noexcept {
    std::size_t value_alignment =
        alignment < alignof(block_header) ? alignof(block_header) : alignment;
    std::uintptr_t start = reinterpret_cast<std::uintptr_t>(block);
    std::uintptr_t value = round_up(start + link_bytes + sizeof(block_header), value_alignment);
    block_header* h = from_value(reinterpret_cast<void*>(value));
    h->value_bytes = value_bytes;
    h->name_length = static_cast<std::uint32_t>(name_length);
    h->value_offset = static_cast<std::uint16_t>(value - start);
    h->type = static_cast<std::uint8_t>(type);
    h->char_size = static_cast<std::uint8_t>(char_size);
    return h;
  }
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_BLOCK_HEADER_HPP_
