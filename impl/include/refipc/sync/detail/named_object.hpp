// The shared piece of refipc's named synchronization primitives: a POSIX
// shared memory object that holds a small header and one anonymous primitive
// (named_mutex holds an interprocess_mutex, and so on).
//
// Initialisation protocol: a creator never makes a half-built object visible.
// It creates an unnamed file in the shared memory directory (O_TMPFILE), sets
// its permissions, reserves its pages (a full /dev/shm is out_of_space_error,
// never SIGBUS), writes the header, constructs the primitive, and only then
// gives the file its name with linkat(2), which fails if the name exists (see
// refipc/detail/shm_file.hpp). A creator that dies at any point before that leaves nothing behind:
// the unnamed file vanishes with its last descriptor. An opener therefore
// either finds no object (not_found_error) or a complete one; it never waits
// for an initialiser, so it cannot hang on a dead one.
//
// Opening checks the header: an object of the name that is not a refipc
// named primitive of the requested type (a shared_memory_object, another
// named primitive type, or an object of another size) throws
// interprocess_exception with corrupted_error.
//
// Names follow shared_memory_object's rules (one path component, optional
// leading '/'): a malformed name throws invalid_argument, a name longer than
// NAME_MAX throws path_error, before any system call. Named primitives share
// the namespace of shared_memory_object.
//
// Adding a named primitive: hold a named_object<Anonymous> and forward. The
// primitive lives as long as the shared memory object and is never
// destroyed, so it must own no resources beyond its bytes.
#ifndef REFIPC_SYNC_DETAIL_NAMED_OBJECT_HPP_
#define REFIPC_SYNC_DETAIL_NAMED_OBJECT_HPP_

#include <cstddef>
#include <functional>
#include <new>
#include <tuple>
#include <utility>

#include "refipc/creation_tags.hpp"
#include "refipc/permissions.hpp"

namespace refipc {
namespace sync_detail {

// Where the primitive starts in the shared memory object.
constexpr std::size_t kNamedObjectOffset = 64;

// The type-independent part: creates, opens and maps the shared memory
// object, and unmaps it when destroyed (the object itself stays).
class named_mapping {
 public:
  enum class how { create_only, open_only, open_or_create };

  // `type` names the primitive in the header and in error messages (at most
  // 39 characters). `construct` builds the primitive at the given address; it
  // runs only when this call creates the object.
  named_mapping(how mode, const char* name, const char* type, std::size_t object_size,
                const permissions& perm, const std::function<void(void*)>& construct);
  named_mapping(const named_mapping&) = delete;
  named_mapping& operator=(const named_mapping&) = delete;
  ~named_mapping();

  void* object() const noexcept { return static_cast<char*>(base_) + kNamedObjectOffset; }

  // Unlinks the name. False if it does not exist, the name is invalid, or on
  // any error; mappings already made stay valid.
  static bool remove(const char* name) noexcept;

  // For refipc's own tests: when set, a creator calls it after constructing
  // the primitive and before publishing the name.
  static void (*before_publish_hook)();

 private:
  // Throws invalid_argument or path_error for a name the platform refuses.
  static void check_name(const char* type, const char* name);
  bool try_open(const char* name, const char* type, std::size_t object_size);
  bool try_create(const char* name, const char* type, std::size_t object_size,
                  const permissions& perm, const std::function<void(void*)>& construct);

  void* base_ = nullptr;
  std::size_t length_ = 0;
};

// A primitive of type T living in a named shared memory object.
template <class T>
class named_object {
  static_assert(alignof(T) <= kNamedObjectOffset, "the primitive must fit the header's alignment");

 public:
  // Creates the object with T constructed from `args`; already_exists_error
  // if the name exists.
  template <class... Args>
  named_object(create_only_t, const char* name, const char* type, const permissions& perm,
               Args&&... args)
      : mapping_(named_mapping::how::create_only, name, type, sizeof(T), perm,
                 constructor(std::forward<Args>(args)...)) {}

  // Opens the object, or creates it as above if it does not exist (`args`
  // are then unused).
  template <class... Args>
  named_object(open_or_create_t, const char* name, const char* type, const permissions& perm,
               Args&&... args)
      : mapping_(named_mapping::how::open_or_create, name, type, sizeof(T), perm,
                 constructor(std::forward<Args>(args)...)) {}

  // Opens an existing object; not_found_error if there is none.
  named_object(open_only_t, const char* name, const char* type)
      : mapping_(named_mapping::how::open_only, name, type, sizeof(T), permissions(),
                 [](void*) {}) {}

  T& get() const noexcept { return *static_cast<T*>(mapping_.object()); }

  static bool remove(const char* name) noexcept { return named_mapping::remove(name); }

 private:
  template <class... Args>
  static std::function<void(void*)> constructor(Args&&... args) {
    return [stored = std::make_tuple(std::forward<Args>(args)...)](void* where) {
      std::apply([where](const auto&... a) { new (where) T(a...); }, stored);
    };
  }

  named_mapping mapping_;
};

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_NAMED_OBJECT_HPP_
