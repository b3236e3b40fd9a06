// The first two bytes pick the algorithm configuration and the header's
// extra bytes; then each 4-byte record (opcode, slot, a, b) is one operation
// on 32 slots of live buffers. A shadow model keeps every live buffer's
// address, usable size and fill byte; after every operation the harness
// checks alignment, bounds, no overlap, the buffers' contents, the free
// memory accounting and check_sanity(). At the end everything is freed and
// the algorithm must be back to its initial free memory.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "fuzz/support/check.hpp"
#include "refipc/containers/allocation_type.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"
#include "refipc/sync/mutex_family.hpp"

namespace {

using namespace refipc;

constexpr std::size_t kInitial = 16 * 1024;
constexpr std::size_t kCapacity = 48 * 1024;
constexpr int kSlots = 32;

// Two segments aligned alike, so a copy keeps every buffer's alignment.
alignas(16384) char storage[2][kCapacity];

struct Slot {
  char* ptr = nullptr;
  std::size_t usable = 0;
  std::size_t align = 1;
  unsigned char fill = 0;
};

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool more() const { return pos_ < size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

template <class Algo>
class Harness {
 public:
  Harness(Input& in, bool relocatable)
      : in_(in), relocatable_(relocatable), buf_(storage[0]), spare_(storage[1]) {
    const std::size_t extra = in_.byte() % 64;
    algo_ = ::new (buf_) Algo(kInitial, extra);
    FUZZ_CHECK(Algo::is_valid_header(algo_, kInitial));
    total_ = algo_->get_free_memory();
    floor_ = reinterpret_cast<char*>(algo_) + sizeof(Algo) + extra;
  }

  void run() {
    check();
    while (in_.more()) {
      const std::uint8_t op = in_.byte();
      Slot& s = slots_[in_.byte() % kSlots];
      const std::uint8_t a = in_.byte();
      const std::uint8_t b = in_.byte();
      switch (op % 10) {
        case 0:
          release(s);
          place(s, algo_->allocate(size_of(a, b)), 1, size_of(a, b));
          break;
        case 1:
          release(s);
          break;
        case 2:
        case 3:
          command(s, a, b, in_.byte());
          break;
        case 4: {
          release(s);
          const std::size_t align = std::size_t(1) << (a % 14);
          const std::size_t n = size_of(b, a);
          void* p = algo_->allocate_aligned(n, align);
          if (p) FUZZ_CHECK(reinterpret_cast<std::uintptr_t>(p) % align == 0);
          place(s, p, align, n);
          break;
        }
        case 5:
          many(a, b);
          break;
        case 6:
          grow(a);
          break;
        case 7:
          algo_->shrink_to_fit();
          FUZZ_CHECK(algo_->get_size() <= kCapacity);
          total_ = block_total();
          break;
        case 8:
          algo_->zero_free_memory();
          break;
        case 9:
          if (relocatable_) relocate();
          break;
      }
      check();
    }
    for (Slot& s : slots_) release(s);
    FUZZ_CHECK(algo_->all_memory_deallocated());
    FUZZ_CHECK(algo_->get_free_memory() == total_);
    FUZZ_CHECK(algo_->check_sanity());
    algo_->~Algo();
  }

 private:
  static std::size_t size_of(std::uint8_t a, std::uint8_t b) {
    // Mostly small, sometimes up to a few KiB, sometimes absurd.
    if (a == 255) return ~std::size_t(0) - b;
    return (a % 8 == 7) ? std::size_t(a) * 16 + b : std::size_t(a) + (b % 32);
  }
  unsigned char next_fill() { return static_cast<unsigned char>(++fill_ | 1); }

  void place(Slot& s, void* p, std::size_t align, std::size_t requested) {
    if (!p) return;
    s.ptr = static_cast<char*>(p);
    s.usable = algo_->size(p);
    FUZZ_CHECK(s.usable >= requested);
    s.align = align;
    s.fill = next_fill();
    std::memset(s.ptr, s.fill, s.usable);
  }
  void release(Slot& s) {
    if (!s.ptr) return;
    algo_->deallocate(s.ptr);
    s = Slot();
  }
  Slot* free_slot() {
    for (Slot& s : slots_) {
      if (!s.ptr) return &s;
    }
    return nullptr;
  }

  void command(Slot& s, std::uint8_t a, std::uint8_t b, std::uint8_t c) {
    static const allocation_type kOps[] = {allocate_new,
                                           expand_fwd,
                                           expand_bwd,
                                           shrink_in_place,
                                           try_shrink_in_place,
                                           expand_fwd | allocate_new,
                                           expand_bwd | allocate_new,
                                           expand_fwd | expand_bwd,
                                           expand_fwd | expand_bwd | allocate_new,
                                           shrink_in_place | expand_fwd,
                                           0};
    static const std::size_t kObjectSizes[] = {1, 8, 24, 3};
    allocation_type cmd = kOps[a % 11];
    if (a & 0x10) cmd |= zero_memory;
    const bool nothrow = !(a & 0x20);
    if (nothrow) cmd |= nothrow_allocation;
    const std::size_t so = kObjectSizes[(a >> 6) % 4];
    const std::size_t current = s.ptr ? s.usable / so : 0;
    std::size_t limit = 0, preferred = 0;
    switch (c % 4) {
      case 0:  // Around the current size.
        limit = current + b % 8;
        preferred = limit + b / 8;
        break;
      case 1:  // Shrink-shaped: preferred below limit.
        preferred = b % (current + 1);
        limit = preferred + (c / 4) % (current + 1);
        break;
      case 2:
        limit = b;
        preferred = std::size_t(b) * (1 + c / 4);
        break;
      case 3:
        limit = std::size_t(b) << (c / 16);
        preferred = limit >> (c / 64);
        break;
    }
    const bool shrink = cmd & (shrink_in_place | try_shrink_in_place);
    const bool expand = cmd & (expand_fwd | expand_bwd);
    const bool bad =
        !(cmd & (allocate_new | shrink_in_place | try_shrink_in_place | expand_fwd | expand_bwd)) ||
        (shrink && expand) || ((shrink || expand) && !s.ptr) || (shrink && limit < preferred) ||
        (expand && limit > preferred);
    void* reuse = s.ptr;
    const std::size_t old_usable = s.usable;
    std::size_t received = preferred;
    void* r = nullptr;
    bool threw = false;
    try {
      if (c & 0x80) {
        auto res = algo_->raw_allocation_command(cmd, limit, preferred, received, s.ptr, so);
        r = res.first;
        reuse = r && res.second ? s.ptr : nullptr;
      } else {
        r = algo_->raw_allocation_command(cmd, limit, received, reuse, so);
      }
    } catch (const bad_alloc&) {
      threw = true;
    }
    FUZZ_CHECK(!threw || !nothrow);
    if (bad) FUZZ_CHECK(r == nullptr);
    if (!r) return;
    FUZZ_CHECK(reinterpret_cast<std::uintptr_t>(r) % Algo::memory_alignment == 0);
    const std::size_t usable = algo_->size(r);
    // try_shrink_in_place reports what a shrink would give.
    if (cmd & try_shrink_in_place) {
      FUZZ_CHECK(received <= usable / so);
    } else {
      FUZZ_CHECK(received == usable / so);
    }
    char* p = static_cast<char*>(r);
    if (shrink) {
      FUZZ_CHECK(r == s.ptr && reuse == s.ptr);
      FUZZ_CHECK(received >= preferred && received <= limit);
      if (cmd & try_shrink_in_place) {
        FUZZ_CHECK(usable == old_usable);
      } else {
        FUZZ_CHECK(usable <= old_usable);
        s.usable = usable;
      }
      return;
    }
    FUZZ_CHECK(received >= limit);
    if (reuse) {
      // Expanded in place: the old contents stay where they were.
      FUZZ_CHECK(expand);
      FUZZ_CHECK(reuse == s.ptr);
      FUZZ_CHECK(p <= s.ptr);
      FUZZ_CHECK(p + usable >= s.ptr + old_usable);
      if (p != s.ptr) FUZZ_CHECK(cmd & expand_bwd);
      if (p + usable != s.ptr + old_usable) FUZZ_CHECK((cmd & expand_fwd) || p != s.ptr);
      FUZZ_CHECK(static_cast<std::size_t>(s.ptr - p) % so == 0);
      check_fill(s.ptr, old_usable, s.fill);
      if (cmd & zero_memory) {
        check_fill(p, static_cast<std::size_t>(s.ptr - p), 0);
        check_fill(s.ptr + old_usable, static_cast<std::size_t>(p + usable - s.ptr - old_usable),
                   0);
      }
      // A backward move keeps only the algorithm's own alignment.
      if (p != s.ptr) s.align = 1;
      s.ptr = p;
      s.usable = usable;
      std::memset(p, s.fill, usable);
      return;
    }
    FUZZ_CHECK(cmd & allocate_new);
    if (cmd & zero_memory) check_fill(p, usable, 0);
    // A new buffer: the old one (if any) is still live.
    Slot* dst = s.ptr ? free_slot() : &s;
    if (!dst) {
      algo_->deallocate(r);
      return;
    }
    place(*dst, r, 1, limit * so);
  }

  void many(std::uint8_t a, std::uint8_t b) {
    typename Algo::multiallocation_chain chain;
    const std::size_t n = 1 + a % 6;
    if (b & 1) {
      algo_->allocate_many(size_of(b / 2, a), n, chain);
      if (!chain.empty()) FUZZ_CHECK(chain.size() == n);
    } else {
      std::size_t sizes[6];
      for (std::size_t i = 0; i < n; ++i) sizes[i] = (b >> i) & 0x3f;
      algo_->allocate_many(sizes, n, 1 + a / 64, chain);
      if (!chain.empty()) FUZZ_CHECK(chain.size() == n);
    }
    while (!chain.empty()) {
      void* p = chain.pop_front();
      FUZZ_CHECK(reinterpret_cast<std::uintptr_t>(p) % Algo::memory_alignment == 0);
      Slot* dst = free_slot();
      if (dst) {
        place(*dst, p, 1, 0);
      } else {
        algo_->deallocate(p);
      }
    }
  }

  void grow(std::uint8_t a) {
    const std::size_t extra = std::size_t(a) * 64;
    if (algo_->get_size() + extra > kCapacity) return;
    algo_->grow(extra);
    total_ = block_total();
    FUZZ_CHECK(algo_->check_sanity());
  }

  // Copies the segment to the spare buffer, runs on the copy from now on,
  // and scribbles over the original.
  void relocate() {
    const std::size_t size = algo_->get_size();
    std::memcpy(spare_, buf_, size);
    char* from = buf_;
    char* to = spare_;
    for (Slot& s : slots_) {
      if (s.ptr) s.ptr = to + (s.ptr - from);
    }
    floor_ = to + (floor_ - from);
    std::memset(from, 0xa5, size);
    std::swap(buf_, spare_);
    algo_ = reinterpret_cast<Algo*>(to);
    FUZZ_CHECK(Algo::is_valid_header(algo_, size));
    FUZZ_CHECK(!Algo::is_valid_header(from, size));
  }

  // Free bytes plus the blocks of live buffers: constant between grows.
  std::size_t block_total() const {
    std::size_t sum = algo_->get_free_memory();
    for (const Slot& s : slots_) {
      if (s.ptr) sum += s.usable + Algo::PayloadPerAllocation;
    }
    return sum;
  }

  static void check_fill(const char* p, std::size_t n, unsigned char fill) {
    for (std::size_t i = 0; i < n; ++i) {
      FUZZ_CHECK(static_cast<unsigned char>(p[i]) == fill);
    }
  }

  void check() {
    FUZZ_CHECK(algo_->check_sanity());
    FUZZ_CHECK(block_total() == total_);
    std::vector<const Slot*> live;
    char* end = reinterpret_cast<char*>(algo_) + algo_->get_size();
    for (const Slot& s : slots_) {
      if (!s.ptr) continue;
      FUZZ_CHECK(s.ptr >= floor_ && s.ptr + s.usable <= end);
      FUZZ_CHECK(reinterpret_cast<std::uintptr_t>(s.ptr) % s.align == 0);
      FUZZ_CHECK(algo_->size(s.ptr) == s.usable);
      check_fill(s.ptr, s.usable, s.fill);
      live.push_back(&s);
    }
    std::sort(live.begin(), live.end(),
              [](const Slot* x, const Slot* y) { return x->ptr < y->ptr; });
    for (std::size_t i = 1; i < live.size(); ++i) {
      FUZZ_CHECK(live[i - 1]->ptr + live[i - 1]->usable <= live[i]->ptr);
    }
    FUZZ_CHECK(algo_->all_memory_deallocated() == live.empty());
  }

  Input& in_;
  bool relocatable_;
  char* buf_;
  char* spare_;
  Algo* algo_;
  char* floor_;
  std::size_t total_;
  unsigned char fill_ = 0;
  Slot slots_[kSlots];
};

template <class Algo>
void run(Input& in, bool relocatable) {
  Harness<Algo> h(in, relocatable);
  h.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  switch (in.byte() % 5) {
    case 0:
      run<rbtree_best_fit<null_mutex_family>>(in, true);
      break;
    case 1:
      run<rbtree_best_fit<null_mutex_family, offset_ptr<void>, 64>>(in, true);
      break;
    case 2:
      run<rbtree_best_fit<null_mutex_family, void*, 32>>(in, false);
      break;
    case 3:
      run<simple_seq_fit<null_mutex_family>>(in, true);
      break;
    case 4:
      run<rbtree_best_fit<mutex_family, offset_ptr<void>, 8>>(in, true);
      break;
  }
  return 0;
}
