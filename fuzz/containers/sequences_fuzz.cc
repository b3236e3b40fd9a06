// Each 4-byte step (the container in the low 3 bits of the first byte and
// the opcode above them, two arguments, a value) runs one operation on
// refipc's sequence containers built in a 24 KiB managed external buffer and
// on std:: models: vector<int>, deque<int>, stable_vector<int> (model
// std::vector), basic_string<char> and slist<int> (model std::list). The segment is small, so
// growth runs out of memory: an operation the standard gives the strong guarantee must leave its
// container equal to the unchanged model when it throws bad_alloc; after
// the others (assign, resize, range inserts of slist) the model takes the
// container's contents, which must still be sound. After every step each
// container equals its model, its iterators walk it both ways and the
// segment passes check_sanity().
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "fuzz/support/check.hpp"
#include "fuzz/support/input.hpp"
#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/deque.hpp"
#include "refipc/containers/slist.hpp"
#include "refipc/containers/stable_vector.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/vector.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_external_buffer.hpp"

namespace {

constexpr std::size_t kSize = 24 * 1024;

using segment_t = refipc::managed_external_buffer;
using manager_t = segment_t::segment_manager;
template <class T>
using alloc_t = refipc::allocator<T, manager_t>;
using vector_t = refipc::vector<int, alloc_t<int>>;
using deque_t = refipc::deque<int, alloc_t<int>>;
using stable_t = refipc::stable_vector<int, alloc_t<int>>;
using string_t = refipc::basic_string<char, std::char_traits<char>, alloc_t<char>>;
using slist_t = refipc::slist<int, alloc_t<int>>;

// Runs `op`; the model follows only if it did not throw. After bad_alloc a
// strong operation has changed nothing (the comparison checks it); after a
// basic one the model takes the container's contents.
template <class Container, class Model, class Op, class ModelOp>
void attempt(Container& c, Model& m, bool strong, Op op, ModelOp model_op) {
  try {
    op();
  } catch (const refipc::bad_alloc&) {
    if (!strong) m.assign(c.begin(), c.end());
    return;
  }
  model_op();
}

template <class Container, class Model>
void same(const Container& c, const Model& m) {
  FUZZ_CHECK(c.size() == m.size() && !c.empty() == !m.empty());
  FUZZ_CHECK(std::equal(c.begin(), c.end(), m.begin(), m.end()));
  FUZZ_CHECK(std::distance(c.begin(), c.end()) == static_cast<std::ptrdiff_t>(c.size()));
  if constexpr (std::is_base_of_v<std::bidirectional_iterator_tag,
                                  typename std::iterator_traits<
                                      typename Container::const_iterator>::iterator_category>) {
    FUZZ_CHECK(std::equal(c.rbegin(), c.rend(), m.rbegin(), m.rend()));
  }
}

// A position in [0, size] (or [0, size) when `element`) from an argument.
template <class Model>
std::size_t at(const Model& m, int arg, bool element = false) {
  const std::size_t n = m.size() + (element ? 0 : 1);
  return n == 0 ? 0 : static_cast<std::size_t>(arg) % n;
}

// The operations vector, deque and stable_vector share (random access).
template <class Container, class Model>
void random_access_step(segment_t& segment, Container& c, Model& m, int op, int a, int b, int v) {
  const auto pos = [&](bool element = false) {
    return static_cast<std::ptrdiff_t>(at(m, a, element));
  };
  switch (op % 14) {
    case 0:
      attempt(
          c, m, true, [&] { c.push_back(v); }, [&] { m.push_back(v); });
      break;
    case 1:
      if (!m.empty()) {
        c.pop_back();
        m.pop_back();
      }
      break;
    case 2: {
      const std::ptrdiff_t p = pos();
      const std::size_t n = static_cast<std::size_t>(b % 24);
      attempt(
          c, m, true, [&] { c.insert(c.begin() + p, n, v); },
          [&] { m.insert(m.begin() + p, n, v); });
      break;
    }
    case 3:
      if (!m.empty()) {
        const std::ptrdiff_t p = pos(true);
        auto it = c.erase(c.begin() + p);
        FUZZ_CHECK(it - c.begin() == p);
        m.erase(m.begin() + p);
      }
      break;
    case 4: {
      const std::ptrdiff_t p = pos();
      const std::ptrdiff_t n =
          std::min<std::ptrdiff_t>(b % 16, static_cast<std::ptrdiff_t>(m.size()) - p);
      c.erase(c.begin() + p, c.begin() + p + n);
      m.erase(m.begin() + p, m.begin() + p + n);
      break;
    }
    case 5: {
      const std::size_t n = static_cast<std::size_t>(b % 96);
      attempt(
          c, m, false, [&] { c.resize(n, v); }, [&] { m.resize(n, v); });
      break;
    }
    case 6: {
      const std::ptrdiff_t p = pos();
      attempt(
          c, m, true, [&] { c.emplace(c.begin() + p, v); }, [&] { m.emplace(m.begin() + p, v); });
      break;
    }
    case 7: {
      const std::size_t n = static_cast<std::size_t>(b % 64);
      attempt(
          c, m, false, [&] { c.assign(n, v); }, [&] { m.assign(n, v); });
      break;
    }
    case 8: {
      std::vector<int> src(static_cast<std::size_t>(b % 20));
      for (std::size_t i = 0; i < src.size(); ++i) src[i] = v + static_cast<int>(i);
      const std::ptrdiff_t p = pos();
      attempt(
          c, m, true, [&] { c.insert(c.begin() + p, src.begin(), src.end()); },
          [&] { m.insert(m.begin() + p, src.begin(), src.end()); });
      break;
    }
    case 9:
      if (!m.empty()) {
        const std::size_t p = at(m, a, true);
        c[p] = v;
        m[p] = v;
        FUZZ_CHECK(c.at(p) == v && c.front() == m.front() && c.back() == m.back());
      }
      break;
    case 10:
      try {
        c.shrink_to_fit();
      } catch (const refipc::bad_alloc&) {
      }
      break;
    case 11:
      c.clear();
      m.clear();
      break;
    case 12: {
      // A copy in the segment equals the original, or fails cleanly.
      Container* copy = nullptr;
      try {
        copy = segment.construct<Container>(refipc::anonymous_instance)(c);
      } catch (const refipc::bad_alloc&) {
        break;
      }
      same(*copy, m);
      FUZZ_CHECK(*copy == c && !(*copy < c) && *copy <= c);
      segment.destroy_ptr(copy);
      break;
    }
    default:
      if constexpr (std::is_same_v<Container, deque_t>) {
        if (b & 1) {
          attempt(
              c, m, true, [&] { c.push_front(v); }, [&] { m.push_front(v); });
        } else if (!m.empty()) {
          c.pop_front();
          m.pop_front();
        }
      } else {
        const std::size_t n = static_cast<std::size_t>(b % 128);
        try {
          c.reserve(n);
          FUZZ_CHECK(c.capacity() >= n);
        } catch (const refipc::bad_alloc&) {
        }
      }
      break;
  }
  if constexpr (!std::is_same_v<Container, deque_t>) FUZZ_CHECK(c.capacity() >= c.size());
}

void string_step(string_t& s, std::string& m, int op, int a, int b, int v) {
  const char ch = static_cast<char>('a' + v % 26);
  const std::size_t p = at(m, a);
  const std::size_t n = static_cast<std::size_t>(b % 40);
  switch (op % 10) {
    case 0:
      attempt(
          s, m, true, [&] { s.push_back(ch); }, [&] { m.push_back(ch); });
      break;
    case 1:
      attempt(
          s, m, true, [&] { s.append(n, ch); }, [&] { m.append(n, ch); });
      break;
    case 2:
      attempt(
          s, m, true, [&] { s.insert(p, n, ch); }, [&] { m.insert(p, n, ch); });
      break;
    case 3:
      s.erase(p, n);
      m.erase(p, n);
      break;
    case 4:
      attempt(
          s, m, true, [&] { s.replace(p, n % 8, n, ch); }, [&] { m.replace(p, n % 8, n, ch); });
      break;
    case 5:
      attempt(
          s, m, true, [&] { s.resize(n * 4, ch); }, [&] { m.resize(n * 4, ch); });
      break;
    case 6: {
      // Appending a piece of itself.
      const std::size_t len = std::min(n, m.size() - p);
      attempt(
          s, m, true, [&] { s.append(s.data() + p, len); }, [&] { m.append(m, p, len); });
      break;
    }
    case 7:
      if (!m.empty()) {
        if (b & 1) {
          s.pop_back();
          m.pop_back();
        } else {
          const std::string needle = m.substr(p, n % 4);
          FUZZ_CHECK(s.find(needle.c_str(), 0, needle.size()) == m.find(needle));
          FUZZ_CHECK(s.rfind(ch) == m.rfind(ch));
        }
      }
      break;
    case 8:
      try {
        s.shrink_to_fit();
      } catch (const refipc::bad_alloc&) {
      }
      break;
    default:
      s.clear();
      m.clear();
      break;
  }
  FUZZ_CHECK(std::string_view(s.data(), s.size()) == m && s.compare(m.c_str()) == 0);
  FUZZ_CHECK(s.c_str()[s.size()] == '\0' && s.capacity() >= s.size());
}

void slist_step(slist_t& s, std::list<int>& m, int op, int a, int b, int v) {
  // The element before position p (before_begin for 0).
  const auto before = [&](std::size_t p) {
    return p == 0 ? s.before_begin() : std::next(s.begin(), static_cast<std::ptrdiff_t>(p - 1));
  };
  const std::size_t p = at(m, a);
  const auto mpos = std::next(m.begin(), static_cast<std::ptrdiff_t>(p));
  switch (op % 10) {
    case 0:
      attempt(
          s, m, true, [&] { s.push_front(v); }, [&] { m.push_front(v); });
      break;
    case 1:
      if (!m.empty()) {
        s.pop_front();
        m.pop_front();
      }
      break;
    case 2: {
      const std::size_t n = static_cast<std::size_t>(b % 16);
      attempt(
          s, m, true, [&] { s.insert_after(before(p), n, v); }, [&] { m.insert(mpos, n, v); });
      break;
    }
    case 3:
      if (p < m.size()) {
        s.erase_after(before(p));
        m.erase(mpos);
      }
      break;
    case 4: {
      const std::size_t n = static_cast<std::size_t>(b % 48);
      attempt(
          s, m, false, [&] { s.resize(n, v); }, [&] { m.resize(n, v); });
      break;
    }
    case 5:
      s.remove(v % 8);
      m.remove(v % 8);
      break;
    case 6:
      if (b & 1) {
        s.reverse();
        m.reverse();
      } else {
        s.sort();
        m.sort();
      }
      break;
    case 7:
      s.unique();
      m.unique();
      break;
    case 8: {
      std::vector<int> src(static_cast<std::size_t>(b % 12));
      for (std::size_t i = 0; i < src.size(); ++i) src[i] = v % 8 + static_cast<int>(i % 3);
      attempt(
          s, m, false, [&] { s.assign(src.begin(), src.end()); },
          [&] { m.assign(src.begin(), src.end()); });
      break;
    }
    default:
      if (!m.empty()) FUZZ_CHECK(s.front() == m.front() && s.back() == m.back());
      break;
  }
  FUZZ_CHECK(s.check_invariants());
}

struct State {
  vector_t* vector;
  deque_t* deque;
  stable_t* stable;
  string_t* string;
  slist_t* slist;
  std::vector<int> vector_model;
  std::deque<int> deque_model;
  std::vector<int> stable_model;
  std::string string_model;
  std::list<int> slist_model;
};

void compare(const State& s) {
  same(*s.vector, s.vector_model);
  same(*s.deque, s.deque_model);
  same(*s.stable, s.stable_model);
  same(*s.string, s.string_model);
  same(*s.slist, s.slist_model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::unique_ptr<std::max_align_t[]> memory(
      new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]);
  segment_t segment(refipc::create_only, memory.get(), kSize);
  manager_t* mgr = segment.get_segment_manager();
  State s{segment.construct<vector_t>("vector")(mgr),
          segment.construct<deque_t>("deque")(mgr),
          segment.construct<stable_t>("stable_vector")(mgr),
          segment.construct<string_t>("string")(mgr),
          segment.construct<slist_t>("slist")(mgr),
          {},
          {},
          {},
          {},
          {}};
  fuzz_support::Input in(data, size);
  while (!in.empty()) {
    const int selector = static_cast<int>(in.take(1));
    const int a = static_cast<int>(in.take(1));
    const int b = static_cast<int>(in.take(1));
    const int v = static_cast<int>(in.take(1));
    const int op = selector >> 3;
    switch ((selector & 7) % 5) {
      case 0:
        random_access_step(segment, *s.vector, s.vector_model, op, a, b, v);
        break;
      case 1:
        random_access_step(segment, *s.deque, s.deque_model, op, a, b, v);
        break;
      case 2:
        random_access_step(segment, *s.stable, s.stable_model, op, a, b, v);
        break;
      case 3:
        string_step(*s.string, s.string_model, op, a, b, v);
        break;
      default:
        slist_step(*s.slist, s.slist_model, op, a, b, v);
        break;
    }
    compare(s);
    FUZZ_CHECK(segment.check_sanity());
  }
  segment.destroy_ptr(s.vector);
  segment.destroy_ptr(s.deque);
  segment.destroy_ptr(s.stable);
  segment.destroy_ptr(s.string);
  segment.destroy_ptr(s.slist);
  FUZZ_CHECK(segment.all_memory_deallocated());
  return 0;
}
