// Conformance tests of the index types and of a custom index ("Building
// custom indexes").
#include <cstddef>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance_adapter.hpp"

namespace {

class Indexes : public ipc_test::ConformanceTest {};

constexpr std::size_t kSegmentSize = 256 * 1024;

template <template <class> class Index>
using segment_with =
    ipc::basic_managed_external_buffer<char, ipc::rbtree_best_fit<ipc::null_mutex_family>, Index>;

// Named and unique objects through a segment using Index.
template <template <class> class Index>
void exercise_index() {
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  segment_with<Index> segment(ipc::create_only, memory.data(), kSegmentSize);
  std::map<std::string, int*> model;
  for (int i = 0; i < 300; ++i) {
    std::string name = "n" + std::to_string(i * 37 % 300);
    model[name] = segment.template construct<int>(name.c_str())(i);
  }
  segment.template construct<double>(ipc::unique_instance)(2.0);
  EXPECT_EQ(segment.get_num_named_objects(), model.size());
  EXPECT_EQ(segment.get_num_unique_objects(), 1u);
  std::size_t visited = 0;
  for (auto it = segment.named_begin(); it != segment.named_end(); ++it, ++visited) {
    auto m = model.find(std::string(it->name(), it->name_length()));
    ASSERT_NE(m, model.end());
    EXPECT_EQ(it->value(), m->second);
  }
  EXPECT_EQ(visited, model.size());
  int n = 0;
  for (auto& [name, ptr] : model) {
    EXPECT_EQ(segment.template find<int>(name.c_str()).first, ptr);
    if (n++ % 2) {
      EXPECT_TRUE(segment.template destroy<int>(name.c_str()));
    } else {
      segment.destroy_ptr(ptr);
    }
    EXPECT_EQ(segment.template find<int>(name.c_str()).first, nullptr);
  }
  EXPECT_TRUE(segment.template destroy<double>(ipc::unique_instance));
  EXPECT_EQ(segment.get_num_named_objects(), 0u);
}

TEST_F(Indexes, EveryBuiltInIndexServesNamedObjects) {
  IPC_SPEC("indexes.builtin.named_objects");
  exercise_index<ipc::flat_map_index>();
  exercise_index<ipc::iset_index>();
  exercise_index<ipc::iunordered_set_index>();
  exercise_index<ipc::map_index>();
}

TEST_F(Indexes, UnorderedMapIndexServesNamedObjects) {
  IPC_SPEC("indexes.unordered_map_index");
#ifdef IPC_COMPILE_GAP_UNORDERED_MAP_INDEX
  FAIL() << "unordered_map_index does not compile with this implementation";
#else
  exercise_index<ipc::unordered_map_index>();
#endif
}

TEST_F(Indexes, NullIndexKeepsRawAllocation) {
  IPC_SPEC("indexes.null_index");
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  segment_with<ipc::null_index> segment(ipc::create_only, memory.data(), kSegmentSize);
  void* raw = segment.allocate(64);
  ASSERT_NE(raw, nullptr);
  std::memset(raw, 0x5a, 64);
  segment.deallocate(raw);
  EXPECT_TRUE(segment.all_memory_deallocated());
}

TEST_F(Indexes, NullIndexKeepsAnonymousObjects) {
  IPC_SPEC("indexes.null_index");
#ifdef IPC_COMPILE_GAP_NULL_INDEX_ANONYMOUS
  FAIL() << "anonymous construction with null_index does not compile with this implementation";
#else
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  segment_with<ipc::null_index> segment(ipc::create_only, memory.data(), kSegmentSize);
  int* a = segment.construct<int>(ipc::anonymous_instance)[4](3);
  EXPECT_EQ(a[3], 3);
  segment.destroy_ptr(a);
  EXPECT_TRUE(segment.all_memory_deallocated());
#endif
}

template <template <class> class Index>
void expect_duplicate_throws() {
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  segment_with<Index> segment(ipc::create_only, memory.data(), kSegmentSize);
  segment.template construct<int>("taken")(1);
  try {
    segment.template construct<int>("taken")(2);
    ADD_FAILURE() << "no exception for a taken name";
  } catch (const ipc::interprocess_exception&) {
  }
}

TEST_F(Indexes, TakenNameThrowsWithEveryIndex) {
  IPC_SPEC("indexes.builtin.named_objects");
  expect_duplicate_throws<ipc::iset_index>();
  expect_duplicate_throws<ipc::map_index>();
  expect_duplicate_throws<ipc::iunordered_set_index>();
  expect_duplicate_throws<ipc::flat_map_index>();
}

template <template <class> class Index>
void reserve_then_fill() {
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  segment_with<Index> segment(ipc::create_only, memory.data(), kSegmentSize);
  segment.reserve_named_objects(100);
  for (int i = 0; i < 100; ++i) segment.template construct<int>(std::to_string(i).c_str())(i);
  for (int i = 0; i < 100; ++i) {
    int* p = segment.template find<int>(std::to_string(i).c_str()).first;
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, i);
  }
}

TEST_F(Indexes, ReserveThenCreateOnVectorAndHashIndexes) {
  IPC_SPEC("indexes.reserve");
  reserve_then_fill<ipc::flat_map_index>();
  reserve_then_fill<ipc::iunordered_set_index>();
}

// A custom index built on std::map, as the manual describes: it takes the
// configuration struct, a segment manager pointer, and offers reserve and
// shrink_to_fit. Its nodes live on the process heap, which is enough for a
// segment used by one process.
int custom_index_instances = 0;

template <class MapConfig>
class counting_map_index
    : public std::map<typename MapConfig::key_type, typename MapConfig::mapped_type> {
 public:
  using segment_manager_base = typename MapConfig::segment_manager_base;
  explicit counting_map_index(segment_manager_base*) { ++custom_index_instances; }
  void reserve(std::size_t) {}
  void shrink_to_fit() {}
};

TEST_F(Indexes, CustomIndexHoldsTheEntries) {
  IPC_SPEC("indexes.custom");
  std::vector<std::max_align_t> memory((kSegmentSize + sizeof(std::max_align_t) - 1) /
                                       sizeof(std::max_align_t));
  {
    segment_with<counting_map_index> segment(ipc::create_only, memory.data(), kSegmentSize);
    EXPECT_EQ(custom_index_instances, 2);  // the named and the unique index
    int* a = segment.construct<int>("a")(1);
    segment.construct<int>("b")(2);
    EXPECT_EQ(segment.find<int>("a").first, a);
    EXPECT_EQ(segment.get_num_named_objects(), 2u);
    std::size_t seen = 0;
    for (auto it = segment.named_begin(); it != segment.named_end(); ++it) ++seen;
    EXPECT_EQ(seen, 2u);
    EXPECT_TRUE(segment.destroy<int>("a"));
    EXPECT_TRUE(segment.destroy<int>("b"));
    EXPECT_EQ(segment.get_num_named_objects(), 0u);
  }
}

}  // namespace
