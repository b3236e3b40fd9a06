// Each 3-byte step (opcode, key, value) runs one operation on refipc
// containers built in a 48 KiB managed external buffer and on std:: models:
// map<int, int>, multiset<int>, list<int> and flat_map<int, int>. The segment
// is small enough that insertions run out of memory: an operation that
// throws bad_alloc must leave its container equal to the unchanged model.
// After every step each container equals its model, its own structure checks
// out and the segment passes check_sanity(); one opcode also copies the
// segment's bytes elsewhere, opens the copy and compares through it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <list>
#include <map>
#include <memory>
#include <set>

#include "fuzz/support/check.hpp"
#include "fuzz/support/input.hpp"
#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/flat_map.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_external_buffer.hpp"

namespace {

constexpr std::size_t kSize = 48 * 1024;

using segment_t = refipc::managed_external_buffer;
using manager_t = segment_t::segment_manager;
template <class T>
using alloc_t = refipc::allocator<T, manager_t>;
using map_t = refipc::map<int, int, std::less<int>, alloc_t<std::pair<const int, int>>>;
using multiset_t = refipc::multiset<int, std::less<int>, alloc_t<int>>;
using list_t = refipc::list<int, alloc_t<int>>;
using flat_map_t = refipc::flat_map<int, int, std::less<int>, alloc_t<std::pair<int, int>>>;

struct Models {
  std::map<int, int> map;
  std::multiset<int> multiset;
  std::list<int> list;
  std::map<int, int> flat_map;
};

struct Containers {
  map_t* map;
  multiset_t* multiset;
  list_t* list;
  flat_map_t* flat_map;
};

Containers find_all(segment_t& s) {
  Containers c{s.find<map_t>("map").first, s.find<multiset_t>("multiset").first,
               s.find<list_t>("list").first, s.find<flat_map_t>("flat_map").first};
  FUZZ_CHECK(c.map && c.multiset && c.list && c.flat_map);
  return c;
}

template <class A, class B>
bool same_pairs(const A& a, const B& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
           return x.first == y.first && x.second == y.second;
         });
}

void compare(const Containers& c, const Models& m) {
  FUZZ_CHECK(c.map->check_invariants() && same_pairs(*c.map, m.map));
  FUZZ_CHECK(c.multiset->check_invariants());
  FUZZ_CHECK(
      std::equal(c.multiset->begin(), c.multiset->end(), m.multiset.begin(), m.multiset.end()));
  FUZZ_CHECK(c.list->check_invariants());
  FUZZ_CHECK(c.list->size() == m.list.size());
  FUZZ_CHECK(std::equal(c.list->begin(), c.list->end(), m.list.begin(), m.list.end()));
  FUZZ_CHECK(c.flat_map->check_invariants() && same_pairs(*c.flat_map, m.flat_map));
}

// Runs `op` on the container; the model changes only if it did not throw.
template <class Op, class ModelOp>
void attempt(Op op, ModelOp model_op) {
  try {
    op();
  } catch (const refipc::bad_alloc&) {
    return;
  }
  model_op();
}

void step(segment_t& segment, Containers& c, Models& m, int op, int key, int value) {
  switch (op % 16) {
    case 0:
      attempt([&] { c.map->emplace(key, value); }, [&] { m.map.emplace(key, value); });
      break;
    case 1:
      FUZZ_CHECK(c.map->erase(key) == m.map.erase(key));
      break;
    case 2:
      attempt([&] { (*c.map)[key] = value; }, [&] { m.map[key] = value; });
      break;
    case 3:
      c.map->erase(c.map->lower_bound(key), c.map->upper_bound(key + value % 8));
      m.map.erase(m.map.lower_bound(key), m.map.upper_bound(key + value % 8));
      break;
    case 4:
      attempt([&] { c.multiset->insert(key % 16); }, [&] { m.multiset.insert(key % 16); });
      break;
    case 5: {
      auto it = c.multiset->find(key % 16);
      auto mit = m.multiset.find(key % 16);
      FUZZ_CHECK((it == c.multiset->end()) == (mit == m.multiset.end()));
      FUZZ_CHECK(c.multiset->count(key % 16) == m.multiset.count(key % 16));
      if (it != c.multiset->end()) {
        c.multiset->erase(it);
        m.multiset.erase(mit);
      }
      break;
    }
    case 6:
      if (value & 1) {
        attempt([&] { c.list->push_back(key); }, [&] { m.list.push_back(key); });
      } else {
        attempt([&] { c.list->push_front(key); }, [&] { m.list.push_front(key); });
      }
      break;
    case 7:
      if (!m.list.empty()) {
        if (value & 1) {
          c.list->pop_back();
          m.list.pop_back();
        } else {
          c.list->pop_front();
          m.list.pop_front();
        }
      }
      break;
    case 8: {
      const auto at = static_cast<long>(static_cast<std::size_t>(value) % (m.list.size() + 1));
      const std::size_t n = static_cast<std::size_t>(key % 8);
      attempt([&] { c.list->insert(std::next(c.list->begin(), at), n, key); },
              [&] { m.list.insert(std::next(m.list.begin(), at), n, key); });
      break;
    }
    case 9:
      switch (value % 4) {
        case 0:
          c.list->remove(key);
          m.list.remove(key);
          break;
        case 1:
          c.list->unique();
          m.list.unique();
          break;
        case 2:
          c.list->sort();
          m.list.sort();
          break;
        default:
          c.list->reverse();
          m.list.reverse();
          break;
      }
      break;
    case 10:
      attempt([&] { c.flat_map->emplace(key, value); }, [&] { m.flat_map.emplace(key, value); });
      break;
    case 11:
      FUZZ_CHECK(c.flat_map->erase(key) == m.flat_map.erase(key));
      break;
    case 12:
      attempt([&] { c.flat_map->insert_or_assign(key, value); },
              [&] { m.flat_map.insert_or_assign(key, value); });
      break;
    case 13:
      attempt([&] { c.map->emplace_hint(c.map->lower_bound(value), key, value); },
              [&] { m.map.emplace(key, value); });
      break;
    case 14: {
      // The same bytes at another address read the same containers.
      std::unique_ptr<std::max_align_t[]> copy(
          new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]);
      std::memcpy(copy.get(), segment.get_address(), kSize);
      segment_t moved(refipc::open_only, copy.get(), kSize);
      compare(find_all(moved), m);
      break;
    }
    default: {
      // A copy in the segment equals the original, or fails cleanly.
      map_t* copy = nullptr;
      try {
        copy = segment.construct<map_t>("copy")(*c.map);
      } catch (const refipc::bad_alloc&) {
        break;
      }
      FUZZ_CHECK(*copy == *c.map && copy->check_invariants());
      segment.destroy_ptr(copy);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::unique_ptr<std::max_align_t[]> memory(
      new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]);
  segment_t segment(refipc::create_only, memory.get(), kSize);
  manager_t* mgr = segment.get_segment_manager();
  Containers c{segment.construct<map_t>("map")(mgr), segment.construct<multiset_t>("multiset")(mgr),
               segment.construct<list_t>("list")(mgr),
               segment.construct<flat_map_t>("flat_map")(mgr)};
  Models m;
  fuzz_support::Input in(data, size);
  while (!in.empty()) {
    const int op = static_cast<int>(in.take(1));
    const int key = static_cast<int>(in.take(1));
    const int value = static_cast<int>(in.take(1));
    step(segment, c, m, op, key, value);
    compare(c, m);
    FUZZ_CHECK(segment.check_sanity());
  }
  segment.destroy_ptr(c.map);
  segment.destroy_ptr(c.multiset);
  segment.destroy_ptr(c.list);
  segment.destroy_ptr(c.flat_map);
  FUZZ_CHECK(segment.all_memory_deallocated());
  return 0;
}
