// Hostile segment images. A valid segment (named objects, a unique object,
// raw allocations, some of them freed, free blocks in a trie bin) is built
// once per configuration; the input damages a copy of its first bytes (the
// algorithm's header, the signature, the index headers and the first blocks) and then drives
// operations on the damaged copy, opened with managed_external_buffer's
// open_only.
//
// Input: byte 0 picks the configuration (index type x algorithm); byte 1 the
// number of mutations, each 4 bytes (offset low, offset high, kind, value):
// xor a byte, set a byte, copy 8 bytes from another offset (which makes
// plausible pointers and sizes), or store a small 8-byte integer. The rest is
// a sequence of 2-byte operations (find, construct, destroy, unique objects,
// allocate, deallocate, iteration, index reservation, check_sanity,
// get_free_memory); an operation byte from 0xE0 up is instead a mutation of
// the open segment (as a peer or a stray write would do): its low 5 bits and
// the next byte give the offset, the 2 bytes after them the kind and value.
//
// What must hold: nothing crashes, hangs or trips a sanitizer; every
// exception is interprocess_exception(corrupted_error), after which the
// segment is left alone. Until the open segment is damaged, also: iteration
// and find agree, and when no mutation touched an allocated block's tags
// (damage the heap reports only when an operation reaches that block),
// check_sanity() is true.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "fuzz/support/check.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/indexes/unordered_map_index.hpp"
#include "refipc/managed_external_buffer.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"

namespace {

constexpr std::size_t kSize = 16 * 1024;
constexpr std::size_t kDamageSpan = 8192;  // the bytes mutations reach
constexpr int kNames = 16;

using image = std::vector<std::max_align_t>;

std::string name_of(unsigned id) { return "object" + std::to_string(id % kNames); }

unsigned char* bytes_of(image& img) { return reinterpret_cast<unsigned char*>(img.data()); }

template <class Segment>
image build() {
  image img((kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
  Segment s(refipc::create_only, img.data(), kSize);
  for (unsigned i = 0; i < 12; ++i) s.template construct<int>(name_of(i).c_str())[1 + i % 3](i);
  s.template construct<double>(refipc::unique_instance)(2.5);
  std::vector<void*> raw;
  for (int i = 0; i < 16; ++i) raw.push_back(s.allocate(8 + 24 * (i % 5)));
  for (int i = 0; i < 16; i += 2) s.deallocate(raw[i]);
  // Free blocks for the trie bins, kept apart by live ones too large for the
  // small holes above: a root, its child and a block chained to the root.
  std::vector<void*> large;
  for (std::size_t n : {600, 700, 600}) {
    large.push_back(s.allocate(n));
    s.allocate(200);
  }
  for (void* p : large) s.deallocate(p);
  s.template destroy<int>(name_of(3).c_str());
  s.template destroy<int>(name_of(8).c_str());
  return img;
}

// Marks the tag bytes of every allocated block of a pristine image: a
// mutation there leaves damage that the heap reports only on use. Reads the
// block_heap layout docs/layout.md describes.
std::vector<bool> allocated_tags(image& img) {
  std::vector<bool> marked(kSize, false);
  const unsigned char* b = bytes_of(img);
  std::size_t first, end;
  std::memcpy(&first, b + 24 + 2 * sizeof(std::size_t), sizeof first);
  std::memcpy(&end, b + 24 + 3 * sizeof(std::size_t), sizeof end);
  for (std::size_t off = first; off < end;) {
    std::size_t size_flags;
    std::memcpy(&size_flags, b + off + sizeof(std::size_t), sizeof size_flags);
    if (size_flags & 1) {
      for (std::size_t i = off; i < off + 2 * sizeof(std::size_t); ++i) marked[i] = true;
    }
    off += size_flags & ~std::size_t(7);
  }
  return marked;
}

// Applies one mutation (offset, kind, value) to an image; true when it
// touched the tags of a block allocated in the pristine image.
bool mutate(unsigned char* b, std::size_t off, std::uint8_t kind, std::uint8_t value,
            const std::vector<bool>& tags) {
  off %= kDamageSpan;
  std::size_t from = off, to = off + 1;
  switch (kind % 4) {
    case 0:
      b[off] ^= value ? value : 0xFF;
      break;
    case 1:
      b[off] = value;
      break;
    case 2: {
      const std::size_t src = value * 8u % kDamageSpan;
      to = off + 8 <= kSize ? off + 8 : kSize;
      std::memmove(b + off, b + src, to - off);
      break;
    }
    default: {
      from = off / 8 * 8;
      to = from + 8;
      const std::uint64_t small = value;
      std::memcpy(b + from, &small, 8);
      break;
    }
  }
  bool hit = false;
  for (std::size_t i = from; i < to; ++i) hit |= tags[i];
  return hit;
}

template <class Segment>
class Run {
 public:
  Run(Segment& s, unsigned char* bytes, const std::vector<bool>& tags)
      : s_(s), bytes_(bytes), tags_(tags) {}

  // Whether the open segment has been damaged.
  bool damaged() const { return damaged_; }

  // Damages the open segment.
  void damage(std::size_t off, std::uint8_t kind, std::uint8_t value) {
    mutate(bytes_, off, kind, value, tags_);
    damaged_ = true;
  }

  void apply(std::uint8_t op, std::uint8_t arg) {
    const std::string name = name_of(arg);
    const char* n = name.c_str();
    switch (op % 12) {
      case 0:
      case 1: {
        auto found = s_.template find<int>(n);
        if (found.first && !damaged_) {
          FUZZ_CHECK(std::strcmp(Segment::get_instance_name(found.first), n) == 0);
          FUZZ_CHECK(Segment::get_instance_length(found.first) == found.second);
        }
        break;
      }
      case 2: {
        int* p = s_.template construct<int>(n, std::nothrow)[1 + arg % 4](arg);
        if (p) FUZZ_CHECK(s_.template find<int>(n).first == p || damaged_);
        break;
      }
      case 3:
        if (s_.template destroy<int>(n)) FUZZ_CHECK(!s_.template find<int>(n).first || damaged_);
        break;
      case 4:
        if (!s_.template find<double>(refipc::unique_instance).first) {
          s_.template construct<double>(refipc::unique_instance, std::nothrow)(1.0);
        } else {
          s_.template destroy<double>(refipc::unique_instance);
        }
        break;
      case 5:
        if (void* p = s_.allocate(1 + arg * 3, std::nothrow)) mine_.push_back(p);
        break;
      case 6:
        if (!mine_.empty()) {
          void* p = mine_[arg % mine_.size()];
          mine_.erase(mine_.begin() + arg % mine_.size());
          try {
            s_.deallocate(p);
          } catch (const refipc::interprocess_exception& e) {
            // Once the open segment is damaged, the tags of our own block
            // may no longer say it is allocated: the algorithm cannot tell
            // that from a pointer it never handed out.
            if (!damaged_ || e.get_error_code() != refipc::invalid_argument) throw;
          }
        }
        break;
      case 7:
        iterate();
        break;
      case 8:
      case 9:
        // Both may need a new index array, which a full segment refuses.
        try {
          if (op % 12 == 8) {
            s_.reserve_named_objects(arg % 32);
          } else {
            s_.shrink_to_fit_indexes();
          }
        } catch (const refipc::bad_alloc&) {
        }
        break;
      case 10:
        FUZZ_CHECK(s_.get_free_memory() <= s_.get_size() || damaged_);
        break;
      default:
        s_.check_sanity();
        break;
    }
  }

 private:
  // Every entry iterated is found by its name, until the open segment is
  // damaged. (Damage may leave two entries of one name in a hash index,
  // which find() tells apart by nothing, or a NUL inside a name, which a C
  // string cannot ask for.)
  void iterate() {
    std::size_t named = 0;
    for (auto it = s_.named_begin(); it != s_.named_end(); ++it) {
      const std::string entry(it->name(), it->name_length());
      if (entry.find('\0') == std::string::npos && !damaged_) {
        const char* found = s_.template find<char>(entry.c_str()).first;
        FUZZ_CHECK(found && Segment::get_instance_name(found) == entry);
      }
      ++named;
    }
    FUZZ_CHECK(named == s_.get_num_named_objects() || damaged_);
    std::size_t unique = 0;
    for (auto it = s_.unique_begin(); it != s_.unique_end(); ++it) ++unique;
    FUZZ_CHECK(unique == s_.get_num_unique_objects() || damaged_);
  }

  Segment& s_;
  unsigned char* bytes_;
  const std::vector<bool>& tags_;
  bool damaged_ = false;
  std::vector<void*> mine_;
};

template <class Segment>
void run(const std::uint8_t* data, std::size_t size) {
  static image pristine = build<Segment>();
  static const std::vector<bool> tags = allocated_tags(pristine);
  image img = pristine;
  unsigned char* b = bytes_of(img);
  std::size_t at = 0;
  const std::size_t mutations = size > 0 ? data[at++] % 16 : 0;
  bool tags_hit = false;
  for (std::size_t m = 0; m < mutations && at + 4 <= size; ++m, at += 4) {
    tags_hit |= mutate(b, data[at] | data[at + 1] << 8, data[at + 2], data[at + 3], tags);
  }

  Segment s;
  try {
    Segment opened(refipc::open_only, img.data(), kSize);
    s.swap(opened);
  } catch (const refipc::interprocess_exception& e) {
    FUZZ_CHECK(e.get_error_code() == refipc::corrupted_error ||
               e.get_error_code() == refipc::size_error);
    return;
  }
  try {
    Run<Segment> r(s, b, tags);
    while (at + 2 <= size) {
      if (data[at] >= 0xE0 && at + 4 <= size) {
        r.damage((data[at] & 0x1F) << 8 | data[at + 1], data[at + 2], data[at + 3]);
        at += 4;
      } else {
        r.apply(data[at], data[at + 1]);
        at += 2;
      }
    }
    r.apply(7, 0);
    FUZZ_CHECK(s.check_sanity() || tags_hit || r.damaged());
  } catch (const refipc::interprocess_exception& e) {
    FUZZ_CHECK(e.get_error_code() == refipc::corrupted_error);
  }
}

template <template <class> class Index>
void run_index(bool seq_fit, const std::uint8_t* data, std::size_t size) {
  using refipc::null_mutex_family;
  if (seq_fit) {
    run<refipc::basic_managed_external_buffer<char, refipc::simple_seq_fit<null_mutex_family>,
                                              Index>>(data, size);
  } else {
    run<refipc::basic_managed_external_buffer<char, refipc::rbtree_best_fit<null_mutex_family>,
                                              Index>>(data, size);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool seq_fit = data[0] & 0x80;
  switch (data[0] % 5) {
    case 0:
      run_index<refipc::iset_index>(seq_fit, data + 1, size - 1);
      break;
    case 1:
      run_index<refipc::iunordered_set_index>(seq_fit, data + 1, size - 1);
      break;
    case 2:
      run_index<refipc::flat_map_index>(seq_fit, data + 1, size - 1);
      break;
    case 3:
      run_index<refipc::map_index>(seq_fit, data + 1, size - 1);
      break;
    default:
      run_index<refipc::unordered_map_index>(seq_fit, data + 1, size - 1);
      break;
  }
  return 0;
}
