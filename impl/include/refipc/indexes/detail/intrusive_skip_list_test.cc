#include "refipc/indexes/detail/intrusive_skip_list.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "refipc/indexes/detail/intrusive_test_blocks.hpp"
#include "refipc/offset_ptr.hpp"

namespace refipc {
namespace index_detail {
namespace {

using list_t = intrusive_skip_list<char, offset_ptr<void>>;
using key_t = list_t::key_type;

// The order key docs/layout.md describes: the length (at most 0xffff) above
// the last six characters as a big-endian number.
std::uint64_t key_of(const std::string& name) {
  std::uint64_t tail = 0;
  for (std::size_t i = name.size() > 6 ? name.size() - 6 : 0; i < name.size(); ++i) {
    tail = tail << 8 | static_cast<unsigned char>(name[i]);
  }
  return std::uint64_t{std::min<std::size_t>(name.size(), 0xffff)} << 48 | tail;
}

// The index order: the names' keys, then length, then characters.
struct by_key_length_chars {
  bool operator()(const std::string& a, const std::string& b) const {
    const std::uint64_t ka = key_of(a), kb = key_of(b);
    if (ka != kb) return ka < kb;
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  }
};

TEST(IntrusiveSkipList, FollowsAnOrderedModelThroughInsertsAndErasures) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  std::map<std::string, segment_detail::block_header*, by_key_length_chars> model;
  std::mt19937 rng(7);
  for (int step = 0; step < 3000; ++step) {
    const std::string name = "n" + std::to_string(rng() % 500);
    const key_t key(name.c_str(), name.size());
    auto it = list.find(key, bounds);
    auto m = model.find(name);
    ASSERT_EQ(it != list.end(), m != model.end()) << name;
    if (m == model.end()) {
      segment_detail::block_header& h = blocks.add(list, name, bounds);
      model.emplace(name, &h);
      EXPECT_EQ(&*list.find(key, bounds), &h);
    } else {
      EXPECT_EQ(&*it, m->second);
      if (step % 2) {
        list.erase(it, bounds);
      } else {
        EXPECT_EQ(list.unlink(key, bounds), m->second);
      }
      model.erase(m);
      EXPECT_EQ(list.unlink(key, bounds), nullptr);
      EXPECT_EQ(list.find(key, bounds), list.end());
    }
    ASSERT_EQ(list.size(), model.size());
  }
  std::vector<std::string> iterated;
  const list_t& clist = list;
  for (auto it = clist.begin(bounds); it != clist.end(); ++it)
    iterated.push_back(testing::name_of(*it));
  std::vector<std::string> expected;
  for (auto& entry : model) expected.push_back(entry.first);
  EXPECT_EQ(iterated, expected);
}

TEST(IntrusiveSkipList, InsertCheckFindsThePresentName) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  segment_detail::block_header& h = blocks.add(list, "x", bounds);
  list_t::insert_commit_data data;
  EXPECT_EQ(list.insert_check(key_t("x", 1), data, bounds), &h);
  EXPECT_EQ(list.insert_check(key_t("y", 1), data, bounds), nullptr);
}

TEST(IntrusiveSkipList, EraseReturnsTheNextEntryAndEmptiesTheList) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  std::vector<std::string> names{"b", "a", "cc", "c"};
  for (const std::string& name : names) blocks.add(list, name, bounds);
  std::sort(names.begin(), names.end(), by_key_length_chars());
  auto it = list.begin(bounds);
  EXPECT_EQ(testing::name_of(*it), names[0]);
  it = list.erase(it, bounds);
  EXPECT_EQ(testing::name_of(*it), names[1]);
  while (it != list.end()) it = list.erase(it, bounds);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.begin(bounds), list.end());
}

// Accepts every block (the test blocks live on the heap): what check()
// decides then rests on the list's own words.
struct any_block {
  std::size_t max_objects() const noexcept { return 1000; }
  bool block(const segment_detail::block_header*, std::size_t, std::size_t) const noexcept {
    return true;
  }
};

// The key word right below a block's header rounded down to the larger of
// a link's and a 64-bit integer's alignments (docs/layout.md, iset_index):
// 8 on x86-64, 4 on i386.
std::uint64_t& key_word(segment_detail::block_header& h) {
  constexpr std::size_t align = std::max(alignof(offset_ptr<void>), alignof(std::uint64_t));
  return static_cast<std::uint64_t*>(h.links_end(align))[-1];
}

TEST(IntrusiveSkipList, StoresEachNamesOrderKeyBelowItsHeader) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  for (const char* name : {"", "a", "alpha", "object_0000042", "a very long name indeed"}) {
    EXPECT_EQ(key_word(blocks.add(list, name, bounds)), key_of(name)) << name;
  }
  EXPECT_EQ(key_of("object_0000042"), std::uint64_t{14} << 48 | 0x303030303432u);
  EXPECT_TRUE(list.check(any_block()));
}

// Names numbered in sequence (a common way to name many objects) keep their
// numeric order, which is also the order of their creation.
TEST(IntrusiveSkipList, NamesNumberedInSequenceKeepTheirOrder) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  std::vector<std::string> names;
  for (int i = 0; i < 300; ++i) names.push_back("object_" + std::to_string(1000000 + i));
  std::vector<std::string> shuffled = names;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(3));
  for (const std::string& name : shuffled) blocks.add(list, name, bounds);
  std::vector<std::string> iterated;
  for (auto it = list.begin(bounds); it != list.end(); ++it) {
    iterated.push_back(testing::name_of(*it));
  }
  EXPECT_EQ(iterated, names);
}

TEST(IntrusiveSkipList, CheckRefusesAKeyThatIsNotItsNames) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  std::vector<segment_detail::block_header*> added;
  for (int i = 0; i < 40; ++i) added.push_back(&blocks.add(list, "n" + std::to_string(i), bounds));
  ASSERT_TRUE(list.check(any_block()));
  // A changed key that keeps the order (one more than the greatest) is
  // caught by the comparison with the name; so is an order broken by it.
  std::uint64_t* greatest = &key_word(*added[0]);
  for (auto* h : added) {
    if (key_word(*h) > *greatest) greatest = &key_word(*h);
  }
  ASSERT_NE(*greatest, UINT64_MAX);
  ++*greatest;
  EXPECT_FALSE(list.check(any_block()));
  --*greatest;
  ASSERT_TRUE(list.check(any_block()));
  std::swap(key_word(*added[3]), key_word(*added[4]));
  EXPECT_FALSE(list.check(any_block()));
  // A search that meets a wrong key may miss the name; it never reads
  // anything outside the blocks it follows.
  const key_t key("n3", 2);
  auto it = list.find(key, bounds);
  EXPECT_TRUE(it == list.end() || testing::name_of(*it) == "n3");
}

}  // namespace
}  // namespace index_detail
}  // namespace refipc
