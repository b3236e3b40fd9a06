// Index damage done after a segment is open (by a peer or a stray write):
// for every index type, one object's index node is damaged in place (a
// link pointing outside the segment, a link making a cycle, a misaligned
// link, a name length that overruns the segment), and then find, construct,
// destroy and iteration must each refuse with corrupted_error when they reach
// the damage, and never crash, hang or throw anything else. Each case runs
// in a child process with an alarm, so that a crash or a hang is counted.
//
// The damage is placed through the layouts docs/layout.md describes: an
// intrusive index's level-0 link lies below the block header (rounded down
// to the links' alignment, and for iset to at least a 64-bit integer's),
// right below it or below iset's 8-byte order key; a map index's node is
// found by its pointer to the block.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/indexes/unordered_map_index.hpp"
#include "refipc/managed_external_buffer.hpp"
#include "refipc/mem_algo/rbtree_best_fit.hpp"
#include "refipc/offset_ptr.hpp"

namespace refipc {
namespace {

constexpr std::size_t kSize = 64 * 1024;
constexpr int kProbes = 64;

using header = segment_detail::block_header;
using link = offset_ptr<void>;

template <template <class> class Index>
using segment_t = basic_managed_external_buffer<char, rbtree_best_fit<null_mutex_family>, Index>;

// A link outside the segment, a link making a cycle, a misaligned link, a
// name length that overruns the segment, and (map nodes) the pointer to the
// object's block outside the segment.
enum class damage { outside, cycle, misaligned, name_length, block };
enum class layout { intrusive, sorted_vector, map_node };

// Where an index keeps "a"'s entry and where its (level-0 or chain) link
// is: in a map node, link_at bytes from the node's start; in a block, below
// the header and its order key of key_bytes.
struct site {
  layout kind;
  std::size_t link_at = 0;
  std::size_t key_bytes = 0;
};

// The child's exit codes: which operation failed to refuse, or how.
enum result : int {
  all_refused = 0,
  find_accepted = 1,
  construct_accepted = 2,
  destroy_accepted = 3,
  iteration_accepted = 4,
  other_exception = 5,
  no_damage_site = 6,
};

link* as_link(void* p) { return static_cast<link*>(p); }

// The words of the segment that point (as offset pointers) to `target`.
std::vector<link*> pointers_to(unsigned char* base, const void* target) {
  std::vector<link*> found;
  for (std::size_t at = 0; at + sizeof(link) <= kSize; at += sizeof(link)) {
    link* l = as_link(base + at);
    if (l->get() == target) found.push_back(l);
  }
  return found;
}

// Damages the index entry of the object named "a" in place; false when the
// site is not where the layout says.
template <class Segment>
bool damage_entry(Segment& s, unsigned char* base, site where, damage how) {
  const layout kind = where.kind;
  header* h = header::from_value(s.template find<int>("a").first);
  unsigned char* outside = base + kSize + 4096;
  if (how == damage::name_length && kind != layout::map_node) {
    h->name_length = 0x7fffffff;
    return true;
  }
  link* out = nullptr;   // the link to damage
  void* self = nullptr;  // what it points to when it makes a cycle
  if (kind == layout::intrusive) {
    const std::size_t align =
        where.key_bytes != 0 ? std::max(alignof(link), alignof(std::uint64_t)) : alignof(link);
    out = reinterpret_cast<link*>(static_cast<unsigned char*>(h->links_end(align)) -
                                  where.key_bytes) -
          1;
    self = h;
  } else {
    // The map entries point to the block: a sorted vector's entry holds the
    // link itself; a map node is {key name, key length, block, links...}.
    const std::vector<link*> to_block = pointers_to(base, h);
    if (to_block.size() != 1) return false;
    if (kind == layout::sorted_vector) {
      out = to_block[0];
    } else {
      if (how == damage::block) {
        *to_block[0] = outside;
        return true;
      }
      unsigned char* node = reinterpret_cast<unsigned char*>(to_block[0]) - 2 * sizeof(link);
      if (how == damage::name_length) {
        *reinterpret_cast<std::size_t*>(node + sizeof(link)) = SIZE_MAX / 2;
        return true;
      }
      out = as_link(node + where.link_at);
      self = node;
    }
  }
  switch (how) {
    case damage::outside:
      *out = outside;
      break;
    case damage::cycle:
      if (!self) return false;
      *out = self;
      break;
    case damage::misaligned:
      *out = reinterpret_cast<unsigned char*>(out->get() ? out->get() : h) + 1;
      break;
    case damage::name_length:
    case damage::block:
      return false;
  }
  return true;
}

// 1 when op refuses with corrupted_error, 0 when it ends as on a sound
// segment (constructing "a" again finds it taken), -1 otherwise.
template <class Op>
int refused(Op op) {
  try {
    op();
  } catch (const interprocess_exception& e) {
    if (e.get_error_code() == already_exists_error) return 0;
    return e.get_error_code() == corrupted_error ? 1 : -1;
  } catch (...) {
    return -1;
  }
  return 0;
}

// In the child: builds a segment holding "a" (and an unrelated unique
// object), damages "a"'s entry and runs every operation on "a" and on probe
// names. A skip list's walk passes "a" for the names that sort after it:
// both skip lists sort by length first, so every probe. flat_map_index meets
// "a", its only entry, in every search; a hashed index for the probes of its
// bucket.
template <template <class> class Index>
result run_case(site where, damage how) {
  // Rounded up: max_align_t is 48 bytes on 32-bit x86, which 64 KiB is not
  // a multiple of.
  std::vector<std::max_align_t> buf((kSize + sizeof(std::max_align_t) - 1) /
                                    sizeof(std::max_align_t));
  unsigned char* base = reinterpret_cast<unsigned char*>(buf.data());
  segment_t<Index> s(create_only, buf.data(), kSize);
  s.template construct<int>("a")(1);
  s.template construct<long>(unique_instance)(2);
  if (!damage_entry(s, base, where, how)) return no_damage_site;
  int finds = 0, constructs = 0, destroys = 0, iterations = 0;
  auto count = [](int outcome, int& n) {
    if (outcome < 0) return false;
    n += outcome;
    return true;
  };
  std::vector<std::string> names{"a"};
  for (int i = 0; i < kProbes; ++i) names.push_back(std::to_string(i) + "probe");
  for (const std::string& name : names) {
    if (!count(refused([&] { s.template find<int>(name.c_str()); }), finds)) return other_exception;
  }
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (!count(refused([&] { s.template destroy<int>(it->c_str()); }), destroys)) {
      return other_exception;
    }
  }
  if (!count(refused([&] {
               for (auto it = s.named_begin(); it != s.named_end(); ++it) (void)it->name();
             }),
             iterations)) {
    return other_exception;
  }
  for (const std::string& name : names) {
    if (!count(refused([&] { s.template construct<int>(name.c_str())(0); }), constructs)) {
      return other_exception;
    }
  }
  if (finds == 0) return find_accepted;
  if (destroys == 0) return destroy_accepted;
  if (iterations == 0) return iteration_accepted;
  if (constructs == 0) return construct_accepted;
  return all_refused;
}

// Runs a case in a child; a signal, a sanitizer report or a hang is -1.
template <template <class> class Index>
int in_child(site where, damage how) {
  const pid_t child = fork();
  if (child == 0) {
    alarm(30);  // a hang fails the case
    _exit(run_case<Index>(where, how));
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

template <template <class> class Index>
void every_damage(site where, std::vector<damage> kinds) {
  for (damage how : kinds) {
    EXPECT_EQ(in_child<Index>(where, how), all_refused) << "damage " << static_cast<int>(how);
  }
}

const std::vector<damage> kEveryDamage{damage::outside, damage::cycle, damage::misaligned,
                                       damage::name_length};

TEST(IndexDamageAfterOpen, IsetIndexRefusesEveryOperation) {
  every_damage<iset_index>({layout::intrusive, 0, sizeof(std::uint64_t)}, kEveryDamage);
}

TEST(IndexDamageAfterOpen, IunorderedSetIndexRefusesEveryOperation) {
  every_damage<iunordered_set_index>({layout::intrusive}, kEveryDamage);
}

TEST(IndexDamageAfterOpen, FlatMapIndexRefusesEveryOperation) {
  // An array has no links to make a cycle of.
  every_damage<flat_map_index>({layout::sorted_vector},
                               {damage::outside, damage::misaligned, damage::name_length});
}

// A skip list node: {key name, key length, block}, then its links.
TEST(IndexDamageAfterOpen, MapIndexRefusesEveryOperation) {
  every_damage<map_index>({layout::map_node, 3 * sizeof(link)}, kEveryDamage);
  every_damage<map_index>({layout::map_node}, {damage::block});
}

// A hash node: {key name, key length, block}, its hash, then its chain link.
TEST(IndexDamageAfterOpen, UnorderedMapIndexRefusesEveryOperation) {
  every_damage<unordered_map_index>({layout::map_node, 4 * sizeof(link)}, kEveryDamage);
  every_damage<unordered_map_index>({layout::map_node}, {damage::block});
}

}  // namespace
}  // namespace refipc
