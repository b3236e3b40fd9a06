// multiallocation_chain: the list operations Boost.Container's containers
// use, over buffers in a managed heap segment (offset_ptr links).
#include "refipc/allocators/detail/multiallocation_chain.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/offset_ptr.hpp"

namespace {

using chain = refipc::allocators_detail::multiallocation_chain<long, refipc::offset_ptr<void>>;
using pointer = chain::pointer;

class MultiallocationChain : public ::testing::Test {
 protected:
  pointer make() {
    buffers_.push_back(static_cast<long*>(heap_.allocate(sizeof(long))));
    return pointer(buffers_.back());
  }
  void TearDown() override {
    for (long* b : buffers_) heap_.deallocate(b);
  }
  static std::vector<long*> order(chain& c) {
    std::vector<long*> r;
    for (auto it = c.begin(); it != c.end(); ++it) r.push_back(&*it);
    return r;
  }

  refipc::managed_heap_memory heap_{64 * 1024};
  std::vector<long*> buffers_;
};

TEST_F(MultiallocationChain, PushPopAndLast) {
  chain c;
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.last(), c.before_begin());
  const pointer a = make(), b = make(), d = make();
  c.push_back(b);
  c.push_front(a);
  c.push_back(d);
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(order(c), (std::vector<long*>{a.get(), b.get(), d.get()}));
  EXPECT_EQ(&*c.last(), d.get());
  EXPECT_EQ(c.pop_front(), a);
  EXPECT_EQ(c.pop_front(), b);
  EXPECT_EQ(&*c.last(), d.get());
  EXPECT_EQ(c.pop_front(), d);
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.last(), c.before_begin());
  c.push_back(a);  // usable again after emptying
  EXPECT_EQ(&*c.begin(), a.get());
}

TEST_F(MultiallocationChain, ExtractAndIncorporateKeepTheLinks) {
  chain c;
  const pointer a = make(), b = make(), d = make(), e = make();
  c.push_back(a);
  c.push_back(b);
  c.push_back(d);
  const chain::pointer_pair data = c.extract_data();
  EXPECT_EQ(data.first, a);
  EXPECT_EQ(data.second, d);
  EXPECT_TRUE(c.empty());
  c.push_back(e);
  c.incorporate_after(c.before_begin(), data.first, data.second, 3);
  EXPECT_EQ(c.size(), 4u);
  EXPECT_EQ(order(c), (std::vector<long*>{a.get(), b.get(), d.get(), e.get()}));
  EXPECT_EQ(&*c.last(), e.get());
  c.insert_after(c.last(), make());
  EXPECT_EQ(c.size(), 5u);
  EXPECT_EQ(&*c.last(), buffers_.back());
}

TEST_F(MultiallocationChain, SpliceAfterMovesARange) {
  chain from, to;
  const pointer a = make(), b = make(), d = make(), e = make();
  from.push_back(a);
  from.push_back(b);
  from.push_back(d);
  to.push_back(e);
  // Moves b and d (the buffers after a up to the last) to the front of `to`.
  to.splice_after(to.before_begin(), from, chain::iterator_to(a), from.last(), 2);
  EXPECT_EQ(order(from), (std::vector<long*>{a.get()}));
  EXPECT_EQ(&*from.last(), a.get());
  EXPECT_EQ(order(to), (std::vector<long*>{b.get(), d.get(), e.get()}));
  // Everything from `to` to the end of `from`.
  from.splice_after(from.last(), to, to.before_begin(), to.last(), 3);
  EXPECT_TRUE(to.empty());
  EXPECT_EQ(to.last(), to.before_begin());
  EXPECT_EQ(order(from), (std::vector<long*>{a.get(), b.get(), d.get(), e.get()}));
  EXPECT_EQ(&*from.last(), e.get());
}

TEST_F(MultiallocationChain, MoveAndSwap) {
  chain c;
  const pointer a = make(), b = make();
  c.push_back(a);
  chain moved(std::move(c));
  EXPECT_TRUE(c.empty());  // NOLINT: the moved-from state is specified
  EXPECT_EQ(moved.size(), 1u);
  chain other;
  other.push_back(b);
  swap(moved, other);
  EXPECT_EQ(&*moved.begin(), b.get());
  EXPECT_EQ(&*other.last(), a.get());
  moved = std::move(other);
  EXPECT_EQ(&*moved.begin(), a.get());
}

}  // namespace
