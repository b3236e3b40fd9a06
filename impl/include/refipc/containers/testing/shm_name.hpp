// A shared memory name unique to this test run, removed again on scope exit.
#ifndef REFIPC_CONTAINERS_TESTING_SHM_NAME_HPP_
#define REFIPC_CONTAINERS_TESTING_SHM_NAME_HPP_

#include <unistd.h>

#include <random>
#include <string>

#include "refipc/shared_memory_object.hpp"

namespace refipc_test {

class scoped_shm_name {
 public:
  explicit scoped_shm_name(const std::string& tag) {
    std::random_device rd;
    name_ = "refipc_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(rd());
    refipc::shared_memory_object::remove(name_.c_str());
  }
  ~scoped_shm_name() { refipc::shared_memory_object::remove(name_.c_str()); }
  scoped_shm_name(const scoped_shm_name&) = delete;
  scoped_shm_name& operator=(const scoped_shm_name&) = delete;

  const char* c_str() const { return name_.c_str(); }

 private:
  std::string name_;
};

}  // namespace refipc_test

#endif  // REFIPC_CONTAINERS_TESTING_SHM_NAME_HPP_
