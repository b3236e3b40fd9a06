#include "refipc/streams/bufferstream.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <climits>
#include <cstddef>
#include <cstring>
#include <cwchar>
#include <string>

namespace refipc {
namespace {

TEST(Bufferbuf, DefaultHasNoBufferAndRefusesEverything) {
  bufferbuf buf;
  EXPECT_EQ(buf.buffer().first, nullptr);
  EXPECT_EQ(buf.buffer().second, 0u);
  EXPECT_EQ(buf.sputc('a'), bufferbuf::traits_type::eof());
  EXPECT_EQ(buf.sgetc(), bufferbuf::traits_type::eof());
  EXPECT_EQ(buf.pubseekoff(0, std::ios_base::beg), bufferbuf::pos_type(0));
  EXPECT_EQ(buf.pubseekoff(1, std::ios_base::beg), bufferbuf::pos_type(-1));
}

TEST(Bufferbuf, WritesStopExactlyAtTheEnd) {
  char memory[6] = {'.', '.', '.', '.', '.', '#'};
  bufferbuf buf(memory, 5);
  EXPECT_EQ(buf.sputn("abcdefgh", 8), 5);
  EXPECT_EQ(buf.sputc('z'), bufferbuf::traits_type::eof());
  EXPECT_EQ(std::string(memory, 6), "abcde#");
}

TEST(Bufferbuf, ReadsStopAtTheEndAndReportNoMore) {
  const char text[] = "xyz";
  bufferbuf buf(const_cast<char*>(text), 3, std::ios_base::in);
  char out[8] = {};
  EXPECT_EQ(buf.sgetn(out, 8), 3);
  EXPECT_STREQ(out, "xyz");
  EXPECT_EQ(buf.in_avail(), -1);
}

TEST(Bufferbuf, ReadOnlyRefusesWritesAndReplacingPutback) {
  char memory[] = "ab";
  bufferbuf buf(memory, 2, std::ios_base::in);
  EXPECT_EQ(buf.sputc('x'), bufferbuf::traits_type::eof());
  EXPECT_EQ(buf.sbumpc(), 'a');
  EXPECT_EQ(buf.sputbackc('q'), bufferbuf::traits_type::eof());
  EXPECT_EQ(buf.sputbackc('a'), 'a');
  EXPECT_EQ(buf.sungetc(), bufferbuf::traits_type::eof());
  EXPECT_STREQ(memory, "ab");
}

TEST(Bufferbuf, WritablePutbackReplacesTheCharacter) {
  char memory[] = "ab";
  bufferbuf buf(memory, 2);
  EXPECT_EQ(buf.sbumpc(), 'a');
  EXPECT_EQ(buf.sputbackc('q'), 'q');
  EXPECT_STREQ(memory, "qb");
  EXPECT_EQ(buf.sbumpc(), 'q');
}

TEST(Bufferbuf, SeeksWithinBoundsOnly) {
  char memory[10] = {};
  bufferbuf buf(memory, 10);
  using pos = bufferbuf::pos_type;
  EXPECT_EQ(buf.pubseekoff(-3, std::ios_base::end, std::ios_base::out), pos(7));
  EXPECT_EQ(buf.pubseekoff(2, std::ios_base::cur, std::ios_base::out), pos(9));
  EXPECT_EQ(buf.pubseekoff(2, std::ios_base::cur, std::ios_base::out), pos(-1));
  EXPECT_EQ(buf.pubseekoff(-1, std::ios_base::beg, std::ios_base::in), pos(-1));
  EXPECT_EQ(buf.pubseekoff(0, std::ios_base::cur), pos(-1));  // in|out from cur
  EXPECT_EQ(buf.pubseekpos(10, std::ios_base::in), pos(10));
  EXPECT_EQ(buf.sgetc(), bufferbuf::traits_type::eof());
  EXPECT_EQ(buf.sputc('k'), 'k');
  EXPECT_EQ(memory[9], 'k');
  EXPECT_EQ(buf.pubseekoff(LLONG_MAX, std::ios_base::cur, std::ios_base::in), pos(-1));
  EXPECT_EQ(buf.pubseekoff(LLONG_MIN, std::ios_base::end, std::ios_base::in), pos(-1));
}

TEST(Bufferbuf, SeeksOnlyTheSequencesOfItsMode) {
  char memory[4] = {};
  bufferbuf reader(memory, 4, std::ios_base::in);
  EXPECT_EQ(reader.pubseekpos(1, std::ios_base::out), bufferbuf::pos_type(-1));
  EXPECT_EQ(reader.pubseekpos(1, std::ios_base::in), bufferbuf::pos_type(1));
  bufferbuf writer(memory, 4, std::ios_base::out);
  EXPECT_EQ(writer.pubseekpos(1, std::ios_base::in), bufferbuf::pos_type(-1));
  EXPECT_EQ(writer.pubseekpos(1), bufferbuf::pos_type(-1));
}

// Positions beyond INT_MAX (pbump takes an int) over a reserved, mostly
// untouched mapping.
TEST(Bufferbuf, SeeksBeyondIntMax) {
  const std::size_t size = std::size_t{3} << 30;
  void* map = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(map, MAP_FAILED);
  char* memory = static_cast<char*>(map);
  {
    bufferbuf buf(memory, size, std::ios_base::out);
    const bufferbuf::off_type target = bufferbuf::off_type(INT_MAX) + 1000;
    EXPECT_EQ(buf.pubseekpos(target, std::ios_base::out), bufferbuf::pos_type(target));
    EXPECT_EQ(buf.sputc('w'), 'w');
    EXPECT_EQ(memory[target], 'w');
    EXPECT_EQ(buf.pubseekoff(-1, std::ios_base::end, std::ios_base::out),
              bufferbuf::pos_type(size - 1));
    EXPECT_EQ(buf.sputc('e'), 'e');
    EXPECT_EQ(memory[size - 1], 'e');
    EXPECT_EQ(buf.sputc('x'), bufferbuf::traits_type::eof());
  }
  munmap(map, size);
}

TEST(Ibufferstream, NeverWritesEvenWhenOpenedWithOut) {
  const char text[] = "5 6";
  ibufferstream in(text, 3, std::ios_base::in | std::ios_base::out);
  EXPECT_EQ(in.rdbuf()->sputc('x'), ibufferstream::traits_type::eof());
  int a = 0;
  in >> a;
  EXPECT_EQ(a, 5);
  EXPECT_EQ(in.rdbuf()->sputbackc('9'), ibufferstream::traits_type::eof());
  EXPECT_STREQ(text, "5 6");
}

TEST(Bufferstream, OverflowSetsBadbitAndKeepsWhatFits) {
  char memory[8];
  std::memset(memory, '#', sizeof memory);
  obufferstream out(memory, 4);
  out << 12 << 345;
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(std::string(memory, 8), "1234####");
}

TEST(Bufferstream, NewBufferRestartsBothPositions) {
  char first[8] = "1 2";
  char second[8] = "7 8";
  bufferstream stream(first, 3);
  int a = 0;
  stream >> a;
  stream << 'x';
  stream.buffer(second, 3);
  EXPECT_EQ(stream.buffer().first, second);
  int b = 0;
  stream >> b;
  EXPECT_EQ(b, 7);
  stream << 'y';
  EXPECT_EQ(std::string(second, 3), "y 8");
  EXPECT_EQ(std::string(first, 3), "x 2");
}

TEST(Bufferstream, WideCharacters) {
  wchar_t memory[16];
  std::wmemset(memory, L' ', 16);
  wbufferstream stream(memory, 16);
  stream << L"w=" << 42;
  EXPECT_EQ(std::wstring(memory, 5), L"w=42 ");
  std::wstring word;
  stream >> word;
  EXPECT_EQ(word, L"w=42");
}

}  // namespace
}  // namespace refipc
