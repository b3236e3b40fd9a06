// Decodes one mapping request per input and checks refipc's documented rules
// (refipc/mapped_region.hpp): the constructor either throws one of the error
// codes the request's faults allow, or, when the request has no fault, maps
// exactly the requested bytes at the requested address with the requested
// sharing semantics.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <string>

#include "fuzz/support/check.hpp"
#include "fuzz/support/input.hpp"
#include "refipc/exceptions.hpp"
#include "refipc/mapped_region.hpp"
#include "refipc/shared_memory_object.hpp"

namespace {

using fuzz_support::Input;

const std::string& object_name() {
  // Never destroyed: the exit handler that removes the object still reads it.
  static const std::string* const name = [] {
    auto* n = new std::string("fuzz_mapped_region_" + std::to_string(getpid()) + "_" +
                              std::to_string(std::random_device{}()));
    std::atexit([] { refipc::shared_memory_object::remove(object_name().c_str()); });
    return n;
  }();
  return *name;
}

std::uint8_t pattern(std::uint64_t i) { return static_cast<std::uint8_t>(i * 31 + 7); }

// Offsets and lengths near the interesting boundaries: 0, page multiples, the
// object's end, and values far out of range.
std::int64_t pick(Input& in, std::int64_t object_size, std::int64_t page) {
  const std::int64_t small = static_cast<std::int64_t>(in.take(2) % (3 * page));
  switch (in.take(1) % 6) {
    case 0:
      return 0;
    case 1:
      return small;
    case 2:
      return (small / page) * page;
    case 3:
      return object_size - small % (object_size + 1);
    case 4:
      return -static_cast<std::int64_t>(in.take(1)) - 1;
    default:
      return static_cast<std::int64_t>(in.take(8) >> 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using refipc::mapped_region;
  Input in(data, size);
  const auto page = static_cast<std::int64_t>(mapped_region::get_page_size());
  const std::int64_t object_size = static_cast<std::int64_t>(in.take(2) % (4 * page));
  const bool object_read_only = in.take(1) % 4 == 0;
  const int mode_value = static_cast<int>(in.take(1) % 5);  // 4 is not a valid mode
  const std::int64_t offset = pick(in, object_size, page);
  // A negative pick becomes a huge length once converted to std::size_t.
  const auto length = static_cast<std::uint64_t>(pick(in, object_size, page));
  const int address_choice = static_cast<int>(in.take(1) % 3);  // none, free, in use
  const std::int64_t address_skew =
      static_cast<std::int64_t>(in.take(1) % 2) * static_cast<std::int64_t>(in.take(2) % page);

  refipc::shared_memory_object writer(refipc::open_or_create, object_name().c_str(),
                                      refipc::read_write);
  writer.truncate(object_size);
  mapped_region whole;  // also the "in use" address range
  if (object_size > 0) {
    whole = mapped_region(writer, refipc::read_write);
    auto* bytes = static_cast<std::uint8_t*>(whole.get_address());
    for (std::int64_t i = 0; i < object_size; ++i) bytes[i] = pattern(i);
  }
  refipc::shared_memory_object object(refipc::open_only, object_name().c_str(),
                                      object_read_only ? refipc::read_only : refipc::read_write);

  // What may go wrong with this request; empty means it must succeed.
  std::set<refipc::error_code_t> faults;
  const auto mode = static_cast<refipc::mode_t>(mode_value);
  if (mode_value > 3) faults.insert(refipc::mode_error);
  if (mode == refipc::read_write && object_read_only) faults.insert(refipc::security_error);
  if (offset < 0) faults.insert(refipc::invalid_argument);
  if (offset >= 0 && length == 0 && offset >= object_size) faults.insert(refipc::size_error);
  if (offset >= 0 && length > 0 &&
      length > static_cast<std::uint64_t>(object_size - std::min(offset, object_size))) {
    faults.insert(refipc::size_error);
  }
  // Only used on success, when the range lies inside the (small) object.
  const auto mapped_length =
      static_cast<std::int64_t>(length > 0 ? std::min<std::uint64_t>(length, 8 * page)
                                           : std::max<std::int64_t>(object_size - offset, 0));
  void* requested = nullptr;
  if (address_choice == 1) {  // a free range: reserve it, then release it
    const auto span = static_cast<std::size_t>(mapped_length + 2 * page);
    void* reserved = mmap(nullptr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FUZZ_CHECK(reserved != MAP_FAILED);
    munmap(reserved, span);
    requested = static_cast<char*>(reserved) + page + address_skew;
  } else if (address_choice == 2 && object_size > 0) {
    requested = static_cast<char*>(whole.get_address()) + address_skew;
    faults.insert(refipc::busy_error);
  }
  if (requested != nullptr && offset >= 0 &&
      (reinterpret_cast<std::uintptr_t>(requested) - offset % page) % page != 0) {
    faults.insert(refipc::invalid_argument);
  }

  try {
    mapped_region region(object, mode, offset, static_cast<std::size_t>(length), requested);
    FUZZ_CHECK(faults.empty());
    FUZZ_CHECK(region.get_offset() == offset);
    FUZZ_CHECK(region.get_size() == static_cast<std::size_t>(mapped_length));
    FUZZ_CHECK(region.get_mode() == mode);
    FUZZ_CHECK(requested == nullptr || region.get_address() == requested);
    auto* bytes = static_cast<std::uint8_t*>(region.get_address());
    for (std::int64_t i = 0; i < mapped_length; ++i) FUZZ_CHECK(bytes[i] == pattern(offset + i));
    if (mode == refipc::read_write || mode == refipc::copy_on_write) {
      bytes[0] = static_cast<std::uint8_t>(~bytes[0]);
      const auto* seen = static_cast<const std::uint8_t*>(whole.get_address()) + offset;
      FUZZ_CHECK((*seen == bytes[0]) == (mode == refipc::read_write));
    }
  } catch (const refipc::interprocess_exception& e) {
    FUZZ_CHECK(faults.count(e.get_error_code()) == 1);
  }
  return 0;
}
