// Regions of mappable objects mapped into the address space.
#ifndef REFIPC_MAPPED_REGION_HPP_
#define REFIPC_MAPPED_REGION_HPP_

#include <cstddef>

#include "refipc/exceptions.hpp"
#include "refipc/interprocess_fwd.hpp"

namespace refipc {

// Maps [offset, offset + size) of a mappable object (anything with
// get_mapping_handle(), such as shared_memory_object).
//
// Modes: read_only and read_write share changes with every other mapping;
// copy_on_write is writable but its changes stay private (it works on objects
// opened read_only); read_private is a private read-only view. Any other mode
// throws mode_error; read_write on an object opened read_only throws
// security_error.
//
// A size of 0 maps from the offset to the end of the object; size_error if
// nothing is left there (including an empty object). The offset need not be
// page aligned: the mapping starts at the page boundary below it, and
// get_address()/get_size()/get_offset() describe exactly the requested bytes.
// A negative offset throws invalid_argument.
//
// Stricter than Boost.Interprocess, so that misuse fails at construction:
//  - a range extending past the object's current size throws size_error
//    (touching such memory would raise SIGBUS);
//  - a requested address never replaces an existing mapping: if any of the
//    range is in use, busy_error is thrown and the existing mapping is kept;
//  - a requested address must be congruent to the offset modulo the page size
//    (the mapping then starts at address - offset % page size), otherwise
//    invalid_argument is thrown.
//
// XSI shared memory (a handle with is_xsi) is attached whole with shmat: the
// offset must be 0 (else invalid_argument), the size 0 or the segment's size
// (else size_error), and the mode read_only or read_write (else mode_error,
// since XSI memory has no private mappings). A requested address must be a
// multiple of SHMLBA (else invalid_argument); busy_error if it is in use.
//
// On Windows, get_page_size() is the allocation granularity, to which
// MapViewOfFileEx aligns views; the rules above about offsets, sizes and
// addresses hold with that granularity as the page size. The size of a
// windows_shared_memory is its size rounded up to the system's page, as
// Windows reports it, so a size of 0 maps to that rounded end and get_size()
// gives the mapped length (not 0 as the manual's note for Windows says); the
// size of a file (file_mapping, shared_memory_object) is exact. read_private
// is a read-only view; flush() writes the view back to a file (not waiting
// for the disk) and writes nothing for windows_shared_memory (backed by the
// paging file), returning true for a valid range.
class mapped_region {
 public:
  template <class MemoryMappable>
  mapped_region(const MemoryMappable& mappable, mode_t mode, offset_t offset = 0,
                std::size_t size = 0, const void* address = nullptr) {
    map(mappable.get_mapping_handle(), mode, offset, size, address);
  }

  // An empty region: null address, size and offset 0, read_only mode.
  mapped_region() noexcept = default;
  // Moved-from regions are left empty.
  mapped_region(mapped_region&& other) noexcept;
  mapped_region& operator=(mapped_region&& other) noexcept;
  mapped_region(const mapped_region&) = delete;
  mapped_region& operator=(const mapped_region&) = delete;
  ~mapped_region();

  std::size_t get_size() const noexcept { return size_; }
  void* get_address() const noexcept { return address_; }
  offset_t get_offset() const noexcept { return offset_; }
  mode_t get_mode() const noexcept { return mode_; }

  // Writes [mapping_offset, mapping_offset + numbytes) of the region back to
  // the object (numbytes 0: to the end of the region), waiting for completion
  // unless `async`. Returns false for an empty region, a range outside the
  // region, or a failure of the system.
  bool flush(std::size_t mapping_offset = 0, std::size_t numbytes = 0, bool async = true) noexcept;

  // Gives up `bytes` of the region, at its end (from_back) or at its start
  // (then the address and the offset move forward by `bytes`). Pages no byte
  // of the region lies in any more are unmapped (on Windows, where a view is
  // unmapped whole, they are made inaccessible); touching them may fault.
  // Returns false, leaving the region unchanged, for an empty region, more
  // bytes than it holds, an XSI segment (attached whole) or a system failure.
  bool shrink_by(std::size_t bytes, bool from_back = true) noexcept;

  // Access pattern hints for the whole region; advice_dontneed never
  // discards contents. Returns false for an empty region, an unknown advice,
  // or a hint the system refuses (Windows takes none).
  enum advice_types {
    advice_normal,
    advice_sequential,
    advice_random,
    advice_willneed,
    advice_dontneed
  };
  bool advise(advice_types advice) noexcept;

  void swap(mapped_region& other) noexcept;

  static std::size_t get_page_size() noexcept;

 private:
  void map(mapping_handle_t handle, mode_t mode, offset_t offset, std::size_t size,
           const void* address);

#ifndef _WIN32
  // Declared in anonymous_shared_memory.hpp; builds its region from a raw mapping.
  friend mapped_region anonymous_shared_memory(std::size_t size, void* address);

  // Takes ownership of a read_write mapping made by mmap.
  mapped_region(void* address, std::size_t size) noexcept
      : address_(address), size_(size), mode_(read_write) {}

  void attach_xsi(int shmid, mode_t mode, offset_t offset, std::size_t size, const void* address);
#endif

  void* address_ = nullptr;
  std::size_t size_ = 0;
  offset_t offset_ = 0;
  // Bytes mapped before address_ to start the mapping on a page boundary.
  std::size_t page_offset_ = 0;
  mode_t mode_ = read_only;
#ifndef _WIN32
  // Attached with shmat, hence detached with shmdt.
  bool is_xsi_ = false;
#endif
};

}  // namespace refipc

#endif  // REFIPC_MAPPED_REGION_HPP_
