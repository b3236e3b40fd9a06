// The permissions of every kind of object refipc creates: the default is
// owner-only narrowed by the umask, explicit permissions are exact whatever
// the umask (see refipc/permissions.hpp). Each umask is set in a forked
// child, since it is process-wide.
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "impl/failure_model/child.hpp"
#include "impl/failure_model/objects.hpp"
#include "refipc/xsi_shared_memory.hpp"

namespace refipc_failure_model {
namespace {

std::string octal(unsigned mode) {
  char text[16];
  std::snprintf(text, sizeof text, "0%o", mode);
  return text;
}

std::string unique_name(const std::string& label, const char* tag) {
  return "refipc_perm_" + label + "_" + tag + "_" + std::to_string(getpid());
}

// Creates an object of each kind in each way and checks its mode.
void check_kind(const object_kind& kind, ::mode_t mask, std::string& report) {
  const unsigned by_default = 0600 & ~mask;
  refipc::permissions unrestricted;
  unrestricted.set_unrestricted();
  const struct {
    const char* tag;
    refipc::permissions perm;
    unsigned expected;
  } cases[] = {
      {"default", refipc::permissions(), by_default},
      {"0640", refipc::permissions(0640), 0640},
      {"0604", refipc::permissions(0604), 0604},
      {"unrestricted", unrestricted, 0666},
  };
  for (const auto& c : cases) {
    for (const creation how : {creation::create_only, creation::open_or_create}) {
      const std::string name =
          unique_name(kind.label, c.tag) + (how == creation::create_only ? "_c" : "_oc");
      kind.remove(name.c_str());
      kind.create(name.c_str(), how, c.perm);
      long long size = 0;
      unsigned mode = 0;
      const bool exists = shm_object_status(name, size, mode);
      note(report, exists && mode == c.expected,
           kind.label + " " + c.tag +
               (how == creation::create_only ? " create_only" : " open_or_create") +
               " under umask " + octal(mask) + ": mode " + (exists ? octal(mode) : "(missing)") +
               ", expected " + octal(c.expected));
      kind.remove(name.c_str());
    }
  }
}

void check_xsi(::mode_t mask, std::string& report) {
  const struct {
    const char* tag;
    refipc::permissions perm;
    unsigned expected;
  } cases[] = {
      {"default", refipc::permissions(), 0600u & ~mask},
      {"0640", refipc::permissions(0640), 0640},
  };
  for (const auto& c : cases) {
    refipc::xsi_shared_memory segment(refipc::create_only, refipc::xsi_key(), 4096, c.perm);
    struct shmid_ds ds {};
    const bool stat_ok = shmctl(segment.get_shmid(), IPC_STAT, &ds) == 0;
    const unsigned mode = ds.shm_perm.mode & 0777;
    refipc::xsi_shared_memory::remove(segment.get_shmid());
    note(report, stat_ok && mode == c.expected,
         std::string("xsi_shared_memory ") + c.tag + " under umask " + octal(mask) + ": mode " +
             octal(mode) + ", expected " + octal(c.expected));
  }
}

void check_every_kind_under(::mode_t mask) {
  const child_outcome outcome = run_in_child(
      [mask](std::string& report) {
        umask(mask);
        for (const object_kind& kind : every_kind()) check_kind(kind, mask, report);
        check_xsi(mask, report);
        return report.empty() ? 0 : 1;
      },
      60);
  ASSERT_TRUE(outcome.exited) << "killed by signal " << outcome.signal;
  EXPECT_EQ(outcome.code, 0) << outcome.report;
}

TEST(ObjectPermissions, Umask022) { check_every_kind_under(022); }
TEST(ObjectPermissions, Umask077) { check_every_kind_under(077); }
// A umask that takes the owner's write bit shows the default follows it.
TEST(ObjectPermissions, Umask0277) { check_every_kind_under(0277); }

}  // namespace
}  // namespace refipc_failure_model
