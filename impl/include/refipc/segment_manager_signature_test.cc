// open() of a segment of another configuration or size: the error code and
// a message naming what differs.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "refipc/exceptions.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/managed_external_buffer.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace refipc {
namespace {

constexpr std::size_t kSize = 8 * 1024;

template <class Char = char, class Algorithm = rbtree_best_fit<null_mutex_family>,
          template <class> class Index = iset_index>
using segment = basic_managed_external_buffer<Char, Algorithm, Index>;

struct Buffer {
  std::vector<std::max_align_t> words = std::vector<std::max_align_t>(
      (kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
  void* data() { return words.data(); }
  unsigned char* bytes() { return reinterpret_cast<unsigned char*>(words.data()); }
};

// The error open_only reports on `buf` for a segment of type Segment, and
// its message.
template <class Segment>
std::pair<error_code_t, std::string> open_error(Buffer& buf, std::size_t size = kSize) {
  try {
    Segment s(open_only, buf.data(), size);
  } catch (const interprocess_exception& e) {
    return {e.get_error_code(), e.what()};
  }
  return {no_error, ""};
}

template <class Segment>
Buffer built() {
  Buffer buf;
  Segment s(create_only, buf.data(), kSize);
  s.template construct<int>("x")(1);
  return buf;
}

TEST(SegmentSignature, ABufferShorterThanTheSegmentIsASizeError) {
  Buffer buf = built<segment<>>();
  EXPECT_EQ(open_error<segment<>>(buf).first, no_error);
  EXPECT_EQ(open_error<segment<>>(buf, kSize - 1).first, size_error);
  EXPECT_EQ(open_error<segment<>>(buf, kSize / 2).first, size_error);
  EXPECT_EQ(open_error<segment<>>(buf, 16).first, size_error);
}

TEST(SegmentSignature, AnotherMutexFamilyIsNamed) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  using shared = segment<char, rbtree_best_fit<mutex_family>>;
  Buffer buf = built<segment<>>();
  const auto error = open_error<shared>(buf);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("mutex family"), std::string::npos) << error.second;
  Buffer other = built<shared>();
  EXPECT_EQ(open_error<segment<>>(other).first, corrupted_error);
}

TEST(SegmentSignature, AnotherCharacterTypeIndexOrAlgorithmIsNamed) {
  Buffer buf = built<segment<>>();
  auto error = open_error<segment<wchar_t>>(buf);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("character type"), std::string::npos) << error.second;
  error = open_error<segment<char, rbtree_best_fit<null_mutex_family>, flat_map_index>>(buf);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("index type"), std::string::npos) << error.second;
  error = open_error<segment<char, simple_seq_fit<null_mutex_family>>>(buf);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("another algorithm"), std::string::npos) << error.second;
  error = open_error<segment<char, rbtree_best_fit<null_mutex_family, void*>>>(buf);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("pointer type"), std::string::npos) << error.second;
}

TEST(SegmentSignature, AnotherByteOrderOrPointerWidthIsNamed) {
  Buffer swapped = built<segment<>>();
  std::reverse(swapped.bytes(), swapped.bytes() + 8);  // the heap's magic
  auto error = open_error<segment<>>(swapped);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("byte order"), std::string::npos) << error.second;

  // The heap records sizeof(size_type) in the third byte of its
  // configuration word (offset 12): write what a process of the other
  // width would (4 for 32-bit, 8 for 64-bit).
  Buffer narrow = built<segment<>>();
  narrow.bytes()[14] = sizeof(std::size_t) == 8 ? 4 : 8;
  error = open_error<segment<>>(narrow);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("pointer width"), std::string::npos) << error.second;
}

TEST(SegmentSignature, RandomBytesAndZerosAreNotASegment) {
  Buffer zeros;
  auto error = open_error<segment<>>(zeros);
  EXPECT_EQ(error.first, corrupted_error);
  EXPECT_NE(error.second.find("no heap header"), std::string::npos) << error.second;
  Buffer noise;
  unsigned x = 12345;
  for (std::size_t i = 0; i < kSize; ++i) noise.bytes()[i] = (x = x * 1103515245 + 12345) >> 16;
  EXPECT_EQ(open_error<segment<>>(noise).first, corrupted_error);
}

// open() of a read-only mapping checks the same without writing a byte:
// the segment's locks (process-shared mutexes here) are not taken.
TEST(SegmentSignature, ReadOnlyOpenWritesNothing) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  using shared = segment<char, rbtree_best_fit<mutex_family>>;
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t size = (kSize + page - 1) / page * page;
  void* map = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(map, MAP_FAILED);
  {
    shared s(create_only, map, size);
    s.construct<int>("x")(1);
  }
  ASSERT_EQ(mprotect(map, size, PROT_READ), 0);
  auto* mgr = shared::segment_manager::open(map, size, true);
  EXPECT_EQ(static_cast<void*>(mgr), map);
  ASSERT_EQ(mprotect(map, size, PROT_READ | PROT_WRITE), 0);
  std::memset(static_cast<char*>(map) + 40, 0xFF, 8);  // the heap's first block offset
  ASSERT_EQ(mprotect(map, size, PROT_READ), 0);
  EXPECT_THROW(shared::segment_manager::open(map, size, true), interprocess_exception);
  munmap(map, size);
}

}  // namespace
}  // namespace refipc
