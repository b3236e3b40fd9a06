#include "refipc/detail/segment/block_header.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

namespace refipc {
namespace segment_detail {
namespace {

// Every combination of links, object alignment and name keeps the links,
// the header, the objects and the name inside the block, in that order, and
// the header gives back what was placed.
TEST(BlockHeader, PlacesLinksHeaderObjectsAndNameInsideTheBlock) {
  constexpr std::size_t kBlockAlignment = 16;
  for (std::size_t links : {0, 8, 96}) {
    for (std::size_t alignment : {1, 4, 8, 16, 256, 4096}) {
      for (std::size_t char_size : {1, 2, 4}) {
        const std::size_t value_bytes = 3 * alignment;
        const std::size_t name_length = 5;
        const std::size_t size = block_header::block_size(links, value_bytes, alignment,
                                                          name_length, char_size, kBlockAlignment);
        std::unique_ptr<unsigned char[]> memory(new unsigned char[size + kBlockAlignment]);
        auto start = reinterpret_cast<std::uintptr_t>(memory.get());
        unsigned char* block =
            memory.get() + (kBlockAlignment - start % kBlockAlignment) % kBlockAlignment;
        block_header* h =
            block_header::place(block, links, value_bytes, alignment, name_length, named_type);
        auto at = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p); };
        EXPECT_EQ(at(h->value()) % alignment, 0u);
        EXPECT_EQ(h->block(), block);
        EXPECT_EQ(h->type(), named_type);
        EXPECT_EQ(h->value_bytes(), value_bytes);
        EXPECT_EQ(h->name_length, name_length);
        EXPECT_GE(at(h->links_end(8)), at(block) + links);
        EXPECT_LE(at(h->links_end(8)), at(h));
        EXPECT_EQ(at(h->links_end(8)) % 8, 0u);
        EXPECT_EQ(block_header::from_value(h->value()), h);
        const void* name_end = nullptr;
        switch (char_size) {
          case 1:
            name_end = h->name<char>() + name_length + 1;
            break;
          case 2:
            name_end = h->name<char16_t>() + name_length + 1;
            EXPECT_EQ(at(h->name<char16_t>()) % 2, 0u);
            break;
          default:
            name_end = h->name<char32_t>() + name_length + 1;
            EXPECT_EQ(at(h->name<char32_t>()) % 4, 0u);
        }
        EXPECT_LE(at(name_end), at(block) + size) << links << " " << alignment << " " << char_size;
      }
    }
  }
}

TEST(BlockHeader, KeepsArraySizesUpTo48Bits) {
  if (sizeof(std::size_t) < 8) GTEST_SKIP() << "sizes are 32-bit";
  alignas(16) unsigned char block[64];
  const std::size_t big = block_header::kMaxValueBytes;
  block_header* h = block_header::place(block, 0, big, 4, 1, unique_type);
  EXPECT_EQ(h->value_bytes(), big);
  EXPECT_EQ(h->type(), unique_type);
  const std::uint64_t beyond_32_bits = (std::uint64_t(1) << 40) + 12;
  h = block_header::place(block, 0, std::size_t(beyond_32_bits), 4, 1, anonymous_type);
  EXPECT_EQ(h->value_bytes(), beyond_32_bits);
  EXPECT_EQ(h->type(), anonymous_type);
}

// A 32-bit process stores sizes in value_bytes_low only; damaged high bits
// read back as a size no block holds, never as a truncated size.
TEST(BlockHeader, HighBitsBeyondSizeTAreNoSize) {
  alignas(16) unsigned char block[64];
  block_header* h = block_header::place(block, 0, 24, 4, 1, unique_type);
  EXPECT_EQ(h->value_bytes(), 24u);
  EXPECT_EQ(h->value_bytes_high, 0);
  h->value_bytes_high = 1;
  if (sizeof(std::size_t) < 8) {
    EXPECT_EQ(h->value_bytes(), SIZE_MAX);
    EXPECT_EQ(block_header::kMaxValueBytes, SIZE_MAX);
  } else {
    EXPECT_EQ(h->value_bytes(), (std::uint64_t(1) << 32) + 24);
  }
}

}  // namespace
}  // namespace segment_detail
}  // namespace refipc
