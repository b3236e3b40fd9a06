// The first byte picks an index type and whether Boost runs alongside; the
// rest is a sequence of 3-byte operations (opcode, name, argument) on named
// and unique int arrays: construct (throwing and nothrow), find,
// find_or_construct, destroy, destroy_ptr, iterate, reserve,
// shrink_to_fit_indexes, and (refipc alone) a byte copy of the whole segment
// reopened at another address. A std::map model predicts every observable
// result; in differential mode Boost's results must equal refipc's. The
// segment is large enough that no operation runs out of memory.
#include <boost/interprocess/indexes/flat_map_index.hpp>
#include <boost/interprocess/indexes/iset_index.hpp>
#include <boost/interprocess/indexes/iunordered_set_index.hpp>
#include <boost/interprocess/indexes/map_index.hpp>
#include <boost/interprocess/managed_external_buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "fuzz/support/check.hpp"
#include "refipc/indexes/flat_map_index.hpp"
#include "refipc/indexes/iset_index.hpp"
#include "refipc/indexes/iunordered_set_index.hpp"
#include "refipc/indexes/map_index.hpp"
#include "refipc/indexes/unordered_map_index.hpp"
#include "refipc/managed_external_buffer.hpp"

namespace {

constexpr std::size_t kSize = 64 * 1024;
constexpr int kNames = 40;

std::string name_of(std::uint8_t id) {
  // Lengths 1..9 and shared prefixes, so that ordering and hashing both see
  // close keys.
  int n = id % kNames;
  return std::string(1 + n % 9, static_cast<char>('a' + n / 9)) + std::to_string(n % 3);
}

// One observable result of an operation.
struct Outcome {
  bool present = false;
  int value = 0;
  std::size_t count = 0;
  std::size_t named = 0;
  std::size_t unique = 0;
  std::set<std::string> names;
  bool operator==(const Outcome& o) const {
    return present == o.present && value == o.value && count == o.count && named == o.named &&
           unique == o.unique && names == o.names;
  }
};

struct Model {
  std::map<std::string, std::pair<int, std::size_t>> named;  // value, count
  bool unique_present = false;
  int unique_value = 0;
};

template <class Segment>
class Runner {
 public:
  Runner()
      : memory_(new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) /
                                     sizeof(std::max_align_t)]) {
    segment_.reset(new Segment(refipc_create_only(), memory_.get(), kSize));
  }

  Outcome apply(std::uint8_t op, const std::string& name, std::uint8_t arg) {
    Outcome out;
    Segment& s = *segment_;
    const char* n = name.c_str();
    const std::size_t count = 1 + arg % 4;
    switch (op % 12) {
      case 0: {  // throwing construct
        try {
          // Boost 1.81 with flat_map_index returns null for a taken name
          // instead of throwing; both mean "not constructed".
          int* p = s.template construct<int>(n)[count](arg);
          out.present = p != nullptr;
          if (p) out.value = *p;
        } catch (const typename Segment::exception_type&) {
          out.present = false;
        }
        break;
      }
      case 1: {
        int* p = s.template construct<int>(n, std::nothrow)[count](arg);
        out.present = p != nullptr;
        if (p) out.value = *p;
        break;
      }
      case 2: {
        int* p = s.template find_or_construct<int>(n)[count](arg);
        out.present = true;
        out.value = *p;
        out.count = s.get_instance_length(p);
        break;
      }
      case 3:
      case 4: {
        auto r = s.template find<int>(n);
        out.present = r.first != nullptr;
        if (r.first) {
          out.value = *r.first;
          out.count = r.second;
          FUZZ_CHECK(std::strcmp(s.get_instance_name(r.first), n) == 0);
        }
        break;
      }
      case 5:
        out.present = s.template destroy<int>(n);
        break;
      case 6: {
        auto r = s.template find<int>(n);
        out.present = r.first != nullptr;
        if (r.first) s.destroy_ptr(r.first);
        break;
      }
      case 7:
        for (auto it = s.named_begin(); it != s.named_end(); ++it) {
          FUZZ_CHECK(std::strlen(it->name()) == it->name_length());
          FUZZ_CHECK(out.names.insert(std::string(it->name(), it->name_length())).second);
        }
        break;
      case 8:
        s.reserve_named_objects(arg);
        s.reserve_unique_objects(arg % 4);
        break;
      case 9:
        s.shrink_to_fit_indexes();
        break;
      case 10: {  // unique instance: find_or_construct, or destroy
        if (arg % 2) {
          out.present = s.template destroy<long>(unique_tag());
        } else {
          long* p = s.template find_or_construct<long>(unique_tag())(arg);
          out.present = true;
          out.value = static_cast<int>(*p);
        }
        break;
      }
      case 11:
        relocate();
        break;
    }
    // relocate() replaced the segment object: do not use `s` here.
    out.named = segment_->get_num_named_objects();
    out.unique = segment_->get_num_unique_objects();
    return out;
  }

 private:
  static auto refipc_create_only() { return Segment::create_tag(); }
  static auto unique_tag() { return Segment::unique_tag(); }

  // Byte-copies the segment to fresh memory, poisons the old copy and
  // reopens; only for implementations that support it (refipc).
  void relocate() {
    if constexpr (Segment::kCanRelocate) {
      std::unique_ptr<std::max_align_t[]> fresh(
          new std::max_align_t[(kSize + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)]);
      std::memcpy(fresh.get(), memory_.get(), kSize);
      segment_.reset();
      std::memset(memory_.get(), 0xA5, kSize);
      memory_ = std::move(fresh);
      segment_.reset(new Segment(Segment::open_tag(), memory_.get(), kSize));
    }
  }

  std::unique_ptr<std::max_align_t[]> memory_;
  std::unique_ptr<Segment> segment_;
};

// Adapts each implementation's tags and exception type to Runner.
template <template <class> class Index>
struct RefipcSegment : refipc::basic_managed_external_buffer<
                           char, refipc::rbtree_best_fit<refipc::null_mutex_family>, Index> {
  using base = refipc::basic_managed_external_buffer<
      char, refipc::rbtree_best_fit<refipc::null_mutex_family>, Index>;
  using base::base;
  using exception_type = refipc::interprocess_exception;
  static constexpr bool kCanRelocate = true;
  static auto create_tag() { return refipc::create_only; }
  static auto open_tag() { return refipc::open_only; }
  static auto unique_tag() { return refipc::unique_instance; }
};

namespace bip = boost::interprocess;
template <template <class> class Index>
struct BoostSegment
    : bip::basic_managed_external_buffer<char, bip::rbtree_best_fit<bip::null_mutex_family>,
                                         Index> {
  using base =
      bip::basic_managed_external_buffer<char, bip::rbtree_best_fit<bip::null_mutex_family>, Index>;
  using base::base;
  using exception_type = bip::interprocess_exception;
  static constexpr bool kCanRelocate = false;
  static auto create_tag() { return bip::create_only; }
  static auto open_tag() { return bip::open_only; }
  static auto unique_tag() { return bip::unique_instance; }
};

// The model's prediction of an outcome, updating the model.
Outcome predict(Model& m, std::uint8_t op, const std::string& name, std::uint8_t arg) {
  Outcome out;
  const std::size_t count = 1 + arg % 4;
  auto it = m.named.find(name);
  switch (op % 12) {
    case 0:
    case 1:
      if (it == m.named.end()) {
        m.named[name] = {arg, count};
        out.present = true;
        out.value = arg;
      }
      break;
    case 2:
      if (it == m.named.end()) it = m.named.emplace(name, std::make_pair(int{arg}, count)).first;
      out.present = true;
      out.value = it->second.first;
      out.count = it->second.second;
      break;
    case 3:
    case 4:
      if (it != m.named.end()) {
        out.present = true;
        out.value = it->second.first;
        out.count = it->second.second;
      }
      break;
    case 5:
    case 6:
      out.present = it != m.named.end();
      if (out.present) m.named.erase(it);
      break;
    case 7:
      for (auto& e : m.named) out.names.insert(e.first);
      break;
    case 10:
      if (arg % 2) {
        out.present = m.unique_present;
        m.unique_present = false;
      } else {
        if (!m.unique_present) m.unique_value = arg;
        m.unique_present = true;
        out.present = true;
        out.value = m.unique_value;
      }
      break;
  }
  out.named = m.named.size();
  out.unique = m.unique_present ? 1 : 0;
  return out;
}

template <template <class> class RefipcIndex, template <class> class BoostIndex>
void run(const std::uint8_t* data, std::size_t size, bool differential) {
  Model model;
  Runner<RefipcSegment<RefipcIndex>> mine;
  std::unique_ptr<Runner<BoostSegment<BoostIndex>>> boost;
  if (differential) boost.reset(new Runner<BoostSegment<BoostIndex>>());
  for (std::size_t at = 0; at + 3 <= size; at += 3) {
    const std::string name = name_of(data[at + 1]);
    Outcome expected = predict(model, data[at], name, data[at + 2]);
    Outcome got = mine.apply(data[at], name, data[at + 2]);
    FUZZ_CHECK(got == expected);
    if (boost && data[at] % 12 != 11) {
      FUZZ_CHECK(boost->apply(data[at], name, data[at + 2]) == got);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool differential = data[0] & 0x80;
  switch (data[0] % 6) {
    case 0:
      run<refipc::flat_map_index, bip::flat_map_index>(data + 1, size - 1, differential);
      break;
    case 1:
      run<refipc::iset_index, bip::iset_index>(data + 1, size - 1, differential);
      break;
    case 2:
      run<refipc::iunordered_set_index, bip::iunordered_set_index>(data + 1, size - 1,
                                                                   differential);
      break;
    case 3:
      run<refipc::map_index, bip::map_index>(data + 1, size - 1, differential);
      break;
    default:
      // unordered_map_index has no Boost 1.81 counterpart: model only.
      run<refipc::unordered_map_index, bip::iset_index>(data + 1, size - 1, false);
      break;
  }
  return 0;
}
