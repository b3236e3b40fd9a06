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
  testing::blocks blocks;
  std::map<std::string, segment_detail::block_header*, by_length_then_chars> model;
  std::mt19937 rng(7);
  for (int step = 0; step < 3000; ++step) {
    const std::string name = "n" + std::to_string(rng() % 500);
    const key_t key(name.c_str(), name.size());
    auto it = list.find(key);
    auto m = model.find(name);
    ASSERT_EQ(it != list.end(), m != model.end()) << name;
    if (m == model.end()) {
      segment_detail::block_header& h = blocks.add(list, name);
      model.emplace(name, &h);
      EXPECT_EQ(&*list.find(key), &h);
    } else {
      EXPECT_EQ(&*it, m->second);
      if (step % 2) {
        list.erase(it);
      } else {
        EXPECT_EQ(list.unlink(key), m->second);
      }
      model.erase(m);
      EXPECT_EQ(list.unlink(key), nullptr);
      EXPECT_EQ(list.find(key), list.end());
    }
    ASSERT_EQ(list.size(), model.size());
  }
  std::vector<std::string> iterated;
  const list_t& clist = list;
  for (auto it = clist.begin(); it != clist.end(); ++it) iterated.push_back(testing::name_of(*it));
  std::vector<std::string> expected;
  for (auto& entry : model) expected.push_back(entry.first);
  EXPECT_EQ(iterated, expected);
}

TEST(IntrusiveSkipList, InsertCheckFindsThePresentName) {
  list_t list;
  testing::blocks blocks;
  segment_detail::block_header& h = blocks.add(list, "x");
  list_t::insert_commit_data data;
  EXPECT_EQ(list.insert_check(key_t("x", 1), data), &h);
  EXPECT_EQ(list.insert_check(key_t("y", 1), data), nullptr);
}

TEST(IntrusiveSkipList, EraseReturnsTheNextEntryAndEmptiesTheList) {
  list_t list;
  testing::blocks blocks;
  for (const char* name : {"b", "a", "cc", "c"}) blocks.add(list, name);
  auto it = list.begin();
  EXPECT_EQ(testing::name_of(*it), "a");
  it = list.erase(it);
  EXPECT_EQ(testing::name_of(*it), "b");
  while (it != list.end()) it = list.erase(it);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.begin(), list.end());
}

}  // namespace
}  // namespace index_detail
}  // namespace refipc
