// What the indexes check every pointer they read from shared memory against
// before following it: the address range of the segment as the calling
// process maps it and the segment manager their storage comes from. The
// segment manager builds one per operation from process-local values; it is
// never stored in the segment. A pointer outside the segment or misaligned,
// a name that overruns it, or a count no segment of that size can hold
// throws interprocess_exception(corrupted_error) (see docs/using-refipc.md,
// "Failure model"): one range compare per hop.
#ifndef REFIPC_INDEXES_DETAIL_SEGMENT_BOUNDS_HPP_
#define REFIPC_INDEXES_DETAIL_SEGMENT_BOUNDS_HPP_

#include <cstddef>
#include <cstdint>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/exceptions.hpp"

namespace refipc {
namespace index_detail {

class segment_bounds {
 public:
  // Bounds nothing lies in (those of an end iterator, never followed).
  segment_bounds() = default;
  // The `size` bytes at `base`, and the segment manager at `manager`.
  segment_bounds(const void* base, std::size_t size, const void* manager) noexcept
      : lo_(reinterpret_cast<std::uintptr_t>(base)), size_(size), manager_(manager) {}

  [[noreturn]] static void corrupted() {
    throw interprocess_exception(corrupted_error, "segment_manager: a name index is damaged");
  }

  // Whether `bytes` at p lie within the segment, p aligned to `alignment`.
  bool holds(const void* p, std::size_t bytes, std::size_t alignment) const noexcept {
    const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(p);
    return at - lo_ <= size_ && bytes <= size_ - (at - lo_) && at % alignment == 0;
  }

  // p, read from the segment: null, or `bytes` within it aligned for T.
  template <class T>
  T* node(T* p, std::size_t bytes = sizeof(T)) const {
    if (p && !holds(p, bytes, alignof(T))) corrupted();
    return p;
  }

  // A block header read from the segment (not null): inside it, with its
  // objects and its null-terminated name of CharT inside it too.
  template <class CharT, class Header>
  Header* block(Header* h) const {
    if (!holds(h, sizeof(segment_detail::block_header), alignof(segment_detail::block_header))) {
      corrupted();
    }
    const CharT* name = h->template name<CharT>();
    if (!holds(name, (std::size_t(h->name_length) + 1) * sizeof(CharT), alignof(CharT)) ||
        name[h->name_length] != CharT()) {
      corrupted();
    }
    return h;
  }

  // A name of `length` characters read from the segment.
  template <class CharT>
  const CharT* name(const CharT* s, std::size_t length) const {
    if (length > size_ / sizeof(CharT) || !holds(s, length * sizeof(CharT), alignof(CharT))) {
      corrupted();
    }
    return s;
  }

  // An index's pointer to its segment manager, which must be this one.
  template <class Manager>
  Manager* manager(Manager* m) const {
    if (static_cast<const void*>(m) != manager_) corrupted();
    return m;
  }

  // Gives back storage that a pointer read from the segment names: one the
  // algorithm does not know as a live allocation is damage, not a caller's
  // mistake.
  template <class Manager>
  static void deallocate(Manager* mgr, void* p) {
    try {
      mgr->deallocate(p);
    } catch (const interprocess_exception& e) {
      if (e.get_error_code() == invalid_argument) corrupted();
      throw;
    }
  }

  // A count of entries read from the segment: more than its size can hold
  // is damage. What bounds every walk of an index.
  std::size_t entries(std::size_t count) const {
    if (count > size_ / sizeof(segment_detail::block_header)) corrupted();
    return count;
  }

 private:
  std::uintptr_t lo_ = 0;
  std::size_t size_ = 0;
  const void* manager_ = nullptr;
};

// Counts the steps of a walk against the entries the index records: one
// more is a cycle or damaged links.
class walk_budget {
 public:
  explicit walk_budget(std::size_t entries) noexcept : left_(entries) {}
  void step() {
    if (left_ == 0) segment_bounds::corrupted();
    --left_;
  }

 private:
  std::size_t left_;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_SEGMENT_BOUNDS_HPP_
