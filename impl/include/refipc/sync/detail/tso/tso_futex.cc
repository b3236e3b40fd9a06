#include "refipc/sync/detail/tso/tso_futex.hpp"

#include <cstdlib>

namespace refipc {
namespace sync_detail {

namespace {
constexpr int kMaxSteps = 100000;  // a waiter looping without progress
}  // namespace

tso_machine& tso_machine::get() {
  static tso_machine machine;
  return machine;
}

void tso_machine::arm(std::function<void()> release, int inject_at) {
  release_ = std::move(release);
  inject_at_ = inject_at;
  steps_ = 0;
  released_ = false;
  stranded_ = false;
  asleep_on_ = nullptr;
  woken_ = false;
  current_ = 1;
}

void tso_machine::run_as(int t, const std::function<void()>& f) {
  const int was = current_;
  current_ = t;
  f();
  current_ = was;
}

void tso_machine::settle() {
  drain(0);
  drain(1);
}

void tso_machine::step() {
  if (current_ != 1) return;
  if (++steps_ > kMaxSteps) std::abort();
  if (steps_ == inject_at_ && !released_) release_now();
}

void tso_machine::release_now() {
  released_ = true;
  run_as(0, release_);
}

void tso_machine::drain(int t) {
  for (const auto& [word, value] : buffer_[t]) word->memory_ = value;
  buffer_[t].clear();
}

std::uint32_t* tso_machine::buffered(futex_word& w) {
  auto& b = buffer_[current_];
  for (auto it = b.rbegin(); it != b.rend(); ++it) {
    if (it->first == &w) return &it->second;
  }
  return nullptr;
}

std::uint32_t futex_word::load(std::memory_order) {
  auto& m = tso_machine::get();
  m.step();
  const std::uint32_t* own = m.buffered(*this);
  return own ? *own : memory_;
}

void futex_word::store(std::uint32_t value, std::memory_order order) {
  auto& m = tso_machine::get();
  m.step();
  if (order == std::memory_order_seq_cst) {
    m.drain(m.current_);
    memory_ = value;
  } else {
    m.buffer_[m.current_].emplace_back(this, value);
  }
}

bool futex_word::compare_exchange_strong(std::uint32_t& expected, std::uint32_t desired,
                                         std::memory_order) {
  auto& m = tso_machine::get();
  m.step();
  m.drain(m.current_);
  if (memory_ != expected) {
    expected = memory_;
    return false;
  }
  memory_ = desired;
  return true;
}

bool futex_word::compare_exchange_weak(std::uint32_t& expected, std::uint32_t desired,
                                       std::memory_order order) {
  return compare_exchange_strong(expected, desired, order);
}

std::uint32_t futex_word::fetch_add(std::uint32_t n, std::memory_order) {
  auto& m = tso_machine::get();
  m.step();
  m.drain(m.current_);
  const std::uint32_t old = memory_;
  memory_ = old + n;
  return old;
}

std::uint32_t futex_word::fetch_sub(std::uint32_t n, std::memory_order order) {
  return fetch_add(0u - n, order);
}

bool futex_wait(futex_word& word, std::uint32_t expected, const deadline*) noexcept {
  auto& m = tso_machine::get();
  m.step();
  m.drain(m.current_);
  if (word.memory_ != expected || m.current_ != 1) return true;
  // Asleep: only a futex_wake on this word from now on wakes it.
  m.asleep_on_ = &word;
  m.woken_ = false;
  if (!m.released_) m.release_now();
  m.drain(0);  // whatever thread 0 left buffered reaches memory, too late
  m.asleep_on_ = nullptr;
  if (m.woken_) return true;
  m.stranded_ = true;
  return false;
}

void futex_wake(futex_word& word, int count) noexcept {
  auto& m = tso_machine::get();
  m.step();
  m.drain(m.current_);
  if (count > 0 && m.asleep_on_ == &word) m.woken_ = true;
}

}  // namespace sync_detail
}  // namespace refipc
