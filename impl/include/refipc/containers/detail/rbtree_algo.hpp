// The red-black balancing of refipc's ordered containers, on node links that
// are the allocator's pointers (offset_ptr in a managed segment), so a tree
// is valid wherever its segment is mapped.
//
// The header node (in the container object) holds the root as its parent,
// the leftmost node as its left and the rightmost as its right, and is end().
// The root's parent is the header; no other node points to the header, so
// moving a container only needs the root's parent re-pointed.
#ifndef REFIPC_CONTAINERS_DETAIL_RBTREE_ALGO_HPP_
#define REFIPC_CONTAINERS_DETAIL_RBTREE_ALGO_HPP_

#include <cstddef>
#include <memory>

#include "refipc/containers/detail/container_alloc.hpp"

namespace refipc {
namespace containers_detail {

template <class VoidPointer>
struct rb_node_base {
  using link = rebind_ptr_t<VoidPointer, rb_node_base>;
  link parent_;
  link left_;
  link right_;
  bool red_ = false;
  bool header_ = false;

  rb_node_base* parent() const noexcept { return to_raw(parent_); }
  rb_node_base* left() const noexcept { return to_raw(left_); }
  rb_node_base* right() const noexcept { return to_raw(right_); }
};

template <class N>
bool is_red(const N* n) noexcept {
  return n != nullptr && n->red_;
}

template <class N>
N* tree_min(N* x) noexcept {
  while (x->left() != nullptr) x = x->left();
  return x;
}
template <class N>
N* tree_max(N* x) noexcept {
  while (x->right() != nullptr) x = x->right();
  return x;
}

template <class N>
N* tree_next(N* x) noexcept {
  if (x->right() != nullptr) return tree_min(x->right());
  N* y = x->parent();
  while (!y->header_ && x == y->right()) {
    x = y;
    y = y->parent();
  }
  return y;
}

template <class N>
N* tree_prev(N* x) noexcept {
  if (x->header_) return x->right();
  if (x->left() != nullptr) return tree_max(x->left());
  N* y = x->parent();
  while (!y->header_ && x == y->left()) {
    x = y;
    y = y->parent();
  }
  return y;
}

// Puts v where u hangs (the root when u's parent is the header).
template <class N>
void replace_child(N* header, N* u, N* v) noexcept {
  N* p = u->parent();
  if (p == header) {
    header->parent_ = v;
  } else if (u == p->left()) {
    p->left_ = v;
  } else {
    p->right_ = v;
  }
  if (v != nullptr) v->parent_ = p;
}

template <class N>
void rotate_left(N* header, N* x) noexcept {
  N* y = x->right();
  x->right_ = y->left();
  if (y->left() != nullptr) y->left()->parent_ = x;
  replace_child(header, x, y);
  y->left_ = x;
  x->parent_ = y;
}

template <class N>
void rotate_right(N* header, N* x) noexcept {
  N* y = x->left();
  x->left_ = y->right();
  if (y->right() != nullptr) y->right()->parent_ = x;
  replace_child(header, x, y);
  y->right_ = x;
  x->parent_ = y;
}

// Hangs the fresh node z under `parent` (the header for an empty tree), on
// its left or right, and rebalances.
template <class N>
void link_and_rebalance(N* header, N* z, N* parent, bool left) noexcept {
  z->parent_ = parent;
  z->left_ = nullptr;
  z->right_ = nullptr;
  z->red_ = true;
  if (parent == header) {
    header->parent_ = z;
    header->left_ = z;
    header->right_ = z;
  } else if (left) {
    parent->left_ = z;
    if (parent == header->left()) header->left_ = z;
  } else {
    parent->right_ = z;
    if (parent == header->right()) header->right_ = z;
  }
  while (z != header->parent() && z->parent()->red_) {
    N* p = z->parent();
    N* g = p->parent();
    if (p == g->left()) {
      N* uncle = g->right();
      if (is_red(uncle)) {
        p->red_ = false;
        uncle->red_ = false;
        g->red_ = true;
        z = g;
      } else {
        if (z == p->right()) {
          z = p;
          rotate_left(header, z);
          p = z->parent();
        }
        p->red_ = false;
        g->red_ = true;
        rotate_right(header, g);
      }
    } else {
      N* uncle = g->left();
      if (is_red(uncle)) {
        p->red_ = false;
        uncle->red_ = false;
        g->red_ = true;
        z = g;
      } else {
        if (z == p->left()) {
          z = p;
          rotate_right(header, z);
          p = z->parent();
        }
        p->red_ = false;
        g->red_ = true;
        rotate_left(header, g);
      }
    }
  }
  header->parent()->red_ = false;
}

// Takes z out of the tree and rebalances; z itself is left to the caller.
template <class N>
void unlink_and_rebalance(N* header, N* z) noexcept {
  if (z == header->left()) header->left_ = tree_next(z);
  if (z == header->right()) header->right_ = tree_prev(z);
  N* x;
  N* xp;
  bool removed_red = z->red_;
  if (z->left() == nullptr) {
    x = z->right();
    xp = z->parent();
    replace_child(header, z, x);
  } else if (z->right() == nullptr) {
    x = z->left();
    xp = z->parent();
    replace_child(header, z, x);
  } else {
    N* y = tree_min(z->right());
    removed_red = y->red_;
    x = y->right();
    if (y->parent() == z) {
      xp = y;
    } else {
      xp = y->parent();
      replace_child(header, y, x);
      y->right_ = z->right();
      y->right()->parent_ = y;
    }
    replace_child(header, z, y);
    y->left_ = z->left();
    y->left()->parent_ = y;
    y->red_ = z->red_;
  }
  if (header->parent() == nullptr) {
    header->left_ = header;
    header->right_ = header;
    return;
  }
  if (removed_red) return;
  while (x != header->parent() && !is_red(x)) {
    if (x == xp->left()) {
      N* w = xp->right();
      if (w->red_) {
        w->red_ = false;
        xp->red_ = true;
        rotate_left(header, xp);
        w = xp->right();
      }
      if (!is_red(w->left()) && !is_red(w->right())) {
        w->red_ = true;
        x = xp;
        xp = x->parent();
      } else {
        if (!is_red(w->right())) {
          w->left()->red_ = false;
          w->red_ = true;
          rotate_right(header, w);
          w = xp->right();
        }
        w->red_ = xp->red_;
        xp->red_ = false;
        w->right()->red_ = false;
        rotate_left(header, xp);
        x = header->parent();
      }
    } else {
      N* w = xp->left();
      if (w->red_) {
        w->red_ = false;
        xp->red_ = true;
        rotate_right(header, xp);
        w = xp->left();
      }
      if (!is_red(w->left()) && !is_red(w->right())) {
        w->red_ = true;
        x = xp;
        xp = x->parent();
      } else {
        if (!is_red(w->left())) {
          w->right()->red_ = false;
          w->red_ = true;
          rotate_left(header, w);
          w = xp->left();
        }
        w->red_ = xp->red_;
        xp->red_ = false;
        w->left()->red_ = false;
        rotate_right(header, xp);
        x = header->parent();
      }
    }
  }
  if (x != nullptr) x->red_ = false;
}

// Checks the red-black invariants and the header's links; returns the
// number of nodes, or -1 if anything is wrong. For tests and the fuzzer.
template <class N>
std::ptrdiff_t black_height(const N* n, const N* parent, std::ptrdiff_t* count) noexcept {
  if (n == nullptr) return 1;
  if (n->parent() != parent || n->header_) return -1;
  if (n->red_ && (is_red(n->left()) || is_red(n->right()))) return -1;
  const std::ptrdiff_t l = black_height<N>(n->left(), n, count);
  const std::ptrdiff_t r = black_height<N>(n->right(), n, count);
  if (l < 0 || l != r) return -1;
  ++*count;
  return l + (n->red_ ? 0 : 1);
}

template <class N>
std::ptrdiff_t check_tree(const N* header) noexcept {
  const N* root = header->parent();
  if (root == nullptr) {
    return header->left() == header && header->right() == header ? 0 : -1;
  }
  if (root->red_ || header->left() != tree_min(const_cast<N*>(root)) ||
      header->right() != tree_max(const_cast<N*>(root))) {
    return -1;
  }
  std::ptrdiff_t count = 0;
  return black_height<N>(root, header, &count) < 0 ? -1 : count;
}

}  // namespace containers_detail
}  // namespace refipc

#endif  // REFIPC_CONTAINERS_DETAIL_RBTREE_ALGO_HPP_
