// Conformance tests of shared_ptr and weak_ptr across processes: the count
// lives in the segment, so owners in two processes are counted together and
// the last one, in either process, destroys the object. Children are exec'd
// (spawn_role), so they map the segment at addresses of their own.
#include <cstddef>
#include <memory>
#include <string>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

constexpr std::size_t kSize = 256 * 1024;

// An object that counts its destructions in the segment.
struct Counted {
  explicit Counted(int* destroyed) : destroyed(destroyed) {}
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  ~Counted() { ++*destroyed; }
  ipc::offset_ptr<int> destroyed;
};

using segment_t = ipc::managed_shared_memory;
using shared_t = ipc::managed_shared_ptr<Counted, segment_t>::type;
using weak_t = ipc::managed_weak_ptr<Counted, segment_t>::type;

// A segment with, as anonymous objects (so the name index plays no part in
// the memory accounting): a destruction counter, an object and a shared_ptr
// owning it; their handles go to the children.
class SmartPtrMultiProcess : public ipc_test::ConformanceTest {
 protected:
  void SetUp() override {
    name_ =
        unique_resource([](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); });
    segment_.reset(new segment_t(ipc::create_only, name_.c_str(), kSize));
    destroyed_ = segment_->construct<int>(ipc::anonymous_instance)(0);
    free_at_start_ = segment_->get_free_memory();
    owner_ = segment_->construct<shared_t>(ipc::anonymous_instance)(ipc::make_managed_shared_ptr(
        segment_->construct<Counted>(ipc::anonymous_instance)(destroyed_), *segment_));
  }
  void TearDown() override {
    segment_.reset();
    ConformanceTest::TearDown();
  }
  std::string handle(const void* p) { return std::to_string(segment_->get_handle_from_address(p)); }

  std::string name_;
  std::unique_ptr<segment_t> segment_;
  int* destroyed_ = nullptr;
  std::size_t free_at_start_ = 0;
  shared_t* owner_ = nullptr;
};

template <class T>
T* from_handle(segment_t& segment, const std::string& h) {
  return static_cast<T*>(
      segment.get_address_from_handle(static_cast<segment_t::handle_t>(std::stoll(h))));
}

// args: name, owner handle, counter handle, to_parent, to_child. Copies the
// parent's shared_ptr, reports the count, waits until the parent released its
// owner, then releases the last one.
IPC_CHILD_ROLE(sp_copy_and_outlive) {
  segment_t segment(ipc::open_only, args.at(0).c_str());
  auto* owner = from_handle<shared_t>(segment, args.at(1));
  int* destroyed = from_handle<int>(segment, args.at(2));
  ipc_test::Pipe to_parent = ipc_test::Pipe::from_arg(args.at(3));
  ipc_test::Pipe to_child = ipc_test::Pipe::from_arg(args.at(4));
  shared_t mine(*owner);
  to_parent.send(std::to_string(mine.use_count()));
  IPC_CHILD_CHECK(to_child.receive() == "released");
  IPC_CHILD_CHECK_MSG(mine.use_count() == 1, "use_count " << mine.use_count());
  IPC_CHILD_CHECK(*destroyed == 0);
  mine.reset();
  IPC_CHILD_CHECK(*destroyed == 1);
}

TEST_F(SmartPtrMultiProcess, ACopyInAnotherProcessIsCountedAndTheLastOwnerThereDestroys) {
  IPC_SPEC("smart_ptr.shared.cross_process");
  ipc_test::Pipe to_parent, to_child;
  auto child = ipc_test::spawn_role(
      "sp_copy_and_outlive",
      {name_, handle(owner_), handle(destroyed_), to_parent.arg(), to_child.arg()});
  EXPECT_EQ(to_parent.receive(), "2");
  EXPECT_EQ(owner_->use_count(), 2);
  segment_->destroy_ptr(owner_);
  EXPECT_EQ(*destroyed_, 0);
  to_child.send("released");
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_EQ(*destroyed_, 1);
  EXPECT_EQ(segment_->get_free_memory(), free_at_start_);
}

// args: name, owner handle, counter handle, expected use_count, expected
// destructions after the release. Destroys the shared_ptr stored in the
// segment.
IPC_CHILD_ROLE(sp_destroy_owner) {
  segment_t segment(ipc::open_only, args.at(0).c_str());
  auto* owner = from_handle<shared_t>(segment, args.at(1));
  int* destroyed = from_handle<int>(segment, args.at(2));
  IPC_CHILD_CHECK_MSG(owner->use_count() == std::stol(args.at(3)),
                      "use_count " << owner->use_count());
  segment.destroy_ptr(owner);
  IPC_CHILD_CHECK_MSG(*destroyed == std::stoi(args.at(4)), "destroyed " << *destroyed);
}

TEST_F(SmartPtrMultiProcess, WhenAnotherProcessReleasesFirstTheLastOwnerHereDestroys) {
  IPC_SPEC("smart_ptr.shared.cross_process");
  {
    shared_t mine(*owner_);
    auto child = ipc_test::spawn_role("sp_destroy_owner",
                                      {name_, handle(owner_), handle(destroyed_), "2", "0"});
    IPC_EXPECT_CHILD_OK(child.wait());
    EXPECT_EQ(mine.use_count(), 1);
    EXPECT_EQ(*destroyed_, 0);
  }
  EXPECT_EQ(*destroyed_, 1);
  EXPECT_EQ(segment_->get_free_memory(), free_at_start_);
}

TEST_F(SmartPtrMultiProcess, AWeakPtrSeesTheObjectExpireInAnotherProcess) {
  IPC_SPEC("smart_ptr.weak.cross_process");
  weak_t observer(*owner_);
  EXPECT_EQ(observer.use_count(), 1);
  auto child = ipc_test::spawn_role("sp_destroy_owner",
                                    {name_, handle(owner_), handle(destroyed_), "1", "1"});
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_TRUE(observer.expired());
  EXPECT_EQ(observer.use_count(), 0);
  EXPECT_TRUE(!observer.lock());
  EXPECT_LT(segment_->get_free_memory(), free_at_start_);  // the count, kept by the observer
  observer.reset();
  EXPECT_EQ(segment_->get_free_memory(), free_at_start_);
}

}  // namespace
