// Conformance tests of basic_vectorbuf and the vectorstreams ("Formatting
// directly in your character vector: vectorstream" and the reference).
//
// The manual's segment vectors are ipc::vector and ipc::basic_string; these
// tests use std::vector with the interprocess allocator, a vector type with
// contiguous storage in the segment that every implementation can provide.
#include <algorithm>
#include <cstddef>
#include <ios>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class Vectorstream : public ipc_test::ConformanceTest {};
class VectorstreamMultiProcess : public ipc_test::ConformanceTest {};

using SegmentManager = ipc::managed_external_buffer::segment_manager;
using CharAllocator = ipc::allocator<char, SegmentManager>;
using IntAllocator = ipc::allocator<int, SegmentManager>;
using SegmentString = std::vector<char, CharAllocator>;
using SegmentInts = std::vector<int, IntAllocator>;

template <class Vector>
std::string text_of(const Vector& v) {
  return std::string(v.begin(), v.end());
}

// A managed segment over a shared memory object (removed by the test's
// unique_resource clean-up).
class SharedSegment {
 public:
  static constexpr std::size_t kSize = 256 * 1024;
  explicit SharedSegment(const std::string& name)
      : shm_(created(name)),
        region_(shm_, ipc::read_write),
        segment_(ipc::create_only, region_.get_address(), kSize) {}
  ipc::managed_external_buffer& segment() { return segment_; }
  CharAllocator chars() { return CharAllocator(segment_.get_segment_manager()); }

 private:
  static ipc::shared_memory_object created(const std::string& name) {
    ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
    shm.truncate(kSize);
    return shm;
  }
  ipc::shared_memory_object shm_;
  ipc::mapped_region region_;
  ipc::managed_external_buffer segment_;
};

void remove_shm(const std::string& name) { ipc::shared_memory_object::remove(name.c_str()); }

TEST_F(Vectorstream, NamesTheTemplatesAndTheirBases) {
  IPC_SPEC("vectorstream.names");
  using V = std::vector<char>;
  EXPECT_TRUE((std::is_base_of<std::streambuf, ipc::basic_vectorbuf<V>>::value));
  EXPECT_TRUE((std::is_base_of<std::istream, ipc::basic_ivectorstream<V>>::value));
  EXPECT_TRUE((std::is_base_of<std::ostream, ipc::basic_ovectorstream<V>>::value));
  EXPECT_TRUE((std::is_base_of<std::iostream, ipc::basic_vectorstream<V>>::value));
  EXPECT_TRUE((std::is_base_of<std::wiostream, ipc::basic_vectorstream<std::wstring>>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_vectorbuf<V>::vector_type, V>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_vectorstream<V>::vector_type, V>::value));
  EXPECT_TRUE(
      (std::is_same<ipc::basic_ivectorstream<std::string>::vector_type, std::string>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_ovectorstream<V>::char_type, char>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_vectorbuf<V>::traits_type, std::char_traits<char>>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_vectorstream<V>::pos_type, std::streampos>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_vectorstream<V>::off_type, std::streamoff>::value));
  EXPECT_TRUE((std::is_same<ipc::basic_vectorstream<std::wstring>::int_type, std::wint_t>::value));
}

template <class Vector>
std::string format_and_read_back(ipc::basic_vectorstream<Vector>& stream) {
  stream << 12 << ' ' << 3.5 << " word";
  int i = 0;
  double d = 0;
  std::string w;
  stream >> i >> d >> w;
  std::ostringstream seen;
  seen << i << '|' << d << '|' << w << '|' << text_of(stream.vector());
  return seen.str();
}

TEST_F(Vectorstream, WorksWithAnyContiguousVectorType) {
  IPC_SPEC("vectorstream.vector_types");
  ipc::basic_vectorstream<std::vector<char>> over_vector;
  EXPECT_EQ(format_and_read_back(over_vector), "12|3.5|word|12 3.5 word");
  ipc::basic_vectorstream<std::string> over_string;
  EXPECT_EQ(format_and_read_back(over_string), "12|3.5|word|12 3.5 word");
  SharedSegment shared(unique_resource(remove_shm));
  ipc::basic_vectorstream<SegmentString> in_segment(shared.chars());
  EXPECT_EQ(format_and_read_back(in_segment), "12|3.5|word|12 3.5 word");
  EXPECT_TRUE(shared.segment().belongs_to_segment(&in_segment.vector()[0]));
}

TEST_F(Vectorstream, ConstructsTheVectorFromTheParameter) {
  IPC_SPEC("vectorstream.construct");
  ipc::basic_vectorstream<std::string> empty;
  EXPECT_TRUE(empty.vector().empty());
  ipc::basic_ovectorstream<std::vector<char>> out;
  EXPECT_TRUE(out.vector().empty());
  ipc::basic_ivectorstream<std::string> in;
  EXPECT_TRUE(in.vector().empty());
  int value = 0;
  EXPECT_FALSE(in >> value);
  SharedSegment shared(unique_resource(remove_shm));
  ipc::basic_ovectorstream<SegmentString> formatter(shared.chars());
  EXPECT_TRUE(formatter.vector().get_allocator() == shared.chars());
  formatter << "in the segment";
  EXPECT_EQ(text_of(formatter.vector()), "in the segment");
  EXPECT_TRUE(shared.segment().belongs_to_segment(&formatter.vector()[0]));
  ipc::basic_vectorstream<std::string> parser(std::string("5 6"));
  int a = 0;
  int b = 0;
  parser >> a >> b;
  EXPECT_EQ(a * 10 + b, 56);
}

TEST_F(Vectorstream, IvectorstreamConstructsTheVectorFromTheParameter) {
  IPC_SPEC("vectorstream.construct");
#ifdef IPC_UNDEFINED_IVECTORSTREAM_PARAMETER_CTOR
  ADD_FAILURE() << "not run: the adapter's basic_ivectorstream(param) has undefined behaviour";
#else
  ipc::basic_ivectorstream<std::string> parser(std::string("5 6"));
  int a = 0;
  int b = 0;
  parser >> a >> b;
  EXPECT_EQ(a * 10 + b, 56);
  SharedSegment shared(unique_resource(remove_shm));
  ipc::basic_ivectorstream<SegmentString> in_segment(shared.chars());
  EXPECT_TRUE(in_segment.vector().empty());
  EXPECT_TRUE(in_segment.vector().get_allocator() == shared.chars());
#endif
}

TEST_F(Vectorstream, GrowsAndHoldsExactlyWhatWasWritten) {
  IPC_SPEC("vectorstream.write");
  ipc::basic_ovectorstream<std::vector<char>> out;
  std::ostringstream expected;
  for (int i = 0; i < 100000; ++i) {
    out << i << ',';
    expected << i << ',';
  }
  EXPECT_TRUE(out.good());
  EXPECT_EQ(text_of(out.vector()), expected.str());
  EXPECT_EQ(out.vector().size(), expected.str().size());
  out << "more";
  EXPECT_EQ(out.vector().size(), expected.str().size() + 4);
  ipc::basic_vectorstream<std::string> io;
  io << 1 << ' ' << 2;
  EXPECT_EQ(io.vector(), "1 2");
}

TEST_F(Vectorstream, VectorIsTheInternalVectorItself) {
  IPC_SPEC("vectorstream.vector");
  ipc::basic_vectorstream<std::string> io;
  io << "abc";
  const std::string& first = io.vector();
  io << "def";
  const std::string& second = io.vector();
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(&first, &io.rdbuf()->vector());
  EXPECT_EQ(second, "abcdef");
  ipc::basic_ovectorstream<std::vector<char>> out;
  EXPECT_EQ(&out.vector(), &out.rdbuf()->vector());
  ipc::basic_ivectorstream<std::vector<char>> in;
  EXPECT_EQ(&in.vector(), &in.rdbuf()->vector());
}

TEST_F(Vectorstream, SwapVectorExchangesContentsAndResetsPositions) {
  IPC_SPEC("vectorstream.swap_vector");
  ipc::basic_vectorstream<std::vector<char>> io;
  io << "written";
  std::vector<char> other = {'1', '2', ' ', '3', '4'};
  const char* other_storage = other.data();
  io.swap_vector(other);
  EXPECT_EQ(text_of(other), "written");
  EXPECT_EQ(&io.vector()[0], other_storage);  // no copy
  int value = 0;
  io >> value;
  EXPECT_EQ(value, 12);
  io << '9';
  EXPECT_EQ(text_of(io.vector()), "92 34");

  ipc::basic_ovectorstream<std::string> out;
  out << "first";
  std::string holder = "xxxxxxx";
  out.swap_vector(holder);
  EXPECT_EQ(holder, "first");
  out << "AB";
  EXPECT_EQ(out.vector(), "ABxxxxx");

  ipc::basic_ivectorstream<std::string> in;
  std::string numbers = "7 8 9";
  in.swap_vector(numbers);
  EXPECT_TRUE(numbers.empty());
  int a = 0;
  in >> a;
  EXPECT_EQ(a, 7);
  std::string again = "5";
  in.swap_vector(again);
  EXPECT_EQ(again, "7 8 9");
  in >> a;
  EXPECT_EQ(a, 5);
}

TEST_F(Vectorstream, ParsesTheVectorAndWhatWasWritten) {
  IPC_SPEC("vectorstream.read");
  ipc::basic_vectorstream<std::string> io;
  io << "10 20\nline two";
  int a = 0;
  int b = 0;
  std::string line;
  io >> a >> b;
  io.ignore(1);
  std::getline(io, line);
  EXPECT_EQ(a + b, 30);
  EXPECT_EQ(line, "line two");
  EXPECT_TRUE(io.eof());
  ipc::basic_ivectorstream<std::vector<char>> in;
  std::vector<char> text = {'4', '2'};
  in.swap_vector(text);
  in >> a;
  EXPECT_EQ(a, 42);
  EXPECT_TRUE(in.eof());
  EXPECT_FALSE(in.fail());
}

TEST_F(Vectorstream, ReserveReservesAndKeepsTheContents) {
  IPC_SPEC("vectorstream.reserve");
  ipc::basic_vectorstream<std::string> io;
  io << "abc";
  io.reserve(5000);
  EXPECT_GE(io.vector().capacity(), 5000u);
  EXPECT_EQ(io.vector(), "abc");
  ipc::basic_ovectorstream<std::vector<char>> out;
  out.reserve(3000);
  EXPECT_GE(out.vector().capacity(), 3000u);
  EXPECT_TRUE(out.vector().empty());
}

TEST_F(Vectorstream, ReserveResetsTheStreamToTheFirstPosition) {
  IPC_SPEC("vectorstream.reserve");
  ipc::basic_vectorstream<std::string> io;
  io << "abc def";
  std::string word;
  io >> word;
  io.reserve(1000);
  io << 'X';
  io >> word;
  EXPECT_EQ(word, "Xbc");
  EXPECT_EQ(io.vector(), "Xbc def");
  ipc::basic_ovectorstream<std::vector<char>> out;
  out << "12345";
  out.reserve(1000);
  out << "ab";
  EXPECT_EQ(text_of(out.vector()), "ab345");
}

TEST_F(Vectorstream, IvectorstreamReserveReservesTheVector) {
  IPC_SPEC("vectorstream.reserve");
  ipc::basic_ivectorstream<std::vector<char>> in;
  std::vector<char> text = {'1', ' ', '2'};
  in.swap_vector(text);
  int value = 0;
  in >> value;
  in.reserve(4000);
  EXPECT_GE(in.vector().capacity(), 4000u);
  in >> value;
  EXPECT_EQ(value, 1);  // back at the first position
}

TEST_F(Vectorstream, ClearEmptiesTheVectorAndRewinds) {
  IPC_SPEC("vectorstream.clear");
  ipc::basic_vectorstream<std::string> io;
  io << "some text";
  io.clear();
  EXPECT_TRUE(io.vector().empty());
  io << "new";
  EXPECT_EQ(io.vector(), "new");
  std::string word;
  io >> word;
  EXPECT_EQ(word, "new");
  ipc::basic_ivectorstream<std::string> in;
  std::string text = "1 2";
  in.swap_vector(text);
  in.clear();
  EXPECT_TRUE(in.vector().empty());
  int value = 0;
  EXPECT_FALSE(in >> value);
  ipc::basic_vectorbuf<std::string> buf;
  buf.sputn("xy", 2);
  buf.clear();
  EXPECT_TRUE(buf.vector().empty());
}

// The manual's example, with std::vector over the segment's allocator in
// place of ipc::vector and ipc::basic_string.
TEST_F(Vectorstream, ManualExample) {
  IPC_SPEC("vectorstream.example", "vectorstream.construct", "vectorstream.swap_vector");
  SharedSegment shared(unique_resource(remove_shm));
  ipc::managed_external_buffer& segment = shared.segment();
  using MyVectorStream = ipc::basic_vectorstream<SegmentString>;

  SegmentInts* myvector =
      segment.construct<SegmentInts>("MyVector")(IntAllocator(segment.get_segment_manager()));
  myvector->reserve(100);
  for (int i = 0; i < 100; ++i) myvector->push_back(i);

  MyVectorStream myvectorstream(CharAllocator(segment.get_segment_manager()));
  myvectorstream.reserve(100 * 5);
  for (std::size_t i = 0, max = myvector->size(); i < max; ++i)
    myvectorstream << (*myvector)[i] << std::endl;

  SegmentInts* myvector2 =
      segment.construct<SegmentInts>("MyVector2")(IntAllocator(segment.get_segment_manager()));
  myvector2->reserve(100);
  std::istream_iterator<int> it(myvectorstream), itend;
  std::copy(it, itend, std::back_inserter(*myvector2));
  ASSERT_EQ(myvector2->size(), myvector->size());
  EXPECT_TRUE(std::equal(myvector->begin(), myvector->end(), myvector2->begin()));

  SegmentString stringcopy(myvectorstream.vector());
  SegmentString* mystring =
      segment.construct<SegmentString>("MyString")(CharAllocator(segment.get_segment_manager()));
  myvectorstream.swap_vector(*mystring);
  EXPECT_TRUE(stringcopy == *mystring);
  EXPECT_EQ(mystring->size(), 290u);  // 0..99, one per line
  EXPECT_TRUE(segment.belongs_to_segment(&(*mystring)[0]));

  segment.destroy_ptr(myvector2);
  segment.destroy_ptr(myvector);
  segment.destroy_ptr(mystring);
}

TEST_F(Vectorstream, SeeksWithinWhatWasWritten) {
  IPC_SPEC("vectorstream.seek");
  ipc::basic_vectorstream<std::string> io;
  io << "0123456789";
  io.seekp(3);
  io << "ab";
  EXPECT_EQ(io.vector(), "012ab56789");
  io.seekp(-1, std::ios::end);
  io << 'Z';
  io.seekp(-4, std::ios::cur);
  io << 'Y';
  EXPECT_EQ(io.vector(), "012ab5Y78Z");
  io.seekp(11);
  EXPECT_TRUE(io.fail());
  io.std::ios::clear();
  EXPECT_EQ(io.tellp(), std::streampos(7));
  io.seekg(4);
  EXPECT_EQ(io.get(), 'b');
  io.seekg(-2, std::ios::end);
  EXPECT_EQ(io.get(), '8');
  io.seekg(-1, std::ios::beg);
  EXPECT_TRUE(io.fail());
  io.std::ios::clear();
  EXPECT_EQ(io.tellg(), std::streampos(9));
  io.seekg(0, std::ios::end);
  EXPECT_EQ(io.tellg(), std::streampos(10));
  EXPECT_EQ(io.vector().size(), 10u);
  ipc::basic_ivectorstream<std::string> in;
  std::string text = "abc";
  in.swap_vector(text);
  in.seekg(0, std::ios::end);
  EXPECT_EQ(in.tellg(), std::streampos(3));
  in.seekg(4);
  EXPECT_TRUE(in.fail());
}

// Finds the vector "text" in the segment, parses it and writes the count and
// the sum of its numbers into the vector "reply".
IPC_CHILD_ROLE(parse_segment_text) {
  const std::string& name = args.at(0);
  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::mapped_region region(shm, ipc::read_write);
  ipc::managed_external_buffer segment(ipc::open_only, region.get_address(), region.get_size());
  SegmentString* text = segment.find<SegmentString>("text").first;
  SegmentString* reply = segment.find<SegmentString>("reply").first;
  IPC_CHILD_CHECK(text != nullptr && reply != nullptr);
  CharAllocator chars(segment.get_segment_manager());
  // A vectorstream opened for input: Boost's ivectorstream(param) is undefined.
  ipc::basic_vectorstream<SegmentString> in(chars, std::ios_base::in);
  in.swap_vector(*text);
  long long count = 0;
  long long sum = 0;
  for (long long value = 0; in >> value; ++count) sum += value;
  IPC_CHILD_CHECK(in.eof());
  in.swap_vector(*text);
  ipc::basic_ovectorstream<SegmentString> out(chars);
  out << count << ' ' << sum;
  out.swap_vector(*reply);
}

TEST_F(VectorstreamMultiProcess, AnotherProcessParsesAVectorFormattedInASegment) {
  IPC_SPEC("vectorstream.shared_memory");
  const std::string name = unique_resource(remove_shm);
  long long expected_sum = 0;
  std::string expected_text;
  const int count = 2000;
  {
    SharedSegment shared(name);
    ipc::managed_external_buffer& segment = shared.segment();
    SegmentString* text = segment.construct<SegmentString>("text")(shared.chars());
    segment.construct<SegmentString>("reply")(shared.chars());
    ipc::basic_ovectorstream<SegmentString> out(shared.chars());
    for (int i = 0; i < count; ++i) {
      out << i * 7 << '\n';
      expected_sum += i * 7;
      expected_text += std::to_string(i * 7) + '\n';
    }
    out.swap_vector(*text);
    ASSERT_TRUE(segment.belongs_to_segment(&(*text)[0]));
  }
  auto child = ipc_test::spawn_role("parse_segment_text", {name});
  IPC_ASSERT_CHILD_OK(child.wait());

  ipc::shared_memory_object shm(ipc::open_only, name.c_str(), ipc::read_write);
  ipc::mapped_region region(shm, ipc::read_write);
  ipc::managed_external_buffer segment(ipc::open_only, region.get_address(), region.get_size());
  SegmentString* reply = segment.find<SegmentString>("reply").first;
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(text_of(*reply), std::to_string(count) + " " + std::to_string(expected_sum));
  SegmentString* text = segment.find<SegmentString>("text").first;
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text_of(*text), expected_text);  // the reader swapped it back
}

// The same exchange with the library's own vector in a managed_shared_memory:
// ipc::vector<char, ipc::allocator<char, segment_manager>>.
using ShmCharAllocator = ipc::allocator<char, ipc::managed_shared_memory::segment_manager>;
using ShmCharVector = ipc::vector<char, ShmCharAllocator>;

// Finds the vector "text", parses it and formats the count and the sum of its
// numbers into the vector "reply", writing through a stream swapped onto it.
IPC_CHILD_ROLE(parse_managed_vector_text) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  ShmCharVector* text = segment.find<ShmCharVector>("text").first;
  ShmCharVector* reply = segment.find<ShmCharVector>("reply").first;
  IPC_CHILD_CHECK(text != nullptr && reply != nullptr);
  IPC_CHILD_CHECK(segment.belongs_to_segment(text->data()));
  ShmCharAllocator chars(segment.get_segment_manager());
  ipc::basic_vectorstream<ShmCharVector> in(chars, std::ios_base::in);
  in.swap_vector(*text);
  long long count = 0;
  long long sum = 0;
  for (long long value = 0; in >> value; ++count) sum += value;
  IPC_CHILD_CHECK(in.eof());
  in.swap_vector(*text);
  ipc::basic_ovectorstream<ShmCharVector> out(chars);
  out.swap_vector(*reply);
  out << count << ' ' << sum;
  out.swap_vector(*reply);
}

TEST_F(VectorstreamMultiProcess, AnotherProcessParsesAnIpcVectorInAManagedSharedMemory) {
  IPC_SPEC("vectorstream.shared_memory", "vectorstream.vector_types");
  const std::string name = unique_resource(remove_shm);
  long long expected_sum = 0;
  std::string expected_text;
  const int count = 2000;
  {
    ipc::managed_shared_memory segment(ipc::create_only, name.c_str(), 256 * 1024);
    ShmCharAllocator chars(segment.get_segment_manager());
    ShmCharVector* text = segment.construct<ShmCharVector>("text")(chars);
    segment.construct<ShmCharVector>("reply")(chars);
    ipc::basic_ovectorstream<ShmCharVector> out(chars);
    for (int i = 0; i < count; ++i) {
      out << i * 11 << ' ';
      expected_sum += i * 11;
      expected_text += std::to_string(i * 11) + ' ';
    }
    out.swap_vector(*text);
    ASSERT_EQ(text->size(), expected_text.size());
    ASSERT_TRUE(segment.belongs_to_segment(text->data()));
  }
  auto child = ipc_test::spawn_role("parse_managed_vector_text", {name});
  IPC_ASSERT_CHILD_OK(child.wait());

  ipc::managed_shared_memory segment(ipc::open_only, name.c_str());
  ShmCharVector* reply = segment.find<ShmCharVector>("reply").first;
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(text_of(*reply), std::to_string(count) + " " + std::to_string(expected_sum));
  ShmCharVector* text = segment.find<ShmCharVector>("text").first;
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text_of(*text), expected_text);  // the reader swapped it back
}

}  // namespace
