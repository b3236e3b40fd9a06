// Base fixture and macros of conformance tests.
//
// Every test starts with IPC_SPEC("id", ...) naming the requirements it checks
// (spec/**/*.spec); the ids are recorded in test.xml as the property "spec".
// Tests of an optional feature call IPC_REQUIRE_FEATURE("name") and report
// UNSUPPORTED (a gtest skip) when the adapter does not provide it.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "conformance/harness/names.hpp"
#include "conformance/harness/process.hpp"

namespace ipc_test {

class ConformanceTest : public ::testing::Test {
 protected:
  // A unique resource name; `remove(name)` runs when the test ends, passed or
  // failed (and is how a test makes sure nothing is left behind).
  std::string unique_resource(const std::function<void(const std::string&)>& remove,
                              const std::string& tag = "");
  // A unique path for a file in the test's temporary directory, unlinked when
  // the test ends.
  std::string unique_file_path(const std::string& tag = "");
  // Runs `cleanup` when the test ends (last registered, first run).
  void at_teardown(std::function<void()> cleanup);

  void TearDown() override;

 private:
  std::vector<std::function<void()>> cleanups_;
};

void cite_spec(std::initializer_list<const char*> ids);
// True when the adapter provides `feature`; a feature unknown to
// spec/features.txt fails the test.
bool has_feature(const std::string& feature);

}  // namespace ipc_test

#define IPC_SPEC(...) ::ipc_test::cite_spec({__VA_ARGS__})

#define IPC_REQUIRE_FEATURE(feature)                                                              \
  if (!::ipc_test::has_feature(feature))                                                          \
  GTEST_SKIP() << "UNSUPPORTED: the adapter does not provide the optional feature '" << (feature) \
               << "'"
