#include "refipc/anonymous_shared_memory.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <string>

#include "refipc/detail/map_pages.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace {

[[noreturn]] void fail(const error_info& err, const std::string& context) {
  throw interprocess_exception(err, ("anonymous_shared_memory: " + context).c_str());
}

std::string to_string(const void* address) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", address);
  return text;
}

}  // namespace

mapped_region anonymous_shared_memory(std::size_t size, void* address) {
  if (size == 0) fail(invalid_argument, "the size must be above 0");
  if (reinterpret_cast<std::uintptr_t>(address) % mapped_region::get_page_size() != 0) {
    fail(invalid_argument, "address " + to_string(address) + " is not page aligned");
  }
  void* base =
      detail::map_pages(address, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    const int err = errno;
    if (address != nullptr && err == EEXIST) {
      fail(busy_error, "address " + to_string(address) + " is already in use");
    }
    fail(err, "cannot map " + std::to_string(size) + " bytes");
  }
  return mapped_region(base, size);
}

}  // namespace refipc
