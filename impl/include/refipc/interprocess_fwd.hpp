// Basic vocabulary types of refipc and forward declarations of its classes.
#ifndef REFIPC_INTERPROCESS_FWD_HPP_
#define REFIPC_INTERPROCESS_FWD_HPP_

#include <cstddef>
#include <cstdint>

namespace refipc {

// Access mode of a mappable object or of a mapped region. The fixed underlying
// type keeps any int a valid (if rejected) value.
enum mode_t : int { read_only, read_write, copy_on_write, read_private, invalid_mode };

// Offsets and sizes within mappable objects; matches a 64-bit off_t.
using offset_t = std::int64_t;

#ifdef _WIN32
// What a mappable object hands to mapped_region: on Windows, a file mapping
// HANDLE (windows_shared_memory) to map with MapViewOfFileEx, or with is_file
// a file HANDLE (file_mapping, shared_memory_object) that mapped_region makes
// a file mapping of first.
struct mapping_handle_t {
  void* handle = nullptr;
  bool is_shm = false;
  bool is_file = false;
};
#else
// What a mappable object hands to mapped_region: a descriptor to mmap, or
// with is_xsi an XSI shared memory identifier to attach with shmat.
struct mapping_handle_t {
  int handle = -1;
  bool is_shm = false;
  bool is_xsi = false;
};
#endif

struct create_only_t;
struct open_only_t;
struct open_read_only_t;
struct open_read_private_t;
struct open_copy_on_write_t;
struct open_or_create_t;

class error_info;
class interprocess_exception;
class lock_exception;
class bad_alloc;

class permissions;
class shared_memory_object;
class remove_shared_memory_on_destroy;
class mapped_region;
class file_mapping;
class remove_file_on_destroy;
class xsi_key;
class xsi_shared_memory;
class windows_shared_memory;

class named_mutex;
class named_recursive_mutex;
class named_condition;
class named_condition_any;
class named_semaphore;
class named_sharable_mutex;
class named_upgradable_mutex;
class file_lock;

// Guarded as in offset_ptr.hpp: default template arguments are given once.
#ifndef REFIPC_OFFSET_PTR_DECLARED
#define REFIPC_OFFSET_PTR_DECLARED
template <class PointedType, class DifferenceType = std::ptrdiff_t,
          class OffsetType = std::uintptr_t, std::size_t OffsetAlignment = 0>
class offset_ptr;
#endif

template <class VoidPointer>
class message_queue_t;
using message_queue = message_queue_t<offset_ptr<void>>;

// Managed segments and what their typedefs name. Default template arguments
// are given by the defining headers.
struct mutex_family;
struct null_mutex_family;
template <class MutexFamily, class VoidPointer, std::size_t MemAlignment>
class rbtree_best_fit;
template <class MapConfig>
class iset_index;

template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_shared_memory;
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_mapped_file;
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_xsi_shared_memory;

using managed_shared_memory =
    basic_managed_shared_memory<char, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                                iset_index>;
using wmanaged_shared_memory =
    basic_managed_shared_memory<wchar_t, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                                iset_index>;
using fixed_managed_shared_memory =
    basic_managed_shared_memory<char, rbtree_best_fit<mutex_family, void*, 0>, iset_index>;
using wfixed_managed_shared_memory =
    basic_managed_shared_memory<wchar_t, rbtree_best_fit<mutex_family, void*, 0>, iset_index>;
using managed_mapped_file =
    basic_managed_mapped_file<char, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>, iset_index>;
using wmanaged_mapped_file =
    basic_managed_mapped_file<wchar_t, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                              iset_index>;
using fixed_managed_mapped_file =
    basic_managed_mapped_file<char, rbtree_best_fit<mutex_family, void*, 0>, iset_index>;
using wfixed_managed_mapped_file =
    basic_managed_mapped_file<wchar_t, rbtree_best_fit<mutex_family, void*, 0>, iset_index>;
using managed_xsi_shared_memory =
    basic_managed_xsi_shared_memory<char, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                                    iset_index>;
using wmanaged_xsi_shared_memory =
    basic_managed_xsi_shared_memory<wchar_t, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                                    iset_index>;
using fixed_managed_xsi_shared_memory =
    basic_managed_xsi_shared_memory<char, rbtree_best_fit<mutex_family, void*, 0>, iset_index>;
using wfixed_managed_xsi_shared_memory =
    basic_managed_xsi_shared_memory<wchar_t, rbtree_best_fit<mutex_family, void*, 0>, iset_index>;

#ifdef _WIN32
template <class CharType, class AllocationAlgorithm, template <class IndexConfig> class IndexType>
class basic_managed_windows_shared_memory;
using managed_windows_shared_memory =
    basic_managed_windows_shared_memory<char, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                                        iset_index>;
using wmanaged_windows_shared_memory =
    basic_managed_windows_shared_memory<wchar_t, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>,
                                        iset_index>;
#endif

}  // namespace refipc

#endif  // REFIPC_INTERPROCESS_FWD_HPP_
