// What every managed memory front end offers on top of its memory: the
// segment manager's services, forwarded, plus handle/address conversion.
// Front ends own the memory; this class only points to the segment manager
// placed at its first byte.
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
  using memory_algorithm = MemoryAlgorithm;
  using mutex_family = typename MemoryAlgorithm::mutex_family;
  using void_pointer = typename MemoryAlgorithm::void_pointer;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using handle_t = difference_type;
  using multiallocation_chain = typename segment_manager::multiallocation_chain;
  using const_named_iterator = typename segment_manager::const_named_iterator;
  using const_unique_iterator = typename segment_manager::const_unique_iterator;

  basic_managed_memory_impl(const basic_managed_memory_impl&) = delete;
  basic_managed_memory_impl& operator=(const basic_managed_memory_impl&) = delete;

  segment_manager* get_segment_manager() const noexcept { return mgr_; }
  void* get_address() const noexcept { return mgr_; }
  std::size_t get_size() const { return mgr_->get_size(); }
  std::size_t get_free_memory() const { return mgr_->get_free_memory(); }

  bool belongs_to_segment(const void* ptr) const {
    const char* p = static_cast<const char*>(ptr);
    const char* base = reinterpret_cast<const char*>(mgr_);
    return p >= base && p < base + mgr_->get_size();
  }
  handle_t get_handle_from_address(const void* ptr) const {
    return static_cast<const char*>(ptr) - reinterpret_cast<const char*>(mgr_);
  }
  void* get_address_from_handle(handle_t offset) const {
    return reinterpret_cast<char*>(mgr_) + offset;
  }

  void* allocate(std::size_t nbytes) { return mgr_->allocate(nbytes); }
  void* allocate(std::size_t nbytes, std::nothrow_t nt) { return mgr_->allocate(nbytes, nt); }
  void* allocate_aligned(std::size_t nbytes, std::size_t alignment) {
    return mgr_->allocate_aligned(nbytes, alignment);
  }
  void* allocate_aligned(std::size_t nbytes, std::size_t alignment, std::nothrow_t nt) {
    return mgr_->allocate_aligned(nbytes, alignment, nt);
  }
  void deallocate(void* addr) { mgr_->deallocate(addr); }
  std::size_t size(const void* ptr) const { return mgr_->size(ptr); }

  void allocate_many(size_type elem_bytes, size_type n_elements, multiallocation_chain& chain) {
    mgr_->allocate_many(elem_bytes, n_elements, chain);
  }
  void allocate_many(const size_type* elem_sizes, size_type n_elements, size_type sizeof_element,
                     multiallocation_chain& chain) {
    mgr_->allocate_many(elem_sizes, n_elements, sizeof_element, chain);
  }
  void allocate_many(std::nothrow_t nt, size_type elem_bytes, size_type n_elements,
                     multiallocation_chain& chain) {
    mgr_->allocate_many(nt, elem_bytes, n_elements, chain);
  }
  void allocate_many(std::nothrow_t nt, const size_type* elem_sizes, size_type n_elements,
                     size_type sizeof_element, multiallocation_chain& chain) {
    mgr_->allocate_many(nt, elem_sizes, n_elements, sizeof_element, chain);
  }
  void deallocate_many(multiallocation_chain& chain) { mgr_->deallocate_many(chain); }

  template <class T>
  T* allocation_command(allocation_type command, size_type limit_size,
                        size_type& prefer_in_recvd_out_size, T*& reuse) {
    return mgr_->allocation_command(command, limit_size, prefer_in_recvd_out_size, reuse);
  }
  template <class T>
  std::pair<T*, bool> allocation_command(allocation_type command, size_type limit_size,
                                         size_type preferred_size, size_type& received_size,
                                         T* reuse_ptr = nullptr) {
    return mgr_->allocation_command(command, limit_size, preferred_size, received_size, reuse_ptr);
  }

  bool all_memory_deallocated() { return mgr_->all_memory_deallocated(); }
  bool check_sanity() { return mgr_->check_sanity(); }
  void zero_free_memory() { mgr_->zero_free_memory(); }

  template <class T, class Name>
  auto construct(Name name) {
    return mgr_->template construct<T>(name);
  }
  template <class T, class Name>
  auto construct(Name name, std::nothrow_t nt) {
    return mgr_->template construct<T>(name, nt);
  }
  template <class T, class Name>
  auto find_or_construct(Name name) {
    return mgr_->template find_or_construct<T>(name);
  }
  template <class T, class Name>
  auto find_or_construct(Name name, std::nothrow_t nt) {
    return mgr_->template find_or_construct<T>(name, nt);
  }
  template <class T, class Name>
  auto construct_it(Name name) {
    return mgr_->template construct_it<T>(name);
  }
  template <class T, class Name>
  auto construct_it(Name name, std::nothrow_t nt) {
    return mgr_->template construct_it<T>(name, nt);
  }
  template <class T, class Name>
  auto find_or_construct_it(Name name) {
    return mgr_->template find_or_construct_it<T>(name);
  }
  template <class T, class Name>
  auto find_or_construct_it(Name name, std::nothrow_t nt) {
    return mgr_->template find_or_construct_it<T>(name, nt);
  }
  template <class T, class Name>
  std::pair<T*, std::size_t> find(Name name) {
    return mgr_->template find<T>(name);
  }
  template <class T, class Name>
  std::pair<T*, std::size_t> find_no_lock(Name name) {
    return mgr_->template find_no_lock<T>(name);
  }
  template <class T, class Name>
  bool destroy(Name name) {
    return mgr_->template destroy<T>(name);
  }
  template <class T>
  void destroy_ptr(const T* ptr) {
    mgr_->destroy_ptr(ptr);
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
    return mgr_->template get_allocator<T>();
  }
  template <class T>
  typename deleter<T>::type get_deleter() {
    return mgr_->template get_deleter<T>();
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
    mgr_->atomic_func(f);
  }
  template <class Func>
  bool try_atomic_func(Func& f) {
    return mgr_->try_atomic_func(f);
  }

  void reserve_named_objects(std::size_t num) { mgr_->reserve_named_objects(num); }
  void reserve_unique_objects(std::size_t num) { mgr_->reserve_unique_objects(num); }
  void shrink_to_fit_indexes() { mgr_->shrink_to_fit_indexes(); }
  std::size_t get_num_named_objects() { return mgr_->get_num_named_objects(); }
  std::size_t get_num_unique_objects() { return mgr_->get_num_unique_objects(); }
  const_named_iterator named_begin() const { return mgr_->named_begin(); }
  const_named_iterator named_end() const { return mgr_->named_end(); }
  const_unique_iterator unique_begin() const { return mgr_->unique_begin(); }
  const_unique_iterator unique_end() const { return mgr_->unique_end(); }

 protected:
  basic_managed_memory_impl() = default;

  // Builds a new segment manager over [addr, addr + size).
  void create_impl(void* addr, std::size_t size) {
    if (!addr || reinterpret_cast<std::uintptr_t>(addr) % alignof(segment_manager) != 0) {
      throw interprocess_exception(invalid_argument,
                                   "managed memory: buffer missing or misaligned");
    }
    if (size < segment_manager::get_min_size() || size < sizeof(segment_manager)) {
      throw interprocess_exception(size_error, "managed memory: buffer too small for a segment");
    }
    mgr_ = ::new (addr) segment_manager(size);
  }
  // Adopts the segment manager that [addr, addr + size) holds, after checking it.
  void open_impl(void* addr, std::size_t size) { mgr_ = segment_manager::open(addr, size); }

  void set_manager(segment_manager* mgr) noexcept { mgr_ = mgr; }
  void swap_impl(basic_managed_memory_impl& other) noexcept { std::swap(mgr_, other.mgr_); }

 private:
  segment_manager* mgr_ = nullptr;
};

}  // namespace segment_detail
}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_MANAGED_MEMORY_IMPL_HPP_
