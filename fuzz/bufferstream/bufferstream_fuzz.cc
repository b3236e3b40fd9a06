// Input: a mode byte, a 2-byte text length, the text, then operations of 3
// bytes (opcode, a, b). The text is copied into a heap allocation of exactly
// its length.
//  - Even modes parse it through an ibufferstream and a std::istringstream
//    over the same text and check that every operation gives the same values,
//    state and position, and that the buffer is never modified.
//  - Odd modes mix formatted writes, reads, seeks and putbacks through a
//    bufferstream, checking that positions stay in bounds and that each write
//    stores its characters (or as many as fit, setting badbit) in place.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ios>
#include <memory>
#include <sstream>
#include <string>

#include "fuzz/support/check.hpp"
#include "refipc/streams/bufferstream.hpp"

namespace {

struct Op {
  int code;
  int a;
  int b;
};

// Signed offsets around the buffer's bounds.
std::streamoff offset(int a, std::size_t length) {
  return static_cast<std::streamoff>(a % (2 * length + 3)) -
         static_cast<std::streamoff>(length + 1);
}

std::ios_base::seekdir direction(int b) {
  return b % 3 == 0 ? std::ios_base::beg : b % 3 == 1 ? std::ios_base::cur : std::ios_base::end;
}

// Applies one read-side operation to `in` and describes what it observed.
std::string apply_read(std::istream& in, const Op& op, std::size_t length) {
  std::ostringstream seen;
  switch (op.code % 12) {
    case 0: {
      long long value = 0;
      in >> value;
      seen << value;
      break;
    }
    case 1: {
      double value = 0;
      in >> value;
      seen << value;
      break;
    }
    case 2: {
      std::string word;
      in >> word;
      seen << word;
      break;
    }
    case 3: {
      std::string line;
      std::getline(in, line, static_cast<char>(op.a));
      seen << line;
      break;
    }
    case 4:
      in.seekg(offset(op.a, length), direction(op.b));
      break;
    case 5:
      in.seekg(static_cast<std::streampos>(op.a % (length + 2)));
      break;
    case 6:
      in.unget();
      break;
    case 7:
      in.putback(static_cast<char>(op.a));
      break;
    case 8:
      in.ignore(op.a % 8, op.b);
      break;
    case 9:
      seen << in.peek() << ',' << in.get();
      break;
    case 10: {
      char chunk[16];
      in.read(chunk, op.a % 16);
      seen << std::string(chunk, static_cast<std::size_t>(in.gcount()));
      break;
    }
    default:
      in.clear();
      break;
  }
  seen << '|' << in.rdstate() << '|' << in.gcount() << '|';
  const std::streampos at = in.tellg();
  seen << static_cast<long long>(at);
  in.clear(in.rdstate() & ~std::ios_base::failbit);  // carry on after a failed operation
  return seen.str();
}

void differential(const char* text, std::size_t length, const Op* ops, std::size_t count) {
  refipc::ibufferstream in(text, length);
  std::istringstream model(std::string(text, length));
  for (std::size_t i = 0; i < count; ++i) {
    const std::string got = apply_read(in, ops[i], length);
    const std::string want = apply_read(model, ops[i], length);
    if (got != want) std::fprintf(stderr, "op %zu: got %s want %s\n", i, got.c_str(), want.c_str());
    FUZZ_CHECK(got == want);
  }
}

// The write position, or -1 when the stream will not write (not good()).
long long put_position(refipc::bufferstream& io) {
  return io.good() ? static_cast<long long>(io.tellp()) : -1;
}

void mixed(char* buffer, std::size_t length, const Op* ops, std::size_t count) {
  refipc::bufferstream io(buffer, length);
  for (std::size_t i = 0; i < count; ++i) {
    const Op& op = ops[i];
    const long long before = put_position(io);
    FUZZ_CHECK(before >= -1 && before <= static_cast<long long>(length));
    if (op.code % 4 == 0) {
      const std::string text = std::to_string(op.a * 257 - op.b * 65536);
      io << (op.a * 257 - op.b * 65536);
      if (before < 0) continue;
      const std::size_t at = static_cast<std::size_t>(before);
      const std::size_t fit = std::min(text.size(), length - at);
      FUZZ_CHECK(std::memcmp(buffer + at, text.data(), fit) == 0);
      FUZZ_CHECK(io.bad() == (fit < text.size()));
      if (!io.bad()) FUZZ_CHECK(put_position(io) == static_cast<long long>(at + fit));
    } else if (op.code % 4 == 1) {
      io.seekp(offset(op.a, length),
               direction(op.b) == std::ios_base::cur ? std::ios_base::beg : direction(op.b));
    } else if (op.code % 4 == 2) {
      io.write("#####", op.a % 6);
    } else {
      apply_read(io, op, length);
      if (op.code % 97 == 3) io.clear();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const int mode = data[0];
  std::size_t length = (static_cast<std::size_t>(data[1]) << 8 | data[2]) % 512;
  data += 3;
  size -= 3;
  if (length > size) length = size;
  // Exactly `length` bytes: one past the end is outside the allocation.
  std::unique_ptr<char[]> buffer(new char[length]);
  std::memcpy(buffer.get(), data, length);
  data += length;
  size -= length;
  const std::size_t count = size / 3;
  std::unique_ptr<Op[]> ops(new Op[count]);
  for (std::size_t i = 0; i < count; ++i) ops[i] = {data[3 * i], data[3 * i + 1], data[3 * i + 2]};
  if (mode % 2 == 0) {
    const std::string original(buffer.get(), length);
    differential(buffer.get(), length, ops.get(), count);
    FUZZ_CHECK(std::memcmp(buffer.get(), original.data(), length) == 0);
  } else {
    mixed(buffer.get(), length, ops.get(), count);
  }
  return 0;
}
