// basic_string: editing, searching and comparing; the strong guarantee on
// bad_alloc; and the manual's vector of strings in shared memory, read and
// modified by a child process (fork + exec, so another mapping address).
#include "refipc/containers/string.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>

#include "refipc/allocators/allocator.hpp"
#include "refipc/containers/testing/exec_self.hpp"
#include "refipc/containers/testing/shm_name.hpp"
#include "refipc/containers/vector.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/managed_heap_memory.hpp"
#include "refipc/managed_shared_memory.hpp"
#include "refipc/sync/testing/robust_lists.hpp"

namespace {

using segment_manager = refipc::managed_shared_memory::segment_manager;
using char_allocator = refipc::allocator<char, segment_manager>;
using shm_string = refipc::basic_string<char, std::char_traits<char>, char_allocator>;
using string_allocator = refipc::allocator<shm_string, segment_manager>;
using shm_string_vector = refipc::vector<shm_string, string_allocator>;

// The layout docs/layout.md gives: one vector of characters.
static_assert(sizeof(shm_string) == 4 * sizeof(void*));

TEST(String, EditsLikeStdString) {
  refipc::string s("hello");
  EXPECT_STREQ(s.c_str(), "hello");
  s += ", world";
  s.push_back('!');
  EXPECT_EQ(s, "hello, world!");
  s.insert(5, " there");
  EXPECT_EQ(s, "hello there, world!");
  s.replace(0, 5, "goodbye");
  EXPECT_EQ(s, "goodbye there, world!");
  s.erase(7, 6);
  EXPECT_EQ(s, "goodbye, world!");
  s.append(3, '?');
  s.pop_back();
  EXPECT_EQ(s.size(), 17u);
  EXPECT_EQ(s.substr(9, 5), "world");
  s.resize(7);
  EXPECT_EQ(s, "goodbye");
  s.insert(s.begin(), 'A');
  s.erase(s.begin());
  s.assign(s.begin() + 4, s.end());  // from itself
  EXPECT_EQ(s, "bye");
  s.insert(s.end(), s.begin(), s.end());
  EXPECT_EQ(s, "byebye");
  s.replace(0, 3, s.c_str() + 3, 3);  // from itself
  EXPECT_EQ(s, "byebye");
  const std::list<char> chars{'x', 'y'};
  s.append(chars.begin(), chars.end());
  EXPECT_EQ(s, "byebyexy");
  EXPECT_EQ(s.at(6), 'x');
  EXPECT_THROW(s.at(8), std::out_of_range);
  EXPECT_THROW(s.insert(9, "x"), std::out_of_range);
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.c_str()[0], '\0');
}

TEST(String, SearchesAndCompares) {
  const refipc::string s("one two three two");
  EXPECT_EQ(s.find("two"), 4u);
  EXPECT_EQ(s.rfind("two"), 14u);
  EXPECT_EQ(s.find('x'), refipc::string::npos);
  EXPECT_EQ(s.find_first_of("te"), 2u);
  EXPECT_EQ(s.find_last_not_of("ow"), 14u);
  EXPECT_GT(s.compare("one two three"), 0);
  EXPECT_TRUE(refipc::string("abc") < refipc::string("abd"));
  EXPECT_TRUE("abc" == refipc::string("abc"));
  EXPECT_EQ(refipc::string("ab") + "cd" + refipc::string("ef"), "abcdef");
  std::ostringstream out;
  out << s;
  EXPECT_EQ(out.str(), "one two three two");
  std::unordered_set<refipc::string> set{refipc::string("a"), refipc::string("a")};
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(std::hash<refipc::string>()(refipc::string("xyz")),
            std::hash<std::string_view>()("xyz"));
  const refipc::wstring w(L"wide");
  EXPECT_EQ(w.size(), 4u);
  EXPECT_EQ(w.find(L'd'), 2u);
}

TEST(String, LongAppendsStayLinear) {
  refipc::string s;
  for (int i = 0; i < 100000; ++i) s.push_back(static_cast<char>('a' + i % 26));
  EXPECT_EQ(s.size(), 100000u);
  EXPECT_EQ(s[99999], static_cast<char>('a' + 99999 % 26));
  EXPECT_LE(s.capacity(), 2 * s.size() + 2);
}

// With refipc::allocator in a managed shared memory segment the characters
// grow in place while the memory after them is free: c_str() never moves.
TEST(String, GrowsInPlaceWithTheSegmentAllocator) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  refipc_test::scoped_shm_name name("string_in_place");
  refipc::managed_shared_memory segment(refipc::create_only, name.c_str(), 1024 * 1024);
  shm_string s(char_allocator(segment.get_segment_manager()));
  s.append("a");
  const char* chars = s.c_str();
  std::size_t capacity = s.capacity();
  int growths = 0;
  for (int i = 0; i < 5000; ++i) {
    s.append("0123456789", 1 + i % 10);
    if (s.capacity() != capacity) {
      ++growths;
      capacity = s.capacity();
      ASSERT_EQ(s.c_str(), chars) << "growth " << growths << " to capacity " << capacity;
    }
  }
  EXPECT_GE(growths, 2);
  EXPECT_EQ(s.size(), 1u + 5000u / 10u * 55u);
  EXPECT_EQ(s.substr(1, 3), "001");
}

TEST(String, BadAllocLeavesTheStringUnchanged) {
  refipc::managed_heap_memory heap(8 * 1024);
  using alloc = refipc::allocator<char, refipc::managed_heap_memory::segment_manager>;
  using heap_string = refipc::basic_string<char, std::char_traits<char>, alloc>;
  heap_string s("start", alloc(heap.get_segment_manager()));
  const std::string chunk(100, 'x');
  std::string model = "start";
  bool threw = false;
  while (!threw) {
    try {
      s.append(chunk.c_str());
      model += chunk;
    } catch (const refipc::bad_alloc&) {
      threw = true;
    }
    ASSERT_EQ(std::string(s.c_str()), model);
  }
  // Within max_size() but more than the segment can give: bad_alloc; beyond
  // max_size(): length_error. Neither changes the string.
  EXPECT_THROW(s.insert(0, s.max_size() - s.size(), 'y'), refipc::bad_alloc);
  EXPECT_EQ(std::string(s.c_str()), model);
  EXPECT_THROW(s.insert(0, s.max_size() - s.size() + 1, 'y'), std::length_error);
  EXPECT_EQ(std::string(s.c_str()), model);
}

// The manual's listing: strings moved into a vector in shared memory; the
// source is left empty and no string copy allocates.
TEST(String, MoveIntoAVectorInSharedMemory) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  refipc_test::scoped_shm_name name("string_move");
  refipc::managed_shared_memory shm(refipc::create_only, name.c_str(), 64 * 1024);
  char_allocator chars(shm.get_segment_manager());
  string_allocator strings(shm.get_segment_manager());
  shm_string_vector* v = shm.construct<shm_string_vector>("myshmvector")(strings);
  shm_string to_compare("this is a long, long, long, long, long, long, string...", chars);
  v->reserve(50);
  for (int i = 0; i < 50; ++i) {
    shm_string move_me(to_compare);
    const char* text = move_me.c_str();
    v->push_back(std::move(move_me));
    EXPECT_TRUE(move_me.empty());
    EXPECT_EQ(v->back(), to_compare);
    EXPECT_EQ(v->back().c_str(), text);  // the same buffer: moved, not copied
  }
  v->pop_back();
  const std::size_t free_before = shm.get_free_memory();
  v->insert(v->begin(), std::move(to_compare));
  EXPECT_EQ(shm.get_free_memory(), free_before);
  shm.destroy_ptr(v);
}

constexpr char kText[] = "this is my text";

// Runs in the child: checks what the parent built and changes it.
int child_main(const char* segment_name) {
  refipc::managed_shared_memory shm(refipc::open_only, segment_name);
  shm_string_vector* v = shm.find<shm_string_vector>("myshmvector").first;
  if (v == nullptr || v->size() != 10) return 2;
  for (const shm_string& s : *v) {
    if (s != kText) return 3;
  }
  for (shm_string& s : *v) s += " (seen by the child)";
  v->emplace_back("from the child", char_allocator(shm.get_segment_manager()));
  v->erase(v->begin());
  return 0;
}

TEST(String, VectorOfStringsModifiedByAChildProcess) {
  REFIPC_SKIP_WITHOUT_ROBUST_LISTS();
  refipc_test::scoped_shm_name name("string_child");
  {
    refipc::managed_shared_memory shm(refipc::create_only, name.c_str(), 64 * 1024);
    char_allocator chars(shm.get_segment_manager());
    string_allocator strings(shm.get_segment_manager());
    shm_string mystring(chars);
    mystring = kText;
    shm_string_vector* v = shm.construct<shm_string_vector>("myshmvector")(strings);
    v->insert(v->begin(), 10, mystring);
  }
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    refipc_test::exec_self_as_child(name.c_str());
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  refipc::managed_shared_memory shm(refipc::open_only, name.c_str());
  shm_string_vector* v = shm.find<shm_string_vector>("myshmvector").first;
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->size(), 10u);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ((*v)[i], "this is my text (seen by the child)");
  EXPECT_EQ(v->back(), "from the child");
  EXPECT_TRUE(shm.belongs_to_segment(v->back().c_str()));
  shm.destroy_ptr(v);
  EXPECT_TRUE(shm.all_memory_deallocated());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--child") == 0) return child_main(argv[2]);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
