#include "refipc/indexes/detail/hash_sorted_vector.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "refipc/indexes/detail/intrusive_test_blocks.hpp"

namespace refipc {
namespace index_detail {
namespace {

using vector_t = hash_sorted_vector<char, testing::counting_manager>;
using key_t = vector_t::key_type;

key_t key_of(const std::string& name) { return key_t(name.c_str(), name.size()); }

TEST(HashSortedVector, FollowsAModelThroughInsertsErasuresAndResizes) {
  testing::counting_manager mgr;
  {
    vector_t index(&mgr);
    const segment_bounds bounds = testing::anywhere(&mgr);
    testing::blocks blocks;
    std::map<std::string, segment_detail::block_header*> model;
    std::mt19937 rng(5);
    for (int step = 0; step < 3000; ++step) {
      const std::string name = "n" + std::to_string(rng() % 400);
      auto it = index.find(key_of(name), bounds);
      auto m = model.find(name);
      ASSERT_EQ(it != index.end(), m != model.end()) << name;
      if (m == model.end()) {
        segment_detail::block_header& h = blocks.add(index, name, bounds);
        model.emplace(name, &h);
        EXPECT_EQ(&*index.find(key_of(name), bounds), &h);
      } else {
        EXPECT_EQ(&*it, m->second);
        if (step % 2) {
          index.erase(it, bounds);
        } else {
          EXPECT_EQ(index.unlink(key_of(name), bounds), m->second);
        }
        model.erase(m);
        EXPECT_EQ(index.unlink(key_of(name), bounds), nullptr);
      }
      ASSERT_EQ(index.size(), model.size());
      if (step % 500 == 0) index.shrink_to_fit(bounds);
    }
    std::set<std::string> iterated, expected;
    const vector_t& cindex = index;
    for (auto it = cindex.begin(bounds); it != cindex.end(); ++it)
      iterated.insert(testing::name_of(*it));
    for (auto& entry : model) expected.insert(entry.first);
    EXPECT_EQ(iterated, expected);
  }
  EXPECT_EQ(mgr.live, 0);  // the array is given back
}

TEST(HashSortedVector, ReserveAvoidsGrowthAndFailedGrowthChangesNothing) {
  testing::counting_manager mgr;
  vector_t index(&mgr);
  const segment_bounds bounds = testing::anywhere(&mgr);
  testing::blocks blocks;
  index.reserve(20, bounds);
  mgr.fail = true;
  for (int i = 0; i < 20; ++i) blocks.add(index, "k" + std::to_string(i), bounds);
  EXPECT_THROW(blocks.add(index, "k20", bounds), bad_alloc);
  EXPECT_EQ(index.size(), 20u);
  EXPECT_EQ(index.find(key_of("k20"), bounds), index.end());
  for (int i = 0; i < 20; ++i)
    EXPECT_NE(index.find(key_of("k" + std::to_string(i)), bounds), index.end());
  while (!index.empty()) index.erase(index.begin(bounds), bounds);
  index.shrink_to_fit(bounds);
  EXPECT_EQ(mgr.live, 0);
}

}  // namespace
}  // namespace index_detail
}  // namespace refipc
