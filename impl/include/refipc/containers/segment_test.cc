// Containers in a managed shared memory segment: a map (and a map of
// strings to lists, built with uses-allocator construction) read and changed
// through a second mapping at another address and by a fork+exec'd child
// process, and bad_alloc in a tiny segment leaving containers unchanged.
// The child is this binary run with `--child <segment name>`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/list.hpp"
#include "refipc/containers/map.hpp"
#include "refipc/containers/set.hpp"
#include "refipc/containers/slist.hpp"
#include "refipc/containers/testing/exec_self.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

using refipc::managed_shared_memory;
using segment_manager = managed_shared_memory::segment_manager;
template <class T>
using shm_allocator = refipc::allocator<T, segment_manager>;
using int_map = refipc::map<int, int, std::less<int>, shm_allocator<std::pair<const int, int>>>;
// libstdc++'s basic_string does not accept fancy pointers; its vector does.
using shm_string = std::vector<char, shm_allocator<char>>;
using int_list = refipc::list<int, shm_allocator<int>>;
using nested_map = refipc::map<shm_string, int_list, std::less<shm_string>,
                               shm_allocator<std::pair<const shm_string, int_list>>>;

shm_string text(const char* s, const shm_allocator<char>& a) {
  return shm_string(s, s + std::strlen(s), a);
}

// The child's part: checks what the parent built, then changes it. Returns
// the process exit status.
int child_main(const char* name) {
  managed_shared_memory segment(refipc::open_only, name);
  int_map* m = segment.find<int_map>("map").first;
  nested_map* nested = segment.find<nested_map>("nested").first;
  if (m == nullptr || nested == nullptr || m->size() != 1000 || !m->check_invariants()) return 2;
  for (int i = 0; i < 1000; ++i) {
    auto it = m->find(i);
    if (it == m->end() || it->second != i * i) return 3;
  }
  for (int i = 1000; i < 1100; ++i) m->emplace(i, -i);
  for (int i = 1; i < 100; i += 2) m->erase(i);
  shm_allocator<char> a(segment.get_segment_manager());
  (*nested)[text("from the child", a)].push_back(42);
  auto it = nested->find(text("primes", a));
  if (it == nested->end() || it->second.size() != 4) return 4;
  it->second.push_back(11);
  return m->check_invariants() && segment.check_sanity() ? 0 : 5;
}

class ContainersInSegment : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = "refipc_containers_" + std::to_string(getpid()) + "_" +
            std::to_string(std::random_device{}());
  }
  void TearDown() override { refipc::shared_memory_object::remove(name_.c_str()); }

  // Builds map = {i: i*i} for i < 1000 and nested = {"primes": [2,3,5,7]}.
  void build(managed_shared_memory& segment) {
    int_map* m = segment.construct<int_map>("map")(segment.get_segment_manager());
    for (int i = 0; i < 1000; ++i) m->emplace(i, i * i);
    nested_map* nested = segment.construct<nested_map>("nested")(segment.get_segment_manager());
    shm_allocator<char> a(segment.get_segment_manager());
    int_list& primes = (*nested)[text("primes", a)];
    for (int p : {2, 3, 5, 7}) primes.push_back(p);
    // The inner list got the segment's allocator from the map.
    EXPECT_EQ(primes.get_allocator().get_segment_manager(), segment.get_segment_manager());
    EXPECT_TRUE(segment.belongs_to_segment(&primes.front()));
  }

  std::string name_;
};

TEST_F(ContainersInSegment, ASecondMappingAtAnotherAddressReadsAndChangesIt) {
  managed_shared_memory first(refipc::create_only, name_.c_str(), 1 << 20);
  build(first);
  managed_shared_memory second(refipc::open_only, name_.c_str());
  ASSERT_NE(first.get_address(), second.get_address());
  int_map* m = second.find<int_map>("map").first;
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->check_invariants());
  int expected = 0;
  for (auto& e : *m) {
    EXPECT_EQ(e.first, expected);
    EXPECT_EQ(e.second, expected * expected);
    ++expected;
  }
  EXPECT_EQ(expected, 1000);
  m->erase(500);
  (*m)[5000] = 1;
  int_map* through_first = first.find<int_map>("map").first;
  EXPECT_EQ(through_first->count(500), 0u);
  EXPECT_EQ(through_first->at(5000), 1);
  EXPECT_TRUE(through_first->check_invariants());
  nested_map* nested = second.find<nested_map>("nested").first;
  ASSERT_EQ(nested->size(), 1u);
  EXPECT_EQ(std::vector<int>(nested->begin()->second.begin(), nested->begin()->second.end()),
            (std::vector<int>{2, 3, 5, 7}));
  EXPECT_TRUE(first.check_sanity());
}

TEST_F(ContainersInSegment, AForkExecChildReadsAndChangesAMap) {
  std::map<int, int> expected;
  {
    managed_shared_memory segment(refipc::create_only, name_.c_str(), 1 << 20);
    build(segment);
  }
  for (int i = 0; i < 1000; ++i) expected[i] = i * i;
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    refipc_test::exec_self_as_child(name_.c_str());
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  for (int i = 1000; i < 1100; ++i) expected[i] = -i;
  for (int i = 1; i < 100; i += 2) expected.erase(i);
  managed_shared_memory segment(refipc::open_only, name_.c_str());
  int_map* m = segment.find<int_map>("map").first;
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->check_invariants());
  EXPECT_TRUE(std::equal(m->begin(), m->end(), expected.begin(), expected.end()));
  nested_map* nested = segment.find<nested_map>("nested").first;
  shm_allocator<char> a(segment.get_segment_manager());
  EXPECT_EQ(nested->at(text("from the child", a)).front(), 42);
  EXPECT_EQ(nested->at(text("primes", a)).back(), 11);
}

// Fills the containers until the segment is exhausted: the failing call
// throws bad_alloc and the container equals its model.
TEST_F(ContainersInSegment, BadAllocLeavesContainersUnchanged) {
  managed_shared_memory segment(refipc::create_only, name_.c_str(), 16 * 1024);
  shm_allocator<int> a(segment.get_segment_manager());
  int_map* m = segment.construct<int_map>("map")(a);
  std::map<int, int> model;
  bool threw = false;
  for (int i = 0; i < 100000 && !threw; ++i) {
    const int k = (i * 7919) % 100003;
    try {
      m->emplace(k, i);
      model.emplace(k, i);
    } catch (const refipc::bad_alloc&) {
      threw = true;
    }
  }
  ASSERT_TRUE(threw);
  EXPECT_TRUE(m->check_invariants());
  EXPECT_TRUE(std::equal(m->begin(), m->end(), model.begin(), model.end()));
  EXPECT_THROW((*m)[-1] = 1, refipc::bad_alloc);
  EXPECT_EQ(m->count(-1), 0u);
  EXPECT_TRUE(std::equal(m->begin(), m->end(), model.begin(), model.end()));
  EXPECT_TRUE(segment.check_sanity());
  m->clear();

  // A list: the range insert is all or nothing.
  int_list* l = segment.construct<int_list>("list")(a);
  std::vector<int> lots(100000, 1);
  l->push_back(3);
  EXPECT_THROW(l->insert(l->end(), lots.begin(), lots.end()), refipc::bad_alloc);
  EXPECT_EQ(l->size(), 1u);
  EXPECT_EQ(l->front(), 3);
  EXPECT_TRUE(l->check_invariants());
  EXPECT_THROW(l->resize(100000), refipc::bad_alloc);
  EXPECT_EQ(l->size(), 1u);
  using int_slist = refipc::slist<int, shm_allocator<int>>;
  int_slist* s = segment.construct<int_slist>("slist")(a);
  s->push_front(1);
  EXPECT_THROW(s->insert_after(s->before_begin(), lots.begin(), lots.end()), refipc::bad_alloc);
  EXPECT_EQ(s->size(), 1u);
  EXPECT_TRUE(s->check_invariants());
  segment.destroy_ptr(s);
  segment.destroy_ptr(l);
  segment.destroy_ptr(m);
  EXPECT_TRUE(segment.check_sanity());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--child") == 0) return child_main(argv[2]);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
