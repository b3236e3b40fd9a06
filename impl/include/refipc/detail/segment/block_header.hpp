// Layout of the block that holds a named, unique or anonymous allocation:
//
//   [index links][padding][block_header][object array][padding][name + null]
//
// The header sits right before the objects, so the objects' address finds
// it; the name follows the objects. An intrusive index keeps its links in
// the `link_bytes` that end at the header's address rounded down to a link
// (see links_end(); none for the other indexes). Everything is a size or an
// offset, so a byte copy of the segment keeps it valid.
//
// The header takes 12 bytes aligned to 4, so that a small object, its
// header and its name fit the smallest blocks: object arrays are limited to
// 2^48 bytes and the offset and type share 16 bits.
#ifndef REFIPC_DETAIL_SEGMENT_BLOCK_HEADER_HPP_
#define REFIPC_DETAIL_SEGMENT_BLOCK_HEADER_HPP_

#include <cstddef>
#include <cstdint>

namespace refipc {

// How an object was created (manual: "get_instance_type").
enum instance_type { anonymous_type, named_type, unique_type, max_allocation_type };

namespace segment_detail {

inline constexpr std::size_t round_up(std::size_t n, std::size_t alignment) noexcept {
  return (n + alignment - 1) / alignment * alignment;
}

struct block_header {
  std::uint32_t name_length;  // characters, without the null
  std::uint32_t value_bytes_low;
  std::uint16_t value_bytes_high;
  // Bits 0-1: instance_type; bits 2-15: the distance from the start of the
  // block to the objects, in units of 4 bytes.
  std::uint16_t packed;

  // Largest object alignment a block can honour.
  static constexpr std::size_t kMaxAlignment = 4096;
  // Largest object array a block can hold: 48 bits, or all of a 32-bit
  // size_t (value_bytes_high is then 0).
  static constexpr std::size_t kMaxValueBytes =
      sizeof(std::size_t) >= 8 ? std::size_t((std::uint64_t(1) << 48) - 1) : SIZE_MAX;

  std::size_t value_bytes() const noexcept {
    const std::uint64_t bytes =
        std::uint64_t(value_bytes_low) | (std::uint64_t(value_bytes_high) << 32);
    if constexpr (sizeof(std::size_t) < 8) {
      // Damaged bytes: a size no block of a 32-bit process holds.
      if (value_bytes_high != 0) return SIZE_MAX;
    }
    return std::size_t(bytes);
  }
  instance_type type() const noexcept { return static_cast<instance_type>(packed & 3); }
  std::size_t value_offset() const noexcept { return std::size_t(packed >> 2) * 4; }

  static block_header* from_value(const void* value) noexcept {
    return reinterpret_cast<block_header*>(const_cast<char*>(static_cast<const char*>(value)) -
                                           sizeof(block_header));
  }
  void* value() noexcept { return reinterpret_cast<char*>(this) + sizeof(block_header); }
  const void* value() const noexcept {
    return reinterpret_cast<const char*>(this) + sizeof(block_header);
  }
  void* block() noexcept { return static_cast<char*>(value()) - value_offset(); }

  // Where an intrusive index's links end: the header's address rounded down
  // to `link_alignment`.
  void* links_end(std::size_t link_alignment) const noexcept {
    return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(this) / link_alignment *
                                   link_alignment);
  }

  template <class CharT>
  CharT* name() noexcept {
    char* end_of_values = static_cast<char*>(value()) + value_bytes();
    std::size_t misalignment = reinterpret_cast<std::uintptr_t>(end_of_values) % alignof(CharT);
    return reinterpret_cast<CharT*>(end_of_values +
                                    (misalignment ? alignof(CharT) - misalignment : 0));
  }
  template <class CharT>
  const CharT* name() const noexcept {
    return const_cast<block_header*>(this)->name<CharT>();
  }

  // Bytes to allocate for `link_bytes` of index links (a multiple of their
  // alignment, at most 8), `value_bytes` of objects aligned to `alignment`
  // and a name of `name_length` characters of `char_size` bytes, assuming the
  // block itself is aligned to at least `block_alignment` (at least 8).
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
                             std::size_t alignment, std::size_t name_length,
                             instance_type type) noexcept {
    std::size_t value_alignment =
        alignment < alignof(block_header) ? alignof(block_header) : alignment;
    std::uintptr_t start = reinterpret_cast<std::uintptr_t>(block);
    std::uintptr_t value = round_up(start + link_bytes + sizeof(block_header), value_alignment);
    block_header* h = from_value(reinterpret_cast<void*>(value));
    h->name_length = static_cast<std::uint32_t>(name_length);
    h->value_bytes_low = static_cast<std::uint32_t>(value_bytes);
    h->value_bytes_high = static_cast<std::uint16_t>(std::uint64_t(value_bytes) >> 32);
    h->packed =
        static_cast<std::uint16_t>(static_cast<unsigned>(type) | ((value - start) / 4 << 2));
    return h;
  }
};

static_assert(sizeof(block_header) == 12 && alignof(block_header) == 4,
              "the header is meant to fit small blocks");
static_assert(offsetof(block_header, value_bytes_low) == 4 &&
                  offsetof(block_header, value_bytes_high) == 8 &&
                  offsetof(block_header, packed) == 10,
              "the layout docs/layout.md describes");

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_BLOCK_HEADER_HPP_
