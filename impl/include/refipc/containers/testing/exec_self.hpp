// Re-executes this test binary as `<binary> --child <name>`, from the child of
// a fork(): the role of a process that maps a segment at another address.
// Under a user-mode emulator (qemu-user on a host without binfmt_misc, which
// cannot execve a foreign binary), the test runner names the emulator in
// REFIPC_EXEC_PREFIX, and the binary is started through it.
#ifndef REFIPC_CONTAINERS_TESTING_EXEC_SELF_HPP_
#define REFIPC_CONTAINERS_TESTING_EXEC_SELF_HPP_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace refipc_test {

[[noreturn]] inline void exec_self_as_child(const char* name) {
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length > 0) {
    self[length] = '\0';
    const char* emulator = std::getenv("REFIPC_EXEC_PREFIX");
    if (emulator != nullptr && *emulator != '\0') {
      execl(emulator, emulator, self, "--child", name, static_cast<char*>(nullptr));
    } else {
      execl(self, self, "--child", name, static_cast<char*>(nullptr));
    }
  }
  std::perror("exec_self_as_child");
  std::_Exit(127);
}

}  // namespace refipc_test

#endif  // REFIPC_CONTAINERS_TESTING_EXEC_SELF_HPP_
