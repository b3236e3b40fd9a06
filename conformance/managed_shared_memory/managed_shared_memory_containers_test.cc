// The quick guide's containers across processes: a vector of strings and a
// map of strings built by one process in a managed shared memory segment,
// found, read and changed by another (exec'd, so mapping the segment at an
// address of its own), which destroys the vector by name as the guide does.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

using segment_manager_t = ipc::managed_shared_memory::segment_manager;
using char_allocator = ipc::allocator<char, segment_manager_t>;
using shm_string = ipc::basic_string<char, std::char_traits<char>, char_allocator>;
using string_vector = ipc::vector<shm_string, ipc::allocator<shm_string, segment_manager_t>>;
using string_map =
    ipc::map<shm_string, shm_string, std::less<shm_string>,
             ipc::allocator<std::pair<const shm_string, shm_string>, segment_manager_t>>;

constexpr std::size_t kSize = 256 * 1024;
constexpr int kEntries = 100;

// Long enough that no implementation keeps them inside the string object.
std::string element(int i) {
  char text[64];
  std::snprintf(text, sizeof text, "element %03d of the vector built by the parent", i);
  return text;
}
std::string key(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "key %03d", i);
  return text;
}
std::string value(int i) { return "the value stored under " + key(i) + " by the parent"; }

class ManagedSharedMemoryContainers : public ipc_test::ConformanceTest {
 protected:
  std::string name(const std::string& tag = "") {
    return unique_resource(
        [](const std::string& n) { ipc::shared_memory_object::remove(n.c_str()); }, tag);
  }
};

// args: segment name. Checks both containers, sorts the vector in reverse
// order and destroys it, erases the map's even keys and adds one entry.
IPC_CHILD_ROLE(msm_containers_of_strings) {
  ipc::managed_shared_memory segment(ipc::open_only, args.at(0).c_str());
  string_vector* v = segment.find<string_vector>("MyVector").first;
  string_map* m = segment.find<string_map>("MyMap").first;
  IPC_CHILD_CHECK(v != nullptr && m != nullptr);
  IPC_CHILD_CHECK_MSG(v->size() == kEntries, "vector size " << v->size());
  for (int i = 0; i < kEntries; ++i) {
    IPC_CHILD_CHECK_MSG(std::string((*v)[i].c_str()) == element(i), "element " << i);
    IPC_CHILD_CHECK(segment.belongs_to_segment((*v)[i].c_str()));
  }
  std::sort(v->rbegin(), v->rend());
  IPC_CHILD_CHECK(std::string(v->front().c_str()) == element(kEntries - 1));
  IPC_CHILD_CHECK(segment.destroy<string_vector>("MyVector"));

  IPC_CHILD_CHECK_MSG(m->size() == kEntries, "map size " << m->size());
  int i = 0;
  for (const auto& entry : *m) {
    IPC_CHILD_CHECK_MSG(std::string(entry.first.c_str()) == key(i), "key " << i);
    IPC_CHILD_CHECK_MSG(std::string(entry.second.c_str()) == value(i), "value " << i);
    IPC_CHILD_CHECK(segment.belongs_to_segment(entry.second.c_str()));
    ++i;
  }
  const char_allocator alloc(segment.get_segment_manager());
  for (int k = 0; k < kEntries; k += 2) {
    IPC_CHILD_CHECK(m->erase(shm_string(key(k).c_str(), alloc)) == 1);
  }
  m->emplace(shm_string("added by the child", alloc), shm_string(value(-1).c_str(), alloc));
}

TEST_F(ManagedSharedMemoryContainers, AVectorAndAMapOfStringsBuiltByOneProcessAreUsedByAnother) {
  IPC_SPEC("managed_shared_memory.quick_guide_vector", "managed_shared_memory.quick_guide_map",
           "containers.where_allocated");
  const std::string n = name();
  ipc::managed_shared_memory segment(ipc::create_only, n.c_str(), kSize);
  const char_allocator alloc(segment.get_segment_manager());
  string_vector* v = segment.construct<string_vector>("MyVector")(alloc);
  string_map* m = segment.construct<string_map>("MyMap")(std::less<shm_string>(), alloc);
  for (int i = 0; i < kEntries; ++i) {
    v->push_back(shm_string(element(i).c_str(), alloc));
    // In descending order, so the map's ordering is what the child sees.
    const int k = kEntries - 1 - i;
    m->emplace(shm_string(key(k).c_str(), alloc), shm_string(value(k).c_str(), alloc));
  }
  auto child = ipc_test::spawn_role("msm_containers_of_strings", {n});
  IPC_ASSERT_CHILD_OK(child.wait());

  EXPECT_EQ(segment.find<string_vector>("MyVector").first, nullptr);
  ASSERT_EQ(m->size(), static_cast<std::size_t>(kEntries / 2 + 1));
  auto it = m->begin();
  EXPECT_EQ(std::string(it->first.c_str()), "added by the child");
  EXPECT_EQ(std::string(it->second.c_str()), value(-1));
  for (int k = 1; k < kEntries; k += 2) {
    ++it;
    ASSERT_EQ(std::string(it->first.c_str()), key(k));
    EXPECT_EQ(std::string(it->second.c_str()), value(k));
  }
  EXPECT_TRUE(segment.destroy<string_map>("MyMap"));
  EXPECT_TRUE(segment.all_memory_deallocated());
}

}  // namespace
