// Generated-number expressions the model keeps as ExprKind::kUnknown with their JSON
// (numgen, jhash, symhash): when they carry "mod", their value range is known, so the
// simulator forks on them, lint does not count them as not understood, and rules print them
// the way nft does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "nftc/model.h"

namespace nftc {

struct HashExpr {
  std::string text;     ///< "numgen random mod 2", "jhash mod 4 offset 1"
  uint64_t mod = 0;     ///< values are offset .. offset + mod - 1
  uint64_t offset = 0;
  bool fresh = false;   ///< numgen: a new value at every evaluation; a hash is fixed per packet
};

/// The numgen/jhash/symhash expression `x`, or nullopt when `x` is something else or has no
/// usable "mod".
std::optional<HashExpr> ParseHashExpr(const Expr& x);

}  // namespace nftc
