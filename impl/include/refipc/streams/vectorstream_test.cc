#include "refipc/streams/vectorstream.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/managed_external_buffer.hpp"

namespace refipc {
namespace {

std::string text_of(const std::vector<char>& v) { return std::string(v.begin(), v.end()); }

TEST(Vectorbuf, GrowsAndTrimsToWhatWasWritten) {
  basic_vectorbuf<std::string> buf;
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    const char c = static_cast<char>('a' + i % 26);
    ASSERT_EQ(buf.sputc(c), c);
    expected += c;
  }
  EXPECT_EQ(buf.vector(), expected);
  EXPECT_GE(buf.vector().capacity(), 5000u);
}

TEST(Vectorbuf, VectorKeepsPositionsAndWritingContinues) {
  basic_vectorbuf<std::vector<char>> buf;
  buf.sputn("hello", 5);
  EXPECT_EQ(text_of(buf.vector()), "hello");
  buf.sputn(" world", 6);
  EXPECT_EQ(text_of(buf.vector()), "hello world");
  EXPECT_EQ(buf.sbumpc(), 'h');
}

TEST(Vectorbuf, SeekingBackKeepsTheHighWaterMark) {
  basic_vectorbuf<std::string> buf;
  buf.sputn("abcdef", 6);
  using pos = basic_vectorbuf<std::string>::pos_type;
  EXPECT_EQ(buf.pubseekpos(1, std::ios_base::out), pos(1));
  buf.sputc('X');
  EXPECT_EQ(buf.vector(), "aXcdef");
  EXPECT_EQ(buf.pubseekoff(0, std::ios_base::end, std::ios_base::in), pos(6));
  EXPECT_EQ(buf.pubseekoff(1, std::ios_base::end, std::ios_base::in), pos(-1));
  EXPECT_EQ(buf.pubseekoff(-7, std::ios_base::end, std::ios_base::out), pos(-1));
  EXPECT_EQ(buf.pubseekoff(-2, std::ios_base::cur, std::ios_base::out), pos(0));
}

TEST(Vectorbuf, ReadOnlyReadsTheSwappedVectorAndRefusesWrites) {
  basic_vectorbuf<std::string> buf(std::ios_base::in);
  std::string text = "12";
  buf.swap_vector(text);
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(buf.sputc('x'), std::char_traits<char>::eof());
  EXPECT_EQ(buf.sbumpc(), '1');
  EXPECT_EQ(buf.sputbackc('9'), std::char_traits<char>::eof());
  EXPECT_EQ(buf.sbumpc(), '2');
  EXPECT_EQ(buf.sgetc(), std::char_traits<char>::eof());
  EXPECT_EQ(buf.vector(), "12");
}

TEST(Vectorbuf, ParameterInitialisesTheVector) {
  basic_vectorbuf<std::string> buf(std::string("seed"));
  EXPECT_EQ(buf.sbumpc(), 's');
  buf.sputc('S');
  EXPECT_EQ(buf.vector(), "Seed");
}

TEST(Vectorstream, ReserveKeepsTheContentsAndRewinds) {
  basic_vectorstream<std::string> stream;
  stream << "abc";
  stream.reserve(1000);
  EXPECT_GE(stream.vector().capacity(), 1000u);
  EXPECT_EQ(stream.vector(), "abc");
  stream << 'Z';
  EXPECT_EQ(stream.vector(), "Zbc");
  std::string read;
  stream >> read;
  EXPECT_EQ(read, "Zbc");
}

TEST(Vectorstream, ClearEmptiesTheVector) {
  basic_vectorstream<std::vector<char>> stream;
  stream << 123;
  stream.clear();
  EXPECT_TRUE(stream.vector().empty());
  stream << 4;
  EXPECT_EQ(text_of(stream.vector()), "4");
}

TEST(Vectorstream, WideVector) {
  basic_vectorstream<std::wstring> stream;
  stream << L"x " << 7;
  EXPECT_EQ(stream.vector(), L"x 7");
}

// A vector whose storage comes from a managed segment: its characters are
// formatted in place inside the segment.
TEST(Vectorstream, VectorInAManagedSegment) {
  using Allocator = allocator<char, managed_external_buffer::segment_manager>;
  using Vector = std::vector<char, Allocator>;
  static std::max_align_t
      memory[(64 * 1024 + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)];
  managed_external_buffer segment(create_only, memory, sizeof memory);
  basic_vectorstream<Vector> stream(Allocator(segment.get_segment_manager()));
  for (int i = 0; i < 1000; ++i) stream << i << ' ';
  const Vector& v = stream.vector();
  EXPECT_TRUE(segment.belongs_to_segment(&v[0]));
  int sum = 0;
  for (int i = 0, x = 0; i < 1000 && stream >> x; ++i) sum += x;
  EXPECT_EQ(sum, 999 * 1000 / 2);
}

// A full segment: the allocator throws inside overflow and the stream turns
// that into badbit, keeping what was written.
TEST(Vectorstream, FullSegmentSetsBadbit) {
  using Allocator = allocator<char, managed_external_buffer::segment_manager>;
  using Vector = std::vector<char, Allocator>;
  static std::max_align_t
      memory[(8 * 1024 + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)];
  managed_external_buffer segment(create_only, memory, sizeof memory);
  basic_ovectorstream<Vector> stream(Allocator(segment.get_segment_manager()));
  int written = 0;
  while (written < 100000 && stream << 'x') ++written;
  EXPECT_TRUE(stream.bad());
  EXPECT_LT(written, 8 * 1024);
  EXPECT_EQ(stream.vector().size(), static_cast<std::size_t>(written));
  stream.clear();  // ovectorstream's clear() is basic_ios::clear
  stream.exceptions(std::ios_base::badbit);
  EXPECT_THROW(stream << std::string(8 * 1024, 'y'), std::exception);
}

}  // namespace
}  // namespace refipc
