// basic_vectorbuf and the streams over it ("Direct iostream formatting:
// vectorstream and bufferstream" > vectorstream): iostream formatting directly
// into and parsing directly from a character vector with contiguous storage
// (std::vector, std::string, or a vector whose allocator places it in a
// managed segment), which grows as needed and can be swapped out without a
// copy.
//
// While writing, the vector is kept resized to its whole capacity so that
// characters are stored in place; what was written is its first written_
// characters (the high-water mark of the write position). vector() and
// swap_vector() shrink it back to exactly that.
#ifndef REFIPC_STREAMS_VECTORSTREAM_HPP_
#define REFIPC_STREAMS_VECTORSTREAM_HPP_

#include <algorithm>
#include <cstddef>
#include <ios>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>

#include "refipc/streams/streambuf_base.hpp"

namespace refipc {

template <class CharVector, class CharTraits = std::char_traits<typename CharVector::value_type>>
class basic_vectorbuf
    : public streams_detail::streambuf_base<typename CharVector::value_type, CharTraits> {
  using impl_t = streams_detail::streambuf_base<typename CharVector::value_type, CharTraits>;

 public:
  using vector_type = CharVector;
  using char_type = typename CharVector::value_type;
  using int_type = typename CharTraits::int_type;
  using pos_type = typename CharTraits::pos_type;
  using off_type = typename CharTraits::off_type;
  using traits_type = CharTraits;

  explicit basic_vectorbuf(std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : impl_t(mode) {
    reset();
  }
  template <class VectorParameter>
  explicit basic_vectorbuf(const VectorParameter& param,
                           std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : impl_t(mode), vector_(param) {
    reset();
  }
  basic_vectorbuf(const basic_vectorbuf&) = delete;
  basic_vectorbuf& operator=(const basic_vectorbuf&) = delete;
  ~basic_vectorbuf() override = default;

  // `vect` receives exactly what was written; the stream then reads and
  // writes `vect`'s former contents from the beginning.
  void swap_vector(vector_type& vect) {
    trim();
    vector_.swap(vect);
    reset();
  }

  // Shrinking the vector to what was written moves no character and keeps
  // both positions; the put area shrinks with it.
  const vector_type& vector() const {
    const_cast<basic_vectorbuf*>(this)->trim();
    return vector_;
  }

  // The contents are kept; reading and writing start again at the beginning.
  void reserve(typename vector_type::size_type size) {
    trim();
    vector_.reserve(size);
    reset();
  }

  void clear() {
    vector_.clear();
    reset();
  }

 protected:
  int_type underflow() override {
    note_written();
    return this->gptr() < this->egptr() ? CharTraits::to_int_type(*this->gptr())
                                        : CharTraits::eof();
  }

  // Called when the put area is full: the vector grows (its own allocator
  // throws if it cannot, which the stream turns into badbit).
  int_type overflow(int_type c) override {
    if (!this->writes()) return CharTraits::eof();
    if (CharTraits::eq_int_type(c, CharTraits::eof())) return CharTraits::not_eof(c);
    if (this->pptr() == this->epptr()) {
      note_written();
      const std::size_t put = static_cast<std::size_t>(this->pptr() - this->pbase());
      const std::size_t get = static_cast<std::size_t>(this->gptr() - this->eback());
      if (vector_.size() == vector_.capacity()) vector_.reserve(grown_capacity());
      vector_.resize(vector_.capacity());
      if (put >= vector_.size()) return CharTraits::eof();  // at max_size()
      char_type* data = &vector_[0];
      if (this->reads()) this->setg(data, data + get, data + written_);
      this->set_put(data, put, data + vector_.size());
    }
    *this->pptr() = CharTraits::to_char_type(c);
    this->pbump(1);
    return c;
  }

  off_type seek_end() override {
    note_written();
    return static_cast<off_type>(written_);
  }

 private:
  char_type* data() { return vector_.empty() ? nullptr : &vector_[0]; }

  // Raises the high-water mark to the write position and lets reading reach
  // everything written.
  void note_written() {
    if (!this->writes()) return;
    written_ = std::max(written_, static_cast<std::size_t>(this->pptr() - this->pbase()));
    if (this->reads()) this->setg(this->eback(), this->gptr(), this->pbase() + written_);
  }

  // Sizes the vector to what was written, keeping both positions.
  void trim() {
    if (!this->writes()) return;
    note_written();
    const std::size_t put = static_cast<std::size_t>(this->pptr() - this->pbase());
    vector_.resize(written_);  // shrinking never reallocates
    this->set_put(data(), put, data() + written_);
  }

  // Both positions at the beginning of the vector's current contents; for
  // writing the vector is widened to its capacity.
  void reset() {
    written_ = vector_.size();
    if (this->writes()) vector_.resize(vector_.capacity());
    char_type* begin = data();
    if (this->reads()) this->setg(begin, begin, begin + written_);
    if (this->writes()) this->set_put(begin, 0, begin + vector_.size());
  }

  typename vector_type::size_type grown_capacity() const {
    const auto max = vector_.max_size();
    const auto capacity = vector_.capacity();
    if (capacity >= max / 2) return max;
    return std::max<typename vector_type::size_type>(2 * capacity, 64);
  }

  mutable vector_type vector_;
  std::size_t written_ = 0;
};

namespace streams_detail {

// What the three vector streams share: the std stream Stream over a
// basic_vectorbuf, with Always added to every mode, and the vector's members.
template <class CharVector, class CharTraits, class Stream, std::ios_base::openmode Always>
class vector_stream : public stream_over<basic_vectorbuf<CharVector, CharTraits>, Stream> {
  using base = stream_over<basic_vectorbuf<CharVector, CharTraits>, Stream>;

 public:
  using vector_type = CharVector;

  void swap_vector(vector_type& vect) { this->buf().swap_vector(vect); }
  const vector_type& vector() const { return this->buf().vector(); }
  void reserve(typename vector_type::size_type size) { this->buf().reserve(size); }

 protected:
  explicit vector_stream(std::ios_base::openmode mode) : base(mode | Always) {}
  template <class VectorParameter>
  vector_stream(const VectorParameter& param, std::ios_base::openmode mode)
      : base(param, mode | Always) {}
};

template <class CharVector, class CharTraits>
using istream_of = std::basic_istream<typename CharVector::value_type, CharTraits>;
template <class CharVector, class CharTraits>
using ostream_of = std::basic_ostream<typename CharVector::value_type, CharTraits>;
template <class CharVector, class CharTraits>
using iostream_of = std::basic_iostream<typename CharVector::value_type, CharTraits>;

}  // namespace streams_detail

template <class CharVector, class CharTraits = std::char_traits<typename CharVector::value_type>>
class basic_ivectorstream
    : public streams_detail::vector_stream<CharVector, CharTraits,
                                           streams_detail::istream_of<CharVector, CharTraits>,
                                           std::ios_base::in> {
  using base = streams_detail::vector_stream<CharVector, CharTraits,
                                             streams_detail::istream_of<CharVector, CharTraits>,
                                             std::ios_base::in>;

 public:
  basic_ivectorstream(std::ios_base::openmode mode = std::ios_base::in) : base(mode) {}
  template <class VectorParameter>
  basic_ivectorstream(const VectorParameter& param,
                      std::ios_base::openmode mode = std::ios_base::in)
      : base(param, mode) {}

  // Empties the vector (as the manual declares it, this hides basic_ios::clear).
  void clear() { this->buf().clear(); }
};

template <class CharVector, class CharTraits = std::char_traits<typename CharVector::value_type>>
class basic_ovectorstream
    : public streams_detail::vector_stream<CharVector, CharTraits,
                                           streams_detail::ostream_of<CharVector, CharTraits>,
                                           std::ios_base::out> {
  using base = streams_detail::vector_stream<CharVector, CharTraits,
                                             streams_detail::ostream_of<CharVector, CharTraits>,
                                             std::ios_base::out>;

 public:
  basic_ovectorstream(std::ios_base::openmode mode = std::ios_base::out) : base(mode) {}
  template <class VectorParameter>
  basic_ovectorstream(const VectorParameter& param,
                      std::ios_base::openmode mode = std::ios_base::out)
      : base(param, mode) {}
};

template <class CharVector, class CharTraits = std::char_traits<typename CharVector::value_type>>
class basic_vectorstream
    : public streams_detail::vector_stream<CharVector, CharTraits,
                                           streams_detail::iostream_of<CharVector, CharTraits>,
                                           std::ios_base::openmode{}> {
  using base = streams_detail::vector_stream<CharVector, CharTraits,
                                             streams_detail::iostream_of<CharVector, CharTraits>,
                                             std::ios_base::openmode{}>;

 public:
  basic_vectorstream(std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : base(mode) {}
  template <class VectorParameter>
  basic_vectorstream(const VectorParameter& param,
                     std::ios_base::openmode mode = std::ios_base::in | std::ios_base::out)
      : base(param, mode) {}

  // Empties the vector (as the manual declares it, this hides basic_ios::clear).
  void clear() { this->buf().clear(); }
};

}  // namespace refipc

#endif  // REFIPC_STREAMS_VECTORSTREAM_HPP_
