// Conformance tests of basic_bufferbuf and the bufferstreams ("Formatting
// directly in your character buffer: bufferstream" and the reference).
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <cwchar>
#include <ios>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class Bufferstream : public ipc_test::ConformanceTest {};
class BufferstreamMultiProcess : public ipc_test::ConformanceTest {};

// A buffer of `size` characters between guard bytes, to see that nothing
// outside it is read or written.
class Guarded {
 public:
  explicit Guarded(std::size_t size, char fill = '\0') : memory_(size + 2 * kGuard, kGuardByte) {
    std::fill(data(), data() + size, fill);
  }
  char* data() { return memory_.data() + kGuard; }
  bool guards_intact() const {
    const auto intact = [](char c) { return c == kGuardByte; };
    return std::all_of(memory_.begin(), memory_.begin() + kGuard, intact) &&
           std::all_of(memory_.end() - kGuard, memory_.end(), intact);
  }

 private:
  static constexpr std::size_t kGuard = 16;
  static constexpr char kGuardByte = '7';  // a digit: parsing into it would show
  std::vector<char> memory_;
};

TEST_F(Bufferstream, NamesTheTemplatesTheirBasesAndTheTypedefs) {
  IPC_SPEC("bufferstream.names");
  EXPECT_TRUE((std::is_same<ipc::bufferbuf, ipc::basic_bufferbuf<char>>::value));
  EXPECT_TRUE((std::is_same<ipc::bufferstream, ipc::basic_bufferstream<char>>::value));
  EXPECT_TRUE((std::is_same<ipc::ibufferstream, ipc::basic_ibufferstream<char>>::value));
  EXPECT_TRUE((std::is_same<ipc::obufferstream, ipc::basic_obufferstream<char>>::value));
  EXPECT_TRUE((std::is_same<ipc::wbufferbuf, ipc::basic_bufferbuf<wchar_t>>::value));
  EXPECT_TRUE((std::is_same<ipc::wbufferstream, ipc::basic_bufferstream<wchar_t>>::value));
  EXPECT_TRUE((std::is_same<ipc::wibufferstream, ipc::basic_ibufferstream<wchar_t>>::value));
  EXPECT_TRUE((std::is_same<ipc::wobufferstream, ipc::basic_obufferstream<wchar_t>>::value));
  EXPECT_TRUE((std::is_base_of<std::streambuf, ipc::bufferbuf>::value));
  EXPECT_TRUE((std::is_base_of<std::istream, ipc::ibufferstream>::value));
  EXPECT_TRUE((std::is_base_of<std::ostream, ipc::obufferstream>::value));
  EXPECT_TRUE((std::is_base_of<std::iostream, ipc::bufferstream>::value));
  EXPECT_TRUE((std::is_base_of<std::wiostream, ipc::wbufferstream>::value));
  EXPECT_TRUE((std::is_same<ipc::bufferstream::char_type, char>::value));
  EXPECT_TRUE((std::is_same<ipc::wibufferstream::traits_type, std::char_traits<wchar_t>>::value));
  EXPECT_TRUE((std::is_same<ipc::obufferstream::pos_type, std::streampos>::value));
  EXPECT_TRUE((std::is_same<ipc::bufferbuf::off_type, std::streamoff>::value));
  EXPECT_TRUE((std::is_same<ipc::bufferbuf::int_type, int>::value));
}

TEST_F(Bufferstream, BufferReturnsTheAddressAndLengthGiven) {
  IPC_SPEC("bufferstream.buffer");
  char memory[32];
  ipc::bufferbuf buf(memory, 32);
  EXPECT_EQ(buf.buffer(), std::make_pair(static_cast<char*>(memory), std::size_t{32}));
  ipc::bufferstream io(memory, 30);
  EXPECT_EQ(io.buffer(), std::make_pair(static_cast<char*>(memory), std::size_t{30}));
  ipc::obufferstream out(memory + 1, 20);
  EXPECT_EQ(out.buffer(), std::make_pair(memory + 1, std::size_t{20}));
  const char* text = "const text";
  ipc::ibufferstream in(text, 10);
  const std::pair<const char*, std::size_t> held = in.buffer();
  EXPECT_EQ(held.first, text);
  EXPECT_EQ(held.second, 10u);
  in.buffer(text + 6, 4);
  EXPECT_EQ(in.buffer(), std::make_pair(text + 6, std::size_t{4}));
  buf.buffer(memory + 2, 5);
  EXPECT_EQ(buf.buffer(), std::make_pair(memory + 2, std::size_t{5}));
}

TEST_F(Bufferstream, RdbufIsTheStreamsBufferbufOverTheSameBuffer) {
  IPC_SPEC("bufferstream.rdbuf");
  char memory[16] = "abc";
  ipc::bufferstream io(memory, 16);
  ipc::basic_bufferbuf<char>* buf = io.rdbuf();
  ASSERT_NE(buf, nullptr);
  EXPECT_EQ(static_cast<std::streambuf*>(buf), io.std::ios::rdbuf());
  EXPECT_EQ(buf->buffer(), std::make_pair(static_cast<char*>(memory), std::size_t{16}));
  EXPECT_EQ(buf->sgetc(), 'a');
  ipc::ibufferstream in(memory, 3);
  EXPECT_EQ(in.rdbuf()->buffer().first, memory);
  ipc::obufferstream out(memory, 3);
  EXPECT_EQ(out.rdbuf()->buffer().first, memory);
}

TEST_F(Bufferstream, FormatsDirectlyIntoTheBuffer) {
  IPC_SPEC("bufferstream.write");
  Guarded memory(24, '.');
  ipc::obufferstream out(memory.data(), 24);
  out << 42 << ' ' << -7 << ' ' << 2.5 << " text" << 'c';
  EXPECT_TRUE(out.good());
  EXPECT_EQ(out.tellp(), std::streampos(15));
  EXPECT_EQ(std::string(memory.data(), 24), "42 -7 2.5 textc.........");
  ipc::bufferstream io(memory.data(), 24);
  io << "XY";
  EXPECT_EQ(std::string(memory.data(), 5), "XY -7");
  EXPECT_TRUE(memory.guards_intact());
}

TEST_F(Bufferstream, ParsesTheBuffersCharacters) {
  IPC_SPEC("bufferstream.read");
  const char text[] = "17 -3.25 word\nsecond line\n";
  ipc::ibufferstream in(text, sizeof text - 1);
  int i = 0;
  double d = 0;
  std::string word;
  std::string line;
  in >> i >> d >> word;
  in.ignore(1);
  std::getline(in, line);
  EXPECT_EQ(i, 17);
  EXPECT_EQ(d, -3.25);
  EXPECT_EQ(word, "word");
  EXPECT_EQ(line, "second line");
  EXPECT_TRUE(in.good());
  char memory[] = "5 6";
  ipc::bufferstream io(memory, 3);
  int a = 0;
  int b = 0;
  io >> a >> b;
  EXPECT_EQ(a + b, 11);
}

TEST_F(Bufferstream, ReadingPastTheEndSetsEofbit) {
  IPC_SPEC("bufferstream.read_past_end");
  Guarded memory(3);
  std::memcpy(memory.data(), "123", 3);  // the guard after it is '7'
  ipc::ibufferstream in(memory.data(), 3);
  int value = 0;
  in >> value;
  EXPECT_EQ(value, 123);
  EXPECT_TRUE(in.eof());
  EXPECT_FALSE(in.fail());
  char c = 0;
  EXPECT_FALSE(in.get(c));
  EXPECT_TRUE(in.eof());
  char raw[8];
  in.clear();
  in.seekg(1);
  EXPECT_EQ(in.readsome(raw, 8), 2);
  EXPECT_FALSE(in.read(raw, 1));
  EXPECT_TRUE(in.eof());
  EXPECT_EQ(in.gcount(), 0);
}

TEST_F(Bufferstream, OverflowSetsBadbitAndWritesNothingPastTheEnd) {
  IPC_SPEC("bufferstream.overflow");
  Guarded memory(10);
  ipc::obufferstream out(memory.data(), 10);
  out << 123456 << 7890;
  EXPECT_TRUE(out.good());
  out << 'x';
  EXPECT_TRUE(out.bad());
  EXPECT_FALSE(out.good());
  EXPECT_EQ(std::string(memory.data(), 10), "1234567890");
  Guarded shared(8);
  ipc::bufferstream io(shared.data(), 8);
  io << "abcdefghijkl" << 1234567;
  EXPECT_TRUE(io.bad());
  EXPECT_EQ(std::string(shared.data(), 8), "abcdefgh");
  EXPECT_TRUE(memory.guards_intact());
  EXPECT_TRUE(shared.guards_intact());
}

TEST_F(Bufferstream, NewBufferRestartsAtItsBeginning) {
  IPC_SPEC("bufferstream.set_buffer");
  char first[8] = "11 22";
  char second[8] = "33 44";
  ipc::bufferstream io(first, 5);
  int value = 0;
  io >> value;
  io << "ab";
  io.buffer(second, 5);
  io >> value;
  EXPECT_EQ(value, 33);
  io << 'z';
  EXPECT_EQ(std::string(second, 5), "z3 44");
  EXPECT_EQ(std::string(first, 5), "ab 22");
  ipc::obufferstream out(first, 5);
  out << "1234";
  out.buffer(second, 2);
  out << "xyz";
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(std::string(second, 5), "xy 44");
  const char text[] = "8 9";
  ipc::ibufferstream in(text, 1);
  in >> value;
  in.clear();
  in.buffer(text + 2, 1);
  in >> value;
  EXPECT_EQ(value, 9);
}

// The manual's example, with the buffer constructed in a managed segment over
// shared memory.
TEST_F(Bufferstream, ManualExample) {
  IPC_SPEC("bufferstream.example", "bufferstream.write", "bufferstream.read");
  const std::string name =
      unique_resource([](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); });
  ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  shm.truncate(65536);
  ipc::mapped_region region(shm, ipc::read_write);
  ipc::managed_external_buffer segment(ipc::create_only, region.get_address(), 65536);

  std::vector<int> data;
  for (int i = 0; i < 100; ++i) data.push_back(i);
  const std::size_t kBufferSize = 100 * 5;
  char* my_cstring = segment.construct<char>("MyCString")[kBufferSize](0);
  ipc::bufferstream mybufstream(my_cstring, kBufferSize);
  for (int i = 0; i < 100; ++i) mybufstream << data[i] << std::endl;
  EXPECT_TRUE(mybufstream.good());

  std::vector<int> data2;
  std::istream_iterator<int> it(mybufstream), itend;
  std::copy(it, itend, std::back_inserter(data2));
  EXPECT_TRUE(mybufstream.fail());
  EXPECT_FALSE(mybufstream.eof());
  EXPECT_EQ(data2, data);

  mybufstream.clear();
  mybufstream.seekp(0, std::ios::beg);
  EXPECT_TRUE(mybufstream.good());
  for (std::size_t i = 0, m = data.size() * 5; i < m; ++i) mybufstream << data[i % 5] << std::endl;
  EXPECT_FALSE(mybufstream.good());
  EXPECT_TRUE(mybufstream.bad());
  segment.destroy_ptr(my_cstring);
}

TEST_F(Bufferstream, WideStreamsFormatAndParseWideCharacters) {
  IPC_SPEC("bufferstream.wide");
  wchar_t memory[16];
  std::wmemset(memory, L' ', 16);
  ipc::wobufferstream out(memory, 16);
  out << L"n=" << 314;
  EXPECT_TRUE(out.good());
  EXPECT_EQ(std::wstring(memory, 6), L"n=314 ");
  ipc::wibufferstream in(memory, 6);
  wchar_t n = 0;
  wchar_t eq = 0;
  int value = 0;
  in >> n >> eq >> value;
  EXPECT_EQ(n, L'n');
  EXPECT_EQ(value, 314);
  ipc::wbufferstream io(memory, 3);
  io << L"abcd";
  EXPECT_TRUE(io.bad());
  EXPECT_EQ(std::wstring(memory, 4), L"abc1");
  ipc::wbufferbuf buf(memory, 2);
  EXPECT_EQ(buf.sgetc(), L'a');
}

TEST_F(Bufferstream, SeeksWithinTheBufferOnly) {
  IPC_SPEC("bufferstream.seek");
  Guarded memory(10, '-');
  ipc::bufferstream io(memory.data(), 10);
  io.seekp(4);
  io << 'a';
  io.seekp(-2, std::ios::end);
  io << 'b';
  io.seekp(-4, std::ios::cur);
  io << 'c';
  EXPECT_EQ(io.tellp(), std::streampos(6));
  EXPECT_EQ(std::string(memory.data(), 10), "----ac--b-");
  io.seekp(10);
  EXPECT_TRUE(io.good());
  io.seekp(11);
  EXPECT_TRUE(io.fail());
  io.clear();
  EXPECT_EQ(io.tellp(), std::streampos(10));
  io.seekp(-11, std::ios::end);
  EXPECT_TRUE(io.fail());
  io.clear();
  io.seekg(5);
  EXPECT_EQ(io.get(), 'c');
  io.seekg(2, std::ios::cur);
  EXPECT_EQ(io.get(), 'b');
  io.seekg(-1, std::ios::beg);
  EXPECT_TRUE(io.fail());
  io.clear();
  EXPECT_EQ(io.tellg(), std::streampos(9));
  io.seekg(1, std::ios::end);
  EXPECT_TRUE(io.fail());
  io.clear();
  EXPECT_EQ(io.tellp(), std::streampos(10));  // the write position did not follow
  ipc::ibufferstream in(memory.data(), 10);
  in.seekg(0, std::ios::end);
  EXPECT_EQ(in.tellg(), std::streampos(10));
  EXPECT_EQ(in.get(), std::char_traits<char>::eof());
  EXPECT_TRUE(memory.guards_intact());
}

TEST_F(Bufferstream, SeeksOnlyTheSequencesOfItsMode) {
  IPC_SPEC("bufferstream.seek_mode");
  char memory[8] = "abcdefg";
  ipc::bufferbuf reader(memory, 7, std::ios::in);
  EXPECT_EQ(reader.pubseekpos(3, std::ios::out), std::streampos(-1));
  EXPECT_EQ(reader.pubseekpos(3, std::ios::in), std::streampos(3));
  EXPECT_EQ(reader.sgetc(), 'd');
  ipc::bufferbuf writer(memory, 7, std::ios::out);
  EXPECT_EQ(writer.pubseekpos(3, std::ios::in), std::streampos(-1));
  EXPECT_EQ(writer.pubseekpos(3, std::ios::out), std::streampos(3));
  ipc::bufferbuf both(memory, 7);
  EXPECT_EQ(both.pubseekoff(2, std::ios::beg), std::streampos(2));
  EXPECT_EQ(both.sgetc(), 'c');
  EXPECT_EQ(both.pubseekoff(-1, std::ios::end), std::streampos(6));
  EXPECT_EQ(both.sgetc(), 'g');
  both.sputc('G');
  EXPECT_EQ(memory[6], 'G');
  EXPECT_EQ(both.pubseekoff(0, std::ios::cur), std::streampos(-1));
  EXPECT_EQ(both.pubseekoff(0, std::ios::cur, std::ios::in), std::streampos(6));
}

TEST_F(Bufferstream, PutbackStaysWithinTheBuffer) {
  IPC_SPEC("bufferstream.putback");
  Guarded memory(3);
  std::memcpy(memory.data(), "abc", 3);
  ipc::ibufferstream in(memory.data(), 3);
  EXPECT_EQ(in.get(), 'a');
  EXPECT_TRUE(in.unget());
  EXPECT_EQ(in.get(), 'a');
  EXPECT_FALSE(in.putback('z'));  // read-only: the buffer keeps its 'a'
  EXPECT_TRUE(in.bad());
  in.clear();
  EXPECT_TRUE(in.putback('a'));
  EXPECT_FALSE(in.unget());  // before the beginning
  EXPECT_TRUE(in.bad());
  EXPECT_EQ(std::string(memory.data(), 3), "abc");
  ipc::bufferstream io(memory.data(), 3);
  EXPECT_EQ(io.get(), 'a');
  EXPECT_TRUE(io.putback('Z'));
  EXPECT_EQ(std::string(memory.data(), 3), "Zbc");
  EXPECT_EQ(io.get(), 'Z');
  EXPECT_TRUE(memory.guards_intact());
}

// Formats `count` numbers, one per line, with a trailing "end".
IPC_CHILD_ROLE(format_numbers) {
  const std::string& name = args.at(0);
  const int count = std::stoi(args.at(1));
  ipc_test::Pipe replies = ipc_test::Pipe::from_arg(args.at(2));
  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::mapped_region region(shm, ipc::read_write);
  ipc::obufferstream out(static_cast<char*>(region.get_address()), region.get_size());
  for (int i = 0; i < count; ++i) out << i * 3 << '\n';
  out << "end";
  IPC_CHILD_CHECK(out.good());
  replies.send(std::to_string(static_cast<long long>(out.tellp())));
}

TEST_F(BufferstreamMultiProcess, AnotherProcessParsesTheTextFormattedInSharedMemory) {
  IPC_SPEC("bufferstream.shared_memory");
  const std::string name =
      unique_resource([](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); });
  const std::size_t size = 8192;
  ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  shm.truncate(static_cast<ipc::offset_t>(size));
  ipc_test::Pipe replies;
  const int count = 1000;
  auto child = ipc_test::spawn_role("format_numbers", {name, std::to_string(count), replies.arg()});
  const std::string written = replies.receive();
  IPC_ASSERT_CHILD_OK(child.wait());

  std::ostringstream expected;
  for (int i = 0; i < count; ++i) expected << i * 3 << '\n';
  expected << "end";
  ASSERT_EQ(written, std::to_string(expected.str().size()));
  ipc::mapped_region region(shm, ipc::read_only);
  ipc::ibufferstream in(static_cast<const char*>(region.get_address()), std::stoul(written));
  int value = 0;
  int seen = 0;
  while (in >> value) {
    EXPECT_EQ(value, seen * 3);
    ++seen;
  }
  EXPECT_EQ(seen, count);
  in.clear();
  std::string last;
  in >> last;
  EXPECT_EQ(last, "end");
  EXPECT_TRUE(in.eof());
}

}  // namespace
