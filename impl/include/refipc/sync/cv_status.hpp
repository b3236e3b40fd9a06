// The result of a condition's wait_until and wait_for.
#ifndef REFIPC_SYNC_CV_STATUS_HPP_
#define REFIPC_SYNC_CV_STATUS_HPP_

namespace refipc {

enum class cv_status { no_timeout, timeout };

}  // namespace refipc

#endif  // REFIPC_SYNC_CV_STATUS_HPP_
