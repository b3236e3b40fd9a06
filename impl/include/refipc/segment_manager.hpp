// segment_manager_base and segment_manager: raw, named, unique and anonymous
// allocation inside one memory segment, built on a memory algorithm placed at
// the segment's first byte and two name indexes (named and unique objects).
#ifndef REFIPC_SEGMENT_MANAGER_HPP_
#define REFIPC_SEGMENT_MANAGER_HPP_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/allocation_type.hpp"
#include "refipc/detail/segment/block_header.hpp"
#include "refipc/detail/segment/index_config.hpp"
#include "refipc/detail/segment/named_proxy.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/errors.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"
#include "refipc/mem_algo/detail/layout_id.hpp"
#include "refipc/smart_ptr/deleter.hpp"
#include "refipc/sync/detail/recovering_lock.hpp"
#include "refipc/sync/scoped_lock.hpp"

namespace refipc {
namespace segment_detail {

// The algorithm's multiallocation_chain, or an incomplete type for an
// algorithm without multiple allocation (the manual does not require it of a
// new algorithm; allocate_many is then unusable, not a compile error).
struct no_multiallocation_chain;
template <class Algorithm, class = void>
struct chain_of {
  using type = no_multiallocation_chain;
};
template <class Algorithm>
struct chain_of<Algorithm, std::void_t<typename Algorithm::multiallocation_chain>> {
  using type = typename Algorithm::multiallocation_chain;
};

// The manual's multiallocation_iterator: walks the buffers of one
// allocate_many call through the links in their first bytes. Default
// constructed it is both invalid and the end; a successful call returns a
// valid one, so it can be tested in a boolean expression. Incrementing it
// reads the link, so increment before overwriting the buffer it points to.
template <class Chain>
class multiallocation_iterator {
  using base_iterator = typename Chain::iterator;

 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = char*;
  using reference = char&;

  multiallocation_iterator() = default;
  // The buffers of `chain`, from its first one.
  explicit multiallocation_iterator(const Chain& chain) : it_(chain.begin()) {}

  explicit operator bool() const { return it_ != base_iterator(); }
  char& operator*() const { return *it_; }
  multiallocation_iterator& operator++() {
    ++it_;
    return *this;
  }
  multiallocation_iterator operator++(int) {
    multiallocation_iterator old = *this;
    ++it_;
    return old;
  }
  friend bool operator==(const multiallocation_iterator& a, const multiallocation_iterator& b) {
    return a.it_ == b.it_;
  }
  friend bool operator!=(const multiallocation_iterator& a, const multiallocation_iterator& b) {
    return a.it_ != b.it_;
  }

 private:
  base_iterator it_{};
};

// Whether the algorithm can check a header before it is used (refipc's can),
// and whether it can tell the error (check_header) and check its free lists
// (check_structure) and allocations (owns).
template <class Algorithm, class = void>
struct checks_header : std::false_type {};
template <class Algorithm>
struct checks_header<Algorithm, std::void_t<decltype(Algorithm::is_valid_header(
                                    static_cast<const void*>(nullptr), std::size_t{}))>>
    : std::true_type {};
template <class Algorithm, class = void>
struct validates_segment : std::false_type {};
template <class Algorithm>
struct validates_segment<
    Algorithm, std::void_t<decltype(Algorithm::check_header(static_cast<const void*>(nullptr),
                                                            std::size_t{}, std::size_t{})),
                           decltype(std::declval<Algorithm&>().check_structure()),
                           decltype(std::declval<const Algorithm&>().owns(
                               static_cast<const void*>(nullptr), std::size_t{}))>>
    : std::true_type {};

// Whether an index checks what it reads against the segment's bounds
// (see indexes/detail/segment_bounds.hpp); a user's index need not.
template <class Index, class = void>
struct takes_bounds : std::false_type {};
template <class Index>
struct takes_bounds<Index, std::void_t<typename Index::bounded_index_tag>> : std::true_type {};

// Whether an index can check itself when the segment is opened.
template <class Index, class Checker, class = void>
struct checks_index : std::false_type {};
template <class Index, class Checker>
struct checks_index<
    Index, Checker,
    std::void_t<decltype(std::declval<const Index&>().check(std::declval<const Checker&>()))>>
    : std::true_type {};

// The alignment the algorithm guarantees, when it says.
template <class Algorithm, class = void>
struct alignment_of_algorithm : std::integral_constant<std::size_t, 0> {};
template <class Algorithm>
struct alignment_of_algorithm<Algorithm, std::void_t<decltype(Algorithm::memory_alignment)>>
    : std::integral_constant<std::size_t, Algorithm::memory_alignment> {};

// The bytes each allocation of the algorithm spends on bookkeeping, when it
// says.
template <class Algorithm, class = void>
struct payload_of_algorithm : std::integral_constant<std::size_t, 0> {};
template <class Algorithm>
struct payload_of_algorithm<Algorithm, std::void_t<decltype(Algorithm::PayloadPerAllocation)>>
    : std::integral_constant<std::size_t, Algorithm::PayloadPerAllocation> {};

// Whether the algorithm can be marked corrupted (refipc's can).
template <class Algorithm, class = void>
struct marks_corruption : std::false_type {};
template <class Algorithm>
struct marks_corruption<Algorithm,
                        std::void_t<decltype(std::declval<Algorithm&>().mark_corrupted(),
                                             std::declval<const Algorithm&>().is_corrupted())>>
    : std::true_type {};

}  // namespace segment_detail

// The allocation services that depend only on the memory algorithm, which it
// embeds as its first (and only) base so that the algorithm sits at the
// segment's first byte.
template <class MemoryAlgorithm>
class segment_manager_base : private MemoryAlgorithm {
 public:
  using segment_manager_base_type = segment_manager_base;
  using void_pointer = typename MemoryAlgorithm::void_pointer;
  using mutex_family = typename MemoryAlgorithm::mutex_family;
  using memory_algorithm = MemoryAlgorithm;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using multiallocation_chain = typename segment_detail::chain_of<MemoryAlgorithm>::type;

  // Bookkeeping bytes per allocation, to size aligned requests (see the
  // manual's allocate_aligned example).
  static constexpr size_type PayloadPerAllocation =
      segment_detail::payload_of_algorithm<MemoryAlgorithm>::value;

  // `reserved_bytes` follow the algorithm object and are kept out of
  // dynamic allocation.
  segment_manager_base(std::size_t size, std::size_t reserved_bytes)
      : MemoryAlgorithm(size, reserved_bytes) {}

  std::size_t get_size() const { return MemoryAlgorithm::get_size(); }
  std::size_t get_free_memory() const { return MemoryAlgorithm::get_free_memory(); }

  void* allocate(std::size_t nbytes, std::nothrow_t) { return MemoryAlgorithm::allocate(nbytes); }
  void* allocate(std::size_t nbytes) {
    void* p = MemoryAlgorithm::allocate(nbytes);
    if (!p) throw bad_alloc();
    return p;
  }
  void* allocate_aligned(std::size_t nbytes, std::size_t alignment, std::nothrow_t) {
    return MemoryAlgorithm::allocate_aligned(nbytes, alignment);
  }
  void* allocate_aligned(std::size_t nbytes, std::size_t alignment) {
    void* p = MemoryAlgorithm::allocate_aligned(nbytes, alignment);
    if (!p) throw bad_alloc();
    return p;
  }
  void deallocate(void* addr) { MemoryAlgorithm::deallocate(addr); }

  // Multiple allocation: n_elements buffers appended to `chain`, which is
  // left unchanged on failure (bad_alloc, or nothing with std::nothrow).
  void allocate_many(size_type elem_bytes, size_type n_elements, multiallocation_chain& chain) {
    const size_type before = chain.size();
    MemoryAlgorithm::allocate_many(elem_bytes, n_elements, chain);
    if (n_elements != 0 && chain.size() == before) throw bad_alloc();
  }
  void allocate_many(const size_type* elem_sizes, size_type n_elements, size_type sizeof_element,
                     multiallocation_chain& chain) {
    const size_type before = chain.size();
    MemoryAlgorithm::allocate_many(elem_sizes, n_elements, sizeof_element, chain);
    if (n_elements != 0 && chain.size() == before) throw bad_alloc();
  }
  void allocate_many(std::nothrow_t, size_type elem_bytes, size_type n_elements,
                     multiallocation_chain& chain) {
    MemoryAlgorithm::allocate_many(elem_bytes, n_elements, chain);
  }
  void allocate_many(std::nothrow_t, const size_type* elem_sizes, size_type n_elements,
                     size_type sizeof_element, multiallocation_chain& chain) {
    MemoryAlgorithm::allocate_many(elem_sizes, n_elements, sizeof_element, chain);
  }
  void deallocate_many(multiallocation_chain& chain) { MemoryAlgorithm::deallocate_many(chain); }

  // The forms of the manual's example: the chain returned by value (empty
  // on failure with std::nothrow), and deallocate_many taking it moved in.
  multiallocation_chain allocate_many(size_type elem_bytes, size_type n_elements) {
    multiallocation_chain chain;
    allocate_many(elem_bytes, n_elements, chain);
    return chain;
  }
  multiallocation_chain allocate_many(size_type elem_bytes, size_type n_elements,
                                      std::nothrow_t nt) {
    multiallocation_chain chain;
    allocate_many(nt, elem_bytes, n_elements, chain);
    return chain;
  }
  multiallocation_chain allocate_many(const size_type* elem_sizes, size_type n_elements) {
    multiallocation_chain chain;
    allocate_many(elem_sizes, n_elements, 1, chain);
    return chain;
  }
  multiallocation_chain allocate_many(const size_type* elem_sizes, size_type n_elements,
                                      std::nothrow_t nt) {
    multiallocation_chain chain;
    allocate_many(nt, elem_sizes, n_elements, 1, chain);
    return chain;
  }
  void deallocate_many(multiallocation_chain&& chain) { deallocate_many(chain); }

  // The manual's iterator form: between min_elements and preferred_elements
  // buffers of elem_bytes each (received_elements says how many), walked by
  // the returned iterator; an invalid iterator (nothrow) or bad_alloc when
  // not even min_elements fit. Each buffer is freed with deallocate().
  using multiallocation_iterator = segment_detail::multiallocation_iterator<multiallocation_chain>;
  multiallocation_iterator allocate_many(size_type elem_bytes, size_type min_elements,
                                         size_type preferred_elements, size_type& received_elements,
                                         std::nothrow_t) {
    received_elements = 0;
    if (preferred_elements < min_elements) preferred_elements = min_elements;
    multiallocation_chain chain;
    // The preferred count first, then half of the surplus each time.
    for (size_type n = preferred_elements;; n = min_elements + (n - min_elements) / 2) {
      MemoryAlgorithm::allocate_many(elem_bytes, n, chain);
      if (!chain.empty()) {
        received_elements = chain.size();
        return multiallocation_iterator(chain);
      }
      if (n == min_elements) return multiallocation_iterator();
    }
  }
  multiallocation_iterator allocate_many(size_type elem_bytes, size_type min_elements,
                                         size_type preferred_elements,
                                         size_type& received_elements) {
    multiallocation_iterator it = allocate_many(elem_bytes, min_elements, preferred_elements,
                                                received_elements, std::nothrow);
    if (!it && min_elements != 0) throw bad_alloc();
    return it;
  }

  // Expansion in place (see allocation_type.hpp): today's form, with the
  // preferred size in and the received size out, and `reuse` set to null
  // unless the buffer was expanded or shrunk in place. A failure without
  // nothrow_allocation throws bad_alloc.
  template <class T>
  T* allocation_command(allocation_type command, size_type limit_size,
                        size_type& prefer_in_recvd_out_size, T*& reuse) {
    T* r =
        MemoryAlgorithm::allocation_command(command, limit_size, prefer_in_recvd_out_size, reuse);
    if (!r && !(command & nothrow_allocation)) throw bad_alloc();
    return r;
  }
  // The manual's form: the buffer and whether it was expanded or shrunk in place.
  template <class T>
  std::pair<T*, bool> allocation_command(allocation_type command, size_type limit_size,
                                         size_type preferred_size, size_type& received_size,
                                         T* reuse_ptr = nullptr) {
    return allocation_detail::manual_form(
        [&](size_type& size, T*& reuse) {
          return allocation_command(command, limit_size, size, reuse);
        },
        preferred_size, received_size, reuse_ptr);
  }
  // As allocation_command, in objects of sizeof_object bytes.
  void* raw_allocation_command(allocation_type command, size_type limit_objects,
                               size_type& prefer_in_recvd_out_objects, void*& reuse,
                               size_type sizeof_object = 1) {
    void* r = MemoryAlgorithm::raw_allocation_command(
        command, limit_objects, prefer_in_recvd_out_objects, reuse, sizeof_object);
    if (!r && !(command & nothrow_allocation)) throw bad_alloc();
    return r;
  }

  void grow(std::size_t extra_size) { MemoryAlgorithm::grow(extra_size); }
  void shrink_to_fit() { MemoryAlgorithm::shrink_to_fit(); }
  bool all_memory_deallocated() { return MemoryAlgorithm::all_memory_deallocated(); }
  bool check_sanity() { return MemoryAlgorithm::check_sanity(); }
  void zero_free_memory() { MemoryAlgorithm::zero_free_memory(); }
  std::size_t size(const void* ptr) const { return MemoryAlgorithm::size(ptr); }

  // The memory algorithm itself, at the segment's first byte.
  MemoryAlgorithm& get_memory_algorithm() noexcept { return *this; }
  const MemoryAlgorithm& get_memory_algorithm() const noexcept { return *this; }

  static std::size_t get_min_size(std::size_t reserved_bytes) {
    return MemoryAlgorithm::get_min_size(reserved_bytes);
  }

 protected:
  MemoryAlgorithm& algorithm() noexcept { return *this; }
  const MemoryAlgorithm& algorithm() const noexcept { return *this; }
};

namespace segment_detail {

// What named_begin()/unique_begin() iterate over: name, name length and
// address of each object.
template <class CharT>
class instance_info {
 public:
  const CharT* name() const noexcept { return name_; }
  std::size_t name_length() const noexcept { return length_; }
  const void* value() const noexcept { return value_; }

 private:
  template <class, class>
  friend class instance_iterator;
  const CharT* name_ = nullptr;
  std::size_t length_ = 0;
  const void* value_ = nullptr;
};

template <class IndexIterator, class CharT>
class instance_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = instance_info<CharT>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  instance_iterator() = default;
  // `bounds`: what a map index's pointer to an object's block is checked
  // against.
  instance_iterator(IndexIterator it, const index_detail::segment_bounds& bounds)
      : it_(it), bounds_(bounds) {}

  reference operator*() const { return load(); }
  pointer operator->() const { return &load(); }
  instance_iterator& operator++() {
    ++it_;
    return *this;
  }
  instance_iterator operator++(int) {
    instance_iterator old = *this;
    ++it_;
    return old;
  }
  friend bool operator==(const instance_iterator& a, const instance_iterator& b) {
    return a.it_ == b.it_;
  }
  friend bool operator!=(const instance_iterator& a, const instance_iterator& b) {
    return !(a == b);
  }

 private:
  const value_type& load() const {
    if constexpr (std::is_same_v<std::decay_t<decltype(*it_)>, block_header>) {
      const block_header& h = *it_;
      info_.name_ = h.template name<CharT>();
      info_.length_ = h.name_length;
      info_.value_ = h.value();
    } else {
      info_.name_ = it_->first.name();
      info_.length_ = it_->first.name_length();
      const block_header* h = static_cast<block_header*>(raw(it_->second.m_ptr));
      if (!h) index_detail::segment_bounds::corrupted();
      info_.value_ = bounds_.block<CharT>(h)->value();
    }
    return info_;
  }

  IndexIterator it_{};
  index_detail::segment_bounds bounds_;
  mutable value_type info_;
};

// Written after the indexes' owner is built; open() checks it before trusting
// a buffer. Every field that decides the layout of the segment manager and
// of the objects' blocks, each by a stable value (see layout_id.hpp); the
// magic also tells a segment of the other byte order. See docs/layout.md.
struct segment_signature {
  static constexpr std::uint64_t kMagic = 0x7265666970635347ull;  // "refipcSG"
  // 4: iset_index blocks carry their name's order key (3: this signature; 2:
  // 12-byte block header, block indexes).
  static constexpr std::uint32_t kVersion = 4;

  alignas(8) std::uint64_t magic;  // 8-aligned on 32-bit x86 too
  std::uint32_t version;
  std::uint32_t manager_bytes;  // sizeof(segment_manager)
  std::uint8_t pointer_bytes;   // sizeof(void*)
  std::uint8_t size_bytes;      // sizeof(std::size_t)
  std::uint8_t char_bytes;      // sizeof(CharType)
  std::uint8_t char_kind;       // mem_algo_detail::char_kind<CharType>()
  std::uint8_t raw_pointers;    // 1 when void_pointer is a raw pointer
  std::uint8_t reserved[3];     // 0
  std::uint32_t alignment;      // the algorithm's memory_alignment (0: unknown)
  std::uint32_t algorithm;      // layout ids (0: the type declares none)
  std::uint32_t algorithm_bytes;
  std::uint32_t index;
  std::uint32_t mutex_family;
  std::uint32_t index_bytes;  // sizeof of the named index
};
static_assert(sizeof(segment_signature) == 48 && alignof(segment_signature) == 8);
static_assert(offsetof(segment_signature, version) == 8 &&
              offsetof(segment_signature, manager_bytes) == 12 &&
              offsetof(segment_signature, pointer_bytes) == 16 &&
              offsetof(segment_signature, raw_pointers) == 20 &&
              offsetof(segment_signature, alignment) == 24 &&
              offsetof(segment_signature, algorithm) == 28 &&
              offsetof(segment_signature, algorithm_bytes) == 32 &&
              offsetof(segment_signature, index) == 36 &&
              offsetof(segment_signature, mutex_family) == 40 &&
              offsetof(segment_signature, index_bytes) == 44);

// What an index notes between finding a name absent and inserting it.
struct no_commit_data {};
template <class Index, bool = is_block_index<Index>::value>
struct commit_data {
  using type = no_commit_data;
};
template <class Index>
struct commit_data<Index, true> {
  using type = typename Index::insert_commit_data;
};

}  // namespace segment_detail

template <class CharType, class MemoryAlgorithm, template <class IndexConfig> class IndexType>
class segment_manager : public segment_manager_base<MemoryAlgorithm> {
  using Base = segment_manager_base<MemoryAlgorithm>;
  using header = segment_detail::block_header;
  using mutex_type = typename MemoryAlgorithm::mutex_family::recursive_mutex_type;

 public:
  using memory_algorithm = MemoryAlgorithm;
  using void_pointer = typename Base::void_pointer;
  using char_type = CharType;
  using segment_manager_base_type = Base;
  using mutex_family = typename Base::mutex_family;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using char_ptr_holder_t = const CharType*;

  using named_index_t = IndexType<index_config<CharType, MemoryAlgorithm>>;
  using unique_index_t = IndexType<index_config<char, MemoryAlgorithm>>;
  using const_named_iterator =
      segment_detail::instance_iterator<typename named_index_t::const_iterator, CharType>;
  using const_unique_iterator =
      segment_detail::instance_iterator<typename unique_index_t::const_iterator, char>;

  template <class T, class Name>
  using construct_proxy_t = segment_detail::named_proxy<segment_manager, T, Name, false>;
  template <class T, class Name>
  using construct_iter_proxy_t = segment_detail::named_proxy<segment_manager, T, Name, true>;

  // Builds the segment manager at the first byte of a segment of `size`
  // bytes (`this` must be that byte).
  explicit segment_manager(std::size_t size)
      : Base(size, sizeof(segment_manager) - sizeof(Base)), named_(this), unique_(this) {
    signature_ = expected_signature();
  }

  segment_manager(const segment_manager&) = delete;
  segment_manager& operator=(const segment_manager&) = delete;

  // Beyond Boost: the segment manager that `addr` holds, after checking that
  // the `size` bytes there hold one of exactly this type, whole and
  // consistent (see "Failure model: hostile segment bytes" in
  // docs/using-refipc.md for what is checked here and what on use). Throws
  // interprocess_exception: invalid_argument for a missing or misaligned
  // buffer; size_error when the buffer is too small for a segment manager or
  // smaller than the segment recorded in it; corrupted_error, naming the
  // problem, when it holds no segment manager, one of another layout version,
  // byte order, pointer width, character, algorithm, index or mutex family,
  // or a damaged one. With read_only (the caller mapped the segment
  // read-only) no lock is taken, as locking writes; a concurrent writer may
  // then make open report damage that is not there.
  static segment_manager* open(void* addr, std::size_t size, bool read_only = false) {
    if (!addr || reinterpret_cast<std::uintptr_t>(addr) % alignof(segment_manager) != 0) {
      throw interprocess_exception(invalid_argument,
                                   "segment_manager: buffer missing or misaligned");
    }
    if (size < sizeof(segment_manager)) {
      throw interprocess_exception(size_error,
                                   "segment_manager: buffer too small to hold a segment manager");
    }
    // The algorithm's header comes first: its magic and configuration sit at
    // the segment's first bytes whatever the pointer width.
    if constexpr (segment_detail::validates_segment<MemoryAlgorithm>::value) {
      MemoryAlgorithm::check_header(addr, size);
    } else if constexpr (segment_detail::checks_header<MemoryAlgorithm>::value) {
      if (!MemoryAlgorithm::is_valid_header(addr, size)) {
        throw interprocess_exception(corrupted_error,
                                     "segment_manager: the memory algorithm's header is damaged");
      }
    }
    auto* mgr = static_cast<segment_manager*>(addr);
    if (const char* what = signature_fault(mgr->signature_)) {
      throw interprocess_exception(corrupted_error, what);
    }
    if (mgr->get_size() > size) {
      throw interprocess_exception(size_error,
                                   "segment_manager: buffer shorter than the segment it holds");
    }
    if constexpr (segment_detail::validates_segment<MemoryAlgorithm>::value) {
      MemoryAlgorithm::check_header(addr, size, sizeof(segment_manager) - sizeof(Base));
    }
    mgr->check_structure(read_only);
    return mgr;
  }

  static std::size_t get_min_size() {
    return Base::get_min_size(sizeof(segment_manager) - sizeof(Base));
  }

  // --- construction proxies -------------------------------------------

  template <class T>
  construct_proxy_t<T, const CharType*> construct(const CharType* name) {
    return {this, name, false, true};
  }
  template <class T>
  construct_proxy_t<T, const CharType*> construct(const CharType* name, std::nothrow_t) {
    return {this, name, false, false};
  }
  template <class T>
  construct_proxy_t<T, const CharType*> find_or_construct(const CharType* name) {
    return {this, name, true, true};
  }
  template <class T>
  construct_proxy_t<T, const CharType*> find_or_construct(const CharType* name, std::nothrow_t) {
    return {this, name, true, false};
  }
  template <class T>
  construct_iter_proxy_t<T, const CharType*> construct_it(const CharType* name) {
    return {this, name, false, true};
  }
  template <class T>
  construct_iter_proxy_t<T, const CharType*> construct_it(const CharType* name, std::nothrow_t) {
    return {this, name, false, false};
  }
  template <class T>
  construct_iter_proxy_t<T, const CharType*> find_or_construct_it(const CharType* name) {
    return {this, name, true, true};
  }
  template <class T>
  construct_iter_proxy_t<T, const CharType*> find_or_construct_it(const CharType* name,
                                                                  std::nothrow_t) {
    return {this, name, true, false};
  }

#define REFIPC_SEGMENT_PROXIES(Tag)                                               \
  template <class T>                                                              \
  construct_proxy_t<T, Tag> construct(Tag name) {                                 \
    return {this, name, false, true};                                             \
  }                                                                               \
  template <class T>                                                              \
  construct_proxy_t<T, Tag> construct(Tag name, std::nothrow_t) {                 \
    return {this, name, false, false};                                            \
  }                                                                               \
  template <class T>                                                              \
  construct_proxy_t<T, Tag> find_or_construct(Tag name) {                         \
    return {this, name, true, true};                                              \
  }                                                                               \
  template <class T>                                                              \
  construct_proxy_t<T, Tag> find_or_construct(Tag name, std::nothrow_t) {         \
    return {this, name, true, false};                                             \
  }                                                                               \
  template <class T>                                                              \
  construct_iter_proxy_t<T, Tag> construct_it(Tag name) {                         \
    return {this, name, false, true};                                             \
  }                                                                               \
  template <class T>                                                              \
  construct_iter_proxy_t<T, Tag> construct_it(Tag name, std::nothrow_t) {         \
    return {this, name, false, false};                                            \
  }                                                                               \
  template <class T>                                                              \
  construct_iter_proxy_t<T, Tag> find_or_construct_it(Tag name) {                 \
    return {this, name, true, true};                                              \
  }                                                                               \
  template <class T>                                                              \
  construct_iter_proxy_t<T, Tag> find_or_construct_it(Tag name, std::nothrow_t) { \
    return {this, name, true, false};                                             \
  }
  REFIPC_SEGMENT_PROXIES(const segment_detail::unique_instance_t*)
  REFIPC_SEGMENT_PROXIES(const segment_detail::anonymous_instance_t*)
#undef REFIPC_SEGMENT_PROXIES

  // --- search and destruction -----------------------------------------

  template <class T>
  std::pair<T*, std::size_t> find(const CharType* name) {
    const auto lock = lock_segment();
    return find_no_lock<T>(name);
  }
  template <class T>
  std::pair<T*, std::size_t> find(const segment_detail::unique_instance_t* tag) {
    const auto lock = lock_segment();
    return find_no_lock<T>(tag);
  }
  template <class T>
  std::pair<T*, std::size_t> find_no_lock(const CharType* name) {
    return priv_find<T>(named_, name, std::char_traits<CharType>::length(name));
  }
  template <class T>
  std::pair<T*, std::size_t> find_no_lock(const segment_detail::unique_instance_t*) {
    const char* name = typeid(T).name();
    return priv_find<T>(unique_, name, std::strlen(name));
  }

  template <class T>
  bool destroy(const CharType* name) {
    const auto lock = lock_segment();
    return priv_destroy<T>(named_, name, std::char_traits<CharType>::length(name));
  }
  template <class T>
  bool destroy(const segment_detail::unique_instance_t*) {
    const auto lock = lock_segment();
    const char* name = typeid(T).name();
    return priv_destroy<T>(unique_, name, std::strlen(name));
  }

  // Destroys a named, unique or anonymous object by address. Beyond Boost: a
  // named or unique address whose index entry is missing throws
  // interprocess_exception (invalid_argument).
  template <class T>
  void destroy_ptr(const T* ptr) {
    header* h = header::from_value(ptr);
    switch (h->type()) {
      case anonymous_type:
        priv_destroy_objects(const_cast<T*>(ptr), h->value_bytes() / sizeof(T));
        Base::deallocate(h->block());
        return;
      case named_type: {
        const auto lock = lock_segment();
        bounds().template block<CharType>(h);
        priv_destroy_entry<T>(named_, h->template name<CharType>(), h->name_length, h);
        return;
      }
      case unique_type: {
        const auto lock = lock_segment();
        bounds().template block<char>(h);
        priv_destroy_entry<T>(unique_, h->template name<char>(), h->name_length, h);
        return;
      }
      default:
        throw interprocess_exception(invalid_argument,
                                     "destroy_ptr: address is not an object of the segment");
    }
  }

  // --- allocators and deleters ----------------------------------------

  // The allocator and deleter types over this segment manager, and
  // instances of them.
  template <class T>
  struct allocator {
    using type = refipc::allocator<T, segment_manager>;
  };
  template <class T>
  struct deleter {
    using type = refipc::deleter<T, segment_manager>;
  };
  template <class T>
  typename allocator<T>::type get_allocator() {
    return typename allocator<T>::type(this);
  }
  template <class T>
  typename deleter<T>::type get_deleter() {
    return typename deleter<T>::type(this);
  }

  // --- instance information -------------------------------------------

  // The name of a named object; null for unique and anonymous ones.
  template <class T>
  static const CharType* get_instance_name(const T* ptr) noexcept {
    header* h = header::from_value(ptr);
    return h->type() == named_type ? h->template name<CharType>() : nullptr;
  }
  template <class T>
  static std::size_t get_instance_length(const T* ptr) noexcept {
    return header::from_value(ptr)->value_bytes() / sizeof(T);
  }
  template <class T>
  static instance_type get_instance_type(const T* ptr) noexcept {
    return header::from_value(ptr)->type();
  }

  // --- atomicity, indexes, iteration ----------------------------------

  template <class Func>
  void atomic_func(Func& f) {
    const auto lock = lock_segment();
    f();
  }
  template <class Func>
  bool try_atomic_func(Func& f) {
    if (!sync_detail::try_lock_recovering(
            mutex_, [this] { return mark_segment_corrupted(); }, kCorruptedText)) {
      return false;
    }
    const scoped_lock<mutex_type> lock(mutex_, accept_ownership);
    throw_if_corrupted();
    f();
    return true;
  }

  void reserve_named_objects(std::size_t num) {
    const auto lock = lock_segment();
    bounded(named_, [&](const auto&... b) { named_.reserve(num, b...); });
  }
  void reserve_unique_objects(std::size_t num) {
    const auto lock = lock_segment();
    bounded(unique_, [&](const auto&... b) { unique_.reserve(num, b...); });
  }
  void shrink_to_fit_indexes() {
    const auto lock = lock_segment();
    bounded(named_, [&](const auto&... b) { named_.shrink_to_fit(b...); });
    bounded(unique_, [&](const auto&... b) { unique_.shrink_to_fit(b...); });
  }
  std::size_t get_num_named_objects() {
    const auto lock = lock_segment();
    return named_.size();
  }
  std::size_t get_num_unique_objects() {
    const auto lock = lock_segment();
    return unique_.size();
  }

  // Beyond Boost: iteration checks every entry it reaches, and a damaged
  // index throws interprocess_exception(corrupted_error).
  const_named_iterator named_begin() const {
    return const_named_iterator(
        bounded(named_, [&](const auto&... b) { return cnamed().begin(b...); }), bounds());
  }
  const_named_iterator named_end() const { return const_named_iterator(cnamed().end(), bounds()); }
  const_unique_iterator unique_begin() const {
    return const_unique_iterator(
        bounded(unique_, [&](const auto&... b) { return cunique().begin(b...); }), bounds());
  }
  const_unique_iterator unique_end() const {
    return const_unique_iterator(cunique().end(), bounds());
  }

  // Called by the proxies. Name is const CharType*, unique_instance or
  // anonymous_instance; Build constructs the objects with the strong
  // guarantee.
  template <class T, class Build>
  T* generic_construct(const CharType* name, std::size_t num, bool try_find, bool dothrow,
                       Build& build) {
    return priv_indexed_construct<T>(named_, name, std::char_traits<CharType>::length(name),
                                     named_type, num, try_find, dothrow, build);
  }
  template <class T, class Build>
  T* generic_construct(const segment_detail::unique_instance_t*, std::size_t num, bool try_find,
                       bool dothrow, Build& build) {
    const char* name = typeid(T).name();
    return priv_indexed_construct<T>(unique_, name, std::strlen(name), unique_type, num, try_find,
                                     dothrow, build);
  }
  template <class T, class Build>
  T* generic_construct(const segment_detail::anonymous_instance_t*, std::size_t num, bool,
                       bool dothrow, Build& build) {
    header* h = priv_allocate_block<T, char>(num, 0, anonymous_type, dothrow);
    if (!h) return nullptr;
    h->template name<char>()[0] = '\0';
    T* objects = static_cast<T*>(h->value());
    try {
      build(objects, num);
    } catch (...) {
      Base::deallocate(h->block());
      throw;
    }
    return objects;
  }

 private:
  static constexpr const char* kCorruptedText =
      "segment_manager: the segment is corrupted (a process died while changing it)";

  // The lock of the indexes, held until the returned guard ends (see
  // sync/detail/recovering_lock.hpp). A process that died holding it may
  // have left an index entry or an object half made, which nothing can
  // check: the whole segment is then marked corrupted.
  scoped_lock<mutex_type> lock_segment() {
    sync_detail::lock_recovering(
        mutex_, [this] { return mark_segment_corrupted(); }, kCorruptedText);
    scoped_lock<mutex_type> lock(mutex_, accept_ownership);
    throw_if_corrupted();
    return lock;
  }

  // What the indexes check each pointer they read against: this segment as
  // this process maps it (see indexes/detail/segment_bounds.hpp).
  index_detail::segment_bounds bounds() const noexcept {
    return index_detail::segment_bounds(this, this->get_size(), static_cast<const Base*>(this));
  }

  // Runs op with the bounds when the index checks its reads against them
  // (refipc's indexes), without them for an index of the manual's interface
  // alone (a user's own index).
  template <class Index, class Op>
  decltype(auto) bounded(const Index&, Op op) const {
    if constexpr (segment_detail::takes_bounds<Index>::value) {
      return op(bounds());
    } else {
      return op();
    }
  }

  // The mark is the algorithm's (any process sees it); the lock itself keeps
  // reporting the death to every later locker as well.
  bool mark_segment_corrupted() {
    if constexpr (segment_detail::marks_corruption<MemoryAlgorithm>::value) {
      this->algorithm().mark_corrupted();
    }
    return false;
  }

  void throw_if_corrupted() {
    if constexpr (segment_detail::marks_corruption<MemoryAlgorithm>::value) {
      if (this->algorithm().is_corrupted()) {
        throw interprocess_exception(corrupted_error, kCorruptedText);
      }
    }
  }

  static segment_detail::segment_signature expected_signature() noexcept {
    using namespace mem_algo_detail;
    segment_detail::segment_signature sig{};
    sig.magic = segment_detail::segment_signature::kMagic;
    sig.version = segment_detail::segment_signature::kVersion;
    sig.manager_bytes = static_cast<std::uint32_t>(sizeof(segment_manager));
    sig.pointer_bytes = sizeof(void*);
    sig.size_bytes = sizeof(std::size_t);
    sig.char_bytes = sizeof(CharType);
    sig.char_kind = static_cast<std::uint8_t>(char_kind<CharType>());
    sig.raw_pointers = std::is_pointer<void_pointer>::value;
    sig.alignment =
        static_cast<std::uint32_t>(segment_detail::alignment_of_algorithm<MemoryAlgorithm>::value);
    sig.algorithm = layout_id_v<MemoryAlgorithm>;
    sig.algorithm_bytes = static_cast<std::uint32_t>(sizeof(MemoryAlgorithm));
    sig.index = layout_id_v<named_index_t>;
    sig.mutex_family = layout_id_v<mutex_family>;
    sig.index_bytes = static_cast<std::uint32_t>(sizeof(named_index_t));
    return sig;
  }

  // What differs between `found` and this type's signature, or null.
  static const char* signature_fault(const segment_detail::segment_signature& found) noexcept {
    const segment_detail::segment_signature want = expected_signature();
    if (found.magic == __builtin_bswap64(want.magic)) {
      return "segment_manager: segment written by a machine of the other byte order";
    }
    if (found.magic != want.magic) return "segment_manager: buffer does not hold a segment manager";
    if (found.version != want.version) {
      return "segment_manager: segment manager of an unsupported layout version";
    }
    if (found.pointer_bytes != want.pointer_bytes || found.size_bytes != want.size_bytes) {
      return "segment_manager: segment built by a process of another pointer width";
    }
    if (found.char_bytes != want.char_bytes || found.char_kind != want.char_kind) {
      return "segment_manager: segment built with another character type";
    }
    if (found.algorithm != want.algorithm || found.algorithm_bytes != want.algorithm_bytes ||
        found.alignment != want.alignment || found.raw_pointers != want.raw_pointers) {
      return "segment_manager: segment built with another memory algorithm or pointer type";
    }
    if (found.mutex_family != want.mutex_family) {
      return "segment_manager: segment built with another mutex family";
    }
    if (found.index != want.index || found.index_bytes != want.index_bytes) {
      return "segment_manager: segment built with another index type";
    }
    if (found.manager_bytes != want.manager_bytes ||
        std::memcmp(found.reserved, want.reserved, sizeof want.reserved) != 0) {
      return "segment_manager: segment manager of another layout";
    }
    return nullptr;
  }

  // What an index's check() asks of the segment, for names of CharT in
  // objects of `type`: whether storage read from shared memory is a live
  // allocation, and whether a block header is that of a live object whose
  // links, header, objects and name lie within its allocation.
  template <class CharT>
  struct object_checker {
    const segment_manager* mgr;
    instance_type type;

    bool allocation(const void* p, std::size_t bytes) const noexcept {
      if constexpr (segment_detail::validates_segment<MemoryAlgorithm>::value) {
        return mgr->algorithm().owns(p, bytes);
      } else {
        const auto lo = reinterpret_cast<std::uintptr_t>(mgr) + sizeof(segment_manager);
        const auto hi = reinterpret_cast<std::uintptr_t>(mgr) + mgr->get_size();
        const auto at = reinterpret_cast<std::uintptr_t>(p);
        return at >= lo && at <= hi && bytes <= hi - at;
      }
    }
    // Whether an index's pointer to its segment manager points to this one.
    bool manager(const void* p) const noexcept {
      return p == static_cast<const void*>(static_cast<const Base*>(mgr));
    }
    // Bounds every walk of an index: no more objects fit the segment.
    std::size_t max_objects() const noexcept { return mgr->get_size() / sizeof(header); }
    bool block(const header* h, std::size_t link_bytes, std::size_t link_alignment) const noexcept {
      const auto at = reinterpret_cast<std::uintptr_t>(h);
      const auto lo = reinterpret_cast<std::uintptr_t>(mgr);
      if (at % alignof(header) != 0 || at < lo || at - lo > mgr->get_size()) return false;
      if (h->type() != type || h->value_offset() < sizeof(header)) return false;
      const auto start = at + sizeof(header) - h->value_offset();
      const auto links_end = reinterpret_cast<std::uintptr_t>(h->links_end(link_alignment));
      if (start < lo || links_end < start || links_end - start < link_bytes) return false;
      // The name follows the objects, aligned for CharT.
      const std::size_t name_at =
          segment_detail::round_up(at + sizeof(header) + h->value_bytes(), alignof(CharT)) - start;
      const std::size_t bytes = name_at + (std::size_t(h->name_length) + 1) * sizeof(CharT);
      if (!allocation(reinterpret_cast<const void*>(start), bytes)) return false;
      return h->template name<CharT>()[h->name_length] == CharT();
    }
    // An entry of a map index: the key names the block the data points to.
    template <class Key, class Data>
    bool entry(const Key& key, const Data& data) const noexcept {
      const header* h = static_cast<const header*>(segment_detail::raw(data.m_ptr));
      return block(h, 0, 1) && key.name() == h->template name<CharT>() &&
             key.name_length() == h->name_length;
    }
  };

  // The checks of open() past the headers: the algorithm's free lists and
  // both indexes in full.
  void check_structure(bool read_only) {
    static_assert(sizeof(segment_manager) == layout_size(), "segment_manager: unexpected padding");
    if constexpr (segment_detail::validates_segment<MemoryAlgorithm>::value) {
      Base::algorithm().check_structure(!read_only);
    }
    if (read_only) return check_indexes();
    const auto lock = lock_segment();
    check_indexes();
  }
  void check_indexes() const {
    check_index(named_, object_checker<CharType>{this, named_type});
    check_index(unique_, object_checker<char>{this, unique_type});
  }
  template <class Index, class Checker>
  static void check_index(const Index& index, const Checker& checker) {
    if constexpr (segment_detail::checks_index<Index, Checker>::value) {
      if (!index.check(checker)) {
        throw interprocess_exception(corrupted_error, "segment_manager: a name index is damaged");
      }
    }
  }
  // sizeof(segment_manager) from its members laid out in order (the
  // algorithm, the signature, the mutex, the named and the unique index)
  // with no other padding: the layout docs/layout.md describes.
  static constexpr std::size_t layout_size() {
    using segment_detail::round_up;
    std::size_t at = round_up(sizeof(Base), alignof(segment_detail::segment_signature));
    at = round_up(at + sizeof(segment_detail::segment_signature), alignof(mutex_type));
    at = round_up(at + sizeof(mutex_type), alignof(named_index_t));
    at = round_up(at + sizeof(named_index_t), alignof(unique_index_t));
    return round_up(at + sizeof(unique_index_t), alignof(segment_manager));
  }

  const named_index_t& cnamed() const noexcept { return named_; }
  const unique_index_t& cunique() const noexcept { return unique_; }

  // The block of an index entry; a map index's pointer to it is checked.
  template <class CharT, class It>
  header* header_of(It it) const {
    if constexpr (std::is_same_v<std::decay_t<decltype(*it)>, header>) {
      return &*it;
    } else {
      header* h = static_cast<header*>(segment_detail::raw(it->second.m_ptr));
      if (!h) index_detail::segment_bounds::corrupted();
      return bounds().template block<CharT>(h);
    }
  }

  // The links an index needs in the block of its next entry.
  template <class Index>
  static std::size_t link_bytes(Index& index) noexcept {
    if constexpr (is_block_index<Index>::value) {
      return index.link_bytes();
    } else {
      return 0;
    }
  }

  template <class Index>
  using commit_data_t = typename segment_detail::commit_data<Index>::type;

  // The block of the name `key`, or null (noting in `data` where it goes).
  template <class Index>
  header* index_lookup(Index& index, const typename Index::key_type& key,
                       commit_data_t<Index>& data) const {
    using char_t = typename Index::key_type::char_type;
    if constexpr (is_block_index<Index>::value) {
      return index.insert_check(key, data, bounds());
    } else {
      auto it = bounded(index, [&](const auto&... b) { return index.find(key, b...); });
      return it == index.end() ? nullptr : header_of<char_t>(it);
    }
  }

  template <class Index, class CharT>
  void index_insert(Index& index, header* h, const CharT* stored, std::size_t length,
                    const commit_data_t<Index>& data) const {
    if constexpr (is_block_index<Index>::value) {
      index.insert_commit(*h, data, bounds());
    } else {
      const typename Index::value_type entry(typename Index::key_type(stored, length),
                                             typename Index::mapped_type(h));
      bounded(index, [&](const auto&... b) { index.insert(entry, b...); });
    }
  }

  // Takes the block of the name `key` out of the index; null when absent.
  template <class Index>
  header* index_remove(Index& index, const typename Index::key_type& key) const {
    using char_t = typename Index::key_type::char_type;
    if constexpr (is_block_index<Index>::value) {
      return index.unlink(key, bounds());
    } else {
      auto it = bounded(index, [&](const auto&... b) { return index.find(key, b...); });
      if (it == index.end()) return nullptr;
      header* h = header_of<char_t>(it);
      bounded(index, [&](const auto&... b) { index.erase(it, b...); });
      return h;
    }
  }

  template <class T, class CharT>
  header* priv_allocate_block(std::size_t num, std::size_t name_length, instance_type type,
                              bool dothrow, std::size_t link_bytes = 0) {
    static_assert(alignof(T) <= header::kMaxAlignment, "alignment too large for a segment");
    const std::size_t max = std::numeric_limits<std::uint32_t>::max();
    void* block = nullptr;
    if (num <= header::kMaxValueBytes / sizeof(T) && name_length < max) {
      block =
          Base::allocate(header::block_size(link_bytes, num * sizeof(T), alignof(T), name_length,
                                            sizeof(CharT), alignof(std::max_align_t)),
                         std::nothrow);
    }
    if (!block) {
      if (dothrow) throw bad_alloc();
      return nullptr;
    }
    return header::place(block, link_bytes, num * sizeof(T), alignof(T), name_length, type);
  }

  template <class T, class Index, class CharT, class Build>
  T* priv_indexed_construct(Index& index, const CharT* name, std::size_t length, instance_type type,
                            std::size_t num, bool try_find, bool dothrow, Build& build) {
    using key_type = typename Index::key_type;
    const auto lock = lock_segment();
    commit_data_t<Index> slot;
    if (header* existing = index_lookup(index, key_type(name, length), slot)) {
      if (try_find) return static_cast<T*>(existing->value());
      if (dothrow) {
        throw interprocess_exception(already_exists_error,
                                     "segment_manager: an object with this name already exists");
      }
      return nullptr;
    }
    header* h = priv_allocate_block<T, CharT>(num, length, type, dothrow, link_bytes(index));
    if (!h) return nullptr;
    CharT* stored = h->template name<CharT>();
    std::char_traits<CharT>::copy(stored, name, length);
    stored[length] = CharT();
    try {
      index_insert(index, h, stored, length, slot);
    } catch (const bad_alloc&) {
      Base::deallocate(h->block());
      if (dothrow) throw;
      return nullptr;
    } catch (...) {
      Base::deallocate(h->block());
      throw;
    }
    T* objects = static_cast<T*>(h->value());
    try {
      build(objects, num);
    } catch (...) {
      // The constructor may have touched the index (nested construction):
      // look the entry up again rather than keeping an iterator.
      index_remove(index, key_type(stored, length));
      Base::deallocate(h->block());
      throw;
    }
    return objects;
  }

  template <class T, class Index, class CharT>
  std::pair<T*, std::size_t> priv_find(Index& index, const CharT* name, std::size_t length) {
    const typename Index::key_type key(name, length);
    auto it = bounded(index, [&](const auto&... b) { return index.find(key, b...); });
    if (it == index.end()) return {nullptr, 0};
    header* h = header_of<CharT>(it);
    return {static_cast<T*>(h->value()), h->value_bytes() / sizeof(T)};
  }

  template <class T, class Index, class CharT>
  bool priv_destroy(Index& index, const CharT* name, std::size_t length) {
    header* h = index_remove(index, typename Index::key_type(name, length));
    if (!h) return false;
    check_indexed_block(h);
    priv_destroy_objects(static_cast<T*>(h->value()), h->value_bytes() / sizeof(T));
    Base::deallocate(h->block());
    return true;
  }

  template <class T, class Index, class CharT>
  void priv_destroy_entry(Index& index, const CharT* name, std::size_t length, header* h) {
    const typename Index::key_type key(name, length);
    auto it = bounded(index, [&](const auto&... b) { return index.find(key, b...); });
    if (it == index.end() || header_of<CharT>(it) != h) {
      throw interprocess_exception(invalid_argument,
                                   "destroy_ptr: address is not an object of the segment");
    }
    check_indexed_block(h);
    bounded(index, [&](const auto&... b) { index.erase(it, b...); });
    priv_destroy_objects(static_cast<T*>(h->value()), h->value_bytes() / sizeof(T));
    Base::deallocate(h->block());
  }

  // The block of an object an index held must still be a live allocation:
  // if not, its tags are damaged (not the caller's mistake).
  void check_indexed_block(header* h) const {
    if constexpr (segment_detail::validates_segment<MemoryAlgorithm>::value) {
      if (!Base::algorithm().owns(h->block(), 0)) {
        throw interprocess_exception(corrupted_error,
                                     "segment_manager: an object's block is damaged");
      }
    }
  }

  template <class T>
  static void priv_destroy_objects(T* p, std::size_t n) noexcept {
    while (n > 0) p[--n].~T();
  }

  segment_detail::segment_signature signature_;
  mutex_type mutex_;
  named_index_t named_;
  unique_index_t unique_;
};

}  // namespace refipc

#endif  // REFIPC_SEGMENT_MANAGER_HPP_
