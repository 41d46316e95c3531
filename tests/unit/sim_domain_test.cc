// NumSet::Overlaps and SubsetOf decide matches without building sets; they must agree with
// Intersect(o).Empty() and Subtract(o).Empty() on every pair of sets.
#include <catch2/catch.hpp>

#include <random>

#include "sim/domain.h"

using nftc::sim::NumSet;

namespace {

NumSet RandomSet(std::mt19937& g, int max_intervals) {
  NumSet s;
  std::uniform_int_distribution<int> n(0, max_intervals), v(0, 200), len(0, 6);
  for (int i = n(g); i > 0; --i) {
    unsigned lo = v(g);
    s.Add(lo, lo + len(g));
  }
  return s;
}

}  // namespace

TEST_CASE("NumSet: Overlaps and SubsetOf agree with Intersect and Subtract") {
  std::mt19937 g(7);
  int overlaps = 0, subsets = 0;
  for (int i = 0; i < 20000; ++i) {
    // Sizes from empty to many intervals on either side (both search directions).
    NumSet a = RandomSet(g, i % 3 == 0 ? 40 : 3), b = RandomSet(g, i % 3 == 1 ? 40 : 3);
    bool ov = !a.Intersect(b).Empty(), sub = a.Subtract(b).Empty();
    REQUIRE(a.Overlaps(b) == ov);
    REQUIRE(b.Overlaps(a) == ov);
    REQUIRE(a.SubsetOf(b) == sub);
    overlaps += ov;
    subsets += sub && !a.Empty();
  }
  // Both answers occur often enough for the comparison to mean something.
  CHECK(overlaps > 1000);
  CHECK(subsets > 100);
}

TEST_CASE("NumSet: edge cases of Overlaps and SubsetOf") {
  NumSet empty;
  NumSet full = NumSet::Full(32);
  NumSet one = NumSet::Single(5);
  CHECK_FALSE(empty.Overlaps(full));
  CHECK(empty.SubsetOf(one));
  CHECK_FALSE(one.SubsetOf(empty));
  CHECK(one.SubsetOf(full));
  CHECK_FALSE(full.SubsetOf(one));
  // Touching but not overlapping: [0,4] and [5,9] (kept apart only when not merged).
  NumSet lo = NumSet::Range(0, 4), hi = NumSet::Range(6, 9);
  CHECK_FALSE(lo.Overlaps(hi));
  CHECK(NumSet::Range(0, 9).Subtract(NumSet::Single(5)).Overlaps(NumSet::Range(5, 6)));
  CHECK_FALSE(NumSet::Range(0, 9).Subtract(NumSet::Single(5)).SubsetOf(NumSet::Range(0, 8)));
}
