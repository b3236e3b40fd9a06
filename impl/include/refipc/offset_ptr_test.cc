#include "refipc/offset_ptr.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <numeric>
#include <sstream>
#include <type_traits>
#include <utility>

namespace {

using refipc::offset_ptr;

struct Base1 {
  int a = 1;
};
struct Base2 {
  int b = 2;
};
struct Derived : Base1, Base2 {
  int c = 3;
};

struct Poly {
  virtual ~Poly() = default;
};
struct PolyA : Poly {};
struct PolyB : Poly {};

std::uintptr_t Addr(const volatile void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// Detects whether `a == b` compiles for the given operand types.
template <class A, class B, class = void>
struct EqualityComparable : std::false_type {};
template <class A, class B>
struct EqualityComparable<A, B, std::void_t<decltype(std::declval<A>() == std::declval<B>())>>
    : std::true_type {};

TEST(OffsetPtrTest, Typedefs) {
  using P = offset_ptr<const int>;
  static_assert(std::is_same<P::element_type, const int>::value, "");
  static_assert(std::is_same<P::pointer, const int*>::value, "");
  static_assert(std::is_same<P::reference, const int&>::value, "");
  static_assert(std::is_same<P::value_type, int>::value, "");
  static_assert(std::is_same<P::difference_type, std::ptrdiff_t>::value, "");
  static_assert(std::is_same<P::offset_type, std::uintptr_t>::value, "");
  static_assert(std::is_same<P::iterator_category, std::random_access_iterator_tag>::value, "");
  static_assert(std::is_same<P::rebind<double>, offset_ptr<double>>::value, "");

  using V = offset_ptr<void>;
  static_assert(std::is_same<V::pointer, void*>::value, "");
  static_assert(std::is_same<V::element_type, void>::value, "");
  static_assert(std::is_same<offset_ptr<const void>::pointer, const void*>::value, "");

  // Non-default parameters are carried through rebind.
  using Q = offset_ptr<int, std::int32_t, std::uint32_t, 8>;
  static_assert(std::is_same<Q::difference_type, std::int32_t>::value, "");
  static_assert(std::is_same<Q::offset_type, std::uint32_t>::value, "");
  static_assert(
      std::is_same<Q::rebind<char>, offset_ptr<char, std::int32_t, std::uint32_t, 8>>::value, "");
}

TEST(OffsetPtrTest, LayoutAndTraits) {
  static_assert(sizeof(offset_ptr<int>) == sizeof(void*), "");
  static_assert(sizeof(offset_ptr<void>) == sizeof(void*), "");
  static_assert(alignof(offset_ptr<int>) == alignof(std::uintptr_t), "");
  static_assert(alignof(offset_ptr<int, std::ptrdiff_t, std::uintptr_t, 16>) == 16, "");
  static_assert(sizeof(offset_ptr<int, std::ptrdiff_t, std::uint32_t>) == 4, "");
  static_assert(std::is_trivially_destructible<offset_ptr<int>>::value, "");
  static_assert(std::is_trivially_destructible<offset_ptr<const void>>::value, "");
  static_assert(std::is_nothrow_default_constructible<offset_ptr<int>>::value, "");
  static_assert(std::is_nothrow_copy_constructible<offset_ptr<int>>::value, "");
  static_assert(std::is_nothrow_copy_assignable<offset_ptr<int>>::value, "");
  // The boolean conversion is explicit.
  static_assert(!std::is_convertible<offset_ptr<int>, bool>::value, "");
  static_assert(std::is_constructible<bool, offset_ptr<int>>::value, "");
  // Usable for a constant-initialized global.
  static constexpr offset_ptr<int> kNull;
  EXPECT_FALSE(kNull);
}

TEST(OffsetPtrTest, NullRepresentations) {
  offset_ptr<int> by_default;
  offset_ptr<int> from_nullptr(nullptr);
  offset_ptr<int> from_zero(0);
  offset_ptr<int> copy_init_zero = 0;
  offset_ptr<int> copy_init_nullptr = nullptr;
  for (const offset_ptr<int>* p :
       {&by_default, &from_nullptr, &from_zero, &copy_init_zero, &copy_init_nullptr}) {
    EXPECT_EQ(p->get(), nullptr);
    EXPECT_EQ(p->get_offset(), 1);
    EXPECT_FALSE(*p);
    EXPECT_TRUE(!*p);
    EXPECT_TRUE(*p == nullptr);
    EXPECT_TRUE(nullptr == *p);
    EXPECT_TRUE(*p == 0);
    EXPECT_FALSE(*p != nullptr);
    EXPECT_FALSE(nullptr != *p);
    EXPECT_EQ(p->operator->(), nullptr);
    EXPECT_EQ(refipc::to_raw_pointer(*p), nullptr);
  }

  int x = 0;
  offset_ptr<int> p(&x);
  ASSERT_TRUE(p);
  p = nullptr;
  EXPECT_FALSE(p);
  p = &x;
  p = 0;
  EXPECT_FALSE(p);
  p = &x;
  p = offset_ptr<int>();
  EXPECT_FALSE(p);
}

TEST(OffsetPtrTest, ByteAfterItselfIsNull) {
  offset_ptr<char> p;
  p = reinterpret_cast<char*>(&p) + 1;
  EXPECT_FALSE(p);
  EXPECT_EQ(p.get(), nullptr);
  EXPECT_EQ(p.get_offset(), 1);

  // Arithmetic that lands there yields null as well.
  p = reinterpret_cast<char*>(&p);
  ++p;
  EXPECT_FALSE(p);
}

TEST(OffsetPtrTest, SelfPointingIsNotNull) {
  offset_ptr<char> p;
  p = reinterpret_cast<char*>(&p);
  EXPECT_TRUE(p);
  EXPECT_EQ(p.get_offset(), 0);
  EXPECT_EQ(p.get(), reinterpret_cast<char*>(&p));
  EXPECT_NE(p, nullptr);

  // A copy points at the original, not at itself.
  offset_ptr<char> copy(p);
  EXPECT_EQ(copy.get(), reinterpret_cast<char*>(&p));
  EXPECT_EQ(copy.get_offset(), static_cast<std::ptrdiff_t>(Addr(&p) - Addr(&copy)));

  struct Node {
    offset_ptr<Node> next;
  } node;
  node.next = &node;
  EXPECT_EQ(node.next.get_offset(), 0);
  EXPECT_EQ(node.next->next.get(), &node);
}

TEST(OffsetPtrTest, StoresDistanceFromItself) {
  struct Layout {
    int first;
    offset_ptr<int> ptr;
    int second;
  } s;
  s.ptr = &s.first;
  EXPECT_EQ(s.ptr.get_offset(), -static_cast<std::ptrdiff_t>(Addr(&s.ptr) - Addr(&s.first)));
  EXPECT_LT(s.ptr.get_offset(), 0);
  EXPECT_EQ(s.ptr.get(), &s.first);
  s.ptr = &s.second;
  EXPECT_EQ(s.ptr.get_offset(), static_cast<std::ptrdiff_t>(Addr(&s.second) - Addr(&s.ptr)));
  EXPECT_GT(s.ptr.get_offset(), 0);
  EXPECT_EQ(s.ptr.get(), &s.second);
}

TEST(OffsetPtrTest, CopyRecomputesOffset) {
  int x = 5;
  offset_ptr<int> a(&x);
  offset_ptr<int> b(a);
  EXPECT_EQ(b.get(), &x);
  EXPECT_EQ(b.get_offset(), a.get_offset() + static_cast<std::ptrdiff_t>(Addr(&a) - Addr(&b)));

  offset_ptr<int> c;
  c = a;
  EXPECT_EQ(c.get(), &x);
  EXPECT_EQ(*c, 5);

  const offset_ptr<int>& alias = c;
  c = alias;  // Self-assignment keeps the target.
  EXPECT_EQ(c.get(), &x);

  offset_ptr<int> null;
  offset_ptr<int> null_copy(null);
  EXPECT_FALSE(null_copy);
  c = null;
  EXPECT_FALSE(c);

  // Moves are copies too.
  offset_ptr<int> moved(std::move(a));
  EXPECT_EQ(moved.get(), &x);
  c = std::move(moved);
  EXPECT_EQ(c.get(), &x);
}

TEST(OffsetPtrTest, NarrowOffsetTypeReachesBothDirections) {
  using P32 = offset_ptr<int, std::ptrdiff_t, std::uint32_t>;
  struct Layout {
    int before[4];
    P32 ptr;
    int after[4];
  } s;
  for (int i = 0; i < 4; ++i) {
    s.ptr = &s.before[i];
    EXPECT_EQ(s.ptr.get(), &s.before[i]);
    EXPECT_LT(s.ptr.get_offset(), 0);
    s.ptr = &s.after[i];
    EXPECT_EQ(s.ptr.get(), &s.after[i]);
    EXPECT_GT(s.ptr.get_offset(), 0);
  }
  P32 copy(s.ptr);
  EXPECT_EQ(copy.get(), &s.after[3]);
  s.ptr = &s.before[3];
  s.ptr -= 3;
  EXPECT_EQ(s.ptr.get(), &s.before[0]);
  s.ptr += 2;
  EXPECT_EQ(s.ptr.get(), &s.before[2]);
}

TEST(OffsetPtrTest, DereferenceAndMemberAccess) {
  Derived d;
  offset_ptr<Derived> p(&d);
  EXPECT_EQ(&*p, &d);
  EXPECT_EQ(p->c, 3);
  p->c = 7;
  EXPECT_EQ(d.c, 7);
  (*p).a = 9;
  EXPECT_EQ(d.a, 9);

  int arr[3] = {10, 20, 30};
  offset_ptr<int> q(arr);
  EXPECT_EQ(q[0], 10);
  EXPECT_EQ(q[2], 30);
  q[1] = 21;
  EXPECT_EQ(arr[1], 21);
  offset_ptr<int> end(arr + 3);
  EXPECT_EQ(end[-1], 30);
}

TEST(OffsetPtrTest, ArithmeticMatchesRawPointers) {
  constexpr int kN = 12;
  long arr[kN] = {};
  for (int i = 0; i <= kN; ++i) {
    for (int j = 0; j <= kN - i; ++j) {
      offset_ptr<long> p(arr + i);
      EXPECT_EQ((p + j).get(), arr + i + j);
      EXPECT_EQ((j + p).get(), arr + i + j);
      offset_ptr<long> q = p;
      q += j;
      EXPECT_EQ(q.get(), arr + i + j);
      EXPECT_EQ((q - j).get(), arr + i);
      EXPECT_EQ(q - p, j);
      EXPECT_EQ(p - q, -j);
      q -= j;
      EXPECT_EQ(q.get(), arr + i);
      q += -j;  // Negative steps through +=.
      q -= -j;
      EXPECT_EQ(q.get(), arr + i);
    }
  }

  offset_ptr<long> it(arr + 5);
  EXPECT_EQ((++it).get(), arr + 6);
  EXPECT_EQ((it++).get(), arr + 6);
  EXPECT_EQ(it.get(), arr + 7);
  EXPECT_EQ((--it).get(), arr + 6);
  EXPECT_EQ((it--).get(), arr + 6);
  EXPECT_EQ(it.get(), arr + 5);
  EXPECT_EQ(&(it += 2), &it);
  EXPECT_EQ(&(it -= 2), &it);
  EXPECT_EQ(&++it, &it);
  EXPECT_EQ(&--it, &it);

  // Adding zero to null stays null.
  offset_ptr<long> null;
  EXPECT_FALSE(null + 0);
  EXPECT_EQ(null - null, 0);

  // Differences between pointers of cv-different types.
  offset_ptr<const long> cp(arr + 1);
  EXPECT_EQ(offset_ptr<long>(arr + 4) - cp, 3);
}

TEST(OffsetPtrTest, ComparisonsMatchRawPointers) {
  int arr[6] = {};
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      int* ri = arr + i;
      int* rj = arr + j;
      offset_ptr<int> pi(ri);
      offset_ptr<const int> pj(rj);
      EXPECT_EQ(pi == pj, ri == rj);
      EXPECT_EQ(pi != pj, ri != rj);
      EXPECT_EQ(pi < pj, ri < rj);
      EXPECT_EQ(pi <= pj, ri <= rj);
      EXPECT_EQ(pi > pj, ri > rj);
      EXPECT_EQ(pi >= pj, ri >= rj);
      // Offset pointer on the left, raw on the right, and the reverse.
      EXPECT_EQ(pi == rj, ri == rj);
      EXPECT_EQ(pi != rj, ri != rj);
      EXPECT_EQ(pi < rj, ri < rj);
      EXPECT_EQ(pi <= rj, ri <= rj);
      EXPECT_EQ(pi > rj, ri > rj);
      EXPECT_EQ(pi >= rj, ri >= rj);
      EXPECT_EQ(ri == pj, ri == rj);
      EXPECT_EQ(ri != pj, ri != rj);
      EXPECT_EQ(ri < pj, ri < rj);
      EXPECT_EQ(ri <= pj, ri <= rj);
      EXPECT_EQ(ri > pj, ri > rj);
      EXPECT_EQ(ri >= pj, ri >= rj);
    }
  }

  // Comparison converts to the common pointer type, adjusting base addresses.
  Derived d;
  offset_ptr<Derived> pd(&d);
  offset_ptr<Base2> pb(&d);
  EXPECT_TRUE(pd == pb);
  EXPECT_TRUE(pb == &d);
  EXPECT_TRUE(&d == pb);
  EXPECT_FALSE(pd != static_cast<Base2*>(&d));
  EXPECT_TRUE(offset_ptr<void>(&d) != pb);  // Base2 is not at the start of d.

  static_assert(EqualityComparable<offset_ptr<int>, offset_ptr<const int>>::value, "");
  static_assert(EqualityComparable<offset_ptr<int>, const int*>::value, "");
  static_assert(EqualityComparable<offset_ptr<int>, std::nullptr_t>::value, "");
  static_assert(!EqualityComparable<offset_ptr<int>, offset_ptr<double>>::value, "");
  static_assert(!EqualityComparable<offset_ptr<int>, double*>::value, "");
  static_assert(!EqualityComparable<double*, offset_ptr<int>>::value, "");
}

TEST(OffsetPtrTest, ImplicitConversions) {
  static_assert(std::is_convertible<offset_ptr<Derived>, offset_ptr<Base2>>::value, "");
  static_assert(std::is_convertible<offset_ptr<int>, offset_ptr<const int>>::value, "");
  static_assert(std::is_convertible<offset_ptr<int>, offset_ptr<void>>::value, "");
  static_assert(std::is_convertible<offset_ptr<const int>, offset_ptr<const void>>::value, "");
  static_assert(std::is_convertible<int*, offset_ptr<const int>>::value, "");
  static_assert(std::is_convertible<Derived*, offset_ptr<Base2>>::value, "");
  static_assert(std::is_convertible<offset_ptr<int>, offset_ptr<const int, int, unsigned>>::value,
                "");
  static_assert(!std::is_convertible<offset_ptr<Base2>, offset_ptr<Derived>>::value, "");
  static_assert(!std::is_convertible<offset_ptr<const int>, offset_ptr<int>>::value, "");
  static_assert(!std::is_convertible<offset_ptr<const void>, offset_ptr<void>>::value, "");
  static_assert(!std::is_convertible<offset_ptr<void>, offset_ptr<int>>::value, "");
  static_assert(!std::is_convertible<offset_ptr<int>, offset_ptr<double>>::value, "");
  static_assert(!std::is_constructible<offset_ptr<int>, offset_ptr<const int>>::value, "");
  static_assert(!std::is_constructible<offset_ptr<int>, offset_ptr<double>>::value, "");
  static_assert(!std::is_constructible<offset_ptr<int>, const int*>::value, "");
  static_assert(std::is_assignable<offset_ptr<Base1>&, offset_ptr<Derived>>::value, "");
  static_assert(!std::is_assignable<offset_ptr<Derived>&, offset_ptr<Base1>>::value, "");
  static_assert(!std::is_assignable<offset_ptr<int>&, offset_ptr<const int>>::value, "");

  Derived d;
  offset_ptr<Derived> pd(&d);

  // Base2 sits after Base1, so the address moves.
  offset_ptr<Base2> pb2(pd);
  EXPECT_EQ(pb2.get(), static_cast<Base2*>(&d));
  EXPECT_NE(static_cast<void*>(pb2.get()), static_cast<void*>(&d));
  EXPECT_EQ(pb2->b, 2);
  offset_ptr<Base1> pb1 = pd;
  EXPECT_EQ(pb1.get(), static_cast<Base1*>(&d));

  offset_ptr<Base2> assigned;
  assigned = pd;
  EXPECT_EQ(assigned.get(), static_cast<Base2*>(&d));

  // A null derived pointer converts to null, not to a shifted address.
  offset_ptr<Derived> null_derived;
  offset_ptr<Base2> null_base(null_derived);
  EXPECT_FALSE(null_base);
  assigned = null_derived;
  EXPECT_FALSE(assigned);

  // From raw pointers of a convertible type.
  offset_ptr<Base2> from_raw(&d);
  EXPECT_EQ(from_raw.get(), static_cast<Base2*>(&d));
  from_raw = static_cast<Derived*>(nullptr);
  EXPECT_FALSE(from_raw);

  // Adding const and converting to void keep the address.
  int x = 4;
  offset_ptr<int> px(&x);
  offset_ptr<const int> pcx(px);
  EXPECT_EQ(pcx.get(), &x);
  offset_ptr<const void> pcv(pcx);
  EXPECT_EQ(pcv.get(), static_cast<const void*>(&x));
  offset_ptr<void> pv;
  pv = px;
  EXPECT_EQ(pv.get(), static_cast<void*>(&x));

  // Across offset types.
  offset_ptr<const int, int, unsigned> narrow(px);
  EXPECT_EQ(narrow.get(), &x);
  offset_ptr<const int> wide(narrow);
  EXPECT_EQ(wide.get(), &x);
}

TEST(OffsetPtrTest, ExplicitDowncastConstruction) {
  static_assert(std::is_constructible<offset_ptr<Derived>, offset_ptr<Base2>>::value, "");
  static_assert(std::is_constructible<offset_ptr<int>, offset_ptr<void>>::value, "");

  Derived d;
  offset_ptr<Base2> pb(&d);
  offset_ptr<Derived> pd(pb);
  EXPECT_EQ(pd.get(), &d);

  int x = 0;
  offset_ptr<void> pv(&x);
  offset_ptr<int> px(pv);
  EXPECT_EQ(px.get(), &x);
}

TEST(OffsetPtrTest, StaticPointerCast) {
  Derived d;
  offset_ptr<Base2> pb(&d);
  offset_ptr<Derived> pd = refipc::static_pointer_cast<Derived>(pb);
  EXPECT_EQ(pd.get(), &d);
  EXPECT_EQ(refipc::static_pointer_cast<Base2>(pd).get(), static_cast<Base2*>(&d));

  int x = 0;
  offset_ptr<void> pv(&x);
  EXPECT_EQ(refipc::static_pointer_cast<int>(pv).get(), &x);

  offset_ptr<Base2> null;
  EXPECT_FALSE(refipc::static_pointer_cast<Derived>(null));

  // The tagged constructor directly.
  offset_ptr<Derived> tagged(pb, refipc::offset_ptr_detail::static_cast_tag());
  EXPECT_EQ(tagged.get(), &d);
}

TEST(OffsetPtrTest, ConstPointerCast) {
  int x = 1;
  offset_ptr<const int> pc(&x);
  offset_ptr<int> p = refipc::const_pointer_cast<int>(pc);
  EXPECT_EQ(p.get(), &x);
  *p = 2;
  EXPECT_EQ(x, 2);
  EXPECT_FALSE(refipc::const_pointer_cast<int>(offset_ptr<const int>()));

  offset_ptr<const void> pcv(&x);
  EXPECT_EQ(refipc::const_pointer_cast<void>(pcv).get(), static_cast<void*>(&x));

  offset_ptr<int> tagged(pc, refipc::offset_ptr_detail::const_cast_tag());
  EXPECT_EQ(tagged.get(), &x);
}

TEST(OffsetPtrTest, DynamicPointerCast) {
  PolyA a;
  offset_ptr<Poly> base(&a);
  offset_ptr<PolyA> ok = refipc::dynamic_pointer_cast<PolyA>(base);
  EXPECT_EQ(ok.get(), &a);
  offset_ptr<PolyB> wrong = refipc::dynamic_pointer_cast<PolyB>(base);
  EXPECT_FALSE(wrong);
  EXPECT_EQ(wrong.get(), nullptr);
  EXPECT_FALSE(refipc::dynamic_pointer_cast<PolyA>(offset_ptr<Poly>()));

  offset_ptr<PolyA> tagged(base, refipc::offset_ptr_detail::dynamic_cast_tag());
  EXPECT_EQ(tagged.get(), &a);
}

TEST(OffsetPtrTest, ReinterpretPointerCast) {
  std::uint32_t word = 0x01020304u;
  offset_ptr<std::uint32_t> pw(&word);
  offset_ptr<unsigned char> bytes = refipc::reinterpret_pointer_cast<unsigned char>(pw);
  EXPECT_EQ(static_cast<void*>(bytes.get()), static_cast<void*>(&word));
  unsigned char expected[sizeof word];
  std::memcpy(expected, &word, sizeof word);
  for (int i = 0; i < static_cast<int>(sizeof word); ++i) EXPECT_EQ(bytes[i], expected[i]);
  EXPECT_FALSE(refipc::reinterpret_pointer_cast<char>(offset_ptr<std::uint32_t>()));

  offset_ptr<char> tagged(pw, refipc::offset_ptr_detail::reinterpret_cast_tag());
  EXPECT_EQ(static_cast<void*>(tagged.get()), static_cast<void*>(&word));
}

TEST(OffsetPtrTest, VoidPointers) {
  double value = 2.5;
  offset_ptr<void> pv(&value);
  EXPECT_TRUE(pv);
  EXPECT_EQ(pv.get(), static_cast<void*>(&value));
  EXPECT_TRUE(pv == static_cast<void*>(&value));
  EXPECT_EQ(*refipc::static_pointer_cast<double>(pv), 2.5);

  offset_ptr<const void> pcv = pv;
  EXPECT_TRUE(pcv == pv);
  offset_ptr<const void> copy(pcv);
  EXPECT_EQ(copy.get(), static_cast<const void*>(&value));

  pv = nullptr;
  EXPECT_FALSE(pv);
  EXPECT_TRUE(pv == nullptr);
}

TEST(OffsetPtrTest, StreamRoundTrip) {
  int x = 0;
  offset_ptr<int> p(&x);
  std::ostringstream os;
  os << p;
  std::ostringstream expected;
  expected << static_cast<const void*>(&x);
  EXPECT_EQ(os.str(), expected.str());

  offset_ptr<int> q;
  std::istringstream is(os.str());
  is >> q;
  EXPECT_TRUE(is);
  EXPECT_EQ(q.get(), &x);

  offset_ptr<int> null;
  std::ostringstream null_os;
  null_os << null;
  std::istringstream null_is(null_os.str());
  null_is >> q;
  EXPECT_FALSE(q);

  // A failed read leaves the pointer alone.
  offset_ptr<const volatile int> cv(&x);
  std::istringstream garbage("not-a-pointer");
  garbage >> cv;
  EXPECT_TRUE(garbage.fail());
  EXPECT_EQ(cv.get(), &x);

  std::wostringstream wos;
  wos << p;
  std::wostringstream wexpected;
  wexpected << static_cast<const void*>(&x);
  EXPECT_EQ(wos.str(), wexpected.str());
}

TEST(OffsetPtrTest, Swap) {
  int x = 1;
  int y = 2;
  offset_ptr<int> a(&x);
  offset_ptr<int> b(&y);
  refipc::swap(a, b);
  EXPECT_EQ(a.get(), &y);
  EXPECT_EQ(b.get(), &x);

  {
    using std::swap;
    swap(a, b);  // Finds refipc::swap by argument-dependent lookup.
  }
  EXPECT_EQ(a.get(), &x);
  EXPECT_EQ(b.get(), &y);

  std::swap(a, b);
  EXPECT_EQ(a.get(), &y);
  EXPECT_EQ(b.get(), &x);

  // A self-pointing pointer keeps its target when it moves.
  offset_ptr<char> self;
  self = reinterpret_cast<char*>(&self);
  offset_ptr<char> other;
  refipc::swap(self, other);
  EXPECT_FALSE(self);
  EXPECT_EQ(other.get(), reinterpret_cast<char*>(&self));
}

TEST(OffsetPtrTest, PointerTraits) {
  using P = offset_ptr<int>;
  using Traits = std::pointer_traits<P>;
  static_assert(std::is_same<Traits::pointer, P>::value, "");
  static_assert(std::is_same<Traits::element_type, int>::value, "");
  static_assert(std::is_same<Traits::difference_type, std::ptrdiff_t>::value, "");
  static_assert(std::is_same<Traits::rebind<char>, offset_ptr<char>>::value, "");
  static_assert(std::is_same<std::pointer_traits<offset_ptr<void>>::rebind<int>, P>::value, "");

  int x = 0;
  P p = Traits::pointer_to(x);
  EXPECT_EQ(p.get(), &x);
  EXPECT_EQ(P::pointer_to(x).get(), &x);

  // Allocator-style rebinding from a void pointer.
  using FromVoid = std::pointer_traits<offset_ptr<const void>>::rebind<const int>;
  FromVoid q = std::pointer_traits<FromVoid>::pointer_to(x);
  EXPECT_EQ(q.get(), &x);
}

TEST(OffsetPtrTest, IteratorTraits) {
  using Traits = std::iterator_traits<offset_ptr<const int>>;
  static_assert(std::is_same<Traits::iterator_category, std::random_access_iterator_tag>::value,
                "");
  static_assert(std::is_same<Traits::value_type, int>::value, "");
  static_assert(std::is_same<Traits::difference_type, std::ptrdiff_t>::value, "");
  static_assert(std::is_same<Traits::pointer, const int*>::value, "");
  static_assert(std::is_same<Traits::reference, const int&>::value, "");
}

TEST(OffsetPtrTest, StandardAlgorithms) {
  int data[10] = {5, 3, 9, 1, 7, 0, 8, 2, 6, 4};
  offset_ptr<int> first(data);
  offset_ptr<int> last(data + 10);

  EXPECT_EQ(std::distance(first, last), 10);
  std::sort(first, last);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(data[i], i);

  EXPECT_EQ(std::find(first, last, 6).get(), data + 6);
  EXPECT_EQ(std::find(first, last, 42), last);
  EXPECT_EQ(std::lower_bound(first, last, 3).get(), data + 3);
  EXPECT_TRUE(std::binary_search(first, last, 9));
  EXPECT_EQ(std::accumulate(first, last, 0), 45);

  std::reverse(first, last);
  EXPECT_EQ(data[0], 9);
  EXPECT_EQ(data[9], 0);

  offset_ptr<int> it = first;
  std::advance(it, 4);
  EXPECT_EQ(it.get(), data + 4);
  EXPECT_EQ(std::next(it, 2).get(), data + 6);
  EXPECT_EQ(std::prev(it).get(), data + 3);

  std::reverse_iterator<offset_ptr<int>> rfirst(last);
  EXPECT_EQ(*rfirst, 0);

  int copy[10] = {};
  std::copy(offset_ptr<const int>(data), offset_ptr<const int>(data + 10), copy);
  EXPECT_TRUE(std::equal(copy, copy + 10, first));
}

// A circular doubly linked list with a sentinel, all inside one buffer.
struct ListNode {
  offset_ptr<ListNode> next;
  offset_ptr<ListNode> prev;
  int value;
};

constexpr int kListNodes = 5;

struct alignas(ListNode) ListArena {
  unsigned char bytes[sizeof(ListNode) * (kListNodes + 1)];
};

ListNode* BuildList(ListArena& arena) {
  ListNode* nodes = reinterpret_cast<ListNode*>(arena.bytes);
  ListNode* head = new (&nodes[0]) ListNode{nullptr, nullptr, -1};
  head->next = head;
  head->prev = head;
  for (int i = 0; i < kListNodes; ++i) {
    // Scatter the insertion order so links jump both forwards and backwards.
    ListNode* node = new (&nodes[1 + (i * 2) % kListNodes]) ListNode{head, head->prev, i};
    head->prev->next = node;
    head->prev = node;
  }
  return head;
}

void ExpectListAt(const ListArena& arena, const ListNode* head) {
  const std::uintptr_t begin = Addr(arena.bytes);
  const std::uintptr_t end = begin + sizeof arena.bytes;
  int expected = 0;
  for (const ListNode* n = head->next.get(); n != head; n = n->next.get()) {
    ASSERT_GE(Addr(n), begin);
    ASSERT_LT(Addr(n), end);
    EXPECT_EQ(n->value, expected++);
    EXPECT_EQ(n->next->prev.get(), n);
  }
  EXPECT_EQ(expected, kListNodes);
  for (const ListNode* n = head->prev.get(); n != head; n = n->prev.get()) {
    EXPECT_EQ(n->value, --expected);
  }
}

TEST(OffsetPtrTest, LinksSurviveCopyToAnotherAddress) {
  auto original = std::make_unique<ListArena>();
  ListNode* head = BuildList(*original);
  ExpectListAt(*original, head);

  auto relocated = std::make_unique<ListArena>();
  std::memcpy(relocated->bytes, original->bytes, sizeof original->bytes);
  ListNode* moved_head = std::launder(reinterpret_cast<ListNode*>(relocated->bytes));
  ExpectListAt(*relocated, moved_head);

  // The copies are independent: wiping the original leaves the copy intact.
  std::memset(original->bytes, 0xAB, sizeof original->bytes);
  ExpectListAt(*relocated, moved_head);

  // An empty list's sentinel points at itself and survives relocation too.
  ListArena empty;
  ListNode* sentinel = new (empty.bytes) ListNode{nullptr, nullptr, 0};
  sentinel->next = sentinel;
  sentinel->prev = sentinel;
  ListArena empty_copy;
  std::memcpy(empty_copy.bytes, empty.bytes, sizeof empty.bytes);
  ListNode* copied_sentinel = std::launder(reinterpret_cast<ListNode*>(empty_copy.bytes));
  EXPECT_EQ(copied_sentinel->next.get(), copied_sentinel);
  EXPECT_EQ(copied_sentinel->prev.get(), copied_sentinel);
}

TEST(OffsetPtrTest, SameMemoryMappedAtTwoAddresses) {
  const int fd = memfd_create("refipc_offset_ptr_test", 0);
  ASSERT_GE(fd, 0);
  constexpr std::size_t kSize = sizeof(ListArena);
  ASSERT_EQ(ftruncate(fd, kSize), 0);
  void* first = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ASSERT_NE(first, MAP_FAILED);
  void* second = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ASSERT_NE(second, MAP_FAILED);
  close(fd);
  ASSERT_NE(first, second);

  ListArena* writer = static_cast<ListArena*>(first);
  BuildList(*writer);
  ListArena* reader = static_cast<ListArena*>(second);
  ExpectListAt(*reader, reinterpret_cast<ListNode*>(reader->bytes));

  munmap(first, kSize);
  munmap(second, kSize);
}

}  // namespace
