// The proxies returned by construct<T>(name) and its relatives: operator[]
// sets the number of objects, operator() supplies the constructor arguments
// (the same ones for every object, or one element of each iterator per
// object for the *_it forms) and performs the construction.
#ifndef REFIPC_DETAIL_SEGMENT_NAMED_PROXY_HPP_
#define REFIPC_DETAIL_SEGMENT_NAMED_PROXY_HPP_

#include <cstddef>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

namespace refipc {
namespace segment_detail {

struct anonymous_instance_t;
struct unique_instance_t;

// Builds n objects at p; if one constructor throws, destroys those already
// built, in reverse order, and rethrows.
template <class T, class BuildOne>
void build_array(T* p, std::size_t n, BuildOne&& build_one) {
  std::size_t built = 0;
  try {
    for (; built < n; ++built) build_one(p + built);
  } catch (...) {
    while (built > 0) p[--built].~T();
    throw;
  }
}

// One object gets the arguments as they were passed (an rvalue is moved
// from). Several objects each get them as lvalues, since a moved-from
// argument would leave every object after the first with what is left;
// only a type that cannot be built from lvalues gets them forwarded again.
template <class T, class... Args>
class args_builder {
 public:
  explicit args_builder(Args&&... args) : args_(std::forward<Args>(args)...) {}
  void operator()(T* p, std::size_t n) {
    if constexpr (std::is_constructible_v<T, Args&...>) {
      if (n != 1) {
        build_array(p, n, [this](T* at) {
          std::apply([at](auto&... a) { ::new (static_cast<void*>(at)) T(a...); }, args_);
        });
        return;
      }
    }
    build_array(p, n, [this](T* at) {
      std::apply(
          [at](auto&&... a) { ::new (static_cast<void*>(at)) T(std::forward<decltype(a)>(a)...); },
          std::move(args_));
    });
  }

 private:
  std::tuple<Args&&...> args_;
};

template <class T, class... Iterators>
class iterator_builder {
 public:
  explicit iterator_builder(const Iterators&... its) : its_(its...) {}
  void operator()(T* p, std::size_t n) {
    build_array(p, n, [this](T* at) {
      std::apply([at](auto&... it) { ::new (static_cast<void*>(at)) T(*it++...); }, its_);
    });
  }

 private:
  std::tuple<Iterators...> its_;
};

template <class SegmentManager, class T, class Name, bool FromIterators>
class named_proxy {
 public:
  named_proxy(SegmentManager* mgr, Name name, bool find, bool dothrow) noexcept
      : mgr_(mgr), name_(name), find_(find), dothrow_(dothrow) {}

  named_proxy operator[](std::size_t num) const noexcept {
    named_proxy p(*this);
    p.num_ = num;
    return p;
  }

  template <class... Args>
  T* operator()(Args&&... args) const {
    if constexpr (FromIterators) {
      iterator_builder<T, std::decay_t<Args>...> build(args...);
      return mgr_->template generic_construct<T>(name_, num_, find_, dothrow_, build);
    } else {
      args_builder<T, Args...> build(std::forward<Args>(args)...);
      return mgr_->template generic_construct<T>(name_, num_, find_, dothrow_, build);
    }
  }

 private:
  SegmentManager* mgr_;
  Name name_;
  std::size_t num_ = 1;
  bool find_;
  bool dothrow_;
};

}  // namespace segment_detail

// Pass as the name of construct<T>() for an object without a name, which
// only destroy_ptr() can destroy.
inline constexpr const segment_detail::anonymous_instance_t* anonymous_instance = nullptr;
// Pass as the name for the single instance of T, keyed by its type.
inline constexpr const segment_detail::unique_instance_t* unique_instance = nullptr;

}  // namespace refipc

#endif  // REFIPC_DETAIL_SEGMENT_NAMED_PROXY_HPP_
