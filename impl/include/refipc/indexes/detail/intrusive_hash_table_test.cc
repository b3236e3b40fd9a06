#include "refipc/indexes/detail/intrusive_hash_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "refipc/indexes/detail/intrusive_test_blocks.hpp"

namespace refipc {
namespace index_detail {
namespace {

using table_t = intrusive_hash_table<char, testing::counting_manager>;
using key_t = table_t::key_type;

key_t key_of(const std::string& name) { return key_t(name.c_str(), name.size()); }

std::set<std::string> names_in(const table_t& table) {
  std::set<std::string> out;
  for (auto it = table.begin(testing::anywhere()); it != table.end(); ++it)
    out.insert(testing::name_of(*it));
  return out;
}

TEST(IntrusiveHashTable, FollowsAModelThroughInsertsErasuresAndResizes) {
  testing::counting_manager mgr;
  {
    table_t table(&mgr);
    const segment_bounds bounds = testing::anywhere(&mgr);
    testing::blocks blocks;
    std::map<std::string, segment_detail::block_header*> model;
    std::mt19937 rng(11);
    for (int step = 0; step < 3000; ++step) {
      const std::string name = "n" + std::to_string(rng() % 400);
      auto it = table.find(key_of(name), bounds);
      auto m = model.find(name);
      ASSERT_EQ(it != table.end(), m != model.end()) << name;
      if (m == model.end()) {
        segment_detail::block_header& h = blocks.add(table, name, bounds);
        model.emplace(name, &h);
        EXPECT_EQ(&*table.find(key_of(name), bounds), &h);
      } else {
        EXPECT_EQ(&*it, m->second);
        if (step % 2) {
          table.erase(it, bounds);
        } else {
          EXPECT_EQ(table.unlink(key_of(name), bounds), m->second);
        }
        model.erase(m);
        EXPECT_EQ(table.unlink(key_of(name), bounds), nullptr);
      }
      ASSERT_EQ(table.size(), model.size());
      if (step % 500 == 0) table.shrink_to_fit(bounds);
    }
    std::set<std::string> expected;
    for (auto& entry : model) expected.insert(entry.first);
    EXPECT_EQ(names_in(table), expected);
  }
  EXPECT_EQ(mgr.live, 0);  // the bucket array is given back
}

TEST(IntrusiveHashTable, ReserveAvoidsGrowthAndShrinkToFitFreesAnEmptyTable) {
  testing::counting_manager mgr;
  table_t table(&mgr);
  const segment_bounds bounds = testing::anywhere(&mgr);
  testing::blocks blocks;
  table.reserve(100, bounds);
  EXPECT_EQ(mgr.live, 1);
  mgr.fail = true;  // no allocation may happen now
  for (int i = 0; i < 100; ++i) blocks.add(table, "k" + std::to_string(i), bounds);
  EXPECT_EQ(table.size(), 100u);
  while (!table.empty()) table.erase(table.begin(bounds), bounds);
  mgr.fail = false;
  table.shrink_to_fit(bounds);
  EXPECT_EQ(mgr.live, 0);
  EXPECT_EQ(table.find(key_of("k1"), bounds), table.end());
}

TEST(IntrusiveHashTable, FailedGrowthLeavesTheTableUnchanged) {
  testing::counting_manager mgr;
  table_t table(&mgr);
  const segment_bounds bounds = testing::anywhere(&mgr);
  testing::blocks blocks;
  for (int i = 0; i < 8; ++i) blocks.add(table, "k" + std::to_string(i), bounds);
  mgr.fail = true;
  EXPECT_THROW(blocks.add(table, "k8", bounds), bad_alloc);
  EXPECT_EQ(table.size(), 8u);
  EXPECT_EQ(table.find(key_of("k8"), bounds), table.end());
  for (int i = 0; i < 8; ++i)
    EXPECT_NE(table.find(key_of("k" + std::to_string(i)), bounds), table.end());
}

}  // namespace
}  // namespace index_detail
}  // namespace refipc
