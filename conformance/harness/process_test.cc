#include "conformance/harness/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>

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

// Says one line on the pipe of args[0], then exits.
IPC_CHILD_ROLE(pipe_say) { Pipe::from_arg(args.at(0)).send("said"); }

// Waits on the pipe of args[0] until killed.
IPC_CHILD_ROLE(pipe_wait) { Pipe::from_arg(args.at(0)).receive(std::chrono::hours(1)); }

// Prints, says so on the pipe of args[1], then waits on the pipe of args[0]
// until killed.
IPC_CHILD_ROLE(print_and_wait) {
  Pipe never = Pipe::from_arg(args.at(0));
  std::printf("printed before hanging\n");
  std::fflush(stdout);
  Pipe::from_arg(args.at(1)).send("printed");
  never.receive(std::chrono::hours(1));
}

// Holds both ends of the pipe of args[0] while it waits on the pipe of
// args[1] until killed.
IPC_CHILD_ROLE(hold_pipe) {
  Pipe held = Pipe::from_arg(args.at(0));
  Pipe::from_arg(args.at(1)).receive(std::chrono::hours(1));
}

IPC_CHILD_ROLE(throwing) { throw std::runtime_error("boom in role"); }

// Ends at once, so that the pipe of args[0] loses its reader.
IPC_CHILD_ROLE(ignore_pipe) { Pipe ignored = Pipe::from_arg(args.at(0)); }

// Every path spawn_role can take on this platform: the spawn tests run once
// per path (IPC_CHILD_SPAWN selects it on POSIX).
#ifdef _WIN32
const char* const kSpawnPaths[] = {"CreateProcess"};
#else
const char* const kSpawnPaths[] = {"fork", "posix_spawn"};
#endif

class SpawnPath : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
#ifndef _WIN32
    const char* previous = std::getenv("IPC_CHILD_SPAWN");
    had_previous_ = previous != nullptr;
    if (had_previous_) previous_ = previous;
    setenv("IPC_CHILD_SPAWN", GetParam(), 1);
#endif
  }
  void TearDown() override {
#ifndef _WIN32
    if (had_previous_) {
      setenv("IPC_CHILD_SPAWN", previous_.c_str(), 1);
    } else {
      unsetenv("IPC_CHILD_SPAWN");
    }
#endif
  }

 private:
  bool had_previous_ = false;
  std::string previous_;
};

class SpawnRole : public SpawnPath {};
class SpawnedPipe : public SpawnPath {};
INSTANTIATE_TEST_SUITE_P(Paths, SpawnRole, ::testing::ValuesIn(kSpawnPaths));
INSTANTIATE_TEST_SUITE_P(Paths, SpawnedPipe, ::testing::ValuesIn(kSpawnPaths));

#ifndef _WIN32

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

// The child prints and then hangs with its output pipe open: the parent's
// wait must still end at its own bound. A watchdog kills the child after 30 s,
// so that an unbounded wait fails (the child not killed by wait) instead of
// hanging the test.
TEST(ForkChild, WaitIsBoundedWhenAChildPrintsAndHangs) {
  Pipe never;
  auto child = fork_child([&] {
    std::printf("printed before hanging\n");
    std::fflush(stdout);
    never.receive(std::chrono::hours(1));
  });
  Pipe release;
  const pid_t victim = child.pid();
  auto watchdog = fork_child([&] {
    try {
      release.receive(std::chrono::seconds(30));
    } catch (const PipeTimeout&) {
      ::kill(victim, SIGKILL);
    }
  });
  const auto result = child.wait(std::chrono::milliseconds(200));
  release.send("done");
  IPC_EXPECT_CHILD_OK(watchdog.wait());
  EXPECT_TRUE(result.timed_out) << result.describe();
  EXPECT_NE(result.output.find("printed before hanging"), std::string::npos) << result.output;
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

TEST(SpawnMethod, UnknownValueIsRejected) {
  setenv("IPC_CHILD_SPAWN", "vfork", 1);
  EXPECT_THROW(spawn_method(), std::invalid_argument);
  unsetenv("IPC_CHILD_SPAWN");
  EXPECT_EQ(spawn_method(), "fork+exec");
}

#endif  // _WIN32

TEST_P(SpawnRole, MethodIsTheSelectedOne) {
  const std::string expected = GetParam();
  EXPECT_EQ(spawn_method(), expected == "fork" ? "fork+exec" : expected);
}

TEST_P(SpawnRole, PassesArgumentsToTheRole) {
  auto child = spawn_role("echo_args", {"one", "two words", "a \"quoted\\\" one\\", ""});
  const auto result = child.wait();
  EXPECT_TRUE(result.ok()) << result.describe();
  EXPECT_NE(result.output.find("arg=one\narg=two words\narg=a \"quoted\\\" one\\\narg=\n"),
            std::string::npos)
      << result.output;
}

TEST_P(SpawnRole, FailedCheckInRoleIsReported) {
  const auto result = spawn_role("failing_check", {"x"}).wait();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("got 1"), std::string::npos) << result.output;
}

TEST_P(SpawnRole, ExceptionInRoleExitsTwo) {
  const auto result = spawn_role("throwing").wait();
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_NE(result.output.find("boom in role"), std::string::npos) << result.output;
}

TEST_P(SpawnRole, UnknownRoleIsALogicError) {
  EXPECT_THROW(spawn_role("no_such_role"), std::logic_error);
}

// The role prints and then hangs with its output pipe open: wait() must
// still end at its own bound and keep what was printed.
TEST_P(SpawnRole, HungRoleIsKilledAtTheTimeoutWithItsOutput) {
  Pipe never;  // nobody writes: the child blocks until killed
  Pipe printed;
  auto child = spawn_role("print_and_wait", {never.arg(), printed.arg()});
  ASSERT_EQ(printed.receive(), "printed");
  const auto start = std::chrono::steady_clock::now();
  const auto result = child.wait(std::chrono::milliseconds(300));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  EXPECT_TRUE(result.timed_out) << result.describe();
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.output.find("printed before hanging"), std::string::npos) << result.output;
}

TEST_P(SpawnRole, KilledRoleIsReportedWithTheSignal) {
  Pipe never;
  auto child = spawn_role("pipe_wait", {never.arg()});
  child.kill(SIGTERM);
  const auto result = child.wait();
  EXPECT_FALSE(result.exited) << result.describe();
  EXPECT_EQ(result.signal, SIGTERM);
}

TEST_P(SpawnedPipe, CarriesLinesBothWaysAcrossExec) {
  Pipe to_child;
  Pipe from_child;
  auto child = spawn_role("pipe_echo", {to_child.arg(), from_child.arg()});
  to_child.send("ping");
  EXPECT_EQ(from_child.receive(), "echo:ping");
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST_P(SpawnedPipe, InheritsOnlyThePipesItIsGiven) {
  Pipe unrelated;
  Pipe spoken;
  // Alive all along; it must not hold spoken's write end.
  auto bystander = spawn_role("pipe_wait", {unrelated.arg()});
  auto speaker = spawn_role("pipe_say", {spoken.arg()});
  EXPECT_EQ(spoken.receive(), "said");
  // kChildTimeout is long: only end of file can end this wait early.
  EXPECT_THROW(spoken.receive(), PipeClosed);
  IPC_EXPECT_CHILD_OK(speaker.wait());
}

TEST_P(SpawnedPipe, ReceiveTimesOutWhileAWriterLives) {
  Pipe quiet;
  Pipe never;
  // The child holds quiet's write end from the moment spawn_role returns.
  auto writer = spawn_role("hold_pipe", {quiet.arg(), never.arg()});
  EXPECT_THROW(quiet.receive(std::chrono::milliseconds(50)), PipeTimeout);
  writer.kill(SIGTERM);
  EXPECT_FALSE(writer.wait().ok());
}

TEST_P(SpawnedPipe, SendToADeadReaderThrows) {
  Pipe to_child;
  IPC_ASSERT_CHILD_OK(spawn_role("ignore_pipe", {to_child.arg()}).wait());
  EXPECT_THROW(to_child.send("anyone?"), PipeClosed);
}

#ifndef _WIN32

TEST(Pipe, ReceiveTimesOutWhileAWriterLives) {
  Pipe quiet;
  Pipe hold;
  auto writer = fork_child([&] { hold.receive(); });  // holds quiet's write end
  EXPECT_THROW(quiet.receive(std::chrono::milliseconds(50)), PipeTimeout);
  hold.send("go");
  IPC_EXPECT_CHILD_OK(writer.wait());
}

TEST(Pipe, ReceiveSeesEndOfFileWhenTheWriterDies) {
  Pipe from_child;
  auto child = fork_child([&] { from_child.send("last words"); });
  EXPECT_EQ(from_child.receive(), "last words");
  // kChildTimeout is long: only end of file can end this wait early.
  EXPECT_THROW(from_child.receive(), PipeClosed);
  IPC_EXPECT_CHILD_OK(child.wait());
}

TEST(Pipe, SendToADeadReaderThrowsInsteadOfRaisingSigpipe) {
  Pipe to_child;
  IPC_ASSERT_CHILD_OK(fork_child([] {}).wait());
  EXPECT_THROW(to_child.send("anyone?"), PipeClosed);
}

TEST(Pipe, DirectionIsFixedByTheFirstUse) {
  Pipe pipe;
  auto child = fork_child([&] { pipe.send("x"); });
  EXPECT_EQ(pipe.receive(), "x");
  EXPECT_THROW(pipe.send("y"), std::logic_error);
  EXPECT_THROW(pipe.arg(), std::logic_error);
  IPC_EXPECT_CHILD_OK(child.wait());
}

#endif  // _WIN32

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
