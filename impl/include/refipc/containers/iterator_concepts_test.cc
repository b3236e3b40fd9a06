// The iterators of offset_ptr and of the containers: the C++17 iterator
// requirements, used through the standard algorithms on containers in a
// segment, and, when compiled as C++20 (--config=cxx20), the C++20 iterator
// concepts, pointer_traits and comparison rules that user code relies on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <numeric>
#include <type_traits>
#include <utility>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/deque.hpp"
#include "refipc/containers/flat_map.hpp"
#include "refipc/containers/flat_set.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/containers/slist.hpp"
#include "refipc/containers/stable_vector.hpp"
#include "refipc/containers/string.hpp"
#include "refipc/containers/vector.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

#if __cplusplus > 201703L
#include <concepts>
#include <ranges>
#endif

namespace {

using heap_manager = refipc::managed_heap_memory::segment_manager;
template <class T>
using heap_allocator = refipc::allocator<T, heap_manager>;

using vector_t = refipc::vector<int, heap_allocator<int>>;
using deque_t = refipc::deque<int, heap_allocator<int>>;
using stable_vector_t = refipc::stable_vector<int, heap_allocator<int>>;
using string_t = refipc::basic_string<char, std::char_traits<char>, heap_allocator<char>>;
using list_t = refipc::list<int, heap_allocator<int>>;
using slist_t = refipc::slist<int, heap_allocator<int>>;
using set_t = refipc::set<int, std::less<int>, heap_allocator<int>>;
using map_t = refipc::map<int, int, std::less<int>, heap_allocator<std::pair<const int, int>>>;
using flat_set_t = refipc::flat_set<int, std::less<int>, heap_allocator<int>>;
using flat_map_t = refipc::flat_map<int, int, std::less<int>, heap_allocator<std::pair<int, int>>>;

template <class It, class Tag>
constexpr bool has_category =
    std::is_base_of<Tag, typename std::iterator_traits<It>::iterator_category>::value;

static_assert(has_category<refipc::offset_ptr<int>, std::random_access_iterator_tag>);
static_assert(has_category<vector_t::iterator, std::random_access_iterator_tag>);
static_assert(has_category<deque_t::iterator, std::random_access_iterator_tag>);
static_assert(has_category<stable_vector_t::iterator, std::random_access_iterator_tag>);
static_assert(has_category<string_t::iterator, std::random_access_iterator_tag>);
static_assert(has_category<list_t::iterator, std::bidirectional_iterator_tag>);
static_assert(has_category<slist_t::iterator, std::forward_iterator_tag>);
static_assert(has_category<map_t::iterator, std::bidirectional_iterator_tag>);
static_assert(has_category<flat_map_t::iterator, std::random_access_iterator_tag>);

#if __cplusplus > 201703L
// Each container's iterator and const_iterator model the concept of its
// category; those of the contiguous containers model contiguous_iterator.
template <class C, template <class> class Concept>
constexpr bool iterators_model =
    Concept<typename C::iterator>::value&& Concept<typename C::const_iterator>::value&&
        std::sentinel_for<typename C::const_iterator, typename C::iterator>;

template <class I>
struct contiguous : std::bool_constant<std::contiguous_iterator<I>> {};
template <class I>
struct random_access : std::bool_constant<std::random_access_iterator<I>> {};
template <class I>
struct bidirectional : std::bool_constant<std::bidirectional_iterator<I>> {};
template <class I>
struct forward : std::bool_constant<std::forward_iterator<I>> {};

// offset_ptr is random access, not contiguous: libstdc++ 12 would then take
// std::vector<T, A>'s iterators over it as contiguous and call their
// operator->, which needs offset_ptr to convert to a raw pointer implicitly.
static_assert(std::random_access_iterator<refipc::offset_ptr<int>>);
static_assert(std::random_access_iterator<refipc::offset_ptr<const int>>);
static_assert(std::random_access_iterator<refipc::offset_ptr<int, std::int32_t, std::uint32_t>>);
static_assert(std::sized_sentinel_for<refipc::offset_ptr<const int>, refipc::offset_ptr<int>>);

static_assert(iterators_model<vector_t, contiguous>);
static_assert(iterators_model<string_t, contiguous>);
static_assert(iterators_model<flat_set_t, contiguous>);
static_assert(iterators_model<flat_map_t, contiguous>);
static_assert(iterators_model<deque_t, random_access>);
static_assert(iterators_model<stable_vector_t, random_access>);
static_assert(iterators_model<list_t, bidirectional>);
static_assert(iterators_model<set_t, bidirectional>);
static_assert(iterators_model<map_t, bidirectional>);
static_assert(iterators_model<slist_t, forward>);

static_assert(std::ranges::contiguous_range<vector_t>);
static_assert(std::ranges::random_access_range<deque_t>);
static_assert(std::ranges::sized_range<list_t>);
static_assert(std::ranges::forward_range<const slist_t>);

// pointer_traits as the allocator-aware code of C++20 uses it.
using traits = std::pointer_traits<refipc::offset_ptr<int>>;
static_assert(std::is_same_v<traits::element_type, int>);
static_assert(std::is_same_v<traits::difference_type, std::ptrdiff_t>);
static_assert(std::is_same_v<traits::rebind<const long>, refipc::offset_ptr<const long>>);

// Comparisons between offset_ptrs of different cv, and with raw pointers and
// nullptr in either order, are not made ambiguous by C++20's reversed and
// rewritten candidates.
static_assert(std::totally_ordered_with<refipc::offset_ptr<int>, refipc::offset_ptr<const int>>);
static_assert(std::totally_ordered_with<refipc::offset_ptr<const int>, int*>);
static_assert(std::equality_comparable_with<refipc::offset_ptr<int>, std::nullptr_t>);
static_assert(std::totally_ordered_with<vector_t::iterator, vector_t::const_iterator>);
static_assert(std::equality_comparable_with<map_t::iterator, map_t::const_iterator>);
#endif

TEST(IteratorConcepts, OffsetPtrIteratesAnArray) {
  int values[] = {5, 3, 4, 1, 2};
  refipc::offset_ptr<int> first(values);
  const refipc::offset_ptr<int> last = first + 5;
  std::sort(first, last);
  EXPECT_TRUE(std::is_sorted(values, values + 5));
  EXPECT_EQ(last - first, 5);
  EXPECT_EQ(std::find(first, last, 4), values + 3);
  refipc::offset_ptr<const int> const_first = first;
  EXPECT_TRUE(const_first == first && first == const_first && !(values + 1 == first));
  EXPECT_TRUE(first != nullptr && nullptr != first && first < values + 1);
#if __cplusplus > 201703L
  EXPECT_EQ(std::to_address(last), values + 5);
  EXPECT_EQ(std::ranges::distance(first, last), 5);
  std::ranges::reverse(first, last);
  EXPECT_EQ(values[0], 5);
  EXPECT_TRUE(std::ranges::is_sorted(first, last, std::greater<>()));
#endif
}

// Fills each container with 9..0 (or with what it keeps of them) and reads it
// back through the standard algorithms over its iterators.
TEST(IteratorConcepts, AlgorithmsOverContainersInASegment) {
  refipc::managed_heap_memory heap(1 << 20);
  heap_manager* manager = heap.get_segment_manager();
  {
    vector_t v(manager);
    deque_t d(manager);
    stable_vector_t s(manager);
    list_t l(manager);
    for (int i = 9; i >= 0; --i) {
      v.push_back(i);
      d.push_back(i);
      s.push_back(i);
      l.push_back(i);
    }
    std::sort(v.begin(), v.end());
    std::sort(d.begin(), d.end());
    std::sort(s.begin(), s.end());
    l.reverse();
    EXPECT_TRUE(std::equal(v.begin(), v.end(), d.begin(), d.end()));
    EXPECT_TRUE(std::equal(s.cbegin(), s.cend(), l.cbegin(), l.cend()));
    EXPECT_EQ(std::accumulate(v.begin(), v.end(), 0), 45);
    EXPECT_EQ(d.end() - d.begin(), 10);
    EXPECT_EQ(*std::lower_bound(s.begin(), s.end(), 7), 7);

    set_t set(std::less<int>(), manager);
    map_t map(std::less<int>(), manager);
    flat_map_t flat(std::less<int>(), manager);
    slist_t forward(manager);
    for (int i : v) {
      set.insert(i);
      map.emplace(i, i * i);
      flat.emplace(i, i * i);
      forward.push_front(i);
    }
    EXPECT_EQ(std::distance(set.begin(), set.end()), 10);
    EXPECT_TRUE(std::equal(
        map.begin(), map.end(), flat.begin(), flat.end(),
        [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; }));
    EXPECT_EQ(*std::max_element(forward.begin(), forward.end()), 9);

    // std::vector over refipc's allocator, compared as C++20 compares it
    // (operator<=>, lexicographical_compare_three_way).
    std::vector<char, heap_allocator<char>> low(2, 'a', manager), high(2, 'b', manager);
    EXPECT_TRUE(low < high);

    string_t text("interprocess", manager);
    std::reverse(text.begin(), text.end());
    EXPECT_EQ(text, string_t("ssecorpretni", manager));
#if __cplusplus > 201703L
    EXPECT_EQ(std::to_address(v.begin()), &v[0]);
    EXPECT_EQ(std::ranges::find(d, 4) - d.begin(), 4);
    EXPECT_EQ(std::ranges::count_if(l, [](int i) { return i % 2 == 0; }), 5);
    EXPECT_TRUE(std::ranges::equal(set, v));
    EXPECT_EQ(std::ranges::max_element(map, {}, &map_t::value_type::second)->second, 81);
    EXPECT_TRUE(std::ranges::is_sorted(forward, std::greater<>()));
    std::ranges::sort(text);
    EXPECT_EQ(text.front(), 'c');
#endif
  }
  EXPECT_TRUE(heap.all_memory_deallocated());
}

}  // namespace
