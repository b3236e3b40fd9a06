#include "refipc/sync/detail/named_object.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "refipc/exceptions.hpp"
#include "refipc/sync/detail/named_object_common.hpp"
#include "refipc/sync/detail/wait_backend.hpp"

namespace refipc {
namespace sync_detail {
namespace {

// "refipcN2": version 2 since the mutexes became glibc-shaped robust locks
// (docs/layout.md); a version-1 object is refused as another kind of object.
// "refipcP2" with the portable wait backend, whose locks hold other words.
constexpr char kMagic[8] = {'r', 'e', 'f', 'i', 'p', 'c', sync_detail::kFutexBackend ? 'N' : 'P',
                            '2'};
constexpr std::size_t kTypeLength = 40;
// A create/open race with a concurrent remove() is retried at most this often.
constexpr int kOpenOrCreateAttempts = 100;

struct header {
  char magic[sizeof(kMagic)];
  char type[kTypeLength];
  std::uint64_t object_size;
};
static_assert(sizeof(header) == 56 && offsetof(header, type) == 8 &&
                  offsetof(header, object_size) == 48 && sizeof(header) <= kNamedObjectOffset,
              "the named object header of docs/layout.md fits before the object");

}  // namespace

void write_named_header(void* base, const char* type, std::size_t object_size) noexcept {
  auto* h = static_cast<header*>(base);
  std::memcpy(h->magic, kMagic, sizeof(kMagic));
  std::strncpy(h->type, type, kTypeLength - 1);
  h->object_size = object_size;
}

bool has_named_header(const void* base, const char* type, std::size_t object_size) noexcept {
  const auto* h = static_cast<const header*>(base);
  return std::memcmp(h->magic, kMagic, sizeof(kMagic)) == 0 &&
         std::strncmp(h->type, type, kTypeLength) == 0 && h->object_size == object_size;
}

[[noreturn]] void named_fail(const char* type, const error_info& err, const std::string& context) {
  throw interprocess_exception(err, (std::string(type) + ": " + context).c_str());
}

std::string quoted_name(const char* name) {
  return name == nullptr ? std::string("(null name)") : '"' + std::string(name) + '"';
}

void (*named_mapping::before_publish_hook)() = nullptr;

named_mapping::named_mapping(how mode, const char* name, const char* type, std::size_t object_size,
                             const permissions& perm, const std::function<void(void*)>& construct) {
  check_name(type, name);
  switch (mode) {
    case how::create_only:
      if (!try_create(name, type, object_size, perm, construct)) {
        named_fail(type, already_exists_error,
                   "cannot create " + quoted_name(name) + ": it already exists");
      }
      return;
    case how::open_only:
      if (!try_open(name, type, object_size)) {
        named_fail(type, not_found_error,
                   "cannot open " + quoted_name(name) + ": it does not exist");
      }
      return;
    case how::open_or_create:
      for (int attempt = 0; attempt < kOpenOrCreateAttempts; ++attempt) {
        if (try_open(name, type, object_size) ||
            try_create(name, type, object_size, perm, construct)) {
          return;
        }
      }
      named_fail(type, busy_error,
                 "cannot open or create " + quoted_name(name) + ": it is being removed repeatedly");
  }
}

}  // namespace sync_detail
}  // namespace refipc
