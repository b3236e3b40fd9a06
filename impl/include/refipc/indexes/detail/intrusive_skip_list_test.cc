#include "refipc/indexes/detail/intrusive_skip_list.hpp"

#include <gtest/gtest.h>

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

// The index order: length first, then characters.
struct by_length_then_chars {
  bool operator()(const std::string& a, const std::string& b) const {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  }
};

TEST(IntrusiveSkipList, FollowsAnOrderedModelThroughInsertsAndErasures) {
  list_t list;
  const segment_bounds bounds = testing::anywhere();
  testing::blocks blocks;
  std::map<std::string, segment_detail::block_header*, by_length_then_chars> model;
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
  for (const char* name : {"b", "a", "cc", "c"}) blocks.add(list, name, bounds);
  auto it = list.begin(bounds);
  EXPECT_EQ(testing::name_of(*it), "a");
  it = list.erase(it, bounds);
  EXPECT_EQ(testing::name_of(*it), "b");
  while (it != list.end()) it = list.erase(it, bounds);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.begin(bounds), list.end());
}

}  // namespace
}  // namespace index_detail
}  // namespace refipc
