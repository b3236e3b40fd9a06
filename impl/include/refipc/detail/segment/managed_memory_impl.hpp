// What every managed memory front end offers on top of its memory: the
// segment manager's services, forwarded, plus handle/address conversion.
// Front ends own the memory; this class only points to it and to the segment
// manager, placed at its first byte or after a front end's own header.
//
// A front end opened read-only (open_read_only) maps its memory read-only:
// then every operation that would write to the segment, or take its lock,
// throws interprocess_exception (mode_error) instead of faulting, and find()
// looks names up without the lock, as the manual describes.
#ifndef REFIPC_DETAIL_SEGMENT_MANAGED_MEMORY_IMPL_HPP_
#define REFIPC_DETAIL_SEGMENT_MANAGED_MEMORY_IMPL_HPP_

#include <cstddef>
#include <new>
#include <utility>

#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/segment_manager.hpp"

namespace refipc {
namespace segment_detail {

template <class CharType, class MemoryAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_memory_impl {
 public:
  using segment_manager = refipc::segment_manager<CharType, MemoryAlgorithm, IndexType>;
  using char_type = CharType;
  using char_t = CharType;  // Boost's other name for it
  using memory_algorithm = MemoryAlgorithm;
  using mutex_family = typename MemoryAlgorithm::mutex_family;
  using void_pointer = typename MemoryAlgorithm::void_pointer;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using handle_t = difference_type;
  using multiallocation_chain = typename segment_manager::multiallocation_chain;
  using multiallocation_iterator = typename segment_manager::multiallocation_iterator;
  static constexpr size_type PayloadPerAllocation = segment_manager::PayloadPerAllocation;
  using const_named_iterator = typename segment_manager::const_named_iterator;
  using const_unique_iterator = typename segment_manager::const_unique_iterator;

  basic_managed_memory_impl(const basic_managed_memory_impl&) = delete;
  basic_managed_memory_impl& operator=(const basic_managed_memory_impl&) = delete;

  segment_manager* get_segment_manager() const noexcept { return mgr_; }
  // The first byte of the memory (the front end's header, if any, comes
  // first); handles are offsets from it.
  void* get_address() const noexcept { return mgr_ ? base() : nullptr; }
  // The whole memory: the segment manager's size plus the header's.
  std::size_t get_size() const { return header_bytes_ + mgr_->get_size(); }
  std::size_t get_free_memory() const { return mgr_->get_free_memory(); }

  bool belongs_to_segment(const void* ptr) const {
    const char* p = static_cast<const char*>(ptr);
    return p >= base() && p < base() + get_size();
  }
  handle_t get_handle_from_address(const void* ptr) const {
    return static_cast<const char*>(ptr) - base();
  }
  void* get_address_from_handle(handle_t offset) const { return base() + offset; }

  void* allocate(std::size_t nbytes) { return writable()->allocate(nbytes); }
  void* allocate(std::size_t nbytes, std::nothrow_t nt) { return writable()->allocate(nbytes, nt); }
  void* allocate_aligned(std::size_t nbytes, std::size_t alignment) {
    return writable()->allocate_aligned(nbytes, alignment);
  }
  void* allocate_aligned(std::size_t nbytes, std::size_t alignment, std::nothrow_t nt) {
    return writable()->allocate_aligned(nbytes, alignment, nt);
  }
  void deallocate(void* addr) { writable()->deallocate(addr); }
  std::size_t size(const void* ptr) const { return mgr_->size(ptr); }

  void allocate_many(size_type elem_bytes, size_type n_elements, multiallocation_chain& chain) {
    writable()->allocate_many(elem_bytes, n_elements, chain);
  }
  void allocate_many(const size_type* elem_sizes, size_type n_elements, size_type sizeof_element,
                     multiallocation_chain& chain) {
    writable()->allocate_many(elem_sizes, n_elements, sizeof_element, chain);
  }
  void allocate_many(std::nothrow_t nt, size_type elem_bytes, size_type n_elements,
                     multiallocation_chain& chain) {
    writable()->allocate_many(nt, elem_bytes, n_elements, chain);
  }
  void allocate_many(std::nothrow_t nt, const size_type* elem_sizes, size_type n_elements,
                     size_type sizeof_element, multiallocation_chain& chain) {
    writable()->allocate_many(nt, elem_sizes, n_elements, sizeof_element, chain);
  }
  void deallocate_many(multiallocation_chain& chain) { writable()->deallocate_many(chain); }
  multiallocation_chain allocate_many(size_type elem_bytes, size_type n_elements) {
    return writable()->allocate_many(elem_bytes, n_elements);
  }
  multiallocation_chain allocate_many(size_type elem_bytes, size_type n_elements,
                                      std::nothrow_t nt) {
    return writable()->allocate_many(elem_bytes, n_elements, nt);
  }
  multiallocation_chain allocate_many(const size_type* elem_sizes, size_type n_elements) {
    return writable()->allocate_many(elem_sizes, n_elements);
  }
  multiallocation_chain allocate_many(const size_type* elem_sizes, size_type n_elements,
                                      std::nothrow_t nt) {
    return writable()->allocate_many(elem_sizes, n_elements, nt);
  }
  void deallocate_many(multiallocation_chain&& chain) { writable()->deallocate_many(chain); }
  multiallocation_iterator allocate_many(size_type elem_bytes, size_type min_elements,
                                         size_type preferred_elements,
                                         size_type& received_elements) {
    return writable()->allocate_many(elem_bytes, min_elements, preferred_elements,
                                     received_elements);
  }
  multiallocation_iterator allocate_many(size_type elem_bytes, size_type min_elements,
                                         size_type preferred_elements, size_type& received_elements,
                                         std::nothrow_t nt) {
    return writable()->allocate_many(elem_bytes, min_elements, preferred_elements,
                                     received_elements, nt);
  }

  template <class T>
  T* allocation_command(allocation_type command, size_type limit_size,
                        size_type& prefer_in_recvd_out_size, T*& reuse) {
    return writable()->allocation_command(command, limit_size, prefer_in_recvd_out_size, reuse);
  }
  template <class T>
  std::pair<T*, bool> allocation_command(allocation_type command, size_type limit_size,
                                         size_type preferred_size, size_type& received_size,
                                         T* reuse_ptr = nullptr) {
    return writable()->allocation_command(command, limit_size, preferred_size, received_size,
                                          reuse_ptr);
  }

  // These take the segment's lock, so a read-only segment refuses them too.
  bool all_memory_deallocated() { return writable()->all_memory_deallocated(); }
  bool check_sanity() { return writable()->check_sanity(); }
  void zero_free_memory() { writable()->zero_free_memory(); }

  template <class T, class Name>
  auto construct(Name name) {
    return writable()->template construct<T>(name);
  }
  template <class T, class Name>
  auto construct(Name name, std::nothrow_t nt) {
    return writable()->template construct<T>(name, nt);
  }
  template <class T, class Name>
  auto find_or_construct(Name name) {
    return writable()->template find_or_construct<T>(name);
  }
  template <class T, class Name>
  auto find_or_construct(Name name, std::nothrow_t nt) {
    return writable()->template find_or_construct<T>(name, nt);
  }
  template <class T, class Name>
  auto construct_it(Name name) {
    return writable()->template construct_it<T>(name);
  }
  template <class T, class Name>
  auto construct_it(Name name, std::nothrow_t nt) {
    return writable()->template construct_it<T>(name, nt);
  }
  template <class T, class Name>
  auto find_or_construct_it(Name name) {
    return writable()->template find_or_construct_it<T>(name);
  }
  template <class T, class Name>
  auto find_or_construct_it(Name name, std::nothrow_t nt) {
    return writable()->template find_or_construct_it<T>(name, nt);
  }
  template <class T, class Name>
  std::pair<T*, std::size_t> find(Name name) {
    if (read_only_) return mgr_->template find_no_lock<T>(name);
    return mgr_->template find<T>(name);
  }
  template <class T, class Name>
  std::pair<T*, std::size_t> find_no_lock(Name name) {
    return mgr_->template find_no_lock<T>(name);
  }
  template <class T, class Name>
  bool destroy(Name name) {
    return writable()->template destroy<T>(name);
  }
  template <class T>
  void destroy_ptr(const T* ptr) {
    writable()->destroy_ptr(ptr);
  }

  template <class T>
  struct allocator {
    using type = typename segment_manager::template allocator<T>::type;
  };
  template <class T>
  struct deleter {
    using type = typename segment_manager::template deleter<T>::type;
  };
  template <class T>
  typename allocator<T>::type get_allocator() {
    return writable()->template get_allocator<T>();
  }
  template <class T>
  typename deleter<T>::type get_deleter() {
    return writable()->template get_deleter<T>();
  }

  template <class T>
  static const CharType* get_instance_name(const T* ptr) noexcept {
    return segment_manager::get_instance_name(ptr);
  }
  template <class T>
  static std::size_t get_instance_length(const T* ptr) noexcept {
    return segment_manager::get_instance_length(ptr);
  }
  template <class T>
  static instance_type get_instance_type(const T* ptr) noexcept {
    return segment_manager::get_instance_type(ptr);
  }

  template <class Func>
  void atomic_func(Func& f) {
    writable()->atomic_func(f);
  }
  template <class Func>
  bool try_atomic_func(Func& f) {
    return writable()->try_atomic_func(f);
  }

  void reserve_named_objects(std::size_t num) { writable()->reserve_named_objects(num); }
  void reserve_unique_objects(std::size_t num) { writable()->reserve_unique_objects(num); }
  void shrink_to_fit_indexes() { writable()->shrink_to_fit_indexes(); }
  std::size_t get_num_named_objects() { return writable()->get_num_named_objects(); }
  std::size_t get_num_unique_objects() { return writable()->get_num_unique_objects(); }
  const_named_iterator named_begin() const { return mgr_->named_begin(); }
  const_named_iterator named_end() const { return mgr_->named_end(); }
  const_unique_iterator unique_begin() const { return mgr_->unique_begin(); }
  const_unique_iterator unique_end() const { return mgr_->unique_end(); }

 protected:
  basic_managed_memory_impl() = default;

  // Builds a new segment manager over [addr, addr + size), which follows
  // `header_bytes` of the front end's own.
  void create_impl(void* addr, std::size_t size, std::size_t header_bytes = 0) {
    if (!addr || reinterpret_cast<std::uintptr_t>(addr) % alignof(segment_manager) != 0) {
      throw interprocess_exception(invalid_argument,
                                   "managed memory: buffer missing or misaligned");
    }
    if (size < segment_manager::get_min_size() || size < sizeof(segment_manager)) {
      throw interprocess_exception(size_error, "managed memory: buffer too small for a segment");
    }
    mgr_ = ::new (addr) segment_manager(size);
    header_bytes_ = header_bytes;
    read_only_ = false;
  }
  // Adopts the segment manager that [addr, addr + size) holds, after checking
  // it; `read_only` when the memory is mapped read-only.
  void open_impl(void* addr, std::size_t size, std::size_t header_bytes = 0,
                 bool read_only = false) {
    mgr_ = segment_manager::open(addr, size, read_only);
    header_bytes_ = header_bytes;
    read_only_ = read_only;
  }

  void set_manager(segment_manager* mgr) noexcept { mgr_ = mgr; }
  void close_impl() noexcept {
    mgr_ = nullptr;
    header_bytes_ = 0;
    read_only_ = false;
  }
  void swap_impl(basic_managed_memory_impl& other) noexcept {
    std::swap(mgr_, other.mgr_);
    std::swap(header_bytes_, other.header_bytes_);
    std::swap(read_only_, other.read_only_);
  }

 private:
  char* base() const noexcept { return reinterpret_cast<char*>(mgr_) - header_bytes_; }
  segment_manager* writable() const {
    if (read_only_) {
      throw interprocess_exception(mode_error, "managed memory: the segment was opened read-only");
    }
    return mgr_;
  }

  segment_manager* mgr_ = nullptr;
  std::size_t header_bytes_ = 0;
  bool read_only_ = false;
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_MANAGED_MEMORY_IMPL_HPP_
