// basic_bufferbuf and the streams over it ("Direct iostream formatting:
// vectorstream and bufferstream" > bufferstream): iostream formatting into and
// parsing from a fixed-size character buffer the caller owns, for example in
// shared memory. Nothing is ever read or written outside the buffer: a read
// past its end sets eofbit, a write past its end fails and sets badbit.
#ifndef REFIPC_STREAMS_BUFFERSTREAM_HPP_
#define REFIPC_STREAMS_BUFFERSTREAM_HPP_

#include <cstddef>
#include <ios>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>
#include <utility>

#include "refipc/streams/streambuf_base.hpp"

namespace refipc {

template <class CharT, class CharTraits = std::char_traits<CharT>>
class basic_bufferbuf : public streams_detail::streambuf_base<CharT, CharTraits> {
  using impl_t = streams_detail::streambuf_base<CharT, CharTraits>;

 public:
  using char_type = CharT;
  using int_type = typename CharTraits::int_type;
  using pos_type = typename CharTraits::pos_type;
  using off_type = typename CharTraits::off_type;
  using traits_type = CharTraits;
  using base_t = std::basic_streambuf<char_type, traits_type>;

  explicit basic_bufferbuf(std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : impl_t(mode) {}
  basic_bufferbuf(CharT* buffer, std::size_t length,
                  std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : impl_t(mode) {
    this->buffer(buffer, length);
  }
  basic_bufferbuf(const basic_bufferbuf&) = delete;
  basic_bufferbuf& operator=(const basic_bufferbuf&) = delete;
  ~basic_bufferbuf() override = default;

  std::pair<CharT*, std::size_t> buffer() const { return {buffer_, length_}; }

  // Reads and writes start again at the beginning of the new buffer.
  void buffer(CharT* buffer, std::size_t length) {
    buffer_ = buffer;
    length_ = length;
    if (this->reads()) this->setg(buffer, buffer, buffer + length);
    if (this->writes()) this->set_put(buffer, 0, buffer + length);
  }

 protected:
  int_type underflow() override {
    return this->gptr() < this->egptr() ? CharTraits::to_int_type(*this->gptr())
                                        : CharTraits::eof();
  }

  // Once the get area is consumed nothing more will ever come.
  std::streamsize showmanyc() override { return -1; }

  // Called when the put area is full (or directly): a fixed buffer cannot
  // grow, so the character is refused and the stream sets badbit.
  int_type overflow(int_type c) override {
    if (!this->writes()) return CharTraits::eof();
    if (CharTraits::eq_int_type(c, CharTraits::eof())) return CharTraits::not_eof(c);
    if (this->pptr() == this->epptr()) return CharTraits::eof();
    *this->pptr() = CharTraits::to_char_type(c);
    this->pbump(1);
    return c;
  }

  off_type seek_end() override { return static_cast<off_type>(length_); }

 private:
  CharT* buffer_ = nullptr;
  std::size_t length_ = 0;
};

// Reads from a buffer it never writes to (it is opened without out).
template <class CharT, class CharTraits = std::char_traits<CharT>>
class basic_ibufferstream
    : public streams_detail::stream_over<basic_bufferbuf<CharT, CharTraits>,
                                         std::basic_istream<CharT, CharTraits>> {
  using base = streams_detail::stream_over<basic_bufferbuf<CharT, CharTraits>,
                                           std::basic_istream<CharT, CharTraits>>;
  static std::ios_base::openmode read_only(std::ios_base::openmode mode) {
    return (mode | std::ios_base::in) & ~std::ios_base::out;
  }

 public:
  basic_ibufferstream(std::ios_base::openmode mode = std::ios_base::in) : base(read_only(mode)) {}
  basic_ibufferstream(const CharT* buffer, std::size_t length,
                      std::ios_base::openmode mode = std::ios_base::in)
      // The buffer is never written: the bufferbuf is opened without out.
      : base(const_cast<CharT*>(buffer), length, read_only(mode)) {}

  std::pair<const CharT*, std::size_t> buffer() const {
    const auto held = this->buf().buffer();
    return {held.first, held.second};
  }
  void buffer(const CharT* buffer, std::size_t length) {
    this->buf().buffer(const_cast<CharT*>(buffer), length);
  }
};

namespace streams_detail {

// A stream that may write to its buffer: Always is added to every mode.
template <class CharT, class CharTraits, class Stream, std::ios_base::openmode Always>
class writable_bufferstream
    : public streams_detail::stream_over<basic_bufferbuf<CharT, CharTraits>, Stream> {
  using base = streams_detail::stream_over<basic_bufferbuf<CharT, CharTraits>, Stream>;

 public:
  std::pair<CharT*, std::size_t> buffer() const { return this->buf().buffer(); }
  void buffer(CharT* buffer, std::size_t length) { this->buf().buffer(buffer, length); }

 protected:
  explicit writable_bufferstream(std::ios_base::openmode mode) : base(mode | Always) {}
  writable_bufferstream(CharT* buffer, std::size_t length, std::ios_base::openmode mode)
      : base(buffer, length, mode | Always) {}
};

}  // namespace streams_detail

template <class CharT, class CharTraits = std::char_traits<CharT>>
class basic_obufferstream
    : public streams_detail::writable_bufferstream<
          CharT, CharTraits, std::basic_ostream<CharT, CharTraits>, std::ios_base::out> {
  using base = streams_detail::writable_bufferstream<
      CharT, CharTraits, std::basic_ostream<CharT, CharTraits>, std::ios_base::out>;

 public:
  basic_obufferstream(std::ios_base::openmode mode = std::ios_base::out) : base(mode) {}
  basic_obufferstream(CharT* buffer, std::size_t length,
                      std::ios_base::openmode mode = std::ios_base::out)
      : base(buffer, length, mode) {}
};

template <class CharT, class CharTraits = std::char_traits<CharT>>
class basic_bufferstream
    : public streams_detail::writable_bufferstream<
          CharT, CharTraits, std::basic_iostream<CharT, CharTraits>, std::ios_base::openmode{}> {
  using base = streams_detail::writable_bufferstream<
      CharT, CharTraits, std::basic_iostream<CharT, CharTraits>, std::ios_base::openmode{}>;

 public:
  basic_bufferstream(std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : base(mode) {}
  basic_bufferstream(CharT* buffer, std::size_t length,
                     std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : base(buffer, length, mode) {}
};

using bufferbuf = basic_bufferbuf<char>;
using bufferstream = basic_bufferstream<char>;
using ibufferstream = basic_ibufferstream<char>;
using obufferstream = basic_obufferstream<char>;
using wbufferbuf = basic_bufferbuf<wchar_t>;
using wbufferstream = basic_bufferstream<wchar_t>;
using wibufferstream = basic_ibufferstream<wchar_t>;
using wobufferstream = basic_obufferstream<wchar_t>;

}  // namespace refipc

#endif  // REFIPC_STREAMS_BUFFERSTREAM_HPP_
