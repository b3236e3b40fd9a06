// pair.hpp and containers_fwd.hpp: refipc::pair is std::pair (so the
// containers' uses-allocator construction applies to it), and the forward
// declarations give the standard default template arguments.
#include "refipc/containers/pair.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <type_traits>

#include "refipc/containers/containers_fwd.hpp"
#include "refipc/containers/deque.hpp"
#include "refipc/containers/stable_vector.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/vector.hpp"

namespace {

TEST(Pair, IsStdPair) {
  static_assert(std::is_same_v<refipc::pair<int, char>, std::pair<int, char>>);
  const refipc::pair<int, std::string> p(refipc::piecewise_construct, std::forward_as_tuple(3),
                                         std::forward_as_tuple(2u, 'x'));
  EXPECT_EQ(p.first, 3);
  EXPECT_EQ(p.second, "xx");
  EXPECT_EQ(refipc::make_pair(1, 2), (std::pair<int, int>(1, 2)));
}

TEST(ContainersFwd, DefaultTemplateArgumentsAreTheStandardOnes) {
  static_assert(std::is_same_v<refipc::vector<int>::allocator_type, std::allocator<int>>);
  static_assert(std::is_same_v<refipc::deque<int>::allocator_type, std::allocator<int>>);
  static_assert(std::is_same_v<refipc::stable_vector<int>::allocator_type, std::allocator<int>>);
  static_assert(std::is_same_v<refipc::string, refipc::basic_string<char>>);
  static_assert(std::is_same_v<refipc::wstring::traits_type, std::char_traits<wchar_t>>);
  static_assert(std::is_same_v<refipc::string::allocator_type, std::allocator<char>>);
  refipc::vector<refipc::pair<refipc::string, int>> v;
  v.emplace_back("one", 1);
  EXPECT_EQ(v[0].first, "one");
}

}  // namespace
