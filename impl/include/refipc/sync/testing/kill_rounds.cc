#include "refipc/sync/testing/kill_rounds.hpp"

#include <cstdlib>

namespace refipc {
namespace testing {

int kill_rounds(int short_form) {
  const char* text = std::getenv("REFIPC_KILL_ROUNDS");
  return text ? std::atoi(text) : short_form;
}

}  // namespace testing
}  // namespace refipc
