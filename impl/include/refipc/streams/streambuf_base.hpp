// What basic_bufferbuf and basic_vectorbuf share: the open mode, putback and
// bounds-checked seeking within a logical end that each buffer defines.
#ifndef REFIPC_STREAMS_STREAMBUF_BASE_HPP_
#define REFIPC_STREAMS_STREAMBUF_BASE_HPP_

#include <climits>
#include <cstddef>
#include <ios>
#include <streambuf>

namespace refipc {
namespace streams_detail {

template <class CharT, class CharTraits>
class streambuf_base : public std::basic_streambuf<CharT, CharTraits> {
 public:
  using char_type = CharT;
  using int_type = typename CharTraits::int_type;
  using pos_type = typename CharTraits::pos_type;
  using off_type = typename CharTraits::off_type;
  using traits_type = CharTraits;

 protected:
  explicit streambuf_base(std::ios_base::openmode mode) : mode_(mode) {}

  bool reads() const { return (mode_ & std::ios_base::in) != 0; }
  bool writes() const { return (mode_ & std::ios_base::out) != 0; }

  // The put area [base, end) with the write position `pos` characters in;
  // pbump takes an int, so a position beyond INT_MAX takes several steps.
  void set_put(CharT* base, std::size_t pos, CharT* end) {
    this->setp(base, end);
    for (; pos > static_cast<std::size_t>(INT_MAX); pos -= INT_MAX) this->pbump(INT_MAX);
    this->pbump(static_cast<int>(pos));
  }

  // The number of characters a seek can reach; seek_end() may first extend
  // the get area to everything written.
  virtual off_type seek_end() = 0;

  // Steps back over the last character read. A different character replaces
  // it only when the buffer is writable.
  int_type pbackfail(int_type c) override {
    if (this->gptr() == this->eback()) return CharTraits::eof();
    if (CharTraits::eq_int_type(c, CharTraits::eof())) {
      this->gbump(-1);
      return CharTraits::not_eof(c);
    }
    const char_type ch = CharTraits::to_char_type(c);
    if (!CharTraits::eq(ch, this->gptr()[-1])) {
      if (!writes()) return CharTraits::eof();
      this->gptr()[-1] = ch;
    }
    this->gbump(-1);
    return c;
  }

  // As std::basic_stringbuf: the read and write positions move on their own;
  // moving both at once is allowed from the beginning or the end only. A
  // target outside [0, seek_end()] fails and moves nothing.
  pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override {
    const pos_type fail = pos_type(off_type(-1));
    const bool in = (which & std::ios_base::in) != 0;
    const bool out = (which & std::ios_base::out) != 0;
    if ((!in && !out) || (in && out && dir == std::ios_base::cur)) return fail;
    if ((in && !reads()) || (out && !writes())) return fail;
    const off_type end = seek_end();
    off_type from;
    if (dir == std::ios_base::beg) {
      from = 0;
    } else if (dir == std::ios_base::end) {
      from = end;
    } else if (dir == std::ios_base::cur) {
      from = in ? off_type(this->gptr() - this->eback()) : off_type(this->pptr() - this->pbase());
    } else {
      return fail;
    }
    // 0 <= from <= end, so neither comparison overflows.
    if (off < -from || off > end - from) return fail;
    const off_type to = from + off;
    if (in) this->setg(this->eback(), this->eback() + to, this->egptr());
    if (out) set_put(this->pbase(), static_cast<std::size_t>(to), this->epptr());
    return pos_type(to);
  }

  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    return seekoff(off_type(pos), std::ios_base::beg, which);
  }

 private:
  std::ios_base::openmode mode_;
};

// Holds a stream's buffer in a base class listed before the std stream base,
// so that the buffer exists when the stream is initialised with it.
template <class Buf>
struct buf_holder {
  template <class... Args>
  explicit buf_holder(Args&&... args) : held_buf(static_cast<Args&&>(args)...) {}
  mutable Buf held_buf;  // rdbuf() is const, as in std::basic_stringstream
};

// What every buffer and vector stream is: a std stream (Stream: basic_istream,
// basic_ostream or basic_iostream) over a buffer of type Buf that it owns,
// built from the arguments given to the constructor.
template <class Buf, class Stream>
class stream_over : private buf_holder<Buf>, public Stream {
 public:
  using char_type = typename Stream::char_type;
  using int_type = typename Stream::int_type;
  using pos_type = typename Stream::pos_type;
  using off_type = typename Stream::off_type;
  using traits_type = typename Stream::traits_type;

  Buf* rdbuf() const { return &this->held_buf; }

 protected:
  template <class... Args>
  explicit stream_over(Args&&... args)
      : buf_holder<Buf>(static_cast<Args&&>(args)...), Stream(&this->held_buf) {}
  Buf& buf() const { return this->held_buf; }
};

}  // namespace streams_detail
}  // namespace refipc

#endif  // REFIPC_STREAMS_STREAMBUF_BASE_HPP_
