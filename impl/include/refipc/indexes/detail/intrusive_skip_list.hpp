// An ordered intrusive index as a skip list whose nodes are the objects'
// blocks: each block carries, right before its block_header, the order key
// of its name (its length and last bytes, see order_key()) and below it a
// tower of forward links (link i at the i-th pointer below the key), with a
// height drawn geometrically (p = 1/4) before the block is allocated.
// Entries are ordered by key, then length, then characters, so that a search
// step compares one word read next to the links it follows and reads a name
// only where the keys are equal; names numbered in sequence keep their
// order, and so the closeness in memory of objects created in that order. Backs
// iset_index. Every operation checks each block, word and link it reads
// against the segment_bounds it is given and takes at most size() steps a
// level (see segment_bounds.hpp).
#ifndef REFIPC_INDEXES_DETAIL_INTRUSIVE_SKIP_LIST_HPP_
#define REFIPC_INDEXES_DETAIL_INTRUSIVE_SKIP_LIST_HPP_

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>

#include "refipc/detail/segment/block_header.hpp"
#include "refipc/detail/segment/index_config.hpp"
#include "refipc/detail/segment/raw_pointer.hpp"
#include "refipc/indexes/detail/forward_iterator.hpp"
#include "refipc/indexes/detail/segment_bounds.hpp"
#include "refipc/indexes/detail/tower_height.hpp"

namespace refipc {
namespace index_detail {

template <class CharT, class VoidPointer>
class intrusive_skip_list {
  using header = segment_detail::block_header;
  using link = segment_detail::rebind_pointer_t<VoidPointer, header>;
  static constexpr int kMaxHeight = 12;
  // The tower ends at the header's address rounded down to kTowerAlign:
  // the order key in the last kKeyBytes, the links below it.
  static constexpr std::size_t kTowerAlign = alignof(link) > alignof(std::uint64_t)
                                                 ? alignof(link)
                                                 : alignof(std::uint64_t);
  static constexpr std::size_t kKeyBytes =
      segment_detail::round_up(sizeof(std::uint64_t), kTowerAlign);

 public:
  // Its operations take the segment_bounds they check reads against.
  using bounded_index_tag = void;
  using block_index_tag = void;
  using key_type = index_key<CharT, VoidPointer>;
  using size_type = std::size_t;

  // A block, for forward_iterator; at most `left` more blocks follow.
  struct cursor {
    using value_type = header;
    header* n = nullptr;
    segment_bounds bounds;
    std::size_t left = 0;
    header* get() const noexcept { return n; }
    void next() {
      n = follow(bounds, *slot(bounds, n, 0));
      if (!n) return;
      if (left == 0) segment_bounds::corrupted();
      --left;
    }
    header* at() const noexcept { return n; }
  };
  using iterator = forward_iterator<cursor, false>;
  using const_iterator = forward_iterator<cursor, true>;

  intrusive_skip_list() {
    static_assert(std::is_standard_layout<intrusive_skip_list>::value);
    static_assert(sizeof(void*) != 8 ||
                      (offsetof(intrusive_skip_list, height_) == kMaxHeight * sizeof(link) &&
                       offsetof(intrusive_skip_list, size_) == kMaxHeight * sizeof(link) + 8 &&
                       sizeof(intrusive_skip_list) == kMaxHeight * sizeof(link) + 8 + 2 * 8),
                  "the layout docs/layout.md describes");
    for (auto& h : head_) h = nullptr;
  }
  intrusive_skip_list(const intrusive_skip_list&) = delete;
  intrusive_skip_list& operator=(const intrusive_skip_list&) = delete;

  iterator begin(const segment_bounds& b) { return iterator(at(b, follow(b, head_top()[-1]))); }
  iterator end() noexcept { return iterator(); }
  const_iterator begin(const segment_bounds& b) const {
    return const_cast<intrusive_skip_list*>(this)->begin(b);
  }
  const_iterator end() const noexcept { return const_iterator(); }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  iterator find(const key_type& key, const segment_bounds& b) {
    const std::uint64_t word = order_key(key);
    link* top = head_top();
    for (int level = height(b) - 1; level >= 0; --level) {
      walk_budget budget(b.entries(size_));
      for (;;) {
        header* n = peek(top[-1 - level]);
        if (!n) break;
        budget.step();
        const int c = order(b, n, key, word);
        if (c == 0) return iterator(at(b, n));
        if (c > 0) break;
        top = slot(b, n, level) + 1 + level;
      }
    }
    return end();
  }

  // Where a name goes: the link to update at each level.
  struct insert_commit_data {
    link* update[kMaxHeight];
    std::uint64_t word;
  };

  // The block named `key`, or null after recording in `data` where a block
  // of that name would go (valid until the list changes).
  header* insert_check(const key_type& key, insert_commit_data& data, const segment_bounds& b) {
    data.word = order_key(key);
    link* top = head_top();
    const int height = this->height(b);
    for (int level = kMaxHeight - 1; level >= height; --level)
      data.update[level] = &top[-1 - level];
    for (int level = height - 1; level >= 0; --level) {
      walk_budget budget(b.entries(size_));
      for (;;) {
        header* n = peek(top[-1 - level]);
        if (!n) break;
        budget.step();
        const int c = order(b, n, key, data.word);
        if (c == 0) return n;
        if (c > 0) break;
        top = slot(b, n, level) + 1 + level;
      }
      data.update[level] = &top[-1 - level];
    }
    return nullptr;
  }

  // Draws the height of the next inserted block's tower.
  std::size_t link_bytes() noexcept {
    pending_height_ = heights_.draw();
    return tower_bytes(pending_height_);
  }

  // Links h where insert_check() placed its name; h's block holds the tower
  // sized by the last link_bytes().
  void insert_commit(header& h, const insert_commit_data& data, const segment_bounds&) noexcept {
    const int height = pending_height_;
    ::new (key_word(&h)) std::uint64_t(data.word);
    for (int level = 0; level < height; ++level) {
      ::new (&links(&h)[-1 - level]) link(*data.update[level]);
      *data.update[level] = &h;
    }
    if (height > height_) height_ = height;
    ++size_;
  }

  // Unlinks the block named `key` and returns it (null when absent).
  header* unlink(const key_type& key, const segment_bounds& b) {
    const std::uint64_t word = order_key(key);
    link* update[kMaxHeight];
    link* top = head_top();
    header* found = nullptr;
    const int height = this->height(b);
    for (int level = height - 1; level >= 0; --level) {
      walk_budget budget(b.entries(size_));
      header* n;
      int c = 1;
      while ((n = peek(top[-1 - level])) && (c = order(b, n, key, word)) < 0) {
        budget.step();
        top = slot(b, n, level) + 1 + level;
      }
      if (n && c == 0) found = n;
      update[level] = &top[-1 - level];
    }
    if (found) unlink_found(found, update, height, b);
    return found;
  }

  iterator erase(iterator pos, const segment_bounds& b) {
    header* target = pos.cursor().n;
    const cursor after = at(b, follow(b, *slot(b, target, 0)));
    unlink(key_type(target->template name<CharT>(), target->name_length), b);
    return iterator(after);
  }

  // Beyond Boost: checks the list as read from shared memory (when a
  // segment is opened): the heights, every level strictly ordered through
  // blocks `checker` accepts with room for the key and that level's link,
  // each key that of its name, the levels above the height empty, and the
  // entry count. O(entries).
  template <class Checker>
  bool check(const Checker& checker) const noexcept {
    if (height_ < 1 || height_ > kMaxHeight || pending_height_ < 1 ||
        pending_height_ > kMaxHeight || size_ > checker.max_objects()) {
      return false;
    }
    const link* top = head_ + kMaxHeight;
    for (int level = 0; level < kMaxHeight; ++level) {
      const header* prev = nullptr;
      std::size_t count = 0;
      for (const header* n = segment_detail::raw(top[-1 - level]); n;
           n = segment_detail::raw(links(n)[-1 - level])) {
        // Strict order also rules out a cycle.
        if (level >= height_ || ++count > size_) return false;
        if (!checker.block(n, tower_bytes(level + 1), kTowerAlign)) return false;
        const key_type key(n->template name<CharT>(), n->name_length);
        if (level == 0 && *key_word(n) != order_key(key)) return false;
        if (prev && order(*prev, key, *key_word(n)) >= 0) return false;
        prev = n;
      }
      if ((level == 0 && count != size_) || (level == height_ - 1 && level > 0 && count == 0)) {
        return false;
      }
    }
    return true;
  }

  // Links live in the blocks: nothing to reserve or give back.
  void reserve(std::size_t, const segment_bounds&) noexcept {}
  void shrink_to_fit(const segment_bounds&) noexcept {}

 private:
  // Bytes below a header for the key and `height` links.
  static constexpr std::size_t tower_bytes(int height) noexcept {
    return kKeyBytes + segment_detail::round_up(height * sizeof(link), kTowerAlign);
  }
  // A block's key word, right below its header; its links below that.
  static std::uint64_t* key_word(const header* h) noexcept {
    return reinterpret_cast<std::uint64_t*>(static_cast<char*>(h->links_end(kTowerAlign)) -
                                            kKeyBytes);
  }
  static link* links(const header* h) noexcept { return reinterpret_cast<link*>(key_word(h)); }
  link* head_top() noexcept { return head_ + kMaxHeight; }

  // The height as read from the segment, checked.
  int height(const segment_bounds&) const {
    if (height_ < 1 || height_ > kMaxHeight) segment_bounds::corrupted();
    return height_;
  }
  // The block a link read from the segment points to (or null), for a
  // search step: only its alignment is checked, order() checks what it reads.
  static header* peek(const link& l) {
    header* n = segment_detail::raw(l);
    if (reinterpret_cast<std::uintptr_t>(n) % alignof(header) != 0) segment_bounds::corrupted();
    return n;
  }
  // The block a link read from the segment points to, its header and name
  // checked (or null).
  static header* follow(const segment_bounds& b, const link& l) {
    header* n = segment_detail::raw(l);
    return n ? b.block<CharT>(n) : nullptr;
  }
  // The address of h's link at `level`, checked to lie in the segment.
  static link* slot(const segment_bounds& b, const header* h, int level) {
    return b.node(links(h) - 1 - level);
  }
  // A cursor at n (or the end) that follows at most size() blocks.
  cursor at(const segment_bounds& b, header* n) const {
    const std::size_t entries = b.entries(size_);
    if (n && entries == 0) segment_bounds::corrupted();
    return cursor{n, b, n ? entries - 1 : 0};
  }

  // Unlinks `found`, the entry after update[0], from every level it is on.
  void unlink_found(header* found, link* const* update, int height, const segment_bounds& b) {
    for (int level = 0; level < height && segment_detail::raw(*update[level]) == found; ++level) {
      *update[level] = *slot(b, found, level);
    }
    --size_;
    while (height_ > 1 && !head_top()[-height_]) --height_;
  }

  // The order key of a name: its length (at most 0xffff) above its last six
  // bytes read as a big-endian number.
  static std::uint64_t order_key(const key_type& key) noexcept {
    const auto* bytes = reinterpret_cast<const unsigned char*>(key.name());
    const std::size_t n = key.m_len * sizeof(CharT);
    std::uint64_t tail = 0;
    for (std::size_t i = n > 6 ? n - 6 : 0; i < n; ++i) tail = tail << 8 | bytes[i];
    const std::uint64_t length = key.m_len < 0xffff ? key.m_len : 0xffff;
    return length << 48 | tail;
  }
  // Where block n, read from the segment, sorts against `key` of order key
  // `word`: its header and name are read (and checked) only on equal keys.
  static int order(const segment_bounds& b, header* n, const key_type& key, std::uint64_t word) {
    const std::uint64_t at = *b.node(key_word(n));
    if (at != word) return at < word ? -1 : 1;
    return compare(*b.block<CharT>(n), key);
  }
  static int order(const header& h, const key_type& key, std::uint64_t word) noexcept {
    const std::uint64_t at = *key_word(&h);
    if (at != word) return at < word ? -1 : 1;
    return compare(h, key);
  }
  // Equal keys: by length, then character by character (as index_key).
  static int compare(const header& h, const key_type& key) noexcept {
    if (h.name_length != key.m_len) return h.name_length < key.m_len ? -1 : 1;
    return std::char_traits<CharT>::compare(h.template name<CharT>(), key.name(), key.m_len);
  }

  link head_[kMaxHeight];  // head_[kMaxHeight - 1 - level]
  int height_ = 1;
  int pending_height_ = 1;
  std::size_t size_ = 0;
  tower_height<kMaxHeight> heights_;
};

}  // namespace index_detail
}  // namespace refipc

#endif  // REFIPC_INDEXES_DETAIL_INTRUSIVE_SKIP_LIST_HPP_
