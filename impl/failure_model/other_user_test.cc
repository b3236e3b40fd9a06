// Another local user cannot open what was not shared with it: objects are
// created by this process (root), then a forked child that becomes the
// unprivileged user 65534 tries to open them. Needs root; skipped otherwise.
#include <grp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "impl/failure_model/child.hpp"
#include "impl/failure_model/objects.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/xsi_shared_memory.hpp"

namespace refipc_failure_model {
namespace {

constexpr uid_t kNobody = 65534;

// Of the test process, also when called in the child.
const pid_t kTestProcess = getpid();

std::string name_for(const object_kind& kind, const char* tag) {
  return "refipc_other_user_" + kind.label + "_" + tag + "_" + std::to_string(kTestProcess);
}

// What `open` did: "opened", "security_error" or another failure.
std::string try_open(const std::function<void()>& open) {
  try {
    open();
    return "opened";
  } catch (const refipc::interprocess_exception& e) {
    return e.get_error_code() == refipc::security_error ? "security_error"
                                                        : std::string("failed: ") + e.what();
  }
}

TEST(OtherUser, CannotOpenWhatWasNotSharedButCanOpenWhatWas) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run a child as another user";
  refipc::permissions unrestricted;
  unrestricted.set_unrestricted();
  for (const object_kind& kind : every_kind()) {
    kind.remove(name_for(kind, "private").c_str());
    kind.remove(name_for(kind, "shared").c_str());
    kind.create(name_for(kind, "private").c_str(), creation::create_only, refipc::permissions());
    kind.create(name_for(kind, "shared").c_str(), creation::create_only, unrestricted);
  }
  refipc::xsi_shared_memory private_segment(refipc::create_only, refipc::xsi_key(), 4096);
  refipc::xsi_shared_memory shared_segment(refipc::create_only, refipc::xsi_key(), 4096,
                                           unrestricted);
  const int private_id = private_segment.get_shmid();
  const int shared_id = shared_segment.get_shmid();

  const child_outcome outcome = run_in_child(
      [&](std::string& report) {
        const char* step = setgroups(0, nullptr) != 0 ? "setgroups"
                           : setgid(kNobody) != 0     ? "setgid"
                           : setuid(kNobody) != 0     ? "setuid"
                                                      : nullptr;
        if (step != nullptr) {
          report = std::string("cannot become user 65534 (") + step +
                   "; a sandbox's user namespace may map no other user): " + std::strerror(errno);
          return kSkipped;
        }
        for (const object_kind& kind : every_kind()) {
          const std::string private_name = name_for(kind, "private");
          const std::string shared_name = name_for(kind, "shared");
          const std::string denied = try_open([&] { kind.open(private_name.c_str()); });
          note(report, denied == "security_error",
               kind.label + " created with the default permissions: " + denied);
          const std::string allowed = try_open([&] { kind.open(shared_name.c_str()); });
          note(report, allowed == "opened",
               kind.label + " created with set_unrestricted(): " + allowed);
        }
        const auto map_segment = [](int id) {
          const refipc::xsi_shared_memory segment(refipc::open_only, id);
          const refipc::mapped_region region(segment, refipc::read_only);
        };
        const std::string denied = try_open([&] { map_segment(private_id); });
        note(report, denied == "security_error",
             "xsi_shared_memory created with the default permissions: " + denied);
        const std::string allowed = try_open([&] { map_segment(shared_id); });
        note(report, allowed == "opened",
             "xsi_shared_memory created with set_unrestricted(): " + allowed);
        return report.empty() ? 0 : 1;
      },
      60);

  for (const object_kind& kind : every_kind()) {
    kind.remove(name_for(kind, "private").c_str());
    kind.remove(name_for(kind, "shared").c_str());
  }
  refipc::xsi_shared_memory::remove(private_id);
  refipc::xsi_shared_memory::remove(shared_id);
  if (outcome.exited && outcome.code == kSkipped) GTEST_SKIP() << outcome.report;
  ASSERT_TRUE(outcome.exited) << "killed by signal " << outcome.signal;
  EXPECT_EQ(outcome.code, 0) << outcome.report;
}

}  // namespace
}  // namespace refipc_failure_model
