// Symbolic value domains of the simulator: the set of values a packet field may still have
// after the rules seen so far decided on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nftc/model.h"

namespace nftc::sim {

/// All ones in the low `bits` bits (bits 0 or >= 128 gives all 128 bits).
u128 MaxOf(uint8_t bits);

/// A closed interval [lo, hi].
struct Interval {
  u128 lo = 0, hi = 0;
};

/// A set of unsigned numbers as sorted, disjoint, non-adjacent closed intervals.
class NumSet {
 public:
  static NumSet Full(uint8_t bits) { return Range(0, MaxOf(bits)); }
  static NumSet Single(u128 v) { return Range(v, v); }
  static NumSet Range(u128 lo, u128 hi);
  /// Builds a set from single values (any order, duplicates allowed).
  static NumSet Of(std::vector<u128> values);
  /// Builds a set from intervals (any order, overlaps allowed) in O(n log n).
  static NumSet OfIntervals(std::vector<Interval> iv);

  bool Empty() const { return iv_.empty(); }
  bool IsSingle() const { return iv_.size() == 1 && iv_[0].lo == iv_[0].hi; }
  u128 First() const { return iv_.empty() ? 0 : iv_[0].lo; }
  bool Contains(u128 v) const;
  /// Number of values, saturated at 2^64.
  uint64_t Count() const;
  /// The values, when Count() <= limit; otherwise empty.
  std::vector<u128> Values(uint64_t limit) const;

  NumSet Intersect(const NumSet& o) const;
  NumSet Subtract(const NumSet& o) const;
  /// Intersect(o) is not empty / Subtract(o) is empty, without building either: binary
  /// searches from the smaller side (a path's source domain can hold 100k+ intervals after
  /// a big ban set, and most matches after it are decided without a fork).
  bool Overlaps(const NumSet& o) const;
  bool SubsetOf(const NumSet& o) const;
  NumSet Union(const NumSet& o) const;
  bool operator==(const NumSet& o) const;

  const std::vector<Interval>& intervals() const { return iv_; }
  void Add(u128 lo, u128 hi);  ///< union with [lo, hi]

 private:
  std::vector<Interval> iv_;
};

/// A decided bit test: (x & mask) == val (eq) or != val (!eq). Keeps forks consistent for
/// large domains (marks) where the set itself cannot carry the constraint.
struct MaskFact {
  u128 mask = 0, val = 0;
  bool eq = true;
};

/// The domain of one numeric packet field.
struct FieldDom {
  NumSet set;
  std::vector<MaskFact> facts;
  /// true/false when the facts decide (x & mask) == val, -1 when they do not.
  int DecideMasked(u128 mask, u128 val) const;
};

/// The domain of an interface name (iifname/oifname, iif/oif). `absent` when the hook has
/// no such device (no input device at output, no output device before routing): the
/// kernel then reads the name as "" (and the index as 0), so `iifname != "docker0"` matches
/// at output (kernel-results d11).
struct IfDom {
  enum class Kind : uint8_t { kAbsent, kKnown, kAny };
  Kind kind = Kind::kAny;
  std::string name;                  ///< kKnown
  std::vector<std::string> must;     ///< kAny: patterns the name is known to match
  std::vector<std::string> must_not; ///< kAny: patterns the name is known not to match

  static IfDom Known(std::string n) { IfDom d; d.kind = Kind::kKnown; d.name = std::move(n); return d; }
  static IfDom Absent() { IfDom d; d.kind = Kind::kAbsent; return d; }
  /// 1 matches, 0 does not, -1 unknown. A trailing '*' in `pattern` is a prefix wildcard.
  int Decide(const std::string& pattern) const;
  /// Narrows to names that match (or do not match) `pattern`.
  void Refine(const std::string& pattern, bool matches);
  std::string ToString() const;
};

/// True when interface `name` matches `pattern` (nft semantics: trailing '*' = prefix).
bool IfnameMatches(const std::string& name, const std::string& pattern);

}  // namespace nftc::sim
