// Hostile segment bytes: every byte of a valid segment's first blocks is
// flipped in turn, and the damaged segment is opened and used in a child
// process (so that a crash or a hang is counted, not fatal). A flip in the
// header region (the segment manager and the first block's tags) must end
// one of three ways: refused at open, refused by an operation with
// corrupted_error, or every operation working with check_sanity() true. A
// flip in the objects' blocks may also leave an object's value or an
// allocated block's tags damaged where no operation reached them
// (check_sanity() reports the latter), but never crash, hang or throw
// anything but corrupted_error.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/managed_external_buffer.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/mem_algo/simple_seq_fit.hpp"

namespace refipc {
namespace {

constexpr std::size_t kSize = 16 * 1024;

// How a damaged segment fared; the child's exit status.
enum outcome : int {
  refused_at_open = 0,
  refused_by_operation = 1,
  works_and_sane = 2,
  works_but_insane = 3,  // the defect: accepted, yet damaged
  other_error = 4,       // an exception other than corrupted_error
  crashed = 5,           // a signal, a sanitizer report or a hang
};

using image = std::vector<std::max_align_t>;

template <class Segment>
image build_image() {
  image buf((kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
  Segment s(create_only, buf.data(), kSize);
  for (int i = 0; i < 12; ++i) {
    s.template construct<int>(("object" + std::to_string(i)).c_str())[1 + i % 3](i);
  }
  s.template construct<double>(unique_instance)(2.5);
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
  s.template destroy<int>("object3");
  s.template destroy<int>("object8");
  return buf;
}

// Opens the damaged image and uses it; every operation's result is checked
// against what the image was built with.
template <class Segment>
outcome exercise(image& buf) {
  Segment s;
  try {
    Segment opened(open_only, buf.data(), kSize);
    s.swap(opened);
  } catch (const interprocess_exception& e) {
    const error_code_t code = e.get_error_code();
    return code == corrupted_error || code == size_error ? refused_at_open : other_error;
  } catch (...) {
    return other_error;
  }
  try {
    bool right = true;
    for (int i = 0; i < 12; ++i) {
      const std::string name = "object" + std::to_string(i);
      auto found = s.template find<int>(name.c_str());
      if (i == 3 || i == 8) {
        right &= found.first == nullptr;
      } else {
        right &= found.first != nullptr && *found.first == i &&
                 found.second == static_cast<std::size_t>(1 + i % 3);
      }
    }
    right &= s.template find<double>(unique_instance).first != nullptr;
    std::size_t named = 0;
    for (auto it = s.named_begin(); it != s.named_end(); ++it) {
      right &= std::string(it->name(), it->name_length()).rfind("object", 0) == 0;
      ++named;
    }
    right &= named == 10 && s.get_num_named_objects() == 10;
    std::size_t unique = 0;
    for (auto it = s.unique_begin(); it != s.unique_end(); ++it) ++unique;
    right &= unique == 1 && s.get_num_unique_objects() == 1;
    right &= s.get_free_memory() < kSize;
    int* added = s.template construct<int>("added")[4](7);
    void* more = s.allocate(40);
    s.deallocate(more);
    right &= s.template destroy<int>("object5");
    right &= s.template find<int>("added").first == added;
    s.destroy_ptr(added);
    s.template construct<long>("refilled")(1);
    right &= s.check_sanity();
    return right ? works_and_sane : works_but_insane;
  } catch (const interprocess_exception& e) {
    return e.get_error_code() == corrupted_error ? refused_by_operation : other_error;
  } catch (...) {
    return other_error;
  }
}

// Runs `exercise` on a copy of `valid` with byte `at` inverted, in a child.
template <class Segment>
outcome flip_and_run(const image& valid, std::size_t at) {
  const pid_t child = fork();
  if (child == 0) {
    alarm(20);  // a hang counts as a crash
    image copy = valid;
    reinterpret_cast<unsigned char*>(copy.data())[at] ^= 0xFF;
    _exit(exercise<Segment>(copy));
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return crashed;
  if (!WIFEXITED(status)) return crashed;
  const int code = WEXITSTATUS(status);
  return code <= crashed ? static_cast<outcome>(code) : crashed;
}

// Flips bytes [from, to) one at a time and expects none to end in one of
// the `bad` outcomes.
template <class Segment>
void flip_range(const image& valid, std::size_t from, std::size_t to,
                std::initializer_list<outcome> bad) {
  std::map<int, std::vector<std::size_t>> by_outcome;
  for (std::size_t at = from; at < to; ++at) {
    by_outcome[flip_and_run<Segment>(valid, at)].push_back(at);
  }
  auto count = [&](outcome o) { return by_outcome[o].size(); };
  std::printf(
      "bytes [%zu, %zu): %zu refused at open, %zu refused by an operation, %zu sane, "
      "%zu insane, %zu other errors, %zu crashed\n",
      from, to, count(refused_at_open), count(refused_by_operation), count(works_and_sane),
      count(works_but_insane), count(other_error), count(crashed));
  for (outcome o : bad) {
    std::string where;
    for (std::size_t at : by_outcome[o]) where += " " + std::to_string(at);
    EXPECT_EQ(count(o), 0u) << "outcome " << o << " at bytes" << where;
  }
}

// Where the free blocks of trie bins (at least 32 units of 16 bytes) start
// in a valid image, the free space at the end excepted; their tags and links
// take 40 bytes (see docs/layout.md).
std::vector<std::size_t> trie_blocks(const image& valid) {
  const unsigned char* b = reinterpret_cast<const unsigned char*>(valid.data());
  std::size_t first, end;
  std::memcpy(&first, b + 24 + 2 * sizeof(std::size_t), sizeof first);
  std::memcpy(&end, b + 24 + 3 * sizeof(std::size_t), sizeof end);
  std::vector<std::size_t> at;
  for (std::size_t off = first, size = 0; off < end; off += size) {
    std::size_t size_flags;
    std::memcpy(&size_flags, b + off + sizeof(std::size_t), sizeof size_flags);
    size = size_flags & ~std::size_t(7);
    if (size == 0) break;
    if ((size_flags & 1) || size < 32 * 16 || off + size == end) continue;
    at.push_back(off);
  }
  return at;
}

template <class Segment>
void flip_every_byte() {
  const image valid = build_image<Segment>();
  image untouched = valid;
  ASSERT_EQ(exercise<Segment>(untouched), works_and_sane);
  // The segment manager (the algorithm's header, the signature, the index
  // headers) and the first block's tags, then the objects' blocks.
  const std::size_t header = sizeof(typename Segment::segment_manager) + 16;
  flip_range<Segment>(valid, 0, header, {works_but_insane, other_error, crashed});
  flip_range<Segment>(valid, header, header + 512, {other_error, crashed});
  // The trie bins' links: refused at open or harmless.
  const std::vector<std::size_t> blocks = trie_blocks(valid);
  ASSERT_EQ(blocks.size(), 3u);
  for (std::size_t at : blocks) {
    flip_range<Segment>(valid, at, at + 40, {works_but_insane, other_error, crashed});
  }
}

template <template <class> class Index>
using over_rbtree = basic_managed_external_buffer<char, rbtree_best_fit<null_mutex_family>, Index>;

TEST(SegmentHostileBytes, DefaultSegmentRefusesOrSurvivesEveryFlip) {
  flip_every_byte<managed_external_buffer>();
}

TEST(SegmentHostileBytes, IunorderedSetSegmentRefusesOrSurvivesEveryFlip) {
  flip_every_byte<over_rbtree<iunordered_set_index>>();
}

TEST(SegmentHostileBytes, FlatMapSegmentRefusesOrSurvivesEveryFlip) {
  flip_every_byte<over_rbtree<flat_map_index>>();
}

TEST(SegmentHostileBytes, SimpleSeqFitSegmentRefusesOrSurvivesEveryFlip) {
  flip_every_byte<
      basic_managed_external_buffer<char, simple_seq_fit<null_mutex_family>, iset_index>>();
}

// Damage done after open, to blocks the heap reaches on use: refused with
// corrupted_error by the operation that reaches it, before it changes
// anything.
TEST(SegmentHostileBytes, HeapDamageAfterOpenIsRefusedOnUse) {
  image buf((kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
  managed_external_buffer s(create_only, buf.data(), kSize);
  auto tags = [](void* p) { return reinterpret_cast<std::size_t*>(p) - 2; };  // prev, size
  auto code_of = [](auto op) -> int {
    try {
      op();
    } catch (const interprocess_exception& e) {
      return e.get_error_code();
    }
    return no_error;
  };
  void* a = s.allocate(40);
  void* b = s.allocate(40);
  void* c = s.allocate(40);
  void* d = s.allocate(40);
  s.deallocate(b);  // b is now a free block between a and c

  // A free block's link pointing outside the blocks: taking b from its bin.
  std::size_t* b_link = tags(b) + 2;
  const std::size_t saved_link = *b_link;
  *b_link = 0x7777777;
  EXPECT_EQ(code_of([&] { s.allocate(40); }), corrupted_error);
  EXPECT_EQ(code_of([&] { s.deallocate(a); }), corrupted_error);  // merges with b
  *b_link = saved_link;
  EXPECT_TRUE(s.check_sanity());

  // A boundary tag that disagrees with the block before it.
  std::size_t* d_prev = tags(d);
  *d_prev += 16;
  EXPECT_EQ(code_of([&] { s.deallocate(c); }), corrupted_error);
  *d_prev -= 16;
  EXPECT_TRUE(s.check_sanity());

  // An object's block whose tags no longer say "allocated": destroy_ptr
  // refuses it before running any destructor or touching the index.
  int* named = s.construct<int>("named")(5);
  std::size_t* named_size = tags(segment_detail::block_header::from_value(named)->block()) + 1;
  *named_size &= ~std::size_t(1);
  EXPECT_EQ(code_of([&] { s.destroy_ptr(named); }), corrupted_error);
  *named_size |= 1;
  EXPECT_TRUE(s.check_sanity());
  EXPECT_EQ(*s.find<int>("named").first, 5);
  s.destroy_ptr(named);
  for (void* p : {a, c, d}) s.deallocate(p);
  EXPECT_TRUE(s.all_memory_deallocated());
}

}  // namespace
}  // namespace refipc
