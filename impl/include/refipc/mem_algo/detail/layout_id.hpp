// Stable identifiers of the types whose choice changes a segment's layout
// (memory algorithm, index, mutex family, character type), recorded in the
// segment's signature (see docs/layout.md). An identifier is a 32-bit FNV-1a
// hash of a name the type declares (`static constexpr char layout_name[]`),
// so it is the same for every compiler and build, unlike typeid().name().
// A type that declares no name gets 0: the signature then cannot tell it from
// another unnamed type, and only sizes guard the layout.
#ifndef REFIPC_MEM_ALGO_DETAIL_LAYOUT_ID_HPP_
#define REFIPC_MEM_ALGO_DETAIL_LAYOUT_ID_HPP_

#include <cstdint>
#include <type_traits>

#include "refipc/sync/detail/wait_backend.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace refipc::mem_algo_detail {

constexpr std::uint32_t layout_name_id(const char* name) noexcept {
  std::uint32_t h = 2166136261u;
  for (; *name; ++name) {
    h ^= static_cast<unsigned char>(*name);
    h *= 16777619u;
  }
  return h ? h : 1;  // 0 means "unnamed"
}

template <class T, class = void>
struct layout_id {
  static constexpr std::uint32_t value = 0;
};
template <class T>
struct layout_id<T, std::void_t<decltype(T::layout_name)>> {
  static constexpr std::uint32_t value = layout_name_id(T::layout_name);
};

// refipc's mutex families, named here so that sync/ need not know about
// segment layouts.
// The wait backend lays out the mutexes' words (docs/layout.md), so it is
// part of the family's layout.
template <>
struct layout_id<mutex_family> {
  static constexpr std::uint32_t value = layout_name_id(
      sync_detail::kFutexBackend ? "refipc.mutex_family" : "refipc.mutex_family.portable_wait");
};
template <>
struct layout_id<null_mutex_family> {
  static constexpr std::uint32_t value = layout_name_id("refipc.null_mutex_family");
};

template <class T>
inline constexpr std::uint32_t layout_id_v = layout_id<T>::value;

// Character types by kind and size: 1 char, 2 signed char, 3 unsigned char,
// 4 wchar_t, 5 char16_t, 6 char32_t, 0 another type.
template <class CharT>
constexpr std::uint32_t char_kind() noexcept {
  if (std::is_same_v<CharT, char>) return 1;
  if (std::is_same_v<CharT, signed char>) return 2;
  if (std::is_same_v<CharT, unsigned char>) return 3;
  if (std::is_same_v<CharT, wchar_t>) return 4;
  if (std::is_same_v<CharT, char16_t>) return 5;
  if (std::is_same_v<CharT, char32_t>) return 6;
  return 0;
}

}  // namespace refipc::mem_algo_detail

#endif  // REFIPC_MEM_ALGO_DETAIL_LAYOUT_ID_HPP_
