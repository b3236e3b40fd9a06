// What the memory algorithm benchmarks share: one pseudo-random sequence for
// every implementation, an algorithm constructed in fresh anonymous pages,
// and malloc/free behind the same interface.
#ifndef BENCH_MEM_ALGO_HEAPS_HPP_
#define BENCH_MEM_ALGO_HEAPS_HPP_

#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <boost/interprocess/mem_algo/rbtree_best_fit.hpp>
#include <boost/interprocess/mem_algo/simple_seq_fit.hpp>
#include <boost/interprocess/offset_ptr.hpp>
#include <boost/interprocess/sync/mutex_family.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace bench_mem_algo {

// xorshift64: cheap and identical for every implementation.
struct Rng {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  // Uniform in [lo, hi].
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + next() % (hi - lo + 1); }
  // Log-uniform in [lo, hi]: as many requests per power of two.
  std::size_t log_between(std::size_t lo, std::size_t hi) {
    const unsigned lo_bits = 63 - __builtin_clzll(lo), hi_bits = 63 - __builtin_clzll(hi);
    const unsigned bits = lo_bits + static_cast<unsigned>(next() % (hi_bits - lo_bits + 1));
    const std::size_t from = std::size_t(1) << bits;
    const std::size_t n = between(from, 2 * from - 1);
    return n < lo ? lo : n > hi ? hi : n;
  }
};

// Keeps the compiler from dropping an allocation, through DoNotOptimize's
// read-only overload: the read-write one ("+m,r" in benchmark 1.7) has been
// seen to corrupt the pointer under GCC 12 (the later deallocate received
// another value, at -O1 under asan and at -O2).
inline void keep(void* const& p) { benchmark::DoNotOptimize(p); }

// Fresh anonymous pages, zero-filled like a new shared memory segment (Boost's
// simple_seq_fit reads a field it never writes; see docs/boost-deviations.md).
// Pages are committed only when touched.
template <class Algo>
class InSegment {
 public:
  explicit InSegment(std::size_t size) : size_(size), pages_(map_pages(size)) {
    algo_ = ::new (pages_) Algo(size, 0);
  }
  ~InSegment() {
    algo_->~Algo();
    ::munmap(pages_, size_);
  }
  InSegment(const InSegment&) = delete;
  InSegment& operator=(const InSegment&) = delete;

  void* alloc(std::size_t n) { return algo_->allocate(n); }
  void free(void* p) { algo_->deallocate(p); }
  const char* base() const { return static_cast<const char*>(pages_); }

 private:
  static void* map_pages(std::size_t size) {
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
  }
  std::size_t size_;
  void* pages_;
  Algo* algo_;
};

struct Malloc {
  explicit Malloc(std::size_t) {}
  void* alloc(std::size_t n) { return std::malloc(n); }
  void free(void* p) { std::free(p); }
};

namespace bi = boost::interprocess;
using refipc_rbtree = refipc::rbtree_best_fit<refipc::null_mutex_family>;
using boost_rbtree = bi::rbtree_best_fit<bi::null_mutex_family>;
using refipc_rbtree_mutex = refipc::rbtree_best_fit<refipc::mutex_family>;
using boost_rbtree_mutex = bi::rbtree_best_fit<bi::mutex_family>;
using refipc_seq = refipc::simple_seq_fit<refipc::null_mutex_family>;
using boost_seq = bi::simple_seq_fit<bi::null_mutex_family, bi::offset_ptr<void>>;

}  // namespace bench_mem_algo

#endif  // BENCH_MEM_ALGO_HEAPS_HPP_
