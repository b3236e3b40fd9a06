#include "conformance/harness/fixture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <exception>

#include "conformance/harness/session.hpp"

namespace ipc_test {

std::string ConformanceTest::unique_resource(const std::function<void(const std::string&)>& remove,
                                             const std::string& tag) {
  std::string name = unique_name(tag);
  at_teardown([remove, name] { remove(name); });
  return name;
}

std::string ConformanceTest::unique_file_path(const std::string& tag) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/" + unique_name(tag);
  at_teardown([path] { unlink(path.c_str()); });
  return path;
}

void ConformanceTest::at_teardown(std::function<void()> cleanup) {
  cleanups_.push_back(std::move(cleanup));
}

void ConformanceTest::TearDown() {
  while (!cleanups_.empty()) {
    auto cleanup = std::move(cleanups_.back());
    cleanups_.pop_back();
    try {
      cleanup();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cleanup threw: " << e.what();
    }
  }
}

void cite_spec(std::initializer_list<const char*> ids) {
  std::string joined;
  for (const char* id : ids) {
    if (!joined.empty()) joined += ' ';
    joined += id;
  }
  ::testing::Test::RecordProperty("spec", joined);
}

bool has_feature(const std::string& feature) {
  if (session().known_features.count(feature) == 0) {
    ADD_FAILURE() << "feature '" << feature << "' is not listed in spec/features.txt";
    return false;
  }
  ::testing::Test::RecordProperty("feature", feature);
  return session().provided_features.count(feature) != 0;
}

}  // namespace ipc_test
