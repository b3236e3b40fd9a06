"""Tests of the header reader on the constructs both libraries' headers use."""

import unittest

import cxx_members

SOURCE = r'''
#ifndef GUARD
#define GUARD
#include <cstddef>
namespace lib {
namespace detail { class hidden_base { public: void from_base(int); }; }

// A comment with class fake { public: void nothing(); };
template <class T, class Base = detail::hidden_base>
class widget : public detail::hidden_base, private other {
  BOOST_MOVABLE_BUT_NOT_COPYABLE(widget)
  int private_member;
 public:
  typedef T value_type;
  using size_type = std::size_t;
  static const size_type limit = 4;
  widget() BOOST_NOEXCEPT;
  widget(BOOST_RV_REF(widget) other) noexcept : n_{0}, m_(1) { swap(other); }
  template <class U, typename enable_if<is_same<U, T>>::type* = 0>
  explicit widget(const U& u, int n = 3);
  widget& operator=(const widget&) = delete;
  bool operator()(int, char) const { return true; }
  template <class Clock, sfinae_t<Clock> = 0>
  bool wait_until(const Clock& c) { return c.ok("}"); }
  void many(int a, ...);
  enum mode { a, b };
  struct nested { int x; };
#if defined(BOOST_INTERPROCESS_WINDOWS)
  void windows_only();
#else
  void posix_only();
#endif
 protected:
  void hidden();
 public:
  ~widget();
};

struct open_struct : base_struct { int field{0}; void f(); };
template <> class widget<int> { public: void special(); };
}  // namespace lib
#endif
'''


class CxxMembersTest(unittest.TestCase):
    def setUp(self):
        self.classes = {c.name: c for c in cxx_members.parse_header("w.hpp", SOURCE)}
        self.widget = {m.name: m for m in self.classes["widget"].members}

    def test_finds_classes_and_their_public_bases(self):
        self.assertEqual(set(self.classes), {"hidden_base", "widget", "open_struct"})
        self.assertEqual(self.classes["widget"].namespace, "lib")
        self.assertEqual(self.classes["hidden_base"].namespace, "lib::detail")
        self.assertEqual(self.classes["widget"].bases, ["hidden_base"])
        self.assertEqual(self.classes["open_struct"].bases, ["base_struct"])

    def test_keeps_public_members_only(self):
        self.assertEqual(
            set(self.widget),
            {"value_type", "size_type", "limit", "widget", "operator()", "wait_until", "many",
             "mode", "nested", "posix_only"},
        )

    def test_counts_arguments(self):
        ctors = [m for m in self.classes["widget"].members if m.kind == "constructor"]
        self.assertEqual([(m.min_args, m.max_args) for m in ctors], [(0, 0), (1, 1), (1, 2)])
        self.assertEqual((self.widget["many"].min_args, self.widget["many"].max_args), (1, -1))
        self.assertEqual(self.widget["operator()"].max_args, 2)
        self.assertEqual(self.widget["wait_until"].signature, "bool wait_until(const Clock& c)")

    def test_struct_members_are_public(self):
        names = {m.name for m in self.classes["open_struct"].members}
        self.assertEqual(names, {"field", "f"})


if __name__ == "__main__":
    unittest.main()
