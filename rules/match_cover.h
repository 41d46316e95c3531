// NC5001's condition algebra: the match statements of a rule as conditions on packet fields
// (value sets over integers, interface names, flag masks, or opaque text), and whether one
// condition provably contains another. Anything not understood is opaque and only covers an
// identical condition, so a "covers" answer is always sound.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nftc/model.h"

namespace nftc::cover {

/// One condition: packets whose field `lhs` lies in the value set (or outside it when neg).
struct Cond {
  enum class Kind : uint8_t { kInts, kNames, kMask, kOpaque };
  std::string lhs;  ///< canonical text of the packet side
  Kind kind = Kind::kOpaque;
  bool neg = false;
  std::vector<std::pair<u128, u128>> ivs;  ///< kInts: sorted, merged, inclusive
  std::vector<std::string> names;          ///< kNames: literal names or "prefix*"
  u128 mask = 0;                           ///< kMask: (x & mask) != 0 (ct state: one bit set)
  std::string text;                        ///< kOpaque: operator and constant side
  /// A key for point lookups when the condition accepts exactly one value; empty otherwise.
  std::string PointKey() const;
};

/// Canonical text of an expression (packet side), or nullopt when it holds something the
/// model does not understand.
std::optional<std::string> Canon(const Expr& e);

/// Converts a match statement into a condition; nullopt when its packet side is unknown.
/// Named sets are opaque (their contents change) unless flagged constant.
std::optional<Cond> FromMatch(const Table& t, const Stmt& s);

/// True when every packet satisfying `inner` satisfies `outer` (same lhs assumed).
bool Covers(const Cond& outer, const Cond& inner);

/// True when every packet satisfying all of `inner` satisfies all of `outer`.
bool CoversAll(const std::vector<Cond>& outer, const std::vector<Cond>& inner);

}  // namespace nftc::cover
