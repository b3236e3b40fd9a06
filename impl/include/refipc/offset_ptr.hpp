// offset_ptr: a smart pointer that stores the distance from itself to its
// target, so structures linked with it stay valid when the memory holding
// them is mapped (or copied) at a different address.
#ifndef REFIPC_OFFSET_PTR_HPP_
#define REFIPC_OFFSET_PTR_HPP_

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

namespace refipc {

// Default template arguments may be given only once per translation unit, so
// any other header that forward-declares offset_ptr must use this same guard.
#ifndef REFIPC_OFFSET_PTR_DECLARED
#define REFIPC_OFFSET_PTR_DECLARED
template <class PointedType, class DifferenceType = std::ptrdiff_t,
          class OffsetType = std::uintptr_t, std::size_t OffsetAlignment = 0>
class offset_ptr;
#endif

namespace offset_ptr_detail {

// Second argument of the constructors that emulate the cast operators.
struct static_cast_tag {};
struct const_cast_tag {};
struct dynamic_cast_tag {};
struct reinterpret_cast_tag {};

// `void&` is not a type; offset_ptr<cv void> names this instead so that its
// member declarations (operator*, pointer_to) stay well-formed.
struct void_referent {};

template <class T, bool = std::is_void<T>::value>
struct add_reference {
  using type = T&;
};
template <class T>
struct add_reference<T, true> {
  using type = void_referent&;
};

inline std::uintptr_t address_of(const volatile void* p) noexcept {
  return reinterpret_cast<std::uintptr_t>(p);
}

// Sign-extends, so that an OffsetType narrower than a pointer still reaches
// targets below the offset_ptr itself.
template <class O>
inline std::uintptr_t widen(O offset) noexcept {
  return static_cast<std::uintptr_t>(static_cast<std::make_signed_t<O>>(offset));
}

// Converting From* to To* never moves the address, so the stored offset can
// be rebased without materializing the pointer.
template <class From, class To>
struct keeps_address
    : std::integral_constant<
          bool, std::is_void<To>::value ||
                    std::is_same<std::remove_cv_t<From>, std::remove_cv_t<To>>::value> {};

template <class From, class To>
using enable_if_convertible_t = std::enable_if_t<std::is_convertible<From*, To*>::value, int>;

template <class From, class To>
using enable_if_only_static_castable_t =
    std::enable_if_t<!std::is_convertible<From*, To*>::value,
                     decltype(static_cast<To*>(std::declval<From*>()), 0)>;

template <class T, class U>
using enable_if_comparable_t = decltype(std::declval<T*>() == std::declval<U*>(), 0);

}  // namespace offset_ptr_detail

template <class PointedType, class DifferenceType, class OffsetType, std::size_t OffsetAlignment>
class offset_ptr {
  static_assert(std::is_integral<OffsetType>::value && !std::is_same<OffsetType, bool>::value,
                "OffsetType must be an integer type");
  static_assert(std::is_integral<DifferenceType>::value && std::is_signed<DifferenceType>::value,
                "DifferenceType must be a signed integer type");
  static_assert((OffsetAlignment & (OffsetAlignment - 1)) == 0,
                "OffsetAlignment must be zero or a power of two");

 public:
  using element_type = PointedType;
  using pointer = PointedType*;
  using reference = typename offset_ptr_detail::add_reference<PointedType>::type;
  using value_type = std::remove_cv_t<PointedType>;
  using difference_type = DifferenceType;
  using iterator_category = std::random_access_iterator_tag;
  using offset_type = OffsetType;

  template <class U>
  using rebind = offset_ptr<U, DifferenceType, OffsetType, OffsetAlignment>;

  constexpr offset_ptr() noexcept : offset_(kNullOffset) {}

  // Also the conversion from nullptr and from a literal 0.
  offset_ptr(pointer p) noexcept : offset_(offset_to(p)) {}

  template <class U, offset_ptr_detail::enable_if_convertible_t<U, PointedType> = 0>
  offset_ptr(U* p) noexcept : offset_(offset_to(static_cast<pointer>(p))) {}

  offset_ptr(const offset_ptr& other) noexcept : offset_(offset_from(other)) {}

  template <class U, class D, class O, std::size_t A,
            offset_ptr_detail::enable_if_convertible_t<U, PointedType> = 0>
  offset_ptr(const offset_ptr<U, D, O, A>& other) noexcept : offset_(offset_from(other)) {}

  // Downcasts and casts from void need to be spelled out, as with raw pointers.
  template <class U, class D, class O, std::size_t A,
            offset_ptr_detail::enable_if_only_static_castable_t<U, PointedType> = 0>
  explicit offset_ptr(const offset_ptr<U, D, O, A>& other) noexcept
      : offset_(offset_to(static_cast<pointer>(other.get()))) {}

  template <class U, class D, class O, std::size_t A>
  offset_ptr(const offset_ptr<U, D, O, A>& other, offset_ptr_detail::static_cast_tag) noexcept
      : offset_(offset_to(static_cast<pointer>(other.get()))) {}

  template <class U, class D, class O, std::size_t A>
  offset_ptr(const offset_ptr<U, D, O, A>& other, offset_ptr_detail::const_cast_tag) noexcept
      : offset_(offset_to(const_cast<pointer>(other.get()))) {}

  template <class U, class D, class O, std::size_t A>
  offset_ptr(const offset_ptr<U, D, O, A>& other, offset_ptr_detail::dynamic_cast_tag) noexcept
      : offset_(offset_to(dynamic_cast<pointer>(other.get()))) {}

#if defined(__clang__)
#pragma clang diagnostic push
// A reinterpret cast keeps the address, also to a base class at a non-zero
// offset: what reinterpret_pointer_cast asks for, so not worth a warning.
#pragma clang diagnostic ignored "-Wreinterpret-base-class"
#endif
  template <class U, class D, class O, std::size_t A>
  offset_ptr(const offset_ptr<U, D, O, A>& other, offset_ptr_detail::reinterpret_cast_tag) noexcept
      : offset_(offset_to(reinterpret_cast<pointer>(other.get()))) {}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

  offset_ptr& operator=(pointer p) noexcept {
    offset_ = offset_to(p);
    return *this;
  }

  offset_ptr& operator=(const offset_ptr& other) noexcept {
    offset_ = offset_from(other);
    return *this;
  }

  template <class U, class D, class O, std::size_t A,
            offset_ptr_detail::enable_if_convertible_t<U, PointedType> = 0>
  offset_ptr& operator=(const offset_ptr<U, D, O, A>& other) noexcept {
    offset_ = offset_from(other);
    return *this;
  }

  pointer get() const noexcept {
    return offset_ == kNullOffset ? nullptr
                                  : reinterpret_cast<pointer>(offset_ptr_detail::address_of(this) +
                                                              offset_ptr_detail::widen(offset_));
  }

  // Signed distance in bytes from this object to the target; 1 when null.
  difference_type get_offset() const noexcept {
    return static_cast<difference_type>(offset_ptr_detail::widen(offset_));
  }

  pointer operator->() const noexcept { return get(); }
  reference operator*() const noexcept { return *get(); }
  reference operator[](difference_type i) const noexcept { return get()[i]; }

  static offset_ptr pointer_to(reference r) noexcept { return offset_ptr(std::addressof(r)); }

  explicit operator bool() const noexcept { return offset_ != kNullOffset; }
  bool operator!() const noexcept { return offset_ == kNullOffset; }

  // Arithmetic moves the stored offset directly: unsigned wrap-around is well
  // defined, and the target address never exists as an out-of-range pointer.
  offset_ptr& operator+=(difference_type n) noexcept {
    offset_ += scaled(n);
    return *this;
  }
  offset_ptr& operator-=(difference_type n) noexcept {
    offset_ -= scaled(n);
    return *this;
  }
  offset_ptr& operator++() noexcept { return *this += 1; }
  offset_ptr& operator--() noexcept { return *this -= 1; }
  offset_ptr operator++(int) noexcept {
    offset_ptr old(*this);
    *this += 1;
    return old;
  }
  offset_ptr operator--(int) noexcept {
    offset_ptr old(*this);
    *this -= 1;
    return old;
  }
  offset_ptr operator+(difference_type n) const noexcept {
    offset_ptr result(*this);
    result += n;
    return result;
  }
  offset_ptr operator-(difference_type n) const noexcept {
    offset_ptr result(*this);
    result -= n;
    return result;
  }

 private:
  template <class, class, class, std::size_t>
  friend class offset_ptr;

  // Offset 0 means "points to itself", which intrusive lists need, so null is
  // the otherwise useless offset 1.
  static constexpr OffsetType kNullOffset = 1;
  static constexpr std::size_t kAlignment = OffsetAlignment > alignof(OffsetType)
                                                ? OffsetAlignment
                                                : alignof(OffsetType);

  OffsetType offset_to(const volatile void* target) const noexcept {
    return target == nullptr ? kNullOffset
                             : static_cast<OffsetType>(offset_ptr_detail::address_of(target) -
                                                       offset_ptr_detail::address_of(this));
  }

  template <class U, class D, class O, std::size_t A>
  OffsetType offset_from(const offset_ptr<U, D, O, A>& other) const noexcept {
    if constexpr (offset_ptr_detail::keeps_address<U, PointedType>::value) {
      return other.offset_ == other.kNullOffset
                 ? kNullOffset
                 : static_cast<OffsetType>(offset_ptr_detail::address_of(&other) +
                                           offset_ptr_detail::widen(other.offset_) -
                                           offset_ptr_detail::address_of(this));
    } else {
      // The conversion may adjust the address (e.g. to a non-first base).
      return offset_to(static_cast<pointer>(other.get()));
    }
  }

  static OffsetType scaled(difference_type n) noexcept {
    static_assert(!std::is_void<PointedType>::value, "no arithmetic on offset_ptr<void>");
    return static_cast<OffsetType>(static_cast<std::uintptr_t>(n) * sizeof(PointedType));
  }

  alignas(kAlignment) OffsetType offset_;
};

// Comparisons between offset_ptrs, with the rules of the raw pointer types.

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2, offset_ptr_detail::enable_if_comparable_t<T1, T2> = 0>
inline bool operator==(const offset_ptr<T1, D1, O1, A1>& a,
                       const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return a.get() == b.get();
}

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2, offset_ptr_detail::enable_if_comparable_t<T1, T2> = 0>
inline bool operator!=(const offset_ptr<T1, D1, O1, A1>& a,
                       const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return a.get() != b.get();
}

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2, offset_ptr_detail::enable_if_comparable_t<T1, T2> = 0>
inline bool operator<(const offset_ptr<T1, D1, O1, A1>& a,
                      const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return a.get() < b.get();
}

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2, offset_ptr_detail::enable_if_comparable_t<T1, T2> = 0>
inline bool operator<=(const offset_ptr<T1, D1, O1, A1>& a,
                       const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return a.get() <= b.get();
}

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2, offset_ptr_detail::enable_if_comparable_t<T1, T2> = 0>
inline bool operator>(const offset_ptr<T1, D1, O1, A1>& a,
                      const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return a.get() > b.get();
}

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2, offset_ptr_detail::enable_if_comparable_t<T1, T2> = 0>
inline bool operator>=(const offset_ptr<T1, D1, O1, A1>& a,
                       const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return a.get() >= b.get();
}

// Comparisons with raw pointers, in both orders.

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator==(const offset_ptr<T, D, O, A>& a, U* b) noexcept {
  return a.get() == b;
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator==(U* a, const offset_ptr<T, D, O, A>& b) noexcept {
  return a == b.get();
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator!=(const offset_ptr<T, D, O, A>& a, U* b) noexcept {
  return a.get() != b;
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator!=(U* a, const offset_ptr<T, D, O, A>& b) noexcept {
  return a != b.get();
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator<(const offset_ptr<T, D, O, A>& a, U* b) noexcept {
  return a.get() < b;
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator<(U* a, const offset_ptr<T, D, O, A>& b) noexcept {
  return a < b.get();
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator<=(const offset_ptr<T, D, O, A>& a, U* b) noexcept {
  return a.get() <= b;
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator<=(U* a, const offset_ptr<T, D, O, A>& b) noexcept {
  return a <= b.get();
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator>(const offset_ptr<T, D, O, A>& a, U* b) noexcept {
  return a.get() > b;
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator>(U* a, const offset_ptr<T, D, O, A>& b) noexcept {
  return a > b.get();
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator>=(const offset_ptr<T, D, O, A>& a, U* b) noexcept {
  return a.get() >= b;
}

template <class T, class D, class O, std::size_t A, class U,
          offset_ptr_detail::enable_if_comparable_t<T, U> = 0>
inline bool operator>=(U* a, const offset_ptr<T, D, O, A>& b) noexcept {
  return a >= b.get();
}

// Null tests; a literal 0 converts to std::nullptr_t and lands here too.

template <class T, class D, class O, std::size_t A>
inline bool operator==(const offset_ptr<T, D, O, A>& a, std::nullptr_t) noexcept {
  return !a;
}

template <class T, class D, class O, std::size_t A>
inline bool operator==(std::nullptr_t, const offset_ptr<T, D, O, A>& b) noexcept {
  return !b;
}

template <class T, class D, class O, std::size_t A>
inline bool operator!=(const offset_ptr<T, D, O, A>& a, std::nullptr_t) noexcept {
  return static_cast<bool>(a);
}

template <class T, class D, class O, std::size_t A>
inline bool operator!=(std::nullptr_t, const offset_ptr<T, D, O, A>& b) noexcept {
  return static_cast<bool>(b);
}

template <class T, class D, class O, std::size_t A>
inline offset_ptr<T, D, O, A> operator+(typename offset_ptr<T, D, O, A>::difference_type n,
                                        const offset_ptr<T, D, O, A>& p) noexcept {
  return p + n;
}

template <class T1, class D1, class O1, std::size_t A1, class T2, class D2, class O2,
          std::size_t A2>
inline D1 operator-(const offset_ptr<T1, D1, O1, A1>& a,
                    const offset_ptr<T2, D2, O2, A2>& b) noexcept {
  return static_cast<D1>(a.get() - b.get());
}

// Streams carry the pointee address, so a round trip restores the target.

template <class E, class Tr, class T, class D, class O, std::size_t A>
inline std::basic_ostream<E, Tr>& operator<<(std::basic_ostream<E, Tr>& os,
                                             const offset_ptr<T, D, O, A>& p) {
  return os << const_cast<const void*>(static_cast<const volatile void*>(p.get()));
}

template <class E, class Tr, class T, class D, class O, std::size_t A>
inline std::basic_istream<E, Tr>& operator>>(std::basic_istream<E, Tr>& is,
                                             offset_ptr<T, D, O, A>& p) {
  void* raw = nullptr;
  if (is >> raw) p = static_cast<T*>(raw);
  return is;
}

template <class T, class D, class O, std::size_t A>
inline void swap(offset_ptr<T, D, O, A>& a, offset_ptr<T, D, O, A>& b) noexcept {
  T* const a_target = a.get();
  a = b.get();
  b = a_target;
}

template <class T, class U, class D, class O, std::size_t A>
inline offset_ptr<T, D, O, A> static_pointer_cast(const offset_ptr<U, D, O, A>& r) noexcept {
  return offset_ptr<T, D, O, A>(r, offset_ptr_detail::static_cast_tag());
}

template <class T, class U, class D, class O, std::size_t A>
inline offset_ptr<T, D, O, A> const_pointer_cast(const offset_ptr<U, D, O, A>& r) noexcept {
  return offset_ptr<T, D, O, A>(r, offset_ptr_detail::const_cast_tag());
}

template <class T, class U, class D, class O, std::size_t A>
inline offset_ptr<T, D, O, A> dynamic_pointer_cast(const offset_ptr<U, D, O, A>& r) noexcept {
  return offset_ptr<T, D, O, A>(r, offset_ptr_detail::dynamic_cast_tag());
}

template <class T, class U, class D, class O, std::size_t A>
inline offset_ptr<T, D, O, A> reinterpret_pointer_cast(const offset_ptr<U, D, O, A>& r) noexcept {
  return offset_ptr<T, D, O, A>(r, offset_ptr_detail::reinterpret_cast_tag());
}

template <class T, class D, class O, std::size_t A>
inline T* to_raw_pointer(const offset_ptr<T, D, O, A>& p) noexcept {
  return p.get();
}

}  // namespace refipc

#endif  // REFIPC_OFFSET_PTR_HPP_
