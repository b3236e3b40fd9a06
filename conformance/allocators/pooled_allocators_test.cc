// Conformance tests of the pooled allocators (spec/allocators/node_allocator,
// private_node_allocator, cached_node_allocator, adaptive_pool,
// private_adaptive_pool, cached_adaptive_pool) in a managed shared memory
// segment, one of them across two processes.
#include <cstddef>
#include <string>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSize = 1024 * 1024;
using segment_manager = ipc::managed_shared_memory::segment_manager;
using node_alloc = ipc::node_allocator<long, segment_manager, 32>;

class AllocatorsPooled : public ipc_test::ConformanceTest {
 protected:
  void SetUp() override {
    name_ = unique_resource(
        [](const std::string& name) { ipc::shared_memory_object::remove(name.c_str()); });
    segment_ = ipc::managed_shared_memory(ipc::create_only, name_.c_str(), kSize);
  }
  void TearDown() override { segment_ = ipc::managed_shared_memory(); }
  segment_manager* manager() { return segment_.get_segment_manager(); }
  std::size_t free_memory() { return segment_.get_free_memory(); }

  std::string name_;
  ipc::managed_shared_memory segment_;
};

// Allocates n nodes, checks they are distinct and in the segment, and gives
// them back: half one by one, half as a chain.
template <class A>
void use_nodes(A& a, ipc::managed_shared_memory& segment, std::size_t n) {
  std::vector<typename A::pointer> nodes;
  for (std::size_t i = 0; i < n; ++i) {
    nodes.push_back(a.allocate_one());
    *nodes.back() = static_cast<long>(i);
    EXPECT_TRUE(segment.belongs_to_segment(nodes.back().get()));
  }
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(*nodes[i], static_cast<long>(i));
  for (auto& p : nodes) a.deallocate_one(p);
  typename A::multiallocation_chain chain;
  a.allocate_individual(n, chain);
  EXPECT_EQ(chain.size(), n);
  a.deallocate_individual(chain);
}

TEST_F(AllocatorsPooled, NodeAllocatorsShareOnePool) {
  IPC_SPEC("node_allocator.shared_pool");
  node_alloc a(manager());
  node_alloc b(manager());
  // Another type of the same size (double is not, on 32-bit x86).
  ipc::node_allocator<unsigned long, segment_manager, 32> same_size(manager());
  EXPECT_EQ(a.get_node_pool(), b.get_node_pool());
  EXPECT_EQ(static_cast<void*>(a.get_node_pool()), static_cast<void*>(same_size.get_node_pool()));
  EXPECT_TRUE(a == b);
  node_alloc copy(a);
  EXPECT_TRUE(copy == a);
  typename node_alloc::pointer p = a.allocate_one();
  b.deallocate_one(p);  // equal allocators give back each other's nodes
}

TEST_F(AllocatorsPooled, NodeAllocatorNodesAreReused) {
  IPC_SPEC("node_allocator.nodes");
  node_alloc a(manager());
  use_nodes(a, segment_, 200);
  const std::size_t after_first_round = free_memory();
  use_nodes(a, segment_, 200);  // the pool's blocks suffice
  EXPECT_EQ(free_memory(), after_first_round);
}

TEST_F(AllocatorsPooled, TheLastNodeAllocatorDestroysThePool) {
  IPC_SPEC("node_allocator.pool_lifetime");
  const std::size_t free_before = free_memory();
  {
    node_alloc a(manager());
    {
      node_alloc b(a);
      use_nodes(b, segment_, 100);
    }
    use_nodes(a, segment_, 100);
    EXPECT_LT(free_memory(), free_before);
  }
  EXPECT_EQ(free_memory(), free_before);
}

TEST_F(AllocatorsPooled, NodeAllocatorFreeBlocksGoBack) {
  IPC_SPEC("node_allocator.free_blocks");
  node_alloc a(manager());
  a.deallocate_one(a.allocate_one());
  a.deallocate_free_blocks();
  const std::size_t empty_pool = free_memory();
  use_nodes(a, segment_, 500);
  EXPECT_LT(free_memory(), empty_pool);  // segregated storage keeps its blocks
  a.deallocate_free_blocks();
  EXPECT_EQ(free_memory(), empty_pool);
}

// args: segment name, handle of the parent's pool, handles of nodes the
// parent allocated. Gives those nodes back through its own allocator, then
// leaves nodes of its own in "child_nodes" for the parent.
IPC_CHILD_ROLE(allocators_pool_child) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  node_alloc a(segment.get_segment_manager());
  const auto pool_handle =
      static_cast<ipc::managed_shared_memory::handle_t>(std::stoll(args.at(1)));
  IPC_CHILD_CHECK(segment.get_handle_from_address(a.get_node_pool()) == pool_handle);
  for (std::size_t i = 2; i < args.size(); ++i) {
    auto* node = static_cast<long*>(segment.get_address_from_handle(
        static_cast<ipc::managed_shared_memory::handle_t>(std::stoll(args[i]))));
    IPC_CHILD_CHECK_MSG(*node == static_cast<long>(i), "node " << i << " holds " << *node);
    a.deallocate_one(node_alloc::pointer(node));
  }
  auto* handles = segment.construct<ipc::managed_shared_memory::handle_t>("child_nodes")[50](0);
  for (int i = 0; i < 50; ++i) {
    node_alloc::pointer p = a.allocate_one();
    *p = 1000 + i;
    handles[i] = segment.get_handle_from_address(p.get());
  }
}

TEST_F(AllocatorsPooled, TwoProcessesShareANodeAllocatorPool) {
  IPC_SPEC("node_allocator.multi_process");
  const std::size_t free_before = free_memory();
  {
    node_alloc a(manager());
    std::vector<std::string> args{
        name_, std::to_string(segment_.get_handle_from_address(a.get_node_pool()))};
    for (std::size_t i = 2; i < 52; ++i) {
      node_alloc::pointer p = a.allocate_one();
      *p = static_cast<long>(i);
      args.push_back(std::to_string(segment_.get_handle_from_address(p.get())));
    }
    auto child = ipc_test::spawn_role("allocators_pool_child", args);
    IPC_ASSERT_CHILD_OK(child.wait());
    auto found = segment_.find<ipc::managed_shared_memory::handle_t>("child_nodes");
    ASSERT_EQ(found.second, 50u);
    for (int i = 0; i < 50; ++i) {
      auto* node = static_cast<long*>(segment_.get_address_from_handle(found.first[i]));
      EXPECT_EQ(*node, 1000 + i);
      a.deallocate_one(node_alloc::pointer(node));
    }
    segment_.destroy_ptr(found.first);
  }
  EXPECT_EQ(free_memory(), free_before);
}

template <class A>
void expect_private_pools(AllocatorsPooled* self, ipc::managed_shared_memory& segment) {
  const std::size_t free_before = segment.get_free_memory();
  {
    A a(segment.get_segment_manager());
    A copy(a);
    EXPECT_NE(static_cast<const void*>(a.get_node_pool()),
              static_cast<const void*>(copy.get_node_pool()));
    use_nodes(a, segment, 300);
    use_nodes(copy, segment, 300);
  }
  EXPECT_EQ(segment.get_free_memory(), free_before);
  (void)self;
}

TEST_F(AllocatorsPooled, PrivateNodeAllocatorsHaveTheirOwnPool) {
  IPC_SPEC("private_node_allocator.private_pool");
  expect_private_pools<ipc::private_node_allocator<long, segment_manager, 32>>(this, segment_);
}

TEST_F(AllocatorsPooled, PrivateAdaptivePoolsHaveTheirOwnPool) {
  IPC_SPEC("private_adaptive_pool.private_pool");
  expect_private_pools<ipc::private_adaptive_pool<long, segment_manager, 32, 2, 5>>(this, segment_);
}

template <class A>
void expect_caches(ipc::managed_shared_memory& segment) {
  const std::size_t free_before = segment.get_free_memory();
  {
    A a(segment.get_segment_manager());
    a.set_max_cached_nodes(10);
    EXPECT_EQ(a.get_max_cached_nodes(), 10u);
    A copy(a);
    EXPECT_TRUE(copy == a);
    use_nodes(a, segment, 300);
    use_nodes(copy, segment, 300);
    typename A::pointer p = a.allocate_one();
    copy.deallocate_one(p);
  }
  EXPECT_EQ(segment.get_free_memory(), free_before);
}

TEST_F(AllocatorsPooled, CachedNodeAllocatorsCacheUpToTheirLimit) {
  IPC_SPEC("cached_node_allocator.cache");
  expect_caches<ipc::cached_node_allocator<long, segment_manager, 32>>(segment_);
}

TEST_F(AllocatorsPooled, CachedAdaptivePoolsCacheUpToTheirLimit) {
  IPC_SPEC("cached_adaptive_pool.cache");
  expect_caches<ipc::cached_adaptive_pool<long, segment_manager, 32, 2, 5>>(segment_);
}

using adaptive = ipc::adaptive_pool<long, segment_manager, 32, 1, 5>;

TEST_F(AllocatorsPooled, AdaptivePoolsShareOnePool) {
  IPC_SPEC("adaptive_pool.shared_pool");
  const std::size_t free_before = free_memory();
  {
    adaptive a(manager());
    adaptive b(manager());
    EXPECT_EQ(a.get_node_pool(), b.get_node_pool());
    EXPECT_TRUE(a == b);
    use_nodes(a, segment_, 100);
    b.deallocate_one(a.allocate_one());
  }
  EXPECT_EQ(free_memory(), free_before);
}

TEST_F(AllocatorsPooled, AdaptivePoolsGiveFreeBlocksBack) {
  IPC_SPEC("adaptive_pool.returns_free_blocks");
  adaptive a(manager());
  a.deallocate_one(a.allocate_one());
  a.deallocate_free_blocks();
  const std::size_t empty_pool = free_memory();
  std::vector<adaptive::pointer> nodes;
  for (int i = 0; i < 640; ++i) nodes.push_back(a.allocate_one());  // 20 blocks or more
  const std::size_t full = free_memory();
  for (auto& p : nodes) a.deallocate_one(p);
  const std::size_t after = free_memory();
  // All but MaxFreeBlocks (1) of the now free blocks went back.
  EXPECT_GT(after, full + (empty_pool - full) / 2);
  EXPECT_LT(after, empty_pool);
  a.deallocate_free_blocks();
  EXPECT_EQ(free_memory(), empty_pool);
}

}  // namespace
