// bad_weak_ptr: thrown by shared_ptr's constructor from a weak_ptr whose
// object is gone.
#ifndef REFIPC_SMART_PTR_BAD_WEAK_PTR_HPP_
#define REFIPC_SMART_PTR_BAD_WEAK_PTR_HPP_

#include <exception>

namespace refipc {

class bad_weak_ptr : public std::exception {
 public:
  const char* what() const noexcept override { return "refipc::bad_weak_ptr"; }
};

}  // namespace refipc

#endif  // REFIPC_SMART_PTR_BAD_WEAK_PTR_HPP_
