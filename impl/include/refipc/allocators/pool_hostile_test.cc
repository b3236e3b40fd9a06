// A node pool in shared memory is hostile input: damaged free lists, block
// owners and pool headers are reported as corrupted_error, never followed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "refipc/allocators/adaptive_pool.hpp"
#include "refipc/allocators/node_allocator.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

using refipc::managed_shared_memory;
using segment_manager = managed_shared_memory::segment_manager;
using node_alloc = refipc::node_allocator<long, segment_manager>;
using pool_block = refipc::allocators_detail::pool_block<refipc::offset_ptr<void>>;

static_assert(sizeof(std::remove_pointer_t<decltype(node_alloc(nullptr).get_node_pool())>) ==
              sizeof(segment_manager::mutex_family::mutex_type) +
                  sizeof(refipc::allocators_detail::node_pool<refipc::offset_ptr<void>>) +
                  sizeof(std::uint64_t));

class PoolHostile : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = "refipc_pool_hostile_" + std::to_string(::getpid());
    refipc::shared_memory_object::remove(name_.c_str());
    segment_ = managed_shared_memory(refipc::create_only, name_.c_str(), 1 << 20);
  }
  void TearDown() override {
    segment_ = managed_shared_memory();
    refipc::shared_memory_object::remove(name_.c_str());
  }
  segment_manager* manager() { return segment_.get_segment_manager(); }
  // The block holding node `p` of allocator `a`.
  static pool_block* block_of(const node_alloc& a, long* p) {
    const std::uintptr_t mask = a.get_node_pool()->pool().block_bytes() - 1;
    return reinterpret_cast<pool_block*>(reinterpret_cast<std::uintptr_t>(p) & ~mask);
  }
  template <class F>
  static void expect_corrupted(F f) {
    try {
      f();
      ADD_FAILURE() << "no corrupted_error";
    } catch (const refipc::interprocess_exception& e) {
      EXPECT_EQ(e.get_error_code(), refipc::corrupted_error);
    }
  }

  std::string name_;
  managed_shared_memory segment_;
};

TEST_F(PoolHostile, AFreeListLinkOutsideItsBlock) {
  node_alloc a(manager());
  node_alloc::pointer p = a.allocate_one();
  pool_block* b = block_of(a, p.get());
  b->free_head = static_cast<void*>(manager());  // in the segment, not a node
  expect_corrupted([&] { a.allocate_one(); });
  b->free_head = static_cast<void*>(reinterpret_cast<char*>(p.get()) + 3);  // inside, misaligned
  expect_corrupted([&] { a.allocate_one(); });
  b->free_head = static_cast<void*>(reinterpret_cast<char*>(b) + (64 << 20));  // outside
  expect_corrupted([&] { a.allocate_one(); });
  b->free_head = nullptr;  // a block claiming free nodes with an empty list
  expect_corrupted([&] { a.allocate_one(); });
}

TEST_F(PoolHostile, ABlockOwnedByNoPool) {
  node_alloc a(manager());
  node_alloc::pointer p = a.allocate_one();
  pool_block* b = block_of(a, p.get());
  const refipc::offset_ptr<void> owner = b->owner;
  b->owner = static_cast<void*>(manager());
  expect_corrupted([&] { a.deallocate_one(p); });
  expect_corrupted([&] { a.allocate_one(); });  // the list head is that block
  b->owner = owner;
  a.deallocate_one(p);
}

TEST_F(PoolHostile, CountsBeyondTheBlock) {
  node_alloc a(manager());
  node_alloc::pointer p = a.allocate_one();
  pool_block* b = block_of(a, p.get());
  b->free_count = b->node_count + 1;
  expect_corrupted([&] { a.allocate_one(); });
  b->free_count = b->node_count;  // every node free, yet one is given back
  expect_corrupted([&] { a.deallocate_one(p); });
  b->free_count = b->node_count - 1;
  a.deallocate_one(p);
}

TEST_F(PoolHostile, APoolHeaderOfAnotherShape) {
  node_alloc a(manager());
  auto* pool = a.get_node_pool();
  std::uint32_t node_bytes;
  char* field =
      reinterpret_cast<char*>(pool) + sizeof(segment_manager::mutex_family::mutex_type) + 4;
  std::memcpy(&node_bytes, field, 4);
  const std::uint32_t other = node_bytes + 8;
  std::memcpy(field, &other, 4);
  expect_corrupted([&] { node_alloc b(manager()); });
  std::memcpy(field, &node_bytes, 4);
  node_alloc c(manager());
  EXPECT_TRUE(c == a);
}

}  // namespace
