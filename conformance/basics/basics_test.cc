// Conformance tests of the small headers every other component builds on:
// creation tags, error codes, exceptions and permissions.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <exception>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class CreationTags : public ipc_test::ConformanceTest {};
class Errors : public ipc_test::ConformanceTest {};
class Exceptions : public ipc_test::ConformanceTest {};
class Permissions : public ipc_test::ConformanceTest {};

// One overload per tag type: which one a call selects tells the tags apart.
int tag_index(ipc::create_only_t) { return 0; }
int tag_index(ipc::open_only_t) { return 1; }
int tag_index(ipc::open_read_only_t) { return 2; }
int tag_index(ipc::open_read_private_t) { return 3; }
int tag_index(ipc::open_copy_on_write_t) { return 4; }
int tag_index(ipc::open_or_create_t) { return 5; }

template <class T, class... Others>
constexpr bool differs_from_all() {
  return (!std::is_same_v<T, Others> && ...);
}

template <class T, class... Rest>
constexpr bool all_distinct() {
  if constexpr (sizeof...(Rest) == 0) {
    return true;
  } else {
    return differs_from_all<T, Rest...>() && all_distinct<Rest...>();
  }
}

template <class Tag, class Value>
constexpr bool is_tag_value() {
  return std::is_same_v<std::remove_cv_t<std::remove_reference_t<Value>>, Tag>;
}

TEST_F(CreationTags, TagTypesAreDistinct) {
  IPC_SPEC("creation_tags.types.distinct");
  static_assert(
      all_distinct<ipc::create_only_t, ipc::open_only_t, ipc::open_read_only_t,
                   ipc::open_read_private_t, ipc::open_copy_on_write_t, ipc::open_or_create_t>());
  EXPECT_EQ(tag_index(ipc::create_only_t()), 0);
  EXPECT_EQ(tag_index(ipc::open_only_t()), 1);
  EXPECT_EQ(tag_index(ipc::open_read_only_t()), 2);
  EXPECT_EQ(tag_index(ipc::open_read_private_t()), 3);
  EXPECT_EQ(tag_index(ipc::open_copy_on_write_t()), 4);
  EXPECT_EQ(tag_index(ipc::open_or_create_t()), 5);
}

TEST_F(CreationTags, ValuesHaveTheirTagTypes) {
  IPC_SPEC("creation_tags.values.typed");
  static_assert(is_tag_value<ipc::create_only_t, decltype(ipc::create_only)>());
  static_assert(is_tag_value<ipc::open_only_t, decltype(ipc::open_only)>());
  static_assert(is_tag_value<ipc::open_read_only_t, decltype(ipc::open_read_only)>());
  static_assert(is_tag_value<ipc::open_or_create_t, decltype(ipc::open_or_create)>());
  static_assert(is_tag_value<ipc::open_copy_on_write_t, decltype(ipc::open_copy_on_write)>());
  EXPECT_EQ(tag_index(ipc::create_only), 0);
  EXPECT_EQ(tag_index(ipc::open_only), 1);
  EXPECT_EQ(tag_index(ipc::open_read_only), 2);
  EXPECT_EQ(tag_index(ipc::open_copy_on_write), 4);
  EXPECT_EQ(tag_index(ipc::open_or_create), 5);
}

TEST_F(Errors, EnumeratorsAreDistinctAndNoErrorIsZero) {
  IPC_SPEC("errors.error_code_t.enumerators");
  static_assert(ipc::no_error == 0);
  // The array's element type makes each name an enumerator of error_code_t.
  const ipc::error_code_t codes[] = {ipc::no_error,
                                     ipc::system_error,
                                     ipc::other_error,
                                     ipc::security_error,
                                     ipc::read_only_error,
                                     ipc::io_error,
                                     ipc::path_error,
                                     ipc::not_found_error,
                                     ipc::busy_error,
                                     ipc::already_exists_error,
                                     ipc::not_empty_error,
                                     ipc::is_directory_error,
                                     ipc::out_of_space_error,
                                     ipc::out_of_memory_error,
                                     ipc::out_of_resource_error,
                                     ipc::lock_error,
                                     ipc::sem_error,
                                     ipc::mode_error,
                                     ipc::size_error,
                                     ipc::corrupted_error,
                                     ipc::not_such_file_or_directory,
                                     ipc::invalid_argument};
  EXPECT_EQ(static_cast<int>(codes[0]), 0);
  const std::set<ipc::error_code_t> unique(std::begin(codes), std::end(codes));
  EXPECT_EQ(unique.size(), std::size(codes));
}

TEST_F(Errors, BoostAddsTimeoutAndOwnerDeathEnumerators) {
  IPC_SPEC("errors.error_code_t.boost_enumerators");
  const ipc::error_code_t added[] = {ipc::timeout_when_locking_error,
                                     ipc::timeout_when_waiting_error, ipc::owner_dead_error,
                                     ipc::not_recoverable};
  std::set<ipc::error_code_t> unique(std::begin(added), std::end(added));
  EXPECT_EQ(unique.size(), std::size(added));
  for (const ipc::error_code_t code : added) EXPECT_GT(code, ipc::invalid_argument);
}

TEST_F(Errors, NativeErrorHoldsSystemErrorNumbers) {
  IPC_SPEC("errors.native_error_t.integer");
  static_assert(std::is_integral_v<ipc::native_error_t>);
  for (const int number : {ENOENT, EACCES, EEXIST, ENOSPC, EINVAL, ENAMETOOLONG, EOVERFLOW}) {
    const ipc::native_error_t native = number;
    EXPECT_EQ(static_cast<int>(native), number);
  }

  // An errno value straight from a failed system call.
  const std::string missing = unique_file_path("missing");
  ASSERT_EQ(::open(missing.c_str(), O_RDONLY), -1);
  const ipc::native_error_t native = errno;
  EXPECT_EQ(static_cast<int>(native), ENOENT);
}

TEST_F(Exceptions, MessageConstructorSetsWhat) {
  IPC_SPEC("exceptions.interprocess_exception.from_message");
  const std::string expected = "segment 42 is gone";
  std::optional<ipc::interprocess_exception> error;
  {
    // The exception must keep the text once the caller's buffer is gone.
    std::string buffer = expected;
    error.emplace(buffer.c_str());
    buffer.assign(buffer.size(), 'x');
  }
  EXPECT_STREQ(error->what(), expected.c_str());
}

TEST_F(Exceptions, ErrorInfoConstructorReportsCodeAndNativeError) {
  IPC_SPEC("exceptions.interprocess_exception.from_error_info");
  for (const ipc::error_code_t code :
       {ipc::not_found_error, ipc::already_exists_error, ipc::security_error, ipc::size_error}) {
    const ipc::error_info info(code);
    const ipc::interprocess_exception error(info);
    EXPECT_EQ(error.get_error_code(), code);
    EXPECT_EQ(error.get_native_error(), info.get_native_error());
  }

  const ipc::error_info from_system(ipc::native_error_t{EACCES});
  const ipc::interprocess_exception error(from_system);
  EXPECT_EQ(error.get_native_error(), EACCES);
  EXPECT_EQ(error.get_error_code(), from_system.get_error_code());
}

TEST_F(Exceptions, LibraryFailuresAreCaughtAsStdException) {
  IPC_SPEC("exceptions.interprocess_exception.is_std_exception");
  static_assert(std::is_base_of_v<std::exception, ipc::interprocess_exception>);
  const std::string name = unique_resource(
      [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, "missing");
  bool caught = false;
  try {
    ipc::shared_memory_object never_created(ipc::open_only, name.c_str(), ipc::read_write);
  } catch (const std::exception& e) {
    caught = true;
    EXPECT_NE(dynamic_cast<const ipc::interprocess_exception*>(&e), nullptr)
        << "thrown as another exception type: " << e.what();
  }
  EXPECT_TRUE(caught) << "opening a missing shared memory object did not throw";
}

TEST_F(Exceptions, LockExceptionIsAnInterprocessException) {
  IPC_SPEC("exceptions.lock_exception.derives");
  static_assert(std::is_base_of_v<ipc::interprocess_exception, ipc::lock_exception>);
  static_assert(std::is_default_constructible_v<ipc::lock_exception>);
  try {
    throw ipc::lock_exception();
  } catch (const ipc::interprocess_exception& e) {
    EXPECT_NE(dynamic_cast<const ipc::lock_exception*>(&e), nullptr);
    EXPECT_GT(std::strlen(e.what()), 0u);
  }
}

TEST_F(Exceptions, BadAllocIsAnInterprocessException) {
  IPC_SPEC("exceptions.bad_alloc.derives");
  static_assert(std::is_base_of_v<ipc::interprocess_exception, ipc::bad_alloc>);
  static_assert(std::is_default_constructible_v<ipc::bad_alloc>);
  try {
    throw ipc::bad_alloc();
  } catch (const ipc::interprocess_exception& e) {
    EXPECT_NE(dynamic_cast<const ipc::bad_alloc*>(&e), nullptr);
    EXPECT_GT(std::strlen(e.what()), 0u);
  }
}

// The manual names the permission value's type os_permissions_type without
// saying how to reach it; this is the type get_permissions() returns.
using Mode = decltype(std::declval<const ipc::permissions&>().get_permissions());

TEST_F(Permissions, DefaultIs0644) {
  IPC_SPEC("permissions.default.value");
  const ipc::permissions permissions;
  EXPECT_EQ(permissions.get_permissions(), Mode{0644});
}

TEST_F(Permissions, ConstructorStoresValue) {
  IPC_SPEC("permissions.ctor.value");
  for (const Mode mode : {Mode{0600}, Mode{0640}, Mode{0777}, Mode{0}}) {
    const ipc::permissions permissions(mode);
    EXPECT_EQ(permissions.get_permissions(), mode);
  }
}

TEST_F(Permissions, SetDefaultRestores0644) {
  IPC_SPEC("permissions.set_default.value");
  ipc::permissions permissions(Mode{0600});
  permissions.set_default();
  EXPECT_EQ(permissions.get_permissions(), Mode{0644});
}

TEST_F(Permissions, SetUnrestrictedGives0666) {
  IPC_SPEC("permissions.set_unrestricted.value");
  ipc::permissions permissions;
  permissions.set_unrestricted();
  EXPECT_EQ(permissions.get_permissions(), Mode{0666});
}

TEST_F(Permissions, SetPermissionsStoresValue) {
  IPC_SPEC("permissions.set_permissions.value");
  ipc::permissions permissions;
  permissions.set_permissions(Mode{0640});
  EXPECT_EQ(permissions.get_permissions(), Mode{0640});
  permissions.set_permissions(Mode{0400});
  EXPECT_EQ(permissions.get_permissions(), Mode{0400});
}

}  // namespace
