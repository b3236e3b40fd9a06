// Checks of the create/open/remove rules shared by the named synchronization
// primitives (named_mutex, named_recursive_mutex, named_condition,
// named_semaphore), written against the adapter's namespace ipc.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "conformance_adapter.hpp"

namespace ipc_test {

// Constructs a T; named_semaphore's creating constructors also take a count.
template <class T>
struct Named {
  template <class Tag>
  static std::unique_ptr<T> make(Tag tag, const std::string& name) {
    return std::make_unique<T>(tag, name.c_str());
  }
  template <class Tag>
  static std::unique_ptr<T> make(Tag tag, const std::string& name, const ipc::permissions& perm) {
    return std::make_unique<T>(tag, name.c_str(), perm);
  }
};

template <>
struct Named<ipc::named_semaphore> {
  static std::unique_ptr<ipc::named_semaphore> make(ipc::open_only_t, const std::string& name) {
    return std::make_unique<ipc::named_semaphore>(ipc::open_only, name.c_str());
  }
  template <class Tag>
  static std::unique_ptr<ipc::named_semaphore> make(Tag tag, const std::string& name) {
    return std::make_unique<ipc::named_semaphore>(tag, name.c_str(), 0u);
  }
  template <class Tag>
  static std::unique_ptr<ipc::named_semaphore> make(Tag tag, const std::string& name,
                                                    const ipc::permissions& perm) {
    return std::make_unique<ipc::named_semaphore>(tag, name.c_str(), 0u, perm);
  }
};

// Explicit (not default) permissions for a creating constructor: owner-only
// mode bits on POSIX; on Windows, where the manual's os_permissions_type is a
// SECURITY_ATTRIBUTES pointer rather than mode bits, set_unrestricted()'s
// null DACL, the one explicit value both systems have.
inline ipc::permissions explicit_permissions() {
#ifdef _WIN32
  ipc::permissions perm;
  perm.set_unrestricted();
  return perm;
#else
  return ipc::permissions(0600);
#endif
}

// A cleanup for unique_resource().
template <class T>
void remove_named(const std::string& name) {
  T::remove(name.c_str());
}

// create_only creates what open_only then opens; a second create_only throws.
template <class T>
void expect_create_only_rules(const std::string& name) {
  auto created = Named<T>::make(ipc::create_only, name, explicit_permissions());
  EXPECT_NO_THROW(Named<T>::make(ipc::open_only, name));
  EXPECT_THROW(Named<T>::make(ipc::create_only, name), ipc::interprocess_exception);
}

// open_only throws for a name that does not exist, and opens one that does.
template <class T>
void expect_open_only_rules(const std::string& name) {
  EXPECT_THROW(Named<T>::make(ipc::open_only, name), ipc::interprocess_exception);
  auto created = Named<T>::make(ipc::create_only, name);
  EXPECT_NO_THROW(Named<T>::make(ipc::open_only, name));
}

// open_or_create creates a missing name and opens an existing one.
template <class T>
void expect_open_or_create_rules(const std::string& name) {
  auto first = Named<T>::make(ipc::open_or_create, name);
  auto second = Named<T>::make(ipc::open_or_create, name);
  EXPECT_NO_THROW(Named<T>::make(ipc::open_only, name));
  EXPECT_THROW(Named<T>::make(ipc::create_only, name), ipc::interprocess_exception);
}

// Destruction keeps the resource; remove() erases it once.
template <class T>
void expect_remove_rules(const std::string& name) {
  EXPECT_FALSE(T::remove(name.c_str()));
  Named<T>::make(ipc::create_only, name);
  EXPECT_NO_THROW(Named<T>::make(ipc::open_only, name));
  EXPECT_TRUE(T::remove(name.c_str()));
  EXPECT_FALSE(T::remove(name.c_str()));
  EXPECT_THROW(Named<T>::make(ipc::open_only, name), ipc::interprocess_exception);
}

// Names no system accepts make every constructor throw.
template <class T>
void expect_invalid_names_throw() {
  for (const std::string& name : {std::string(), std::string("a/b"), std::string(300, 'n')}) {
    EXPECT_THROW(Named<T>::make(ipc::create_only, name), ipc::interprocess_exception)
        << "name \"" << name << '"';
    EXPECT_THROW(Named<T>::make(ipc::open_or_create, name), ipc::interprocess_exception)
        << "name \"" << name << '"';
    EXPECT_THROW(Named<T>::make(ipc::open_only, name), ipc::interprocess_exception)
        << "name \"" << name << '"';
    T::remove(name.c_str());
  }
}

}  // namespace ipc_test
