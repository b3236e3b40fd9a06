// Tag types and values that select how a named resource is created or opened.
#ifndef REFIPC_CREATION_TAGS_HPP_
#define REFIPC_CREATION_TAGS_HPP_

namespace refipc {

// Create the resource; fail if it already exists.
struct create_only_t {};
// Open an existing resource; fail if it does not exist.
struct open_only_t {};
// Open an existing resource for reading only.
struct open_read_only_t {};
// Open an existing resource for private (unshared) reading.
struct open_read_private_t {};
// Open an existing resource; writes stay private to this process.
struct open_copy_on_write_t {};
// Open the resource, creating it first if it does not exist.
struct open_or_create_t {};

inline constexpr create_only_t create_only{};
inline constexpr open_only_t open_only{};
inline constexpr open_read_only_t open_read_only{};
inline constexpr open_read_private_t open_read_private{};
inline constexpr open_copy_on_write_t open_copy_on_write{};
inline constexpr open_or_create_t open_or_create{};

}  // namespace refipc

#endif  // REFIPC_CREATION_TAGS_HPP_
