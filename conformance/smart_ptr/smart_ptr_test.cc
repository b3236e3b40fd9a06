// Conformance tests of "Ownership smart pointers" and the smart_ptr headers'
// reference: intrusive_ptr, scoped_ptr, shared_ptr, weak_ptr,
// enable_shared_from_this and unique_ptr, with the manual's listings.
#include <cstddef>
#include <memory>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cstdint>
#include <random>
#endif

namespace {

constexpr std::size_t kSize = 256 * 1024;

class SmartPtr : public ipc_test::ConformanceTest {
 protected:
  std::string shm_name() {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); });
  }

  // Calls check(segment) on a new segment of every managed front end.
  template <class Check>
  void on_every_front_end(Check check) {
    {
      SCOPED_TRACE("managed_shared_memory");
      ipc::managed_shared_memory segment(ipc::create_only, shm_name().c_str(), kSize);
      check(segment);
    }
    {
      SCOPED_TRACE("managed_mapped_file");
      ipc::managed_mapped_file segment(ipc::create_only, unique_file_path().c_str(), kSize);
      check(segment);
    }
    {
      SCOPED_TRACE("managed_heap_memory");
      ipc::managed_heap_memory segment(kSize);
      check(segment);
    }
    {
      SCOPED_TRACE("managed_external_buffer");
      std::vector<std::max_align_t> buffer((kSize + sizeof(std::max_align_t) - 1) /
                                           sizeof(std::max_align_t));
      ipc::managed_external_buffer segment(ipc::create_only, buffer.data(), kSize);
      check(segment);
    }
#ifndef _WIN32
    {
      SCOPED_TRACE("managed_xsi_shared_memory");
      const std::string path = unique_file_path("key");
      const int fd = open(path.c_str(), O_CREAT | O_WRONLY, 0600);
      ASSERT_GE(fd, 0);
      close(fd);
      std::random_device random;
      const auto id = static_cast<std::uint8_t>(1 + random() % 255);
      const key_t key = ftok(path.c_str(), id);
      at_teardown([key] {
        const int shmid = shmget(key, 0, 0);
        if (shmid >= 0) shmctl(shmid, IPC_RMID, nullptr);
      });
      ipc::managed_xsi_shared_memory segment(ipc::create_only, ipc::xsi_key(path.c_str(), id),
                                             kSize);
      check(segment);
    }
#endif
  }
};

// An object of a segment that counts its destructions in the segment.
struct Counted {
  explicit Counted(int* destroyed, int value = 0) : destroyed(destroyed), value(value) {}
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  ~Counted() { ++*destroyed; }
  ipc::offset_ptr<int> destroyed;
  int value;
};

// ---- intrusive_ptr ----

namespace counted {

struct Node {
  int refs = 0;
  int zeroes = 0;
};
struct Leaf : Node {};

void intrusive_ptr_add_ref(Node* p) { ++p->refs; }
void intrusive_ptr_release(Node* p) {
  if (--p->refs == 0) ++p->zeroes;
}

}  // namespace counted

using counted::Leaf;
using counted::Node;
using node_ptr = ipc::intrusive_ptr<Node, ipc::offset_ptr<void>>;

TEST_F(SmartPtr, IntrusivePtrStoresAPointerOfTheVoidPointersFamily) {
  IPC_SPEC("smart_ptr.intrusive.pointer_type");
  EXPECT_TRUE((std::is_same_v<node_ptr::pointer, ipc::offset_ptr<Node>>));
  EXPECT_TRUE((std::is_same_v<ipc::intrusive_ptr<Node, void*>::pointer, Node*>));
  EXPECT_TRUE((std::is_same_v<node_ptr::element_type, Node>));
  ipc::managed_heap_memory heap(kSize);
  Node* n = heap.construct<Node>("node")();
  heap.construct<node_ptr>("owner")(n);
  heap.grow(kSize);  // the intrusive_ptr moves with the segment
  node_ptr* owner = heap.find<node_ptr>("owner").first;
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(&**owner, heap.find<Node>("node").first);
}

TEST_F(SmartPtr, IntrusivePtrCallsAddRefAndReleaseFoundByArgumentDependentLookup) {
  IPC_SPEC("smart_ptr.intrusive.counting", "smart_ptr.intrusive.assign");
  Node a, b;
  {
    node_ptr empty;
    EXPECT_EQ(empty.get(), nullptr);
    node_ptr p(&a);
    EXPECT_EQ(a.refs, 1);
    node_ptr adopted(&b, false);
    EXPECT_EQ(b.refs, 0);
    b.refs = 1;  // the adopted reference
    node_ptr copy(p);
    EXPECT_EQ(a.refs, 2);
    Leaf leaf;
    ipc::intrusive_ptr<Leaf, ipc::offset_ptr<void>> lp(&leaf);
    node_ptr related(lp);
    EXPECT_EQ(leaf.refs, 2);
    copy = adopted;  // a loses one, b gains one
    EXPECT_EQ(a.refs, 1);
    EXPECT_EQ(b.refs, 2);
    copy = lp;
    EXPECT_EQ(b.refs, 1);
    EXPECT_EQ(leaf.refs, 3);
    copy = node_ptr::pointer(&a);
    EXPECT_EQ(a.refs, 2);
    EXPECT_EQ(leaf.refs, 2);
    related = node_ptr::pointer();
    EXPECT_EQ(leaf.refs, 1);
  }
  EXPECT_EQ(a.refs, 0);
  EXPECT_EQ(a.zeroes, 1);
  EXPECT_EQ(b.refs, 0);
  EXPECT_EQ(b.zeroes, 1);
}

TEST_F(SmartPtr, IntrusivePtrAccessorsAndFreeFunctions) {
  IPC_SPEC("smart_ptr.intrusive.access", "smart_ptr.intrusive.free_functions");
  Leaf x;
  Node y;
  node_ptr px(&x), py(&y), none;
  ipc::intrusive_ptr<Leaf, ipc::offset_ptr<void>> lx(&x);
  EXPECT_EQ(px.get(), node_ptr::pointer(&x));
  EXPECT_EQ(&*px, &x);
  EXPECT_EQ(&px->refs, &x.refs);
  EXPECT_TRUE(static_cast<bool>(px));
  EXPECT_FALSE(!px);
  EXPECT_TRUE(!none);
  EXPECT_TRUE(px == lx);
  EXPECT_FALSE(px != lx);
  EXPECT_TRUE(px != py);
  EXPECT_TRUE(px == node_ptr::pointer(&x));
  EXPECT_TRUE(node_ptr::pointer(&y) == py);
  EXPECT_TRUE(px != node_ptr::pointer(&y));
  EXPECT_TRUE(node_ptr::pointer(&x) != py);
  EXPECT_EQ(px < py, static_cast<Node*>(&x) < &y);
  EXPECT_NE(px < py, py < px);
  px.swap(py);
  EXPECT_EQ(px.get(), node_ptr::pointer(&y));
  swap(px, py);
  EXPECT_EQ(py.get(), node_ptr::pointer(&y));
  EXPECT_EQ(x.refs, 2);  // swaps do not count
  std::ostringstream out, expected;
  out << px;
  expected << px.get();  // the stored pointer, written as its type writes itself
  EXPECT_EQ(out.str(), expected.str());
}

// The manual's listing (Intrusive pointer).
namespace listing {

class reference_counted_class {
  using segment_manager = ipc::managed_shared_memory::segment_manager;
  unsigned int m_use_count;
  ipc::offset_ptr<segment_manager> mp_segment_manager;

 public:
  explicit reference_counted_class(segment_manager* s_mgr)
      : m_use_count(0), mp_segment_manager(s_mgr) {}
  reference_counted_class(const reference_counted_class&) = delete;
  reference_counted_class& operator=(const reference_counted_class&) = delete;
  unsigned int use_count() const { return m_use_count; }
  friend void intrusive_ptr_add_ref(reference_counted_class* p) { ++p->m_use_count; }
  friend void intrusive_ptr_release(reference_counted_class* p) {
    if (--p->m_use_count == 0) p->mp_segment_manager->destroy_ptr(p);
  }
};

class intrusive_ptr_owner {
  ipc::intrusive_ptr<reference_counted_class, ipc::offset_ptr<void>> m_intrusive_ptr;

 public:
  explicit intrusive_ptr_owner(reference_counted_class* ptr) : m_intrusive_ptr(ptr) {}
};

}  // namespace listing

TEST_F(SmartPtr, IntrusivePtrListing) {
  IPC_SPEC("smart_ptr.intrusive.listing");
  ipc::managed_shared_memory shmem(ipc::create_only, shm_name().c_str(), 10000);
  auto* ref_counted =
      shmem.construct<listing::reference_counted_class>("ref_counted")(shmem.get_segment_manager());
  auto* owners =
      shmem.construct<listing::intrusive_ptr_owner>(ipc::anonymous_instance)[10](ref_counted);
  EXPECT_EQ(ref_counted->use_count(), 10u);
  shmem.destroy_ptr(owners);
  EXPECT_EQ(shmem.find<listing::reference_counted_class>("ref_counted").first, nullptr);
}

// ---- scoped_ptr ----

// Records what it deletes (the manual's deleter takes raw pointers); a
// default-constructed one records into orphan_deletions().
std::vector<int*>& orphan_deletions() {
  static std::vector<int*> deletions;
  return deletions;
}

struct RecordingDeleter {
  using pointer = int*;
  std::vector<int*>* deleted = nullptr;
  void operator()(pointer p) { (deleted ? deleted : &orphan_deletions())->push_back(p); }
};
using int_scoped = ipc::scoped_ptr<int, RecordingDeleter>;

TEST_F(SmartPtr, ScopedPtrDeletesWithItsDeleterUnlessReleased) {
  IPC_SPEC("smart_ptr.scoped.pointer_type", "smart_ptr.scoped.ownership");
  using seg_scoped = ipc::scoped_ptr<double, ipc::managed_heap_memory::deleter<double>::type>;
  EXPECT_TRUE((std::is_same_v<seg_scoped::pointer, ipc::offset_ptr<double>>));
  EXPECT_TRUE((std::is_same_v<int_scoped::pointer, int*>));
  EXPECT_TRUE((std::is_same_v<int_scoped::element_type, int>));
  EXPECT_TRUE((std::is_same_v<int_scoped::deleter_type, RecordingDeleter>));
  int a = 1, b = 2, c = 3;
  std::vector<int*> first, second;
  {
    int_scoped p(&a, RecordingDeleter{&first});
    p.reset(&b, RecordingDeleter{&first});
    EXPECT_EQ(first, std::vector<int*>{&a});
    p.reset(&c, RecordingDeleter{&second});
    EXPECT_EQ(first, (std::vector<int*>{&a, &b}));
    EXPECT_EQ(p.release(), &c);
    EXPECT_EQ(p.get(), nullptr);
    p.reset(&a, RecordingDeleter{&second});
  }
  EXPECT_EQ(second, std::vector<int*>{&a});
  { int_scoped empty(nullptr, RecordingDeleter{&second}); }
  EXPECT_EQ(second.size(), 1u);
  // With the segment's deleter, the scoped_ptr itself can live in the segment.
  ipc::managed_heap_memory heap(kSize);
  heap.construct<seg_scoped>("guard")(heap.construct<double>("value")(0.5),
                                      heap.get_deleter<double>());
  heap.grow(kSize);
  heap.destroy<seg_scoped>("guard");
  EXPECT_EQ(heap.find<double>("value").first, nullptr);
}

TEST_F(SmartPtr, ScopedPtrResetKeepsTheStoredDeleter) {
  IPC_SPEC("smart_ptr.scoped.reset_keeps_deleter");
  orphan_deletions().clear();
  int a = 1, b = 2;
  std::vector<int*> kept;
  {
    int_scoped p(&a, RecordingDeleter{&kept});
    p.reset(&b);
    EXPECT_EQ(kept, std::vector<int*>{&a});
    p.reset();
  }
  EXPECT_EQ(kept, (std::vector<int*>{&a, &b}));
  EXPECT_TRUE(orphan_deletions().empty());
}

TEST_F(SmartPtr, ScopedPtrAccessorsAndSwap) {
  IPC_SPEC("smart_ptr.scoped.access");
  int a = 1, b = 2;
  std::vector<int*> da, db;
  {
    int_scoped p(&a, RecordingDeleter{&da});
    int_scoped q(&b, RecordingDeleter{&db});
    const int_scoped& cp = p;
    EXPECT_EQ(*p, 1);
    EXPECT_EQ(p.operator->(), &a);
    EXPECT_EQ(cp.operator->(), &a);
    EXPECT_EQ(cp.get(), &a);
    EXPECT_TRUE(static_cast<bool>(p));
    EXPECT_FALSE(!p);
    p.swap(q);
    EXPECT_EQ(p.get(), &b);
    swap(p, q);
    EXPECT_EQ(p.get(), &a);
    p.swap(q);  // the deleters travel with the pointers
    p.reset();
    EXPECT_EQ(db, std::vector<int*>{&b});
    EXPECT_TRUE(!p);
  }
  EXPECT_EQ(da, std::vector<int*>{&a});
}

// The manual's listing (Scoped pointer): the deleter as a rollback.
namespace listing {

class my_class {};
class my_exception {};

template <class T>
class my_deleter {
  using segment_manager = ipc::managed_shared_memory::segment_manager;
  segment_manager* mp_segment_manager;

 public:
  using pointer = T*;
  explicit my_deleter(segment_manager* s_mgr) : mp_segment_manager(s_mgr) {}
  void operator()(pointer object_to_delete) { mp_segment_manager->destroy_ptr(object_to_delete); }
};

}  // namespace listing

TEST_F(SmartPtr, ScopedPtrListing) {
  IPC_SPEC("smart_ptr.scoped.listing");
  using listing::my_class;
  ipc::managed_shared_memory shmem(ipc::create_only, shm_name().c_str(), 10000);
  for (int i = 0; i < 2; ++i) {
    my_class* my_object = shmem.construct<my_class>("my_object")();
    my_class* my_object2 = shmem.construct<my_class>(ipc::anonymous_instance)();
    shmem.destroy_ptr(my_object2);
    listing::my_deleter<my_class> d(shmem.get_segment_manager());
    try {
      ipc::scoped_ptr<my_class, listing::my_deleter<my_class>> s_ptr(my_object, d);
      if (i == 1) throw listing::my_exception();
      s_ptr.release();
    } catch (const listing::my_exception&) {
    }
    if (i == 0) {
      EXPECT_NE(shmem.find<my_class>("my_object").first, nullptr);
      shmem.destroy<my_class>("my_object");
    } else {
      EXPECT_EQ(shmem.find<my_class>("my_object").first, nullptr);
    }
  }
}

// ---- shared_ptr and weak_ptr ----

using heap_shared = ipc::managed_shared_ptr<Counted, ipc::managed_heap_memory>::type;
using heap_weak = ipc::managed_weak_ptr<Counted, ipc::managed_heap_memory>::type;
using heap_allocator = ipc::managed_heap_memory::allocator<void>::type;
using heap_deleter = ipc::managed_heap_memory::deleter<Counted>::type;

// A heap segment with a destruction counter, and objects owned by
// shared_ptrs.
class SharedFixture {
 public:
  SharedFixture()
      : heap(kSize),
        destroyed(heap.construct<int>(ipc::anonymous_instance)(0)),
        free_at_start(heap.get_free_memory()) {}
  heap_shared make(int value = 0) {
    return ipc::make_managed_shared_ptr(
        heap.construct<Counted>(ipc::anonymous_instance)(destroyed, value), heap);
  }
  ipc::managed_heap_memory heap;
  int* destroyed;
  std::size_t free_at_start;
};

TEST_F(SmartPtr, SharedPtrTypesFollowTheAllocatorsPointer) {
  IPC_SPEC("smart_ptr.shared.types");
  EXPECT_TRUE((std::is_same_v<heap_shared::element_type, Counted>));
  EXPECT_TRUE((std::is_same_v<heap_shared::value_type, Counted>));
  EXPECT_TRUE((std::is_same_v<heap_shared::pointer, ipc::offset_ptr<Counted>>));
  EXPECT_TRUE(
      (std::is_same_v<heap_shared, ipc::shared_ptr<Counted, heap_allocator, heap_deleter>>));
}

TEST_F(SmartPtr, SharedPtrOwnershipIsSharedUntilTheLastOwner) {
  IPC_SPEC("smart_ptr.shared.construct", "smart_ptr.shared.share", "smart_ptr.shared.move",
           "smart_ptr.shared.last_owner");
  SharedFixture f;
  {
    heap_shared empty;
    EXPECT_EQ(empty.use_count(), 0);
    EXPECT_FALSE(empty.get());
    heap_shared a(f.heap.construct<Counted>(ipc::anonymous_instance)(f.destroyed, 1),
                  f.heap.get_allocator<void>(), f.heap.get_deleter<Counted>());
    EXPECT_EQ(a.use_count(), 1);
    EXPECT_LT(f.heap.get_free_memory(), f.free_at_start);
    heap_shared b(a);
    heap_shared c;
    c = b;
    EXPECT_EQ(a.use_count(), 3);
    heap_shared from_empty(empty);
    EXPECT_EQ(from_empty.use_count(), 0);
    ipc::shared_ptr<const Counted, heap_allocator, heap_deleter> as_const(a);
    EXPECT_EQ(a.use_count(), 4);
    heap_shared moved(std::move(b));
    EXPECT_FALSE(b.get());
    EXPECT_EQ(moved.use_count(), 4);
    heap_shared d = f.make(9);
    d = std::move(moved);
    EXPECT_EQ(*f.destroyed, 1);  // d's object of value 9
    EXPECT_EQ(d->value, 1);
    moved.reset();  // the manual leaves the source of a move assignment unspecified
    EXPECT_EQ(d.use_count(), 4);
    a = heap_shared();
    c = empty;
    d.reset();
    EXPECT_EQ(*f.destroyed, 1);
    EXPECT_EQ(as_const.use_count(), 1);
    EXPECT_EQ(as_const->value, 1);
    as_const.reset();
    EXPECT_EQ(*f.destroyed, 2);
  }
  EXPECT_EQ(*f.destroyed, 2);
  EXPECT_EQ(f.heap.get_free_memory(), f.free_at_start);
}

// An alias that did not count itself would release an owner it never took,
// destroying the object under its other owners: such an alias is leaked
// (never destroyed) so the test fails without corrupting the segment.
TEST_F(SmartPtr, SharedPtrAliasingSharesOwnershipAndStoresTheOtherPointer) {
  IPC_SPEC("smart_ptr.shared.aliasing");
  SharedFixture f;
  heap_shared a = f.make(1), b = f.make(2);
  Counted other(f.destroyed);
  alignas(heap_shared) unsigned char storage[2][sizeof(heap_shared)];
  auto* alias = new (storage[0]) heap_shared(a, heap_shared::pointer(&other));
  EXPECT_EQ(alias->get(), heap_shared::pointer(&other));
  const bool alias_counted = alias->use_count() == 2 && a.use_count() == 2;
  EXPECT_TRUE(alias_counted) << "use_count " << a.use_count();
  auto* reset_alias = new (storage[1]) heap_shared(f.make(3));
  reset_alias->reset(b, heap_shared::pointer(&other));
  EXPECT_EQ(*f.destroyed, 1);  // the object of value 3
  EXPECT_EQ(reset_alias->get(), heap_shared::pointer(&other));
  const bool reset_counted = b.use_count() == 2;
  EXPECT_TRUE(reset_counted) << "use_count " << b.use_count();
  if (alias_counted) {
    alias->~heap_shared();
    EXPECT_EQ(*f.destroyed, 1);
    EXPECT_EQ(a.use_count(), 1);
  }
  if (reset_counted) {
    reset_alias->~heap_shared();
    EXPECT_EQ(b.use_count(), 1);
  }
}

TEST_F(SmartPtr, SharedPtrReset) {
  IPC_SPEC("smart_ptr.shared.reset");
  SharedFixture f;
  heap_shared a = f.make(1);
  a.reset();
  EXPECT_EQ(a.use_count(), 0);
  EXPECT_EQ(*f.destroyed, 1);
  a.reset(f.heap.construct<Counted>(ipc::anonymous_instance)(f.destroyed, 2),
          f.heap.get_allocator<void>(), f.heap.get_deleter<Counted>());
  EXPECT_EQ(a.use_count(), 1);
  EXPECT_EQ(a->value, 2);
  a.reset();
  EXPECT_EQ(*f.destroyed, 2);
  EXPECT_EQ(f.heap.get_free_memory(), f.free_at_start);
}

TEST_F(SmartPtr, SharedPtrAccessorsAndFreeFunctions) {
  IPC_SPEC("smart_ptr.shared.access", "smart_ptr.shared.free_functions");
  SharedFixture f;
  heap_shared a = f.make(7), b = f.make(8), none;
  heap_shared a2 = a;
  EXPECT_EQ((*a).value, 7);
  EXPECT_EQ(a->value, 7);
  EXPECT_EQ(a.get(), a2.get());
  EXPECT_TRUE(!none);
  EXPECT_FALSE(!a);
  EXPECT_FALSE(a.unique());
  EXPECT_TRUE(b.unique());
  EXPECT_EQ(a.use_count(), 2);
  EXPECT_TRUE(a == a2);
  EXPECT_TRUE(a != b);
  EXPECT_FALSE(a < a2 || a2 < a);  // one owner
  EXPECT_NE(a < b, b < a);
  EXPECT_FALSE(a < a);
  a.swap(b);
  EXPECT_EQ(a->value, 8);
  swap(a, b);
  EXPECT_EQ(a->value, 7);
  std::ostringstream out;
  out << a;  // the stored pointer; the manual does not say in which form
  EXPECT_FALSE(out.str().empty());
}

// The deleter destroys a Derived through destroy_ptr<Base>, which sees the
// object's block as an array of Base: Derived adds no member, so that both
// have one size on every platform.
struct Base {
  virtual ~Base() = default;
  int base = 1;
  int derived = 0;
};
struct Derived : Base {
  Derived() { derived = 2; }
};
static_assert(sizeof(Derived) == sizeof(Base), "see above");
struct Unrelated : Base {};

TEST_F(SmartPtr, SharedPtrCastsShareOwnership) {
  IPC_SPEC("smart_ptr.shared.casts");
  using A = ipc::managed_heap_memory::allocator<void>::type;
  using D = ipc::managed_heap_memory::deleter<Base>::type;
  ipc::managed_heap_memory heap(kSize);
  ipc::shared_ptr<Base, A, D> base(static_cast<Base*>(heap.construct<Derived>("d")()),
                                   heap.get_allocator<void>(), heap.get_deleter<Base>());
  ipc::shared_ptr<Derived, A, D> s = ipc::static_pointer_cast<Derived>(base);
  EXPECT_EQ(s->derived, 2);
  ipc::shared_ptr<Derived, A, D> d = ipc::dynamic_pointer_cast<Derived>(base);
  EXPECT_TRUE(s == d);
  EXPECT_EQ(base.use_count(), 3);
  ipc::shared_ptr<Unrelated, A, D> u = ipc::dynamic_pointer_cast<Unrelated>(base);
  EXPECT_TRUE(!u);
  EXPECT_EQ(u.use_count(), 0);
  ipc::shared_ptr<const Base, A, D> cb = base;
  ipc::shared_ptr<Base, A, D> mb = ipc::const_pointer_cast<Base>(cb);
  EXPECT_TRUE(mb == base);
  EXPECT_EQ(base.use_count(), 5);
  base.reset();
  s.reset();
  d.reset();
  cb.reset();
  EXPECT_NE(heap.find<Derived>("d").first, nullptr);
  mb.reset();
  EXPECT_EQ(heap.find<Derived>("d").first, nullptr);
}

// The manual's first shared_ptr listing.
namespace listing {

class MyType {};
using segment_manager_type = ipc::managed_shared_memory::segment_manager;
using void_allocator_type = ipc::allocator<void, segment_manager_type>;
using deleter_type = ipc::deleter<MyType, segment_manager_type>;
using my_shared_ptr = ipc::shared_ptr<MyType, void_allocator_type, deleter_type>;

}  // namespace listing

TEST_F(SmartPtr, SharedPtrListingInManagedSharedMemory) {
  IPC_SPEC("smart_ptr.shared.listing_segment");
  using namespace listing;
  ipc::managed_shared_memory segment(ipc::create_only, shm_name().c_str(), 4096);
  my_shared_ptr& shared_ptr_instance = *segment.construct<my_shared_ptr>("shared ptr")(
      segment.construct<MyType>("object to share")(),
      void_allocator_type(segment.get_segment_manager()),
      deleter_type(segment.get_segment_manager()));
  EXPECT_EQ(shared_ptr_instance.use_count(), 1);
  segment.destroy_ptr(&shared_ptr_instance);
  EXPECT_EQ(segment.find<MyType>("object to share").first, nullptr);
}

// make_managed_shared_ptr, make_managed_weak_ptr and make_managed_unique_ptr
// on one front end: the count block and the objects are in the segment and
// freed there.
template <class Managed>
void check_managed_helpers(Managed& segment) {
  using shared = typename ipc::managed_shared_ptr<Counted, Managed>::type;
  EXPECT_TRUE((std::is_same_v<typename ipc::managed_shared_ptr<Counted, Managed>::void_allocator,
                              typename Managed::template allocator<void>::type>));
  EXPECT_TRUE((std::is_same_v<typename ipc::managed_shared_ptr<Counted, Managed>::deleter,
                              typename Managed::template deleter<Counted>::type>));
  EXPECT_TRUE(
      (std::is_same_v<shared,
                      ipc::shared_ptr<Counted, typename Managed::template allocator<void>::type,
                                      typename Managed::template deleter<Counted>::type>>));
  int* destroyed = segment.template construct<int>(ipc::anonymous_instance)(0);
  const std::size_t free_at_start = segment.get_free_memory();
  {
    shared s = ipc::make_managed_shared_ptr(
        segment.template construct<Counted>(ipc::anonymous_instance)(destroyed), segment);
    EXPECT_EQ(s.use_count(), 1);
    EXPECT_TRUE(segment.belongs_to_segment(s.get().get()));
    typename ipc::managed_weak_ptr<Counted, Managed>::type w(s);
    EXPECT_EQ(w.use_count(), 1);
    auto u = ipc::make_managed_unique_ptr(
        segment.template construct<Counted>(ipc::anonymous_instance)(destroyed), segment);
    EXPECT_TRUE(
        (std::is_same_v<decltype(u), typename ipc::managed_unique_ptr<Counted, Managed>::type>));
  }
  EXPECT_EQ(*destroyed, 2);
  EXPECT_EQ(segment.get_free_memory(), free_at_start);
}

TEST_F(SmartPtr, ManagedHelpersWorkOnEveryFrontEnd) {
  IPC_SPEC("smart_ptr.shared.managed", "smart_ptr.unique.managed");
  on_every_front_end([](auto& segment) { check_managed_helpers(segment); });
}

// The manual's shared_ptr / weak_ptr listing over a managed_mapped_file.
namespace listing {

struct type_to_share {};
using shared_ptr_type = ipc::managed_shared_ptr<type_to_share, ipc::managed_mapped_file>::type;
using weak_ptr_type = ipc::managed_weak_ptr<type_to_share, ipc::managed_mapped_file>::type;

struct shared_ptr_owner {
  explicit shared_ptr_owner(const shared_ptr_type& other_shared_ptr)
      : shared_ptr_(other_shared_ptr) {}
  shared_ptr_owner(const shared_ptr_owner& other_owner) : shared_ptr_(other_owner.shared_ptr_) {}
  shared_ptr_type shared_ptr_;
};

}  // namespace listing

TEST_F(SmartPtr, SharedPtrAndWeakPtrListingInAMappedFile) {
  IPC_SPEC("smart_ptr.shared.listing_mapped_file");
  using namespace listing;
  const std::string path = unique_file_path();
  {
    ipc::managed_mapped_file file(ipc::create_only, path.c_str(), 65536);
    shared_ptr_type local_shared_ptr =
        ipc::make_managed_shared_ptr(file.construct<type_to_share>("object to share")(), file);
    EXPECT_EQ(local_shared_ptr.use_count(), 1);
    shared_ptr_owner* owner1 = file.construct<shared_ptr_owner>("owner1")(local_shared_ptr);
    EXPECT_EQ(local_shared_ptr.use_count(), 2);
    local_shared_ptr.reset();
    EXPECT_EQ(local_shared_ptr.use_count(), 0);
    EXPECT_EQ(owner1->shared_ptr_.use_count(), 1);
    shared_ptr_owner* owner2 = file.construct<shared_ptr_owner>("owner2")(*owner1);
    EXPECT_EQ(owner1->shared_ptr_.use_count(), 2);
    EXPECT_EQ(owner2->shared_ptr_.use_count(), 2);
    EXPECT_EQ(owner1->shared_ptr_.get(), owner2->shared_ptr_.get());
  }
  {
    ipc::managed_mapped_file file(ipc::open_only, path.c_str());
    shared_ptr_owner* owner1 = file.find<shared_ptr_owner>("owner1").first;
    shared_ptr_owner* owner2 = file.find<shared_ptr_owner>("owner2").first;
    ASSERT_TRUE(owner1 && owner2);
    EXPECT_NE(file.find<type_to_share>("object to share").first, nullptr);
    EXPECT_EQ(owner1->shared_ptr_.use_count(), 2);
    EXPECT_EQ(owner2->shared_ptr_.use_count(), 2);
    EXPECT_EQ(owner1->shared_ptr_.get(), owner2->shared_ptr_.get());
    file.destroy_ptr(owner1);
    EXPECT_EQ(owner2->shared_ptr_.use_count(), 1);
    weak_ptr_type local_observer1(owner2->shared_ptr_);
    EXPECT_EQ(local_observer1.use_count(), owner2->shared_ptr_.use_count());
    {
      shared_ptr_type local_shared_ptr = local_observer1.lock();
      EXPECT_EQ(local_observer1.use_count(), owner2->shared_ptr_.use_count());
      EXPECT_EQ(local_observer1.use_count(), 2);
    }
    file.destroy_ptr(owner2);
    EXPECT_EQ(file.find<type_to_share>("object to share").first, nullptr);
    EXPECT_TRUE(local_observer1.expired());
    EXPECT_EQ(local_observer1.use_count(), 0);
  }
}

TEST_F(SmartPtr, SharedPtrGetDeleterReturnsTheStoredDeleter) {
  IPC_SPEC("smart_ptr.shared.get_deleter");
  SharedFixture f;
  heap_shared a = f.make(), none;
  EXPECT_FALSE(none.get_deleter());
  ASSERT_TRUE(a.get_deleter());
  heap_deleter d = *a.get_deleter();  // a copy destroys like the original
  Counted* extra = f.heap.construct<Counted>(ipc::anonymous_instance)(f.destroyed);
  d(extra);
  EXPECT_EQ(*f.destroyed, 1);
}

TEST_F(SmartPtr, WeakPtrObservesWithoutOwning) {
  IPC_SPEC("smart_ptr.weak.construct", "smart_ptr.weak.lock");
  SharedFixture f;
  heap_weak empty;
  EXPECT_EQ(empty.use_count(), 0);
  EXPECT_TRUE(empty.expired());
  EXPECT_TRUE(!empty.lock());
  heap_weak w;
  {
    heap_shared a = f.make(5);
    heap_shared b = a;
    w = a;
    heap_weak copy(w);
    heap_weak assigned;
    assigned = copy;
    EXPECT_EQ(w.use_count(), 2);
    EXPECT_EQ(copy.use_count(), 2);
    EXPECT_EQ(assigned.use_count(), 2);
    EXPECT_FALSE(w.expired());
    heap_shared locked = w.lock();
    EXPECT_EQ(locked->value, 5);
    EXPECT_EQ(a.use_count(), 3);
    heap_shared constructed(w);
    EXPECT_EQ(a.use_count(), 4);
    ipc::weak_ptr<const Counted, heap_allocator, heap_deleter> const_view(a);
    EXPECT_EQ(const_view.use_count(), 4);
  }
  EXPECT_EQ(*f.destroyed, 1);
  EXPECT_TRUE(w.expired());
  EXPECT_EQ(w.use_count(), 0);
  EXPECT_TRUE(!w.lock());
  bool threw = false;
  try {
    heap_shared from_expired(w);
  } catch (const ipc::bad_weak_ptr&) {
    threw = true;
  }
  EXPECT_TRUE(threw);
  w.reset();
  EXPECT_EQ(f.heap.get_free_memory(), f.free_at_start);  // the count went with the last weak_ptr
}

TEST_F(SmartPtr, WeakPtrResetSwapAndOrder) {
  IPC_SPEC("smart_ptr.weak.reset_swap");
  SharedFixture f;
  heap_shared a = f.make(1), b = f.make(2);
  heap_weak wa(a), wa2(a), wb(b);
  EXPECT_FALSE(wa < wa2 || wa2 < wa);
  EXPECT_NE(wa < wb, wb < wa);
  wa.swap(wb);
  EXPECT_EQ(wa.lock()->value, 2);
  swap(wa, wb);
  EXPECT_EQ(wa.lock()->value, 1);
  wa.reset();
  EXPECT_EQ(wa.use_count(), 0);
  EXPECT_TRUE(!wa.lock());
  EXPECT_EQ(a.use_count(), 1);
}

TEST_F(SmartPtr, OwnerBeforeOrdersSharedAndWeakPointersByOwnership) {
  IPC_SPEC("smart_ptr.owner_before");
#ifndef IPC_HAS_OWNER_BEFORE
  FAIL() << "the adapter claims owner_before without IPC_HAS_OWNER_BEFORE";
#else
  SharedFixture f;
  heap_shared a = f.make(1), a2 = a, b = f.make(2), empty;
  heap_weak wa(a), wb(b), wempty;
  ipc::weak_ptr<const Counted, heap_allocator, heap_deleter> const_wa(a);
  // Sharing ownership: equivalent, across kinds and pointee types.
  EXPECT_FALSE(a.owner_before(a2) || a2.owner_before(a));
  EXPECT_FALSE(a.owner_before(wa) || wa.owner_before(a));
  EXPECT_FALSE(const_wa.owner_before(a2) || a2.owner_before(const_wa));
  EXPECT_FALSE(empty.owner_before(wempty) || wempty.owner_before(empty));
  // Distinct owners (and an owner against empty): exactly one goes first,
  // the same way whichever kind of pointer stands for each.
  const bool a_first = a.owner_before(b);
  EXPECT_NE(a_first, b.owner_before(a));
  EXPECT_EQ(wa.owner_before(wb), a_first);
  EXPECT_EQ(wa.owner_before(b), a_first);
  EXPECT_EQ(const_wa.owner_before(wb), a_first);
  EXPECT_EQ(a < b, a_first);
  EXPECT_EQ(wa < wb, a_first);
  EXPECT_NE(empty.owner_before(a), a.owner_before(empty));
  // Transitive with the empty pointer as a third element.
  if (empty.owner_before(a) && a.owner_before(b)) {
    EXPECT_TRUE(empty.owner_before(b));
  }
  if (b.owner_before(a) && a.owner_before(empty)) {
    EXPECT_TRUE(b.owner_before(empty));
  }
  // An expired weak_ptr keeps its place.
  a.reset();
  a2.reset();
  EXPECT_TRUE(wa.expired());
  EXPECT_EQ(wa.owner_before(wb), a_first);
  EXPECT_EQ(wa.owner_before(b), a_first);
  EXPECT_FALSE(wa.owner_before(const_wa) || const_wa.owner_before(wa));
  EXPECT_NE(wa.owner_before(wempty), wempty.owner_before(wa));
#endif
}

TEST_F(SmartPtr, MakeManagedWeakPtrGivesAnExpiredObserver) {
  IPC_SPEC("smart_ptr.weak.managed");
#ifdef IPC_COMPILE_GAP_MAKE_MANAGED_WEAK_PTR
  FAIL() << "make_managed_weak_ptr does not compile";
#else
  on_every_front_end([](auto& segment) {
    using Managed = std::remove_reference_t<decltype(segment)>;
    using weak = typename ipc::managed_weak_ptr<Counted, Managed>::type;
    EXPECT_TRUE(
        (std::is_same_v<weak,
                        ipc::weak_ptr<Counted, typename Managed::template allocator<void>::type,
                                      typename Managed::template deleter<Counted>::type>>));
    int* destroyed = segment.template construct<int>(ipc::anonymous_instance)(0);
    const std::size_t free_at_start = segment.get_free_memory();
    // The object has no other owner: the observer is born expired, the object
    // destroyed and every byte of it and of the count freed in the segment.
    weak w = ipc::make_managed_weak_ptr(
        segment.template construct<Counted>(ipc::anonymous_instance)(destroyed), segment);
    EXPECT_TRUE(w.expired());
    EXPECT_EQ(w.use_count(), 0);
    EXPECT_TRUE(!w.lock());
    EXPECT_EQ(*destroyed, 1);
    w.reset();
    EXPECT_EQ(segment.get_free_memory(), free_at_start);
  });
#endif
}

struct SelfAware
    : ipc::enable_shared_from_this<SelfAware, ipc::managed_heap_memory::allocator<void>::type,
                                   ipc::managed_heap_memory::deleter<SelfAware>::type> {
  int value = 9;
};

TEST_F(SmartPtr, EnableSharedFromThisSharesTheOwnersCount) {
  IPC_SPEC("smart_ptr.enable_shared_from_this");
  ipc::managed_heap_memory heap(kSize);
  auto owner =
      ipc::make_managed_shared_ptr(heap.construct<SelfAware>(ipc::anonymous_instance)(), heap);
  auto again = owner->shared_from_this();
  EXPECT_TRUE(again == owner);
  EXPECT_EQ(owner.use_count(), 2);
  const SelfAware& cref = *owner;
  auto const_owner = cref.shared_from_this();
  EXPECT_TRUE((std::is_same_v<decltype(const_owner)::element_type, const SelfAware>));
  EXPECT_EQ(const_owner->value, 9);
  EXPECT_EQ(owner.use_count(), 3);
}

TEST_F(SmartPtr, GetPointerReturnsTheStoredPointer) {
  IPC_SPEC("smart_ptr.get_pointer");
#ifdef IPC_COMPILE_GAP_GET_POINTER
  FAIL() << "get_pointer(intrusive_ptr / scoped_ptr / shared_ptr) does not compile";
#else
  Node n;
  node_ptr ip(&n);
  EXPECT_EQ(ipc::get_pointer(ip), node_ptr::pointer(&n));
  int v = 0;
  std::vector<int*> deleted;
  int_scoped sp(&v, RecordingDeleter{&deleted});
  EXPECT_EQ(ipc::get_pointer(sp), &v);
  sp.release();
  SharedFixture f;
  heap_shared a = f.make();
  Counted* raw = ipc::get_pointer(a);
  EXPECT_EQ(raw, a.get().get());
#endif
}

// ---- unique_ptr ----

using heap_unique = ipc::managed_unique_ptr<Counted, ipc::managed_heap_memory>::type;

TEST_F(SmartPtr, UniquePtrTypesAndOwnership) {
  IPC_SPEC("smart_ptr.unique.types", "smart_ptr.unique.ownership");
  EXPECT_TRUE((std::is_same_v<heap_unique::pointer, ipc::offset_ptr<Counted>>));
  EXPECT_TRUE((std::is_same_v<heap_unique::element_type, Counted>));
  EXPECT_TRUE((std::is_same_v<heap_unique::deleter_type, heap_deleter>));
  EXPECT_FALSE(std::is_copy_constructible_v<heap_unique>);
  EXPECT_TRUE(std::is_nothrow_move_constructible_v<heap_unique>);
  int a = 0, b = 0;
  std::vector<int*> deleted;
  {
    ipc::unique_ptr<int, RecordingDeleter> p(&a, RecordingDeleter{&deleted});
    EXPECT_EQ(p.get(), &a);
    EXPECT_EQ(p.get_deleter().deleted, &deleted);
    ipc::unique_ptr<int, RecordingDeleter> q(&b, RecordingDeleter{&deleted});
    q = 0;
    EXPECT_EQ(q.get(), nullptr);
    EXPECT_EQ(deleted, std::vector<int*>{&b});
  }
  EXPECT_EQ(deleted, (std::vector<int*>{&b, &a}));
  struct DefaultDeleter {
    using pointer = int*;
    void operator()(int* p) const { ++*p; }
  };
  {
    ipc::unique_ptr<int, DefaultDeleter> none;
    EXPECT_EQ(none.get(), nullptr);
    ipc::unique_ptr<int, DefaultDeleter> own(&a);
  }
  EXPECT_EQ(a, 1);
}

TEST_F(SmartPtr, UniquePtrMovesAndMembers) {
  IPC_SPEC("smart_ptr.unique.move", "smart_ptr.unique.members", "smart_ptr.unique.free_functions");
  SharedFixture f;
  auto make = [&f](int value) {
    return ipc::make_managed_unique_ptr(
        f.heap.construct<Counted>(ipc::anonymous_instance)(f.destroyed, value), f.heap);
  };
  heap_unique a = make(1);
  heap_unique b(std::move(a));
  EXPECT_TRUE(!a);
  EXPECT_EQ(b->value, 1);
  heap_unique c = make(2);
  c = std::move(b);  // c's object goes first
  EXPECT_EQ(*f.destroyed, 1);
  EXPECT_EQ((*c).value, 1);
  EXPECT_TRUE(static_cast<bool>(c));
  heap_unique d = make(3);
  EXPECT_TRUE(c != d);
  EXPECT_FALSE(c == d);
  EXPECT_EQ(c < d, c.get() < d.get());
  EXPECT_EQ(c <= d, !(d < c));
  EXPECT_EQ(c > d, d < c);
  EXPECT_EQ(c >= d, !(c < d));
  swap(c, d);
  EXPECT_EQ(c->value, 3);
  c.swap(d);
  EXPECT_EQ(c->value, 1);
  heap_unique::pointer released = c.release();
  EXPECT_TRUE(!c);
  EXPECT_EQ(*f.destroyed, 1);
  c.reset(released);
  EXPECT_EQ(*f.destroyed, 1);
  c.reset();
  EXPECT_EQ(*f.destroyed, 2);
}

TEST_F(SmartPtr, UniquePtrResetToItsOwnPointerDoesNothing) {
  IPC_SPEC("smart_ptr.unique.reset_same");
  int v = 0;
  std::vector<int*> deleted;
  ipc::unique_ptr<int, RecordingDeleter> u(&v, RecordingDeleter{&deleted});
  u.reset(u.get());
  EXPECT_TRUE(deleted.empty());
  EXPECT_EQ(u.get(), &v);
  u.reset();
  EXPECT_EQ(deleted, std::vector<int*>{&v});
}

// The manual's unique_ptr listing: unique_ptrs moved into a vector and then
// into a list, both in the mapped file.
namespace listing {

struct MyNumber {
  explicit MyNumber(int number = 0) : number_(number) {}
  int number_;
};
using unique_ptr_type = ipc::managed_unique_ptr<MyNumber, ipc::managed_mapped_file>::type;
using unique_ptr_allocator =
    ipc::allocator<unique_ptr_type, ipc::managed_mapped_file::segment_manager>;
using unique_ptr_vector_t = ipc::vector<unique_ptr_type, unique_ptr_allocator>;
using unique_ptr_list_t = ipc::list<unique_ptr_type, unique_ptr_allocator>;

}  // namespace listing

TEST_F(SmartPtr, UniquePtrListingWithAVectorAndAListInAMappedFile) {
  IPC_SPEC("smart_ptr.unique.containers");
  using namespace listing;
  const std::string path = unique_file_path();
  std::size_t free_before_containers = 0;
  {
    ipc::managed_mapped_file file(ipc::create_only, path.c_str(), 65536);
    unique_ptr_type local_unique_ptr(
        ipc::make_managed_unique_ptr(file.construct<MyNumber>("unique object")(), file));
    EXPECT_TRUE(local_unique_ptr.get());
    local_unique_ptr.reset();
    EXPECT_EQ(file.find<MyNumber>("unique object").first, nullptr);
    free_before_containers = file.get_free_memory();
    auto* unique_vector =
        file.construct<unique_ptr_vector_t>("unique vector")(file.get_segment_manager());
    unique_vector->reserve(100);
    for (int i = 0; i < 100; ++i) {
      unique_ptr_type p(
          ipc::make_managed_unique_ptr(file.construct<MyNumber>(ipc::anonymous_instance)(i), file));
      unique_vector->push_back(std::move(p));
      EXPECT_TRUE(p == 0);
      EXPECT_EQ(unique_vector->back()->number_, i);
    }
    auto* unique_list =
        file.construct<unique_ptr_list_t>("unique list")(file.get_segment_manager());
    for (int i = 99; !unique_vector->empty(); --i) {
      unique_list->push_front(std::move(unique_vector->back()));
      EXPECT_TRUE(unique_vector->back() == 0);  // the vector's element gave up ownership
      unique_vector->pop_back();
      ASSERT_TRUE(unique_list->front() != 0);
      EXPECT_EQ(unique_list->front()->number_, i);
    }
    EXPECT_EQ(unique_list->size(), 100u);
    file.destroy_ptr(unique_vector);
  }
  {
    ipc::managed_mapped_file file(ipc::open_only, path.c_str());
    EXPECT_EQ(file.find<unique_ptr_vector_t>("unique vector").first, nullptr);
    auto* unique_list = file.find<unique_ptr_list_t>("unique list").first;
    ASSERT_NE(unique_list, nullptr);
    ASSERT_EQ(unique_list->size(), 100u);
    unique_ptr_list_t::const_iterator list_it = unique_list->begin();
    for (int i = 0; i < 100; ++i, ++list_it) {
      ASSERT_TRUE(file.belongs_to_segment(list_it->get().get()));
      EXPECT_EQ((*list_it)->number_, i);
    }
    // Destroying the list destroys and frees every object its elements own.
    const std::size_t free_with_objects = file.get_free_memory();
    file.destroy_ptr(unique_list);
    EXPECT_GT(file.get_free_memory(), free_with_objects + 100 * sizeof(MyNumber));
    EXPECT_EQ(file.get_free_memory(), free_before_containers);
    EXPECT_TRUE(file.all_memory_deallocated());
  }
}

}  // namespace
