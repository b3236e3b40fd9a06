#include "conformance/harness/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <set>
#include <stdexcept>

#include "conformance/harness/names.hpp"

namespace ipc_test {
namespace {

IPC_CHILD_ROLE(echo_args) {
  for (const auto& a : args) std::printf("arg=%s\n", a.c_str());
}

IPC_CHILD_ROLE(failing_check) { IPC_CHILD_CHECK_MSG(args.size() == 99, "got " << args.size()); }

IPC_CHILD_ROLE(pipe_echo) {
  Pipe in = Pipe::from_arg(args.at(0));
  Pipe out = Pipe::from_arg(args.at(1));
  out.send("echo:" + in.receive());
}

TEST(ForkChild, ReturningBodyExitsZeroWithOutput) {
  auto child = fork_child([] { std::printf("hello from child\n"); });
  const auto result = child.wait();
  EXPECT_TRUE(result.ok()) << result.describe();
  EXPECT_NE(result.output.find("hello from child"), std::string::npos);
}

TEST(ForkChild, FailedCheckExitsOneWithLocation) {
  auto child = fork_child([] { IPC_CHILD_CHECK_MSG(1 + 1 == 3, "arithmetic " << 42); });
  const auto result = child.wait();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("check failed: 1 + 1 == 3: arithmetic 42"), std::string::npos)
      << result.output;
}

TEST(ForkChild, ExceptionExitsTwo) {
  auto child = fork_child([] { throw std::runtime_error("boom"); });
  const auto result = child.wait();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("boom"), std::string::npos);
}

TEST(ForkChild, SignalIsReported) {
  auto child = fork_child([] { raise(SIGKILL); });
  const auto result = child.wait();
  EXPECT_FALSE(result.exited);
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_NE(result.describe().find("signal 9"), std::string::npos);
}

TEST(ForkChild, HungChildIsKilledAtTheTimeout) {
  Pipe never;  // nobody writes: the child blocks until killed
  auto child = fork_child([&] { never.receive(std::chrono::hours(1)); });
  const auto start = std::chrono::steady_clock::now();
  const auto result = child.wait(std::chrono::milliseconds(200));
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(ForkChild, DestructorReapsARunningChild) {
  Pipe never;
  pid_t pid;
  {
    auto child = fork_child([&] { never.receive(std::chrono::hours(1)); });
    pid = child.pid();
  }
  EXPECT_EQ(::kill(pid, 0), -1);  // reaped: the pid no longer names our child
}

TEST(SpawnRole, PassesArgumentsToTheRole) {
  auto child = spawn_role("echo_args", {"one", "two words"});
  const auto result = child.wait();
  EXPECT_TRUE(result.ok()) << result.describe();
  EXPECT_NE(result.output.find("arg=one\narg=two words\n"), std::string::npos) << result.output;
}

TEST(SpawnRole, FailedCheckInRoleIsReported) {
  const auto result = spawn_role("failing_check", {"x"}).wait();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("got 1"), std::string::npos) << result.output;
}

TEST(SpawnRole, UnknownRoleIsALogicError) {
  EXPECT_THROW(spawn_role("no_such_role"), std::logic_error);
}

TEST(Pipe, CarriesLinesBothWaysAcrossExec) {
  Pipe to_child;
  Pipe from_child;
  auto child = spawn_role("pipe_echo", {to_child.arg(), from_child.arg()});
  to_child.send("ping");
  EXPECT_EQ(from_child.receive(), "echo:ping");
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST(Pipe, ReceiveTimesOut) {
  Pipe quiet;
  EXPECT_THROW(quiet.receive(std::chrono::milliseconds(50)), std::runtime_error);
}

TEST(UniqueName, PortableUniqueAndNamedAfterTheTest) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto name = unique_name("x");
    ASSERT_TRUE(std::isalpha(static_cast<unsigned char>(name[0])));
    for (char c : name)
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_') << name;
    EXPECT_EQ(name.rfind("tUniqueName_PortableUnique", 0), 0u) << name;
    EXPECT_LT(name.size(), 100u);
    seen.insert(name);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace ipc_test
