// Conformance tests of offset_ptr: the manual's "Mapping Address Independent
// Pointer" section and the offset_ptr reference.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/harness/fixture.hpp"
#include "conformance/harness/process.hpp"
#include "conformance_adapter.hpp"

namespace {

class OffsetPtr : public ipc_test::ConformanceTest {};
class OffsetPtrMultiProcess : public ipc_test::ConformanceTest {};

// Bytes from `from` to `to`, computed on integers: the two need not be parts
// of one object.
std::ptrdiff_t byte_distance(const volatile void* from, const volatile void* to) {
  return static_cast<std::ptrdiff_t>(reinterpret_cast<std::uintptr_t>(to) -
                                     reinterpret_cast<std::uintptr_t>(from));
}

const void* address(const volatile void* p) { return const_cast<const void*>(p); }

// Right is a non-first base of Both, so converting a Both* to Right* moves it.
struct Left {
  int left = 1;
};
struct Right {
  int right = 2;
};
struct Both : Left, Right {
  int both = 3;
};

// Polymorphic hierarchy for dynamic_pointer_cast: Mixin is reached from Base
// only by a cross-cast, which also moves the address.
struct Base {
  virtual ~Base() = default;
  int base = 0;
};
struct Mixin {
  virtual ~Mixin() = default;
  int mixin = 0;
};
struct Derived : Base, Mixin {};
struct Unrelated : Base {};

// Calls F()(args...) when the implementation accepts that call form, which
// the manual documents; otherwise fails the current test (rather than the
// build of the whole suite) and returns nullopt.
template <class R, class F, class... Args>
std::optional<R> call_documented(const char* form, [[maybe_unused]] Args&&... args) {
  if constexpr (std::is_invocable_r_v<R, F, Args...>) {
    return F()(std::forward<Args>(args)...);
  } else {
    ADD_FAILURE() << "the implementation does not accept " << form
                  << ", a call the manual documents";
    return std::nullopt;
  }
}

// The pointer casts in their documented form cast<T>(p), as function objects.
template <class T>
struct StaticPointerCast {
  static constexpr const char* kForm = "ipc::static_pointer_cast<T>(offset_ptr<U>)";
  template <class P>
  auto operator()(const P& p) const -> decltype(ipc::static_pointer_cast<T>(p)) {
    return ipc::static_pointer_cast<T>(p);
  }
};
template <class T>
struct ConstPointerCast {
  static constexpr const char* kForm = "ipc::const_pointer_cast<T>(offset_ptr<U>)";
  template <class P>
  auto operator()(const P& p) const -> decltype(ipc::const_pointer_cast<T>(p)) {
    return ipc::const_pointer_cast<T>(p);
  }
};
template <class T>
struct DynamicPointerCast {
  static constexpr const char* kForm = "ipc::dynamic_pointer_cast<T>(offset_ptr<U>)";
  template <class P>
  auto operator()(const P& p) const -> decltype(ipc::dynamic_pointer_cast<T>(p)) {
    return ipc::dynamic_pointer_cast<T>(p);
  }
};
template <class T>
struct ReinterpretPointerCast {
  static constexpr const char* kForm = "ipc::reinterpret_pointer_cast<T>(offset_ptr<U>)";
  template <class P>
  auto operator()(const P& p) const -> decltype(ipc::reinterpret_pointer_cast<T>(p)) {
    return ipc::reinterpret_pointer_cast<T>(p);
  }
};

template <template <class> class Cast, class T, class U>
std::optional<ipc::offset_ptr<T>> documented_cast(const ipc::offset_ptr<U>& p) {
  return call_documented<ipc::offset_ptr<T>, Cast<T>>(Cast<T>::kForm, p);
}

// ipc::swap(a, b), qualified; true once it has run.
struct QualifiedSwap {
  template <class P>
  auto operator()(P& a, P& b) const -> decltype(ipc::swap(a, b), true) {
    ipc::swap(a, b);
    return true;
  }
};

void remove_shared_memory(const std::string& name) {
  ipc::shared_memory_object::remove(name.c_str());
}

TEST_F(OffsetPtr, IteratorTypedefsAndTraits) {
  IPC_SPEC("offset_ptr.typedefs.iterator");
  using Ptr = ipc::offset_ptr<int>;
  using Traits = std::iterator_traits<Ptr>;
  static_assert(std::is_same_v<Ptr::pointer, int*>);
  static_assert(std::is_same_v<Ptr::value_type, int>);
  static_assert(std::is_same_v<Ptr::difference_type, std::ptrdiff_t>);
  static_assert(std::is_same_v<Ptr::iterator_category, std::random_access_iterator_tag>);
  static_assert(std::is_same_v<Traits::iterator_category, std::random_access_iterator_tag>);
  static_assert(std::is_same_v<Traits::value_type, int>);
  static_assert(std::is_same_v<Traits::difference_type, std::ptrdiff_t>);

  // std::advance and std::distance pick their algorithm from the traits.
  int values[5] = {};
  Ptr it(values);
  std::advance(it, 4);
  EXPECT_EQ(it.get(), &values[4]);
  EXPECT_EQ(std::distance(Ptr(values), it), 4);
}

TEST_F(OffsetPtr, DefaultAndZeroConstructedAreNull) {
  IPC_SPEC("offset_ptr.ctor.default_null");
  const ipc::offset_ptr<int> defaulted;
  const ipc::offset_ptr<int> from_zero(0);
  const ipc::offset_ptr<int> copy_initialized = 0;
  const ipc::offset_ptr<int> from_nullptr(nullptr);
  for (const auto* p : {&defaulted, &from_zero, &copy_initialized, &from_nullptr}) {
    EXPECT_EQ(p->get(), nullptr);
    EXPECT_TRUE(!*p);
  }

  // Whatever bytes the storage held before, construction makes it null.
  alignas(ipc::offset_ptr<int>) unsigned char storage[sizeof(ipc::offset_ptr<int>)];
  std::memset(storage, 0, sizeof storage);
  const auto* placed = new (storage) ipc::offset_ptr<int>;
  EXPECT_EQ(placed->get(), nullptr);
}

TEST_F(OffsetPtr, ConstructFromRawPointer) {
  IPC_SPEC("offset_ptr.ctor.raw");
  int on_stack = 1;
  const auto on_heap = std::make_unique<int>(2);
  const ipc::offset_ptr<int> to_stack(&on_stack);
  const ipc::offset_ptr<int> to_heap(on_heap.get());
  EXPECT_EQ(to_stack.get(), &on_stack);
  EXPECT_EQ(to_heap.get(), on_heap.get());
}

TEST_F(OffsetPtr, ConstructFromConvertibleRawPointerConvertsAddress) {
  IPC_SPEC("offset_ptr.ctor.convertible_raw");
  Both both;
  Right* const as_right = &both;
  ASSERT_NE(address(as_right), address(&both));  // the conversion moves the address

  const ipc::offset_ptr<Right> right(&both);
  ASSERT_EQ(right.get(), as_right);
  EXPECT_EQ(right->right, 2);
  const ipc::offset_ptr<Left> left(&both);
  EXPECT_EQ(left.get(), static_cast<Left*>(&both));
  int value = 0;
  const ipc::offset_ptr<const int> to_const(&value);
  EXPECT_EQ(to_const.get(), &value);
  const ipc::offset_ptr<void> to_void(&value);
  EXPECT_EQ(to_void.get(), address(&value));
}

TEST_F(OffsetPtr, CopyPointsToSameObjectFromItsOwnAddress) {
  IPC_SPEC("offset_ptr.ctor.copy");
  int target = 0;
  const ipc::offset_ptr<int> original(&target);
  const auto copy = std::make_unique<ipc::offset_ptr<int>>(original);
  EXPECT_EQ(copy->get(), &target);
  EXPECT_EQ(static_cast<std::ptrdiff_t>(copy->get_offset()), byte_distance(copy.get(), &target));

  const ipc::offset_ptr<int> null;
  const auto null_copy = std::make_unique<ipc::offset_ptr<int>>(null);
  EXPECT_EQ(null_copy->get(), nullptr);
}

TEST_F(OffsetPtr, ConvertsFromRelatedOffsetPtr) {
  IPC_SPEC("offset_ptr.ctor.related");
  static_assert(std::is_convertible_v<ipc::offset_ptr<Both>, ipc::offset_ptr<Right>>);
  static_assert(std::is_convertible_v<ipc::offset_ptr<int>, ipc::offset_ptr<const int>>);
  Both both;
  const ipc::offset_ptr<Both> whole(&both);
  const ipc::offset_ptr<Right> right(whole);
  const ipc::offset_ptr<Left> left = whole;
  const ipc::offset_ptr<const Both> constant(whole);
  const ipc::offset_ptr<void> untyped(whole);
  ASSERT_NE(address(static_cast<Right*>(&both)), address(&both));
  EXPECT_EQ(right.get(), static_cast<Right*>(&both));
  EXPECT_EQ(left.get(), static_cast<Left*>(&both));
  EXPECT_EQ(constant.get(), &both);
  EXPECT_EQ(untyped.get(), address(&both));

  // A null pointer converts to null, not to a moved "address".
  const ipc::offset_ptr<Both> null;
  const ipc::offset_ptr<Right> still_null(null);
  EXPECT_EQ(still_null.get(), nullptr);
}

TEST_F(OffsetPtr, AssignRawPointer) {
  IPC_SPEC("offset_ptr.assign.raw");
  int first = 1;
  int second = 2;
  ipc::offset_ptr<int> p;
  EXPECT_EQ(&(p = &first), &p);
  EXPECT_EQ(p.get(), &first);
  p = &second;
  EXPECT_EQ(p.get(), &second);
  p = nullptr;
  EXPECT_EQ(p.get(), nullptr);
}

TEST_F(OffsetPtr, AssignCopyPointsBothToSameObject) {
  IPC_SPEC("offset_ptr.assign.copy");
  int target = 0;
  const ipc::offset_ptr<int> source(&target);
  const auto destination = std::make_unique<ipc::offset_ptr<int>>();
  EXPECT_EQ(&(*destination = source), destination.get());
  EXPECT_EQ(destination->get(), &target);
  EXPECT_EQ(source.get(), &target);

  *destination = ipc::offset_ptr<int>();
  EXPECT_EQ(destination->get(), nullptr);
}

TEST_F(OffsetPtr, AssignRelatedOffsetPtrConvertsAddress) {
  IPC_SPEC("offset_ptr.assign.related");
  Both both;
  const ipc::offset_ptr<Both> whole(&both);
  ipc::offset_ptr<Right> right;
  EXPECT_EQ(&(right = whole), &right);
  ASSERT_NE(address(static_cast<Right*>(&both)), address(&both));
  EXPECT_EQ(right.get(), static_cast<Right*>(&both));
  ipc::offset_ptr<const Both> constant;
  constant = whole;
  EXPECT_EQ(constant.get(), &both);

  right = ipc::offset_ptr<Both>();
  EXPECT_EQ(right.get(), nullptr);
}

TEST_F(OffsetPtr, GetReturnsRawPointerOrNull) {
  IPC_SPEC("offset_ptr.get.raw_pointer");
  static_assert(std::is_same_v<decltype(std::declval<const ipc::offset_ptr<int>&>().get()), int*>);
  int target = 0;
  ipc::offset_ptr<int> p;
  EXPECT_EQ(p.get(), nullptr);
  p = &target;
  EXPECT_EQ(p.get(), &target);
}

TEST_F(OffsetPtr, GetOffsetIsSignedByteDistanceToPointee) {
  IPC_SPEC("offset_ptr.get_offset.distance");
  struct Straddle {
    int before = 0;
    ipc::offset_ptr<int> ptr;
    int after = 0;
  } s;
  const auto backward = byte_distance(&s.ptr, &s.before);
  const auto forward = byte_distance(&s.ptr, &s.after);
  ASSERT_LT(backward, 0);
  ASSERT_GT(forward, 0);

  s.ptr = &s.before;
  const auto offset = s.ptr.get_offset();
  EXPECT_TRUE((std::is_same_v<std::remove_const_t<decltype(offset)>, std::ptrdiff_t>))
      << "get_offset() must return the signed std::ptrdiff_t, able to hold " << backward;
  EXPECT_EQ(static_cast<std::ptrdiff_t>(offset), backward);
  s.ptr = &s.after;
  EXPECT_EQ(static_cast<std::ptrdiff_t>(s.ptr.get_offset()), forward);
}

TEST_F(OffsetPtr, PointingOneBytePastItselfIsNull) {
  IPC_SPEC("offset_ptr.null.offset_one");
  char elsewhere = 0;
  ipc::offset_ptr<char> p(&elsewhere);
  ASSERT_FALSE(!p);
  p = reinterpret_cast<char*>(&p) + 1;
  EXPECT_TRUE(!p);
  EXPECT_EQ(p.get(), nullptr);
  EXPECT_EQ(static_cast<std::ptrdiff_t>(p.get_offset()), 1);

  p = &elsewhere;
  p = 0;
  EXPECT_TRUE(!p);
  EXPECT_EQ(static_cast<std::ptrdiff_t>(p.get_offset()), 1);

  // The same holds when the pointer is constructed with that address.
  alignas(ipc::offset_ptr<char>) unsigned char storage[sizeof(ipc::offset_ptr<char>)];
  const auto* constructed =
      new (storage) ipc::offset_ptr<char>(reinterpret_cast<char*>(storage) + 1);
  EXPECT_EQ(constructed->get(), nullptr);
}

TEST_F(OffsetPtr, PointingToItselfIsNotNull) {
  IPC_SPEC("offset_ptr.null.self_pointing");
  struct Ring {
    ipc::offset_ptr<Ring> next;
    int id = 4;
  } ring;
  ring.next = &ring;
  EXPECT_FALSE(!ring.next);
  ASSERT_EQ(ring.next.get(), &ring);
  EXPECT_EQ(static_cast<std::ptrdiff_t>(ring.next.get_offset()), 0);
  EXPECT_EQ(ring.next->next->id, 4);
}

TEST_F(OffsetPtr, ArrowReachesMembers) {
  IPC_SPEC("offset_ptr.access.arrow");
  struct Point {
    int x = 0;
    int y = 0;
  } point;
  const ipc::offset_ptr<Point> p(&point);
  ASSERT_EQ(p.operator->(), &point);
  p->y = 7;
  EXPECT_EQ(point.y, 7);
  EXPECT_EQ(p->x, 0);
  EXPECT_EQ(ipc::offset_ptr<Point>().operator->(), nullptr);
}

TEST_F(OffsetPtr, DereferenceYieldsReferenceToPointee) {
  IPC_SPEC("offset_ptr.access.deref");
  static_assert(std::is_same_v<decltype(*std::declval<const ipc::offset_ptr<int>&>()), int&>);
  int target = 1;
  const ipc::offset_ptr<int> p(&target);
  ASSERT_EQ(p.get(), &target);
  int& ref = *p;
  EXPECT_EQ(&ref, &target);
  *p = 5;
  EXPECT_EQ(target, 5);
}

TEST_F(OffsetPtr, IndexReachesElementsAroundPointee) {
  IPC_SPEC("offset_ptr.access.index");
  int values[4] = {10, 11, 12, 13};
  const ipc::offset_ptr<int> p(&values[1]);
  ASSERT_EQ(&p[0], &values[1]);
  EXPECT_EQ(p[2], 13);
  EXPECT_EQ(p[-1], 10);
  p[1] = 42;
  EXPECT_EQ(values[2], 42);
}

TEST_F(OffsetPtr, AddAndSubtractMoveByElements) {
  IPC_SPEC("offset_ptr.arith.plus_minus");
  double values[6] = {};
  const ipc::offset_ptr<double> p(&values[2]);
  EXPECT_EQ((p + 3).get(), &values[5]);
  EXPECT_EQ((3 + p).get(), &values[5]);
  EXPECT_EQ((p - 2).get(), &values[0]);
  EXPECT_EQ((p + 0).get(), &values[2]);
  EXPECT_EQ(p.get(), &values[2]);
}

TEST_F(OffsetPtr, CompoundAssignmentMovesAndReturnsSelf) {
  IPC_SPEC("offset_ptr.arith.compound");
  double values[6] = {};
  ipc::offset_ptr<double> p(&values[1]);
  EXPECT_EQ(&(p += 4), &p);
  EXPECT_EQ(p.get(), &values[5]);
  EXPECT_EQ(&(p -= 5), &p);
  EXPECT_EQ(p.get(), &values[0]);
}

TEST_F(OffsetPtr, IncrementAndDecrementMoveByOneElement) {
  IPC_SPEC("offset_ptr.arith.increment");
  double values[4] = {};
  ipc::offset_ptr<double> p(&values[1]);
  EXPECT_EQ(&++p, &p);
  EXPECT_EQ(p.get(), &values[2]);
  EXPECT_EQ((p++).get(), &values[2]);
  EXPECT_EQ(p.get(), &values[3]);
  EXPECT_EQ(&--p, &p);
  EXPECT_EQ(p.get(), &values[2]);
  EXPECT_EQ((p--).get(), &values[2]);
  EXPECT_EQ(p.get(), &values[1]);
}

TEST_F(OffsetPtr, DifferenceCountsElements) {
  IPC_SPEC("offset_ptr.arith.difference");
  double values[6] = {};
  const ipc::offset_ptr<double> low(&values[1]);
  const ipc::offset_ptr<double> high(&values[5]);
  static_assert(std::is_same_v<decltype(high - low), std::ptrdiff_t>);
  EXPECT_EQ(high - low, 4);
  EXPECT_EQ(low - high, -4);
  EXPECT_EQ(low - low, 0);
  const ipc::offset_ptr<const double> high_const(&values[5]);
  EXPECT_EQ(high_const - low, 4);
}

TEST_F(OffsetPtr, ConvertsToBoolInConditions) {
  IPC_SPEC("offset_ptr.bool.conversion");
  int target = 0;
  const ipc::offset_ptr<int> set(&target);
  const ipc::offset_ptr<int> unset;
  EXPECT_TRUE(set ? true : false);
  EXPECT_FALSE(unset ? true : false);
  EXPECT_TRUE(set && !unset);
  EXPECT_FALSE(!set);
  EXPECT_TRUE(!unset);
}

TEST_F(OffsetPtr, ComparisonsFollowRawAddresses) {
  IPC_SPEC("offset_ptr.compare.all");
  int values[3] = {};
  const ipc::offset_ptr<int> low(&values[0]);
  const auto low_elsewhere = std::make_unique<ipc::offset_ptr<int>>(&values[0]);
  const ipc::offset_ptr<int> high(&values[2]);

  EXPECT_TRUE(low == *low_elsewhere);
  EXPECT_FALSE(low == high);
  EXPECT_TRUE(low != high);
  EXPECT_FALSE(low != *low_elsewhere);
  EXPECT_TRUE(low < high);
  EXPECT_FALSE(high < low);
  EXPECT_FALSE(low < *low_elsewhere);
  EXPECT_TRUE(low <= high);
  EXPECT_TRUE(low <= *low_elsewhere);
  EXPECT_FALSE(high <= low);
  EXPECT_TRUE(high > low);
  EXPECT_FALSE(low > high);
  EXPECT_FALSE(low > *low_elsewhere);
  EXPECT_TRUE(high >= low);
  EXPECT_TRUE(low >= *low_elsewhere);
  EXPECT_FALSE(low >= high);

  // Different pointee types compare as the raw pointers would.
  const ipc::offset_ptr<const int> high_const(&values[2]);
  EXPECT_TRUE(high == high_const);
  EXPECT_TRUE(low < high_const);
  EXPECT_TRUE(high_const >= low);
  Both both;
  const ipc::offset_ptr<Both> whole(&both);
  const ipc::offset_ptr<Right> right(&both);
  EXPECT_TRUE(whole == right);
  EXPECT_FALSE(whole != right);
}

TEST_F(OffsetPtr, StreamOperatorsInsertAndExtract) {
  IPC_SPEC("offset_ptr.stream.operators");
#ifdef IPC_COMPILE_GAP_OFFSET_PTR_EXTRACTION
  FAIL() << "operator>> for offset_ptr does not compile with this implementation "
            "(declared by its adapter as IPC_COMPILE_GAP_OFFSET_PTR_EXTRACTION)";
#else
  // The manual names the operators without saying which text they use: only
  // that both exist for an offset_ptr and a stream is checked here.
  int target = 0;
  const ipc::offset_ptr<int> written(&target);
  std::ostringstream out;
  EXPECT_TRUE(out << written);
  const auto read = std::make_unique<ipc::offset_ptr<int>>();
  std::istringstream in(out.str());
  in >> *read;
#endif
}

TEST_F(OffsetPtr, StreamExtractionReadsInsertedAddressBack) {
  IPC_SPEC("offset_ptr.stream.round_trip");
#ifdef IPC_COMPILE_GAP_OFFSET_PTR_EXTRACTION
  FAIL() << "operator>> for offset_ptr does not compile with this implementation "
            "(declared by its adapter as IPC_COMPILE_GAP_OFFSET_PTR_EXTRACTION)";
#else
  int target = 0;
  const ipc::offset_ptr<int> written(&target);
  std::ostringstream text;
  text << written;
  const auto read = std::make_unique<ipc::offset_ptr<int>>();
  std::istringstream in(text.str());
  ASSERT_TRUE(in >> *read) << "'" << text.str() << "' does not read back";
  EXPECT_EQ(read->get(), &target);
  EXPECT_TRUE(*read == written);
#endif
}

TEST_F(OffsetPtr, StreamInsertionWritesPointeeAddress) {
  IPC_SPEC("offset_ptr.stream.insert_address");
  int target = 0;
  const ipc::offset_ptr<int> near(&target);
  const auto far = std::make_unique<ipc::offset_ptr<int>>(&target);
  std::ostringstream near_text;
  std::ostringstream far_text;
  near_text << near;
  far_text << *far;
  EXPECT_EQ(near_text.str(), far_text.str());

  std::istringstream in(near_text.str());
  void* read = nullptr;
  ASSERT_TRUE(in >> read) << "'" << near_text.str() << "' does not read as a pointer";
  EXPECT_EQ(read, address(&target));

  std::ostringstream null_text;
  null_text << ipc::offset_ptr<int>();
  std::istringstream null_in(null_text.str());
  void* read_null = &target;
  ASSERT_TRUE(null_in >> read_null) << "'" << null_text.str() << "' does not read as a pointer";
  EXPECT_EQ(read_null, nullptr);
}

TEST_F(OffsetPtr, SwapExchangesPointees) {
  IPC_SPEC("offset_ptr.swap.exchanges");
  int first = 1;
  int second = 2;
  ipc::offset_ptr<int> a(&first);
  const auto b = std::make_unique<ipc::offset_ptr<int>>(&second);
  swap(a, *b);  // found by argument-dependent lookup
  EXPECT_EQ(a.get(), &second);
  EXPECT_EQ(b->get(), &first);

  ipc::offset_ptr<int> null;
  swap(a, null);
  EXPECT_EQ(a.get(), nullptr);
  EXPECT_EQ(null.get(), &second);
}

TEST_F(OffsetPtr, QualifiedSwapExchangesPointees) {
  IPC_SPEC("offset_ptr.swap.exchanges");
  int first = 1;
  int second = 2;
  ipc::offset_ptr<int> a(&first);
  ipc::offset_ptr<int> b(&second);
  const auto swapped =
      call_documented<bool, QualifiedSwap>("ipc::swap(offset_ptr<T>&, offset_ptr<T>&)", a, b);
  ASSERT_TRUE(swapped);
  EXPECT_EQ(a.get(), &second);
  EXPECT_EQ(b.get(), &first);
}

TEST_F(OffsetPtr, StaticPointerCastConvertsAsStaticCast) {
  IPC_SPEC("offset_ptr.cast.static");
  Both both;
  const ipc::offset_ptr<Right> right(&both);
  ASSERT_NE(address(right.get()), address(&both));
  const auto whole = documented_cast<StaticPointerCast, Both>(right);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->get(), &both);

  int value = 0;
  const ipc::offset_ptr<void> untyped(&value);
  const auto from_void = documented_cast<StaticPointerCast, int>(untyped);
  EXPECT_EQ(from_void.value().get(), &value);
  const ipc::offset_ptr<Right> null;
  const auto from_null = documented_cast<StaticPointerCast, Both>(null);
  EXPECT_EQ(from_null.value().get(), nullptr);
}

TEST_F(OffsetPtr, ConstPointerCastConvertsAsConstCast) {
  IPC_SPEC("offset_ptr.cast.const");
  int value = 1;
  const ipc::offset_ptr<const int> read_only(&value);
  const auto writable = documented_cast<ConstPointerCast, int>(read_only);
  ASSERT_TRUE(writable);
  ASSERT_EQ(writable->get(), &value);
  **writable = 2;
  EXPECT_EQ(value, 2);
}

TEST_F(OffsetPtr, DynamicPointerCastMatchesOrGivesNull) {
  IPC_SPEC("offset_ptr.cast.dynamic");
  Derived derived;
  const ipc::offset_ptr<Base> to_derived(&derived);
  const auto down = documented_cast<DynamicPointerCast, Derived>(to_derived);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->get(), &derived);
  Mixin* const cross = &derived;
  ASSERT_NE(address(cross), address(&derived));
  const auto across = documented_cast<DynamicPointerCast, Mixin>(to_derived);
  EXPECT_EQ(across.value().get(), cross);

  Unrelated unrelated;
  const ipc::offset_ptr<Base> to_unrelated(&unrelated);
  const auto failed_down = documented_cast<DynamicPointerCast, Derived>(to_unrelated);
  EXPECT_EQ(failed_down.value().get(), nullptr);
  const auto failed_across = documented_cast<DynamicPointerCast, Mixin>(to_unrelated);
  EXPECT_TRUE(!failed_across.value());
  const ipc::offset_ptr<Base> null;
  const auto from_null = documented_cast<DynamicPointerCast, Derived>(null);
  EXPECT_EQ(from_null.value().get(), nullptr);
}

TEST_F(OffsetPtr, ReinterpretPointerCastKeepsAddress) {
  IPC_SPEC("offset_ptr.cast.reinterpret");
  std::uint32_t word = 0x01020304;
  const ipc::offset_ptr<std::uint32_t> p(&word);
  const auto bytes = documented_cast<ReinterpretPointerCast, unsigned char>(p);
  ASSERT_TRUE(bytes);
  ASSERT_EQ(address(bytes->get()), address(&word));
  unsigned char expected_first_byte;
  std::memcpy(&expected_first_byte, &word, 1);
  EXPECT_EQ(**bytes, expected_first_byte);

  // Unlike the static conversion, reinterpretation does not move the address.
  Both both;
  const ipc::offset_ptr<Both> whole(&both);
  const auto reinterpreted = documented_cast<ReinterpretPointerCast, Right>(whole);
  EXPECT_EQ(address(reinterpreted.value().get()), address(&both));
}

// A block of records linked only to each other, for copying as bytes.
struct Record {
  int payload[3] = {};
  ipc::offset_ptr<int> cursor;
  ipc::offset_ptr<Record> self;
  ipc::offset_ptr<Record> next;
};
struct Block {
  ipc::offset_ptr<Record> first;
  ipc::offset_ptr<int> nowhere;
  Record records[3];
};

TEST_F(OffsetPtr, BlockCopiedElsewhereKeepsItsLinks) {
  IPC_SPEC("offset_ptr.position_independent.copied_bytes");
  constexpr int kChain[] = {2, 0, 1};  // not array order, so links must be followed
  alignas(Block) unsigned char original[sizeof(Block)];
  alignas(Block) unsigned char copy[sizeof(Block)];
  auto* built = new (original) Block();
  ipc::offset_ptr<Record>* link = &built->first;
  for (int k : kChain) {
    Record& record = built->records[k];
    record.payload[1] = 10 * k + 1;
    record.cursor = &record.payload[1];
    record.self = &record;
    *link = &record;
    link = &record.next;
  }
  std::memcpy(copy, original, sizeof(Block));
  built->~Block();
  std::memset(original, 0, sizeof original);

  // Offset pointers exist precisely so that this byte copy is usable.
  const auto* moved = reinterpret_cast<const Block*>(copy);
  EXPECT_EQ(moved->nowhere.get(), nullptr);
  const Record* record = moved->first.get();
  for (int k : kChain) {
    ASSERT_EQ(record, &moved->records[k]);
    EXPECT_EQ(record->self.get(), record);
    ASSERT_EQ(record->cursor.get(), &record->payload[1]);
    EXPECT_EQ(*record->cursor, 10 * k + 1);
    record = record->next.get();
  }
  EXPECT_EQ(record, nullptr);
}

// A linked list laid out in a shared memory object. The visiting order is not
// the array order, and the last slot is left free for a child to append.
constexpr int kListLength = 8;
constexpr int kVisitOrder[kListLength] = {5, 2, 7, 0, 3, 6, 1, 4};

struct SharedNode {
  int value = -1;
  ipc::offset_ptr<SharedNode> next;
};
struct SharedList {
  ipc::offset_ptr<SharedNode> head;
  SharedNode slots[kListLength + 1];
};

// Builds the list with values 0, 1, ... in visiting order.
void build_list(const ipc::mapped_region& region) {
  auto* list = new (region.get_address()) SharedList();
  ipc::offset_ptr<SharedNode>* link = &list->head;
  for (int i = 0; i < kListLength; ++i) {
    SharedNode& node = list->slots[kVisitOrder[i]];
    node.value = i;
    *link = &node;
    link = &node.next;
  }
}

std::vector<int> values_up_to(int count) {
  std::vector<int> values(count);
  std::iota(values.begin(), values.end(), 0);
  return values;
}

struct ListWalk {
  std::vector<int> values;
  // A link led outside `region` (e.g. resolved against another mapping's
  // base) or the list did not end; the walk stopped without touching it.
  bool broken = false;
};

ListWalk walk_list(const ipc::mapped_region& region) {
  const auto begin = reinterpret_cast<std::uintptr_t>(region.get_address());
  const auto end = begin + region.get_size();
  const auto& list = *static_cast<const SharedList*>(region.get_address());
  ListWalk walk;
  for (const SharedNode* node = list.head.get(); node != nullptr; node = node->next.get()) {
    const auto at = reinterpret_cast<std::uintptr_t>(node);
    // More nodes than slots means the list loops.
    if (at < begin || at > end - sizeof(SharedNode) ||
        walk.values.size() == std::size(list.slots)) {
      walk.broken = true;
      break;
    }
    walk.values.push_back(node->value);
  }
  return walk;
}

TEST_F(OffsetPtr, ListInSharedMemoryHoldsThroughSecondMapping) {
  IPC_SPEC("offset_ptr.position_independent.mapped_twice");
  const std::string name = unique_resource(remove_shared_memory, "list");
  ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  shm.truncate(sizeof(SharedList));
  const ipc::mapped_region writer(shm, ipc::read_write);
  const ipc::mapped_region reader(shm, ipc::read_write);
  ASSERT_NE(writer.get_address(), reader.get_address());

  build_list(writer);
  const ListWalk walk = walk_list(reader);
  EXPECT_FALSE(walk.broken);
  EXPECT_EQ(walk.values, values_up_to(kListLength));
}

// Maps the list named args[0] at this process's own address, checks it, and
// appends a node in the spare slot.
IPC_CHILD_ROLE(offset_ptr_list_walker) {
  ipc::shared_memory_object shm(ipc::open_only, args.at(0).c_str(), ipc::read_write);
  const ipc::mapped_region region(shm, ipc::read_write);
  const ListWalk walk = walk_list(region);
  IPC_CHILD_CHECK(!walk.broken);
  IPC_CHILD_CHECK_MSG(walk.values == values_up_to(kListLength),
                      "walked " << walk.values.size() << " nodes");
  auto& list = *static_cast<SharedList*>(region.get_address());
  SharedNode& spare = list.slots[kListLength];
  spare.value = kListLength;
  list.slots[kVisitOrder[kListLength - 1]].next = &spare;
}

TEST_F(OffsetPtrMultiProcess, ExecdChildFollowsAndExtendsList) {
  IPC_SPEC("offset_ptr.position_independent.mapped_twice");
  const std::string name = unique_resource(remove_shared_memory, "list");
  ipc::shared_memory_object shm(ipc::create_only, name.c_str(), ipc::read_write);
  shm.truncate(sizeof(SharedList));
  const ipc::mapped_region region(shm, ipc::read_write);
  build_list(region);

  IPC_ASSERT_CHILD_OK(ipc_test::spawn_role("offset_ptr_list_walker", {name}).wait());
  // The child's link, made at its own mapping address, is valid here too.
  const ListWalk walk = walk_list(region);
  EXPECT_FALSE(walk.broken);
  EXPECT_EQ(walk.values, values_up_to(kListLength + 1));
}

TEST_F(OffsetPtr, WorksWithStandardAlgorithms) {
  IPC_SPEC("offset_ptr.stl.algorithms");
  int values[8] = {42, 7, 19, 3, 25, 11, 8, 30};
  const ipc::offset_ptr<int> first(std::begin(values));
  const ipc::offset_ptr<int> last(std::end(values));
  ASSERT_EQ(std::distance(first, last), 8);

  std::sort(first, last);
  EXPECT_TRUE(std::is_sorted(std::begin(values), std::end(values)));
  EXPECT_EQ(values[0], 3);
  EXPECT_EQ(values[7], 42);

  EXPECT_EQ(std::find(first, last, 19).get(), &values[4]);
  EXPECT_EQ(std::find(first, last, 5).get(), last.get());
}

}  // namespace
