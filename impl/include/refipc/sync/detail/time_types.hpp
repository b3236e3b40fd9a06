// The time types every timed function accepts, as Boost 1.81 does: time
// points and durations of std::chrono (any clock), of boost::chrono, and the
// manual's boost::posix_time::ptime and time_duration. The Boost types are
// recognised by their shape, so refipc itself never includes Boost.
#ifndef REFIPC_SYNC_DETAIL_TIME_TYPES_HPP_
#define REFIPC_SYNC_DETAIL_TIME_TYPES_HPP_

#include <chrono>
#include <cstdint>
#include <ratio>
#include <type_traits>
#include <utility>

#include "refipc/sync/detail/futex.hpp"

namespace refipc {
namespace sync_detail {

// A chrono duration: std::chrono::duration or boost::chrono::duration.
template <class T, class = void>
struct is_chrono_duration : std::false_type {};
template <class T>
struct is_chrono_duration<
    T, std::void_t<typename T::rep, decltype(T::period::num), decltype(T::period::den),
                   decltype(std::declval<const T&>().count())>> : std::true_type {};

// A chrono time point: std::chrono::time_point or boost::chrono::time_point.
template <class T, class = void>
struct is_chrono_time_point : std::false_type {};
template <class T>
struct is_chrono_time_point<
    T, std::void_t<typename T::clock, typename T::duration, decltype(T::clock::now()),
                   decltype(std::declval<const T&>().time_since_epoch())>>
    : is_chrono_duration<typename T::duration> {};

// boost::posix_time::ptime: a date and a time of day, with special values.
template <class T, class = void>
struct is_ptime : std::false_type {};
template <class T>
struct is_ptime<T, std::void_t<typename T::date_type, typename T::time_duration_type,
                               decltype(std::declval<const T&>().date()),
                               decltype(std::declval<const T&>().time_of_day()),
                               decltype(std::declval<const T&>().is_pos_infinity())>>
    : std::true_type {};

// boost::posix_time::time_duration: a span counted in ticks, with special values.
template <class T, class = void>
struct is_posix_duration : std::false_type {};
template <class T>
struct is_posix_duration<T, std::void_t<decltype(std::declval<const T&>().total_microseconds()),
                                        decltype(std::declval<const T&>().is_pos_infinity()),
                                        decltype(std::declval<const T&>().is_special()),
                                        decltype(T::ticks_per_second())>> : std::true_type {};

template <class T>
inline constexpr bool is_time_point_v = is_chrono_time_point<T>::value || is_ptime<T>::value;
template <class T>
inline constexpr bool is_duration_v = is_chrono_duration<T>::value || is_posix_duration<T>::value;

// Constrain a timed member to the accepted absolute or relative time types.
template <class T>
using if_time_point = std::enable_if_t<is_time_point_v<T>, int>;
template <class T>
using if_duration = std::enable_if_t<is_duration_v<T>, int>;

// A chrono-shaped duration as a std::chrono::duration of the same period.
template <class D>
auto as_std_duration(const D& span) {
  using period = std::ratio<D::period::num, D::period::den>;
  return std::chrono::duration<typename D::rep, period>(span.count());
}

// The monotonic deadline `span` from now: a chrono duration (saturating), or a
// time_duration, where +infinity never passes and the other special values
// (-infinity, not_a_date_time) have passed already.
template <class D, if_duration<D> = 0>
deadline deadline_after(const D& span) {
  if constexpr (is_chrono_duration<D>::value) {
    return deadline_after(to_timespec(as_std_duration(span)));
  } else {
    if (span.is_pos_infinity()) return deadline_after(to_timespec(std::chrono::hours::max()));
    if (span.is_special()) return deadline_after(time64{0, 0});
    return deadline_after(to_timespec(std::chrono::microseconds(span.total_microseconds())));
  }
}

// The deadline of an absolute time. std::chrono's system_clock maps to
// CLOCK_REALTIME and steady_clock to CLOCK_MONOTONIC (as in libstdc++ and
// libc++); any other clock (boost::chrono's among them) becomes a monotonic
// deadline through its current time. A ptime is UTC, as the manual's
// examples (microsec_clock::universal_time()) and Boost assume: a realtime
// deadline; +infinity never passes, the other special values have passed.
template <class T, if_time_point<T> = 0>
deadline make_deadline(const T& at) {
  if constexpr (is_ptime<T>::value) {
    if (at.is_pos_infinity()) return deadline_after(to_timespec(std::chrono::hours::max()));
    if (at.is_special()) return {true, {0, 0}};
    const T epoch(typename T::date_type(1970, 1, 1));
    const std::int64_t since_epoch_us = (at - epoch).total_microseconds();
    return {true, to_timespec(std::chrono::microseconds(since_epoch_us))};
  } else if constexpr (std::is_same_v<typename T::clock, std::chrono::system_clock>) {
    return {true, to_timespec(at.time_since_epoch())};
  } else if constexpr (std::is_same_v<typename T::clock, std::chrono::steady_clock>) {
    return {false, to_timespec(at.time_since_epoch())};
  } else {
    return deadline_after(as_std_duration(at - T::clock::now()));
  }
}

}  // namespace sync_detail
}  // namespace refipc

#endif  // REFIPC_SYNC_DETAIL_TIME_TYPES_HPP_
