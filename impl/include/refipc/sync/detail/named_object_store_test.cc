// The store of the named objects on every platform (POSIX shared memory, or
// files on Windows): lifetime, publication and errors. Threads only, so it
// runs on Windows too.
#include <atomic>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/named_object.hpp"

namespace refipc {
namespace sync_detail {
namespace {

using counter = named_object<std::atomic<std::uint32_t>>;

template <class Attempt>
error_code_t code_of(Attempt attempt) {
  try {
    attempt();
  } catch (const interprocess_exception& e) {
    return e.get_error_code();
  }
  return no_error;
}

class NamedObjectStoreTest : public ::testing::Test {
 protected:
  void TearDown() override { counter::remove(name_.c_str()); }
  const std::string name_ = std::string("refipc_store_") +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                            std::to_string(std::random_device()());
};

TEST_F(NamedObjectStoreTest, ObjectLivesUntilRemovedNotUntilTheLastHandle) {
  {
    const counter created(create_only, name_.c_str(), "counter", permissions(), 41u);
    ++created.get();
  }
  {
    const counter opened(open_only, name_.c_str(), "counter");
    EXPECT_EQ(opened.get().load(), 42u);
  }
  EXPECT_TRUE(counter::remove(name_.c_str()));
  EXPECT_EQ(code_of([&] { counter(open_only, name_.c_str(), "counter"); }), not_found_error);
  EXPECT_FALSE(counter::remove(name_.c_str()));
}

TEST_F(NamedObjectStoreTest, HandlesShareOneObject) {
  const counter created(create_only, name_.c_str(), "counter", permissions(), 1u);
  const counter opened(open_or_create, name_.c_str(), "counter", permissions(), 99u);
  EXPECT_EQ(opened.get().load(), 1u);
  created.get().store(7);
  EXPECT_EQ(opened.get().load(), 7u);
  EXPECT_NE(&created.get(), &opened.get());
}

TEST_F(NamedObjectStoreTest, CreateOnlyOfAnExistingNameFails) {
  const counter created(create_only, name_.c_str(), "counter", permissions(), 1u);
  EXPECT_EQ(code_of([&] { counter(create_only, name_.c_str(), "counter", permissions(), 2u); }),
            already_exists_error);
  EXPECT_EQ(created.get().load(), 1u);
}

TEST_F(NamedObjectStoreTest, RemoveFreesTheNameWhileTheObjectIsMapped) {
  const counter old(create_only, name_.c_str(), "counter", permissions(), 5u);
  EXPECT_TRUE(counter::remove(name_.c_str()));
  const counter fresh(create_only, name_.c_str(), "counter", permissions(), 9u);
  old.get().store(6);
  EXPECT_EQ(fresh.get().load(), 9u);
  EXPECT_EQ(counter(open_only, name_.c_str(), "counter").get().load(), 9u);
}

TEST_F(NamedObjectStoreTest, AnotherTypeOrSizeIsRefused) {
  const counter created(create_only, name_.c_str(), "counter", permissions(), 1u);
  EXPECT_EQ(code_of([&] { counter(open_only, name_.c_str(), "other"); }), corrupted_error);
  EXPECT_EQ(code_of([&] { named_object<std::uint64_t>(open_only, name_.c_str(), "counter"); }),
            corrupted_error);
}

TEST_F(NamedObjectStoreTest, MalformedNamesAreRefusedBeforeAnythingIsCreated) {
  for (const char* bad : {"", "a/b", ".", ".."}) {
    EXPECT_EQ(code_of([&] { counter(create_only, bad, "counter", permissions(), 1u); }),
              invalid_argument)
        << bad;
    EXPECT_FALSE(counter::remove(bad)) << bad;
  }
  EXPECT_EQ(code_of([&] { counter(open_only, std::string(300, 'n').c_str(), "counter"); }),
            path_error);
}

struct throwing {
  throwing() { throw std::runtime_error("construction failed"); }
};

TEST_F(NamedObjectStoreTest, AFailedConstructionPublishesNothing) {
  EXPECT_THROW(named_object<throwing>(create_only, name_.c_str(), "throwing", permissions()),
               std::runtime_error);
  EXPECT_EQ(code_of([&] { counter(open_only, name_.c_str(), "counter"); }), not_found_error);
}

}  // namespace
}  // namespace sync_detail
}  // namespace refipc
