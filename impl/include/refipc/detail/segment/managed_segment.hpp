// managed_segment: the one front end behind managed_shared_memory,
// managed_mapped_file, managed_xsi_shared_memory and (on Windows)
// managed_windows_shared_memory. It creates or opens a backing store
// (segment_stores.hpp, windows_store.hpp), maps it whole, and builds or adopts the
// segment manager placed after a segment_preamble.
//
// Creation and opening race safely: the creator fills the store, then
// publishes the preamble's state last; an opener waits, bounded, for that
// state (segment_preamble.hpp) before touching the segment manager, and the
// segment manager's own open() validates what it finds.
#ifndef REFIPC_DETAIL_SEGMENT_MANAGED_SEGMENT_HPP_
#define REFIPC_DETAIL_SEGMENT_MANAGED_SEGMENT_HPP_

#include <chrono>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>

#include "refipc/creation_tags.hpp"
#include "refipc/detail/segment/managed_memory_impl.hpp"
#include "refipc/detail/segment/segment_preamble.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/permissions.hpp"

namespace refipc {
namespace segment_detail {

// New segments are readable and writable by their owner only, unless the
// caller passes permissions.
inline permissions owner_only() noexcept { return permissions(0600); }

template <class CharType, class MemoryAlgorithm, template <class IndexConfig> class IndexType,
          class Store>
class managed_segment : public basic_managed_memory_impl<CharType, MemoryAlgorithm, IndexType> {
  using base_type = basic_managed_memory_impl<CharType, MemoryAlgorithm, IndexType>;
  using manager_type = typename base_type::segment_manager;
  using key_type = typename Store::key_type;
  using device_type = typename Store::device_type;
  static constexpr std::size_t kHeader = segment_preamble::kBytes;

 protected:
  managed_segment() noexcept = default;

  // Creates the store (failing if it exists), maps it and builds the segment.
  void create_segment(const key_type& key, std::size_t size, const void* addr,
                      const permissions& perm) {
    if (!fits(size)) {
      throw interprocess_exception(size_error, "managed segment: size too small for a segment");
    }
    device_type device = Store::create(key, size, perm);
    try {
      mapped_region region(device, read_write, 0, size, addr);
      auto* preamble = static_cast<segment_preamble*>(region.get_address());
      begin_initialisation(preamble);
      this->create_impl(static_cast<char*>(region.get_address()) + kHeader, size - kHeader,
                        kHeader);
      end_initialisation(preamble);
      adopt(std::move(device), std::move(region));
    } catch (...) {
      this->close_impl();
      Store::remove(key, device);
      throw;
    }
  }

  // Opens the existing segment `key` and maps it with `mode` (read_write,
  // read_only or copy_on_write), waiting for a creator still building it.
  void open_segment(const key_type& key, mode_t mode, const void* addr) {
    const auto deadline = std::chrono::steady_clock::now() + kInitialisationTimeout;
    device_type device = Store::open(key, mode == read_write ? read_write : read_only);
    const std::string what = Store::describe(key);
    // A racing creator stamps a new store with its process id, then reserves
    // its whole size: a smaller store must name a creator still at work.
    std::size_t size = Store::size(device);
    bool ready = false;  // the size was read after the segment was ready
    for (unsigned round = 0; size < kHeader + sizeof(manager_type); size = Store::size(device)) {
      if (ready) fail_open(what.c_str(), "it is too small to hold a managed segment");
      if (size != 0) {
        const mapped_region stamp(device, read_only, 0, size);
        if (expect_live_creator(stamp.get_address(), size, what.c_str())) {
          ready = true;
          continue;
        }
      }
      if (!back_off(round, deadline)) {
        fail_open(what.c_str(), size == 0 ? "it is empty"
                                          : "it was not initialised in time (it is still too "
                                            "small to hold a managed segment)");
      }
    }
    mapped_region region(device, mode, 0, size, addr);
    wait_until_ready(static_cast<const segment_preamble*>(region.get_address()), what.c_str(),
                     deadline);
    this->open_impl(static_cast<char*>(region.get_address()) + kHeader, size - kHeader, kHeader,
                    mode == read_only);
    adopt(std::move(device), std::move(region));
  }

  // Opens `key`, or creates it when it does not exist. Exactly one of the
  // processes racing here creates it; the others open it once it is ready.
  void open_or_create_segment(const key_type& key, std::size_t size, const void* addr,
                              const permissions& perm) {
    // Each retry means another process removed the segment between our
    // attempts; give up after a few rather than loop forever.
    for (int attempt = 0;; ++attempt) {
      // A size too small to create with still opens an existing segment.
      if (fits(size)) {
        try {
          create_segment(key, size, addr, perm);
          return;
        } catch (const interprocess_exception& e) {
          if (e.get_error_code() != already_exists_error) throw;
        }
      }
      try {
        open_segment(key, read_write, addr);
        return;
      } catch (const interprocess_exception& e) {
        if (e.get_error_code() != not_found_error || attempt == 8) throw;
        if (!fits(size)) {
          throw interprocess_exception(size_error, "managed segment: size too small for a segment");
        }
      }
    }
  }

  // Adds `extra_bytes` to the closed segment `key`. False when it cannot be
  // opened or is not a valid segment (nothing changed), or cannot get the
  // space (the store may then be larger than its segment, which stays valid
  // and which a later grow takes in).
  static bool grow_segment(const key_type& key, std::size_t extra_bytes) noexcept {
    try {
      device_type device = Store::open(key, read_write);
      const std::size_t size = Store::size(device);
      if (!valid_segment(device, size) ||
          extra_bytes > std::numeric_limits<std::size_t>::max() - size) {
        return false;
      }
      Store::resize(device, size + extra_bytes);
      mapped_region region(device, read_write, 0, size + extra_bytes);
      manager_type* mgr = manager_type::open(static_cast<char*>(region.get_address()) + kHeader,
                                             size + extra_bytes - kHeader);
      // Also takes in any space left by an earlier grow that failed midway.
      mgr->grow(size + extra_bytes - kHeader - mgr->get_size());
      return true;
    } catch (...) {
      return false;
    }
  }

  // Gives the free space at the end of the closed segment `key` back to the
  // system; false when it cannot be opened or is not a valid segment.
  static bool shrink_segment(const key_type& key) noexcept {
    try {
      device_type device = Store::open(key, read_write);
      const std::size_t size = Store::size(device);
      if (!valid_segment(device, size)) return false;
      std::size_t new_size;
      {
        mapped_region region(device, read_write, 0, size);
        manager_type* mgr =
            manager_type::open(static_cast<char*>(region.get_address()) + kHeader, size - kHeader);
        mgr->shrink_to_fit();
        new_size = kHeader + mgr->get_size();
      }
      Store::resize(device, new_size);
      return true;
    } catch (...) {
      return false;
    }
  }

  bool flush_segment() noexcept { return region_.flush(0, 0, false); }

  void swap_segment(managed_segment& other) noexcept {
    this->swap_impl(other);
    device_.swap(other.device_);
    region_.swap(other.region_);
  }

  const device_type& device() const noexcept { return device_; }

 private:
  void adopt(device_type&& device, mapped_region&& region) noexcept {
    device_ = std::move(device);
    region_ = std::move(region);
  }

  static bool fits(std::size_t size) noexcept {
    return size >= kHeader + manager_type::get_min_size();
  }

  // Whether the store holds a ready segment of this type (without waiting:
  // grow and shrink_to_fit need a segment nobody is using).
  static bool valid_segment(const device_type& device, std::size_t size) {
    if (size < kHeader + sizeof(manager_type)) return false;
    mapped_region region(device, read_only, 0, size);
    const auto* preamble = static_cast<const segment_preamble*>(region.get_address());
    if (preamble->state.load(std::memory_order_acquire) != kReady ||
        preamble->magic != segment_preamble::kMagic) {
      return false;
    }
    manager_type::open(static_cast<char*>(region.get_address()) + kHeader, size - kHeader,
                       /*read_only=*/true);
    return true;
  }

  device_type device_;
  mapped_region region_;
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_MANAGED_SEGMENT_HPP_
