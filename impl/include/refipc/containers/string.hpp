// basic_string<CharT, Traits, Allocator>: std::basic_string's interface over
// a refipc::vector of characters (the text and its terminator), so that a
// string in a managed segment is valid at any mapping address and grows in
// place like the vector. string and wstring are the char and wchar_t forms.
#ifndef REFIPC_CONTAINERS_STRING_HPP_
#define REFIPC_CONTAINERS_STRING_HPP_

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/detail/contiguous_iterator.hpp"
#include "refipc/containers/vector.hpp"

namespace refipc {

// The buffer is either empty (nothing allocated yet, or cleared) or holds
// size() characters and a terminating CharT(). Every change first makes room
// (which may throw bad_alloc and then changes nothing), then edits the
// characters in place, which cannot throw.
template <class CharT, class Traits, class Allocator>
class basic_string {
  using buffer = vector<CharT, Allocator>;
  using alloc_traits = std::allocator_traits<Allocator>;

 public:
  using traits_type = Traits;
  using value_type = CharT;
  using allocator_type = Allocator;
  using size_type = typename alloc_traits::size_type;
  using difference_type = typename alloc_traits::difference_type;
  using reference = CharT&;
  using const_reference = const CharT&;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  using iterator = containers_detail::contiguous_iterator<CharT, basic_string>;
  using const_iterator = containers_detail::contiguous_iterator<const CharT, basic_string>;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;
  using view_type = std::basic_string_view<CharT, Traits>;

  static constexpr size_type npos = static_cast<size_type>(-1);

  basic_string() noexcept(std::is_nothrow_default_constructible<Allocator>::value) : buf_() {}
  explicit basic_string(const Allocator& a) noexcept : buf_(a) {}
  basic_string(const basic_string& other) : buf_(other.buf_) {}
  basic_string(const basic_string& other, const Allocator& a) : buf_(other.buf_, a) {}
  basic_string(basic_string&& other) noexcept : buf_(std::move(other.buf_)) {}
  basic_string(basic_string&& other, const Allocator& a) : buf_(std::move(other.buf_), a) {}
  basic_string(const basic_string& other, size_type pos, size_type n = npos,
               const Allocator& a = Allocator())
      : buf_(a) {
    assign(other, pos, n);
  }
  basic_string(const CharT* s, size_type n, const Allocator& a = Allocator()) : buf_(a) {
    assign(s, n);
  }
  basic_string(const CharT* s, const Allocator& a = Allocator()) : buf_(a) {  // NOLINT: implicit
    assign(s);
  }
  basic_string(size_type n, CharT c, const Allocator& a = Allocator()) : buf_(a) { assign(n, c); }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  basic_string(InputIt first, InputIt last, const Allocator& a = Allocator()) : buf_(a) {
    assign(first, last);
  }
  basic_string(std::initializer_list<CharT> il, const Allocator& a = Allocator()) : buf_(a) {
    assign(il.begin(), il.size());
  }
  explicit basic_string(view_type sv, const Allocator& a = Allocator()) : buf_(a) {
    assign(sv.data(), sv.size());
  }

  basic_string& operator=(const basic_string& other) {
    buf_ = other.buf_;
    return *this;
  }
  basic_string& operator=(basic_string&& other) noexcept(
      alloc_traits::propagate_on_container_move_assignment::value ||
      alloc_traits::is_always_equal::value) {
    buf_ = std::move(other.buf_);
    return *this;
  }
  basic_string& operator=(const CharT* s) { return assign(s); }
  basic_string& operator=(CharT c) { return assign(1, c); }
  basic_string& operator=(std::initializer_list<CharT> il) { return assign(il.begin(), il.size()); }
  basic_string& operator=(view_type sv) { return assign(sv.data(), sv.size()); }

  basic_string& assign(const basic_string& other) { return *this = other; }
  basic_string& assign(basic_string&& other) { return *this = std::move(other); }
  basic_string& assign(const basic_string& other, size_type pos, size_type n = npos) {
    other.check_pos(pos);
    return assign(other.data() + pos, std::min(n, other.size() - pos));
  }
  basic_string& assign(const CharT* s, size_type n) { return replace(0, size(), s, n); }
  basic_string& assign(const CharT* s) { return assign(s, Traits::length(s)); }
  basic_string& assign(size_type n, CharT c) { return replace(0, size(), n, c); }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  basic_string& assign(InputIt first, InputIt last) {
    return replace(begin(), end(), first, last);
  }
  basic_string& assign(std::initializer_list<CharT> il) { return assign(il.begin(), il.size()); }
  basic_string& assign(view_type sv) { return assign(sv.data(), sv.size()); }

  allocator_type get_allocator() const noexcept { return buf_.get_allocator(); }

  reference operator[](size_type i) noexcept { return data()[i]; }
  const_reference operator[](size_type i) const noexcept { return data()[i]; }
  reference at(size_type i) {
    if (i >= size()) throw std::out_of_range("refipc::basic_string::at");
    return data()[i];
  }
  const_reference at(size_type i) const {
    if (i >= size()) throw std::out_of_range("refipc::basic_string::at");
    return data()[i];
  }
  reference front() noexcept { return data()[0]; }
  const_reference front() const noexcept { return data()[0]; }
  reference back() noexcept { return data()[size() - 1]; }
  const_reference back() const noexcept { return data()[size() - 1]; }
  // An empty string without a buffer points at a shared terminator.
  const CharT* data() const noexcept { return buf_.empty() ? empty_text() : buf_.data(); }
  CharT* data() noexcept { return buf_.empty() ? empty_text() : buf_.data(); }
  const CharT* c_str() const noexcept { return data(); }
  operator view_type() const noexcept { return view_type(data(), size()); }  // NOLINT: implicit

  iterator begin() noexcept { return iterator(data()); }
  const_iterator begin() const noexcept { return const_iterator(data()); }
  iterator end() noexcept { return iterator(data() + size()); }
  const_iterator end() const noexcept { return const_iterator(data() + size()); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }
  const_reverse_iterator crbegin() const noexcept { return rbegin(); }
  const_reverse_iterator crend() const noexcept { return rend(); }

  bool empty() const noexcept { return size() == 0; }
  size_type size() const noexcept { return buf_.empty() ? 0 : buf_.size() - 1; }
  size_type length() const noexcept { return size(); }
  size_type max_size() const noexcept { return buf_.max_size() - 1; }
  size_type capacity() const noexcept { return buf_.capacity() == 0 ? 0 : buf_.capacity() - 1; }
  void reserve(size_type n) {
    check_length(n);
    buf_.reserve(n + 1);
  }
  void shrink_to_fit() { buf_.shrink_to_fit(); }
  void clear() noexcept { buf_.clear(); }
  void resize(size_type n, CharT c) {
    if (n <= size()) {
      erase(n);
    } else {
      append(n - size(), c);
    }
  }
  void resize(size_type n) { resize(n, CharT()); }

  basic_string& operator+=(const basic_string& s) { return append(s.data(), s.size()); }
  basic_string& operator+=(const CharT* s) { return append(s); }
  basic_string& operator+=(CharT c) {
    push_back(c);
    return *this;
  }
  basic_string& operator+=(std::initializer_list<CharT> il) {
    return append(il.begin(), il.size());
  }
  basic_string& operator+=(view_type sv) { return append(sv.data(), sv.size()); }
  basic_string& append(const basic_string& s) { return append(s.data(), s.size()); }
  basic_string& append(const basic_string& s, size_type pos, size_type n = npos) {
    s.check_pos(pos);
    return append(s.data() + pos, std::min(n, s.size() - pos));
  }
  basic_string& append(const CharT* s, size_type n) { return replace(size(), 0, s, n); }
  basic_string& append(const CharT* s) { return append(s, Traits::length(s)); }
  basic_string& append(size_type n, CharT c) { return replace(size(), 0, n, c); }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  basic_string& append(InputIt first, InputIt last) {
    return replace(end(), end(), first, last);
  }
  basic_string& append(std::initializer_list<CharT> il) { return append(il.begin(), il.size()); }
  basic_string& append(view_type sv) { return append(sv.data(), sv.size()); }
  void push_back(CharT c) {
    if (!buf_.empty() && buf_.size() < buf_.capacity()) {
      buf_.back() = c;
      buf_.push_back(CharT());
    } else {
      append(1, c);
    }
  }
  void pop_back() noexcept { erase(size() - 1, 1); }

  basic_string& insert(size_type pos, const basic_string& s) {
    return insert(pos, s.data(), s.size());
  }
  basic_string& insert(size_type pos, const CharT* s, size_type n) { return replace(pos, 0, s, n); }
  basic_string& insert(size_type pos, const CharT* s) { return insert(pos, s, Traits::length(s)); }
  basic_string& insert(size_type pos, size_type n, CharT c) { return replace(pos, 0, n, c); }
  iterator insert(const_iterator p, CharT c) { return insert(p, 1, c); }
  iterator insert(const_iterator p, size_type n, CharT c) {
    const size_type pos = index_of(p);
    replace(pos, 0, n, c);
    return begin() + pos;
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  iterator insert(const_iterator p, InputIt first, InputIt last) {
    const size_type pos = index_of(p);
    replace(p, p, first, last);
    return begin() + pos;
  }
  iterator insert(const_iterator p, std::initializer_list<CharT> il) {
    return insert(p, il.begin(), il.end());
  }

  basic_string& erase(size_type pos = 0, size_type n = npos) {
    check_pos(pos);
    return replace(pos, std::min(n, size() - pos), data(), 0);
  }
  iterator erase(const_iterator p) { return erase(p, p + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    const size_type pos = index_of(first);
    erase(pos, static_cast<size_type>(last - first));
    return begin() + pos;
  }

  // The one edit every change goes through: characters [pos, pos + n1)
  // become the n2 characters at `s` (which may lie in this string).
  basic_string& replace(size_type pos, size_type n1, const CharT* s, size_type n2) {
    check_pos(pos);
    n1 = std::min(n1, size() - pos);
    if (n2 != 0 && s >= data() && s < data() + size()) {
      const basic_string copy(s, n2, get_allocator());
      return replace(pos, n1, copy.data(), n2);
    }
    edit(pos, n1, n2, [s, n2](CharT* to) { Traits::copy(to, s, n2); });
    return *this;
  }
  basic_string& replace(size_type pos, size_type n1, const basic_string& s) {
    return replace(pos, n1, s.data(), s.size());
  }
  basic_string& replace(size_type pos, size_type n1, const CharT* s) {
    return replace(pos, n1, s, Traits::length(s));
  }
  basic_string& replace(size_type pos, size_type n1, size_type n2, CharT c) {
    check_pos(pos);
    edit(pos, std::min(n1, size() - pos), n2, [n2, c](CharT* to) { Traits::assign(to, n2, c); });
    return *this;
  }
  basic_string& replace(const_iterator first, const_iterator last, const basic_string& s) {
    return replace(index_of(first), static_cast<size_type>(last - first), s.data(), s.size());
  }
  template <class InputIt, class = typename std::iterator_traits<InputIt>::iterator_category>
  basic_string& replace(const_iterator first, const_iterator last, InputIt f, InputIt l) {
    const size_type pos = index_of(first);
    const size_type n1 = static_cast<size_type>(last - first);
    using category = typename std::iterator_traits<InputIt>::iterator_category;
    if constexpr (std::is_pointer<InputIt>::value) {
      return replace(pos, n1, f, static_cast<size_type>(l - f));
    } else if constexpr (std::is_base_of<std::forward_iterator_tag, category>::value &&
                         !std::is_same<InputIt, iterator>::value &&
                         !std::is_same<InputIt, const_iterator>::value) {
      const size_type n2 = static_cast<size_type>(std::distance(f, l));
      edit(pos, n1, n2, [f, n2](CharT* to) { std::copy_n(f, n2, to); });
      return *this;
    } else {
      // Input iterators, or a range of this string: through a copy.
      const buffer copy(f, l, get_allocator());
      return replace(pos, n1, copy.data(), copy.size());
    }
  }

  size_type copy(CharT* dest, size_type n, size_type pos = 0) const {
    check_pos(pos);
    const size_type k = std::min(n, size() - pos);
    Traits::copy(dest, data() + pos, k);
    return k;
  }
  basic_string substr(size_type pos = 0, size_type n = npos) const {
    return basic_string(*this, pos, n, get_allocator());
  }

  void swap(basic_string& other) noexcept { buf_.swap(other.buf_); }
  friend void swap(basic_string& a, basic_string& b) noexcept { a.swap(b); }

  // Searches and comparisons, as std::basic_string_view's.
  size_type find(view_type v, size_type pos = 0) const noexcept { return view().find(v, pos); }
  size_type find(const CharT* s, size_type pos, size_type n) const {
    return view().find(s, pos, n);
  }
  size_type find(const CharT* s, size_type pos = 0) const { return view().find(s, pos); }
  size_type find(CharT c, size_type pos = 0) const noexcept { return view().find(c, pos); }
  size_type rfind(view_type v, size_type pos = npos) const noexcept { return view().rfind(v, pos); }
  size_type rfind(const CharT* s, size_type pos, size_type n) const {
    return view().rfind(s, pos, n);
  }
  size_type rfind(const CharT* s, size_type pos = npos) const { return view().rfind(s, pos); }
  size_type rfind(CharT c, size_type pos = npos) const noexcept { return view().rfind(c, pos); }
  size_type find_first_of(view_type v, size_type pos = 0) const noexcept {
    return view().find_first_of(v, pos);
  }
  size_type find_first_of(CharT c, size_type pos = 0) const noexcept {
    return view().find_first_of(c, pos);
  }
  size_type find_last_of(view_type v, size_type pos = npos) const noexcept {
    return view().find_last_of(v, pos);
  }
  size_type find_last_of(CharT c, size_type pos = npos) const noexcept {
    return view().find_last_of(c, pos);
  }
  size_type find_first_not_of(view_type v, size_type pos = 0) const noexcept {
    return view().find_first_not_of(v, pos);
  }
  size_type find_first_not_of(CharT c, size_type pos = 0) const noexcept {
    return view().find_first_not_of(c, pos);
  }
  size_type find_last_not_of(view_type v, size_type pos = npos) const noexcept {
    return view().find_last_not_of(v, pos);
  }
  size_type find_last_not_of(CharT c, size_type pos = npos) const noexcept {
    return view().find_last_not_of(c, pos);
  }
  int compare(view_type v) const noexcept { return view().compare(v); }
  int compare(const CharT* s) const { return view().compare(s); }
  int compare(size_type pos, size_type n, view_type v) const {
    check_pos(pos);
    return view().compare(pos, n, v);
  }

 private:
  view_type view() const noexcept { return view_type(data(), size()); }
  static CharT* empty_text() noexcept {
    static CharT nul = CharT();
    return &nul;
  }
  void check_pos(size_type pos) const {
    if (pos > size()) throw std::out_of_range("refipc::basic_string: position past the end");
  }
  void check_length(size_type n) const {
    if (n > max_size()) throw std::length_error("refipc::basic_string: too long");
  }
  size_type index_of(const_iterator p) const noexcept {
    return static_cast<size_type>(p.get() - data());
  }
  // Replaces [pos, pos + n1) (both valid) by n2 characters that write(at)
  // stores at `at`.
  template <class Write>
  void edit(size_type pos, size_type n1, size_type n2, Write&& write) {
    const size_type old_size = size();
    if (n2 > n1) check_length(old_size - n1 + n2);
    const size_type new_size = old_size - n1 + n2;
    if (new_size + 1 > buf_.capacity()) {
      // Geometric growth keeps repeated appends linear.
      buf_.reserve(std::max(new_size + 1, std::min(buf_.capacity() * 2, buf_.max_size())));
    }
    // From here on nothing allocates, so nothing throws.
    if (buf_.empty()) buf_.resize(1);
    const size_type tail = old_size - pos - n1 + 1;  // with the terminator
    if (n2 > n1) buf_.resize(new_size + 1);
    CharT* p = buf_.data();
    Traits::move(p + pos + n2, p + pos + n1, tail);
    write(p + pos);
    if (n2 < n1) buf_.resize(new_size + 1);
  }

  buffer buf_;
};

template <class C, class T, class A>
basic_string<C, T, A> operator+(const basic_string<C, T, A>& a, const basic_string<C, T, A>& b) {
  basic_string<C, T, A> r(a);
  r.append(b);
  return r;
}
template <class C, class T, class A>
basic_string<C, T, A> operator+(basic_string<C, T, A>&& a, const basic_string<C, T, A>& b) {
  a.append(b);
  return std::move(a);
}
template <class C, class T, class A>
basic_string<C, T, A> operator+(const basic_string<C, T, A>& a, const C* b) {
  basic_string<C, T, A> r(a);
  r.append(b);
  return r;
}
template <class C, class T, class A>
basic_string<C, T, A> operator+(basic_string<C, T, A>&& a, const C* b) {
  a.append(b);
  return std::move(a);
}
template <class C, class T, class A>
basic_string<C, T, A> operator+(const C* a, const basic_string<C, T, A>& b) {
  basic_string<C, T, A> r(b.get_allocator());
  r.reserve(T::length(a) + b.size());
  r.append(a).append(b);
  return r;
}
template <class C, class T, class A>
basic_string<C, T, A> operator+(const basic_string<C, T, A>& a, C c) {
  basic_string<C, T, A> r(a);
  r.push_back(c);
  return r;
}

// Comparisons with another string, a C string or a string view.
#define REFIPC_STRING_COMPARISON(op)                                                 \
  template <class C, class T, class A>                                               \
  bool operator op(const basic_string<C, T, A>& a, const basic_string<C, T, A>& b) { \
    return std::basic_string_view<C, T>(a) op std::basic_string_view<C, T>(b);       \
  }                                                                                  \
  template <class C, class T, class A>                                               \
  bool operator op(const basic_string<C, T, A>& a, const C* b) {                     \
    return std::basic_string_view<C, T>(a) op std::basic_string_view<C, T>(b);       \
  }                                                                                  \
  template <class C, class T, class A>                                               \
  bool operator op(const C* a, const basic_string<C, T, A>& b) {                     \
    return std::basic_string_view<C, T>(a) op std::basic_string_view<C, T>(b);       \
  }
REFIPC_STRING_COMPARISON(==)
REFIPC_STRING_COMPARISON(!=)
REFIPC_STRING_COMPARISON(<)
REFIPC_STRING_COMPARISON(>)
REFIPC_STRING_COMPARISON(<=)
REFIPC_STRING_COMPARISON(>=)
#undef REFIPC_STRING_COMPARISON

template <class C, class T, class A>
std::basic_ostream<C, T>& operator<<(std::basic_ostream<C, T>& os, const basic_string<C, T, A>& s) {
  return os << std::basic_string_view<C, T>(s);
}

}  // namespace refipc

namespace std {

// Hashes as the equal std::basic_string_view.
template <class C, class T, class A>
struct hash<refipc::basic_string<C, T, A>> {
  size_t operator()(const refipc::basic_string<C, T, A>& s) const noexcept {
    return hash<basic_string_view<C, T>>()(s);
  }
};

}  // namespace std

#endif  // REFIPC_CONTAINERS_STRING_HPP_
