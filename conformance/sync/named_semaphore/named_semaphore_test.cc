// Conformance tests of named_semaphore: the manual's "Named And Anonymous
// Synchronization Mechanisms", "Semaphores" and the named_semaphore reference.
#include <chrono>
#include <string>

#include "conformance/common/named.hpp"
#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using ipc_test::remove_named;

using namespace std::chrono;

using Semaphore = ipc::named_semaphore;

class NamedSemaphore : public ipc_test::ConformanceTest {};
class NamedSemaphoreMultiProcess : public ipc_test::ConformanceTest {};

// Opens the semaphore by name and posts it args[1] times.
IPC_CHILD_ROLE(named_semaphore_poster) {
  Semaphore semaphore(ipc::open_only, args.at(0).c_str());
  for (int i = std::stoi(args.at(1)); i > 0; --i) semaphore.post();
}

// Opens the semaphore by name, waits on it args[1] times, says "done".
IPC_CHILD_ROLE(named_semaphore_waiter) {
  Semaphore semaphore(ipc::open_only, args.at(0).c_str());
  auto to_parent = ipc_test::Pipe::from_arg(args.at(2));
  for (int i = std::stoi(args.at(1)); i > 0; --i) semaphore.wait();
  to_parent.send("done");
}

TEST_F(NamedSemaphore, CreateOnlyCreatesOnceAndOpenOnlyOpensIt) {
  IPC_SPEC("named_semaphore.create_only.creates", "named_semaphore.open_only.opens");
  ipc_test::expect_create_only_rules<Semaphore>(unique_resource(remove_named<Semaphore>));
  ipc_test::expect_open_only_rules<Semaphore>(unique_resource(remove_named<Semaphore>));
}

TEST_F(NamedSemaphore, OpenOrCreateCreatesOrOpens) {
  IPC_SPEC("named_semaphore.open_or_create.either");
  ipc_test::expect_open_or_create_rules<Semaphore>(unique_resource(remove_named<Semaphore>));
}

TEST_F(NamedSemaphore, OpenOrCreateOfAnExistingSemaphoreIgnoresTheCount) {
  IPC_SPEC("named_semaphore.open_or_create.either", "named_semaphore.ctor.initial_count");
  const std::string name = unique_resource(remove_named<Semaphore>);
  Semaphore created(ipc::open_or_create, name.c_str(), 1);
  Semaphore opened(ipc::open_or_create, name.c_str(), 5);
  EXPECT_TRUE(opened.try_wait());
  EXPECT_FALSE(opened.try_wait());
  EXPECT_FALSE(created.try_wait());
}

TEST_F(NamedSemaphore, PersistsUntilRemoved) {
  IPC_SPEC("named_semaphore.remove.erases");
  ipc_test::expect_remove_rules<Semaphore>(unique_resource(remove_named<Semaphore>));
}

TEST_F(NamedSemaphore, InvalidNamesThrow) {
  IPC_SPEC("named_semaphore.name.invalid_throws");
  ipc_test::expect_invalid_names_throw<Semaphore>();
}

TEST_F(NamedSemaphore, InitialCountAllowsExactlyThatManyWaits) {
  IPC_SPEC("named_semaphore.ctor.initial_count", "named_semaphore.try_wait.result",
           "named_semaphore.timed_wait.result", "deadlines.chrono");
  Semaphore semaphore(ipc::create_only, unique_resource(remove_named<Semaphore>).c_str(), 3);
  EXPECT_TRUE(semaphore.try_wait());
  semaphore.wait();
  EXPECT_TRUE(semaphore.timed_wait(system_clock::now() + seconds(10)));
  EXPECT_FALSE(semaphore.try_wait());
  const auto deadline = system_clock::now() + milliseconds(100);
  EXPECT_FALSE(semaphore.timed_wait(deadline));
  const auto returned = system_clock::now();
  EXPECT_GE(returned, deadline);
  EXPECT_LT(returned, deadline + seconds(20));
}

TEST_F(NamedSemaphoreMultiProcess, PostsFromOtherProcessesAddUp) {
  IPC_SPEC("named_semaphore.post_wait.across_processes", "named_semaphore.open_only.opens",
           "named_semaphore.try_wait.result");
  const std::string name = unique_resource(remove_named<Semaphore>);
  Semaphore semaphore(ipc::create_only, name.c_str(), 0);
  constexpr int kPosters = 3;
  constexpr int kPosts = 50;
  std::vector<ipc_test::Child> children;
  for (int i = 0; i < kPosters; ++i) {
    children.push_back(
        ipc_test::spawn_role("named_semaphore_poster", {name, std::to_string(kPosts)}));
  }
  for (int i = 0; i < kPosters * kPosts; ++i) semaphore.wait();
  for (auto& child : children) IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_FALSE(semaphore.try_wait());
}

TEST_F(NamedSemaphoreMultiProcess, WaiterInAnotherProcessBlocksUntilPosted) {
  IPC_SPEC("named_semaphore.post_wait.across_processes");
  const std::string name = unique_resource(remove_named<Semaphore>);
  Semaphore semaphore(ipc::create_only, name.c_str(), 1);
  ipc_test::Pipe to_parent;
  auto child = ipc_test::spawn_role("named_semaphore_waiter", {name, "3", to_parent.arg()});
  semaphore.post();
  // The child can take at most two of the three it needs: it must not finish.
  EXPECT_THROW(to_parent.receive(milliseconds(100)), std::runtime_error);
  semaphore.post();
  EXPECT_EQ(to_parent.receive(), "done");
  IPC_EXPECT_CHILD_OK(child.wait());
  EXPECT_FALSE(semaphore.try_wait());
}

}  // namespace
