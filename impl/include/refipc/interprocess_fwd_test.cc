#include "refipc/interprocess_fwd.hpp"

#include <sys/types.h>

#include <iterator>
#include <type_traits>

#include "gtest/gtest.h"

namespace refipc {
namespace {

TEST(InterprocessFwdTest, ModesAreDistinct) {
  const mode_t modes[] = {read_only, read_write, copy_on_write, read_private, invalid_mode};
  for (std::size_t i = 0; i < std::size(modes); ++i) {
    for (std::size_t j = i + 1; j < std::size(modes); ++j) EXPECT_NE(modes[i], modes[j]);
  }
}

TEST(InterprocessFwdTest, OffsetIsSigned64Bit) {
  static_assert(std::is_signed_v<offset_t>);
  static_assert(sizeof(offset_t) == 8);
  static_assert(sizeof(offset_t) == sizeof(::off_t));
}

TEST(InterprocessFwdTest, MappingHandleDefaultsToNoDescriptor) {
  const mapping_handle_t handle;
  EXPECT_EQ(handle.handle, -1);
  EXPECT_FALSE(handle.is_shm);
  EXPECT_FALSE(handle.is_xsi);
  const mapping_handle_t shm{7, true};
  EXPECT_EQ(shm.handle, 7);
  EXPECT_TRUE(shm.is_shm);
  EXPECT_FALSE(shm.is_xsi);
}

// Compiles from the forward declarations alone.
static_assert(std::is_same_v<message_queue, message_queue_t<offset_ptr<void>>>);
static_assert(
    std::is_same_v<managed_shared_memory,
                   basic_managed_shared_memory<
                       char, rbtree_best_fit<mutex_family, offset_ptr<void>, 0>, iset_index>>);
static_assert(!std::is_same_v<managed_mapped_file, fixed_managed_mapped_file>);
static_assert(!std::is_same_v<managed_xsi_shared_memory, wmanaged_xsi_shared_memory>);

}  // namespace
}  // namespace refipc
