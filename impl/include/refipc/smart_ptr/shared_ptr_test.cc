// shared_ptr and its count block: ownership, the persisted layout, damaged
// counts, allocation failure, and concurrent copies from threads and from two
// processes sharing one count block.
#include "refipc/smart_ptr/shared_ptr.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <thread>

#include "refipc/managed_heap_memory.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/offset_ptr.hpp"
#include "refipc/smart_ptr/enable_shared_from_this.hpp"
#include "refipc/smart_ptr/weak_ptr.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace {

using refipc::managed_heap_memory;

// An object in the segment that counts its destructions in the segment.
struct Counted {
  explicit Counted(std::atomic<int>* destroyed) : destroyed(destroyed) {}
  ~Counted() { destroyed->fetch_add(1, std::memory_order_relaxed); }
  refipc::offset_ptr<std::atomic<int>> destroyed;
};

template <class Managed>
using counted_ptr = typename refipc::managed_shared_ptr<Counted, Managed>::type;
using heap_ptr = counted_ptr<managed_heap_memory>;
using heap_weak = refipc::managed_weak_ptr<Counted, managed_heap_memory>::type;
using heap_block =
    refipc::smart_ptr_detail::count_block<managed_heap_memory::allocator<void>::type,
                                          managed_heap_memory::deleter<Counted>::type>;

// Both are persisted in segments: docs/layout.md.
static_assert(sizeof(heap_ptr) == 2 * sizeof(refipc::offset_ptr<void>));
// Counts (8 bytes), then three offset pointers (8 bytes each, 4 on 32-bit).
constexpr std::size_t kPtr = sizeof(refipc::offset_ptr<void>);
static_assert(sizeof(heap_block) == 8 + 3 * kPtr);
static_assert(offsetof(heap_block, owned) == 8);
static_assert(offsetof(heap_block, deleter) == 8 + kPtr);
static_assert(offsetof(heap_block, allocator) == 8 + 2 * kPtr);

class SharedPtr : public ::testing::Test {
 protected:
  SharedPtr()
      : heap_(64 * 1024),
        destroyed_(heap_.construct<std::atomic<int>>("destroyed")(0)),
        free_at_start_(heap_.get_free_memory()) {}
  heap_ptr make() {
    return refipc::make_managed_shared_ptr(
        heap_.construct<Counted>(refipc::anonymous_instance)(destroyed_), heap_);
  }
  heap_block* block_of(const heap_ptr& p) {
    // The block is the only allocation besides the object: find it through
    // the deleter's address inside it.
    const void* d = refipc::smart_ptr_detail::to_raw(p.get_deleter());
    return reinterpret_cast<heap_block*>(const_cast<char*>(static_cast<const char*>(d)) -
                                         offsetof(heap_block, deleter));
  }

  managed_heap_memory heap_;
  std::atomic<int>* destroyed_;
  std::size_t free_at_start_;
};

TEST_F(SharedPtr, LastOwnerDestroysAndFreesEverything) {
  {
    heap_ptr a = make();
    EXPECT_TRUE(a.unique());
    heap_ptr b = a;
    EXPECT_EQ(a.use_count(), 2);
    heap_ptr c(std::move(b));
    EXPECT_FALSE(b);
    EXPECT_EQ(c.use_count(), 2);
    a.reset();
    EXPECT_EQ(destroyed_->load(), 0);
    EXPECT_TRUE(c.unique());
  }
  EXPECT_EQ(destroyed_->load(), 1);
  EXPECT_EQ(heap_.get_free_memory(), free_at_start_);
}

TEST_F(SharedPtr, WeakPtrKeepsTheBlockNotTheObject) {
  heap_weak w;
  {
    heap_ptr a = make();
    w = a;
    EXPECT_EQ(w.use_count(), 1);
    heap_ptr locked = w.lock();
    EXPECT_EQ(locked.get(), a.get());
    EXPECT_EQ(a.use_count(), 2);
  }
  EXPECT_EQ(destroyed_->load(), 1);
  EXPECT_TRUE(w.expired());
  EXPECT_FALSE(w.lock());
  EXPECT_THROW(heap_ptr{w}, refipc::bad_weak_ptr);
  EXPECT_LT(heap_.get_free_memory(), free_at_start_);  // the block
  w.reset();
  EXPECT_EQ(heap_.get_free_memory(), free_at_start_);
}

TEST_F(SharedPtr, StoredInTheSegmentItWorksAfterTheSegmentMoved) {
  heap_.construct<heap_ptr>("owner")(make());
  heap_.grow(64 * 1024);  // copies the segment to another address
  destroyed_ = heap_.find<std::atomic<int>>("destroyed").first;
  heap_ptr* owner = heap_.find<heap_ptr>("owner").first;
  ASSERT_NE(owner, nullptr);
  heap_ptr copy = *owner;
  EXPECT_EQ(copy.use_count(), 2);
  heap_.destroy_ptr(owner);
  EXPECT_EQ(destroyed_->load(), 0);
  copy.reset();
  EXPECT_EQ(destroyed_->load(), 1);
}

// A count read as 0 while an owner exists is damage: nothing is destroyed
// twice; the object and block are leaked and the count shows the damage.
TEST_F(SharedPtr, AZeroCountIsNeverReleasedAgain) {
  heap_ptr a = make();
  heap_block* b = block_of(a);
  b->counts.use.store(0);
  {
    heap_ptr copy = a;  // finds 0: poisons the count
    EXPECT_GT(copy.use_count(), static_cast<long>(refipc::smart_ptr_detail::kMaxCount));
  }
  a.reset();
  EXPECT_EQ(destroyed_->load(), 0);
  heap_weak w{make()};  // unrelated objects still work
  EXPECT_EQ(destroyed_->load(), 1);
}

TEST_F(SharedPtr, AReleaseFromZeroDestroysNothing) {
  heap_ptr a = make();
  block_of(a)->counts.use.store(0);
  heap_weak w(a);
  a.reset();
  EXPECT_EQ(destroyed_->load(), 0);
  EXPECT_FALSE(w.lock());  // an impossible count is never resurrected
  EXPECT_GT(w.use_count(), static_cast<long>(refipc::smart_ptr_detail::kMaxCount));
}

TEST_F(SharedPtr, AnImpossibleCountIsNotLocked) {
  heap_ptr a = make();
  heap_weak w(a);
  block_of(a)->counts.use.store(refipc::smart_ptr_detail::kPoison + 5);
  EXPECT_FALSE(w.lock());
  a.reset();
  EXPECT_EQ(destroyed_->load(), 0);
}

TEST_F(SharedPtr, AFailedBlockAllocationDestroysTheObject) {
  Counted* obj = heap_.construct<Counted>(refipc::anonymous_instance)(destroyed_);
  // Leave no room for the block.
  void* filler = heap_.allocate(heap_.get_free_memory() - 64, std::nothrow);
  while (heap_.allocate(32, std::nothrow) != nullptr) {
  }
  EXPECT_THROW(refipc::make_managed_shared_ptr(obj, heap_), refipc::bad_alloc);
  EXPECT_EQ(destroyed_->load(), 1);
  (void)filler;
}

struct Base {
  virtual ~Base() = default;
  int base_value = 1;
};
struct Derived : Base {
  int derived_value = 2;
};

TEST_F(SharedPtr, CastsShareOwnership) {
  using base_ptr = refipc::managed_shared_ptr<Base, managed_heap_memory>::type;
  base_ptr b = refipc::make_managed_shared_ptr(
      static_cast<Base*>(heap_.construct<Derived>(refipc::anonymous_instance)()), heap_);
  using A = managed_heap_memory::allocator<void>::type;
  using D = managed_heap_memory::deleter<Base>::type;
  refipc::shared_ptr<Derived, A, D> d = refipc::dynamic_pointer_cast<Derived>(b);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->derived_value, 2);
  EXPECT_EQ(b.use_count(), 2);
  refipc::shared_ptr<Derived, A, D> s = refipc::static_pointer_cast<Derived>(b);
  EXPECT_EQ(s, d);
  refipc::shared_ptr<const Base, A, D> cb = b;
  refipc::shared_ptr<Base, A, D> mb = refipc::const_pointer_cast<Base>(cb);
  EXPECT_EQ(mb.use_count(), 5);
  EXPECT_FALSE(b < d || d < b);  // one owner
  struct Other : Base {};
  EXPECT_FALSE((refipc::dynamic_pointer_cast<Other>(b)));
}

struct VirtualBase {
  virtual ~VirtualBase() = default;
};
struct ViaVirtual : virtual VirtualBase {};

TEST_F(SharedPtr, AWeakPtrConvertsToAVirtualBaseEvenOnceExpired) {
  using A = managed_heap_memory::allocator<void>::type;
  using D = managed_heap_memory::deleter<ViaVirtual>::type;
  refipc::weak_ptr<ViaVirtual, A, D> expired;
  {
    auto owner = refipc::make_managed_shared_ptr(
        heap_.construct<ViaVirtual>(refipc::anonymous_instance)(), heap_);
    refipc::weak_ptr<VirtualBase, A, D> live(refipc::weak_ptr<ViaVirtual, A, D>{owner});
    EXPECT_EQ(refipc::smart_ptr_detail::to_raw(live.lock().get()),
              static_cast<VirtualBase*>(refipc::smart_ptr_detail::to_raw(owner.get())));
    expired = owner;
  }
  refipc::weak_ptr<VirtualBase, A, D> converted(expired);  // reads no destroyed object
  EXPECT_TRUE(converted.expired());
  EXPECT_FALSE(converted.lock());
}

struct Node : refipc::enable_shared_from_this<Node, managed_heap_memory::allocator<void>::type,
                                              managed_heap_memory::deleter<Node>::type> {};

TEST_F(SharedPtr, EnableSharedFromThis) {
  auto p =
      refipc::make_managed_shared_ptr(heap_.construct<Node>(refipc::anonymous_instance)(), heap_);
  auto again = p->shared_from_this();
  EXPECT_EQ(again, p);
  EXPECT_EQ(p.use_count(), 2);
  const Node& cref = *p;
  EXPECT_EQ(cref.shared_from_this().use_count(), 3);
  Node* loose = heap_.construct<Node>(refipc::anonymous_instance)();
  EXPECT_THROW(loose->shared_from_this(), refipc::bad_weak_ptr);
  heap_.destroy_ptr(loose);
}

// Process memory: std::allocator and a deleter of raw pointers.
struct StdDeleter {
  using pointer = int*;
  void operator()(int* p) const { delete p; }
};

TEST(SharedPtrInProcessMemory, RawPointerFamily) {
  using ptr = refipc::shared_ptr<int, std::allocator<void>, StdDeleter>;
  static_assert(std::is_same_v<ptr::pointer, int*>);
  ptr a(new int(7));
  refipc::weak_ptr<int, std::allocator<void>, StdDeleter> w(a);
  ptr b = w.lock();
  EXPECT_EQ(*b, 7);
  EXPECT_EQ(a.use_count(), 2);
  EXPECT_NE(a.get_deleter(), nullptr);
}

// Hand-off stress: two threads copy and drop the same owner; the counts must
// lose no update, so the object survives until the last owner goes.
TEST_F(SharedPtr, ThreadsCopyingOneOwnerLoseNoUpdate) {
  heap_ptr root = make();
  auto work = [&root, this](heap_ptr mine) {
    for (int i = 0; i < 20000; ++i) {
      heap_ptr a = mine;
      heap_ptr b = root;
      heap_weak w(b);
      if (w.lock().use_count() < 3 || destroyed_->load() != 0) ADD_FAILURE();
    }
  };
  std::thread t1(work, root), t2(work, root);
  t1.join();
  t2.join();
  EXPECT_TRUE(root.unique());
  root.reset();
  EXPECT_EQ(destroyed_->load(), 1);
}

// The same between two processes: each holds one owner in the segment and
// copies and drops it concurrently; whichever drops the last owner destroys
// the object, exactly once, and all the memory comes back. Anonymous objects
// keep the index out of the free-memory count; fork keeps their addresses.
using shm_ptr = counted_ptr<refipc::managed_shared_memory>;

bool churn(refipc::managed_shared_memory& seg, shm_ptr* own) {
  bool ok = true;
  for (int i = 0; ok && i < 20000; ++i) {
    shm_ptr a = *own;
    shm_ptr b = a;
    ok = b.use_count() >= 3 && b->destroyed->load() == 0;
  }
  seg.destroy_ptr(own);
  return ok;
}

TEST(SharedPtrMultiProcess, TwoProcessesCopyingOneObjectDestroyItOnce) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  using refipc::managed_shared_memory;
  const std::string name = "refipc_shared_ptr_test_" + std::to_string(getpid());
  refipc::shared_memory_object::remove(name.c_str());
  managed_shared_memory seg(refipc::create_only, name.c_str(), 256 * 1024);
  auto* destroyed = seg.construct<std::atomic<int>>(refipc::anonymous_instance)(0);
  const std::size_t free_at_start = seg.get_free_memory();
  shm_ptr* parent_owner;
  shm_ptr* child_owner;
  {
    shm_ptr root = refipc::make_managed_shared_ptr(
        seg.construct<Counted>(refipc::anonymous_instance)(destroyed), seg);
    parent_owner = seg.construct<shm_ptr>(refipc::anonymous_instance)(root);
    child_owner = seg.construct<shm_ptr>(refipc::anonymous_instance)(root);
  }
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char c;
    close(go[1]);
    const bool ok = read(go[0], &c, 1) == 1 && churn(seg, child_owner);
    _exit(ok ? 0 : 1);
  }
  close(go[0]);
  ASSERT_EQ(write(go[1], "g", 1), 1);
  close(go[1]);
  const bool ok = churn(seg, parent_owner);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(ok);
  EXPECT_EQ(destroyed->load(), 1);
  EXPECT_EQ(seg.get_free_memory(), free_at_start);
  refipc::shared_memory_object::remove(name.c_str());
}

}  // namespace
