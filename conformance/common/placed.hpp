// Objects placed in shared memory for multi-process conformance tests,
// written against the adapter's namespace ipc.
#pragma once

#include <new>
#include <string>

#include "conformance_adapter.hpp"

namespace ipc_test {

#ifdef _WIN32
// On Windows the objects live in native shared memory (windows_shared_memory),
// which is destroyed with its last handle: nothing to remove.
inline void remove_shared_memory(const std::string&) {}

// Creates the object `name` of sizeof(T) bytes and constructs a T in it.
template <class T>
class Placed {
 public:
  explicit Placed(const std::string& name)
      : shm_(ipc::create_only, name.c_str(), ipc::read_write, sizeof(T)),
        region_(shm_, ipc::read_write),
        object_(new (region_.get_address()) T) {}
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }

 private:
  ipc::windows_shared_memory shm_;
  ipc::mapped_region region_;
  T* object_;
};

// Maps the existing object `name` holding a T.
template <class T>
class Opened {
 public:
  explicit Opened(const std::string& name)
      : shm_(ipc::open_only, name.c_str(), ipc::read_write),
        region_(shm_, ipc::read_write),
        object_(static_cast<T*>(region_.get_address())) {}
  T* operator->() const { return object_; }

 private:
  ipc::windows_shared_memory shm_;
  ipc::mapped_region region_;
  T* object_;
};
#else
// Removes the shared memory object `name`; a cleanup for unique_resource().
inline void remove_shared_memory(const std::string& name) {
  ipc::shared_memory_object::remove(name.c_str());
}

// Creates the object `name` of sizeof(T) bytes and constructs a T in it.
template <class T>
class Placed {
 public:
  explicit Placed(const std::string& name)
      : shm_(ipc::create_only, name.c_str(), ipc::read_write),
        region_((shm_.truncate(sizeof(T)), shm_), ipc::read_write),
        object_(new (region_.get_address()) T) {}
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }

 private:
  ipc::shared_memory_object shm_;
  ipc::mapped_region region_;
  T* object_;
};

// Maps the existing object `name` holding a T.
template <class T>
class Opened {
 public:
  explicit Opened(const std::string& name)
      : shm_(ipc::open_only, name.c_str(), ipc::read_write),
        region_(shm_, ipc::read_write),
        object_(static_cast<T*>(region_.get_address())) {}
  T* operator->() const { return object_; }

 private:
  ipc::shared_memory_object shm_;
  ipc::mapped_region region_;
  T* object_;
};

#endif  // _WIN32

}  // namespace ipc_test
