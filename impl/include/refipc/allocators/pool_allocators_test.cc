// The six pooled allocators over a managed shared memory segment: where
// their nodes come from, which pool each instance uses, when blocks go back
// to the segment, and the caches of the cached variants.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "refipc/allocators/adaptive_pool.hpp"
#include "refipc/allocators/cached_adaptive_pool.hpp"
#include "refipc/allocators/cached_node_allocator.hpp"
#include "refipc/allocators/node_allocator.hpp"
#include "refipc/allocators/private_adaptive_pool.hpp"
#include "refipc/allocators/private_node_allocator.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

using refipc::managed_shared_memory;
using segment_manager = managed_shared_memory::segment_manager;

class Segment {
 public:
  Segment() {
    static int counter = 0;
    name_ = "refipc_pool_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    refipc::shared_memory_object::remove(name_.c_str());
    segment_ = managed_shared_memory(refipc::create_only, name_.c_str(), 4 << 20);
  }
  ~Segment() {
    segment_ = managed_shared_memory();
    refipc::shared_memory_object::remove(name_.c_str());
  }
  managed_shared_memory& get() { return segment_; }
  segment_manager* manager() { return segment_.get_segment_manager(); }

 private:
  std::string name_;
  managed_shared_memory segment_;
};

template <class Alloc>
class PooledAllocator : public ::testing::Test {};

using all_kinds = ::testing::Types<refipc::node_allocator<long, segment_manager>,
                                   refipc::private_node_allocator<long, segment_manager>,
                                   refipc::cached_node_allocator<long, segment_manager>,
                                   refipc::adaptive_pool<long, segment_manager>,
                                   refipc::private_adaptive_pool<long, segment_manager>,
                                   refipc::cached_adaptive_pool<long, segment_manager>>;
TYPED_TEST_SUITE(PooledAllocator, all_kinds);

TYPED_TEST(PooledAllocator, NodesComeAndGoWithoutLeaking) {
  Segment s;
  const std::size_t free_before = s.get().get_free_memory();
  {
    TypeParam a(s.manager());
    static_assert(TypeParam::version::value == 2);
    static_assert(std::is_same_v<typename TypeParam::pointer, refipc::offset_ptr<long>>);
    EXPECT_EQ(a.get_segment_manager(), s.manager());
    std::vector<typename TypeParam::pointer> nodes;
    for (int i = 0; i < 1000; ++i) {
      nodes.push_back(a.allocate_one());
      *nodes.back() = i;
      EXPECT_TRUE(s.get().belongs_to_segment(nodes.back().get()));
    }
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(*nodes[i], i);  // no node handed out twice
    for (auto& p : nodes) a.deallocate_one(p);
    // Arrays come from the segment.
    typename TypeParam::pointer array = a.allocate(10);
    EXPECT_GE(a.size(array), 10u);
    a.deallocate(array, 10);
    typename TypeParam::multiallocation_chain chain = a.allocate_individual(100);
    EXPECT_EQ(chain.size(), 100u);
    a.allocate_individual(5, chain);
    EXPECT_EQ(chain.size(), 105u);
    a.deallocate_individual(chain);
    EXPECT_TRUE(chain.empty());
  }
  // The last allocator gave the pool and its blocks back.
  EXPECT_EQ(s.get().get_free_memory(), free_before);
  EXPECT_TRUE(s.get().check_sanity());
}

TYPED_TEST(PooledAllocator, RebindingAndCopies) {
  Segment s;
  TypeParam a(s.manager());
  typename TypeParam::template rebind<char>::other c(a);
  EXPECT_EQ(c.get_segment_manager(), s.manager());
  TypeParam copy(a);
  auto p = a.allocate_one();
  *p = 42;
  if (copy == a) {
    copy.deallocate_one(p);  // equal allocators give back each other's nodes
  } else {
    a.deallocate_one(p);
  }
  swap(a, copy);
  EXPECT_EQ(a.get_segment_manager(), s.manager());
}

TYPED_TEST(PooledAllocator, ANodeFromAnotherPoolIsReportedNotAbsorbed) {
  Segment s;
  TypeParam a(s.manager());
  long* foreign = static_cast<long*>(s.get().allocate(sizeof(long)));
  try {
    a.deallocate_one(typename TypeParam::pointer(foreign));
    // A cached allocator may accept it into its cache; it must then be
    // refused when the cache is given back to the pool.
    a.deallocate_free_blocks();
    ADD_FAILURE() << "a foreign node was accepted";
  } catch (const refipc::interprocess_exception& e) {
    EXPECT_EQ(e.get_error_code(), refipc::corrupted_error);
  }
  s.get().deallocate(foreign);
}

using long_node = refipc::node_allocator<long, segment_manager>;
using long_adaptive = refipc::adaptive_pool<long, segment_manager, 16, 1>;

TEST(SharedPools, OnePoolPerNodeSizeAndParameters) {
  Segment s;
  long_node a(s.manager());
  long_node b(s.manager());
  EXPECT_EQ(a.get_node_pool(), b.get_node_pool());
  EXPECT_TRUE(a == b);
  // Same node size, other type: same pool.
  refipc::node_allocator<unsigned long, segment_manager> d(s.manager());
  EXPECT_EQ(static_cast<void*>(d.get_node_pool()), static_cast<void*>(a.get_node_pool()));
  // Other parameters or kind: another pool.
  refipc::node_allocator<long, segment_manager, 32> other_npb(s.manager());
  EXPECT_NE(static_cast<void*>(other_npb.get_node_pool()), static_cast<void*>(a.get_node_pool()));
  long_adaptive ad(s.manager());
  EXPECT_NE(static_cast<void*>(ad.get_node_pool()), static_cast<void*>(a.get_node_pool()));
  EXPECT_EQ(a.get_node_pool()->references(), 3u);
  EXPECT_EQ(s.get().get_num_unique_objects(), 3u);
}

TEST(SharedPools, TheLastAllocatorDestroysThePool) {
  Segment s;
  {
    long_node a(s.manager());
    { long_node b(a); }
    EXPECT_EQ(s.get().get_num_unique_objects(), 1u);
    a.allocate_one();  // in use when the pool goes: given back with its block
  }
  EXPECT_EQ(s.get().get_num_unique_objects(), 0u);
  EXPECT_TRUE(s.get().all_memory_deallocated());
}

TEST(SharedPools, NodeBlocksStayAdaptiveBlocksGo) {
  Segment s;
  long_node n(s.manager());
  long_adaptive ad(s.manager());
  const std::size_t per_block = n.get_node_pool()->pool().nodes_per_block();
  EXPECT_GE(per_block, 64u);
  EXPECT_GE(ad.get_node_pool()->pool().nodes_per_block(), 16u);
  std::vector<long_node::pointer> ns;
  std::vector<long_adaptive::pointer> as;
  for (std::size_t i = 0; i < 4 * per_block; ++i) {
    ns.push_back(n.allocate_one());
    as.push_back(ad.allocate_one());
  }
  for (auto& p : ns) n.deallocate_one(p);
  for (auto& p : as) ad.deallocate_one(p);
  // node_allocator keeps every block; adaptive_pool keeps MaxFreeBlocks (1).
  EXPECT_GE(n.get_node_pool()->num_blocks(s.manager()), 4u);
  EXPECT_EQ(n.get_node_pool()->num_free_blocks(s.manager()),
            n.get_node_pool()->num_blocks(s.manager()));
  EXPECT_EQ(ad.get_node_pool()->num_blocks(s.manager()), 1u);
  n.deallocate_free_blocks();
  ad.deallocate_free_blocks();
  EXPECT_EQ(n.get_node_pool()->num_blocks(s.manager()), 0u);
  EXPECT_EQ(ad.get_node_pool()->num_blocks(s.manager()), 0u);
}

TEST(SharedPools, OverheadPercentShapesTheBlocks) {
  using pool5 = refipc::allocators_detail::node_pool<refipc::offset_ptr<void>>;
  for (unsigned percent : {1u, 5u, 20u}) {
    const refipc::allocators_detail::pool_params p{40, 8, 2, percent, true};
    const std::size_t bytes = pool5::block_bytes_for(p);
    const std::size_t nodes = (bytes - pool5::kHeaderBytes) / 40;
    EXPECT_GE(nodes, 8u);
    EXPECT_LE((bytes - nodes * 40) * 100, percent * bytes) << percent;
  }
}

// Threads with their own copies of one shared-pool allocator: no node is
// handed out twice (each thread's tags survive), and the pool ends whole.
template <class Alloc>
void hammer_shared_pool() {
  Segment s;
  const std::size_t free_before = s.get().get_free_memory();
  {
    Alloc shared(s.manager());
    std::vector<std::thread> threads;
    for (long t = 1; t <= 4; ++t) {
      threads.emplace_back([&shared, t] {
        Alloc a(shared);
        std::vector<typename Alloc::pointer> mine;
        for (int round = 0; round < 200; ++round) {
          for (int i = 0; i < 50; ++i) {
            mine.push_back(a.allocate_one());
            *mine.back() = t * 1000000 + round * 100 + i;
          }
          for (int i = 0; i < 50; ++i) {
            ASSERT_EQ(*mine[i], t * 1000000 + round * 100 + i);
          }
          for (auto& p : mine) a.deallocate_one(p);
          mine.clear();
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  EXPECT_EQ(s.get().get_free_memory(), free_before);
}

TEST(SharedPools, ThreadsShareANodeAllocatorPool) {
  hammer_shared_pool<refipc::node_allocator<long, segment_manager>>();
}
TEST(SharedPools, ThreadsShareAnAdaptivePool) {
  hammer_shared_pool<refipc::adaptive_pool<long, segment_manager, 16, 0>>();
}
TEST(SharedPools, ThreadsWithCachedAllocatorsShareAPool) {
  hammer_shared_pool<refipc::cached_adaptive_pool<long, segment_manager, 16, 0>>();
}

TEST(PrivatePools, EachInstanceItsOwnPool) {
  Segment s;
  const std::size_t free_before = s.get().get_free_memory();
  {
    refipc::private_node_allocator<long, segment_manager> a(s.manager());
    refipc::private_node_allocator<long, segment_manager> b(a);
    EXPECT_NE(a.get_node_pool(), b.get_node_pool());
    EXPECT_FALSE(a == b);
    EXPECT_TRUE(a == a);
    a.allocate_one();  // still in use when `a` goes
    EXPECT_EQ(s.get().get_num_unique_objects(), 0u);
  }
  EXPECT_EQ(s.get().get_free_memory(), free_before);
}

TEST(CachedPools, TheCacheHoldsAtMostMaxCachedNodes) {
  Segment s;
  refipc::cached_node_allocator<long, segment_manager> a(s.manager());
  EXPECT_EQ(a.get_max_cached_nodes(), 64u);
  a.set_max_cached_nodes(10);
  EXPECT_EQ(a.get_max_cached_nodes(), 10u);
  std::vector<refipc::offset_ptr<long>> nodes;
  for (int i = 0; i < 100; ++i) nodes.push_back(a.allocate_one());
  const std::size_t blocks = a.get_node_pool()->num_blocks(s.manager());
  for (auto& p : nodes) a.deallocate_one(p);
  // At most 10 nodes are kept by the cache, the rest went back to the pool:
  // with the cache emptied, every block is wholly free.
  a.set_max_cached_nodes(0);
  EXPECT_EQ(a.get_node_pool()->num_free_blocks(s.manager()), blocks);
  refipc::cached_node_allocator<long, segment_manager> copy(a);
  EXPECT_TRUE(copy == a);
  EXPECT_EQ(copy.get_max_cached_nodes(), 0u);
}

TEST(CachedPools, TheConstructorTakesTheCacheLimit) {
  Segment s;
  refipc::cached_node_allocator<long, segment_manager> nodes(s.manager(), 5);
  EXPECT_EQ(nodes.get_max_cached_nodes(), 5u);
  refipc::cached_adaptive_pool<long, segment_manager> adaptive(s.manager(), 7);
  EXPECT_EQ(adaptive.get_max_cached_nodes(), 7u);
  auto p = adaptive.allocate_one();
  adaptive.deallocate_one(p);
}

}  // namespace
