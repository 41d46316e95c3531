// One scalar value of the model (an integer, which addresses are too, or a string), the
// unit every set element, match constant and NAT target is made of.
#pragma once

#include <cstdint>
#include <string_view>

#include "nftc/istr.h"

namespace nftc {

using u128 = unsigned __int128;

/// One scalar value: an integer (addresses are integers too) or a string (interface names).
/// 32 bytes (num first, so kind and bits fill the tail instead of padding the front).
struct Value {
  enum class Kind : uint8_t { kNone, kInt, kString };
  u128 num = 0;
  IStr str;          ///< kString payload; for an unresolved symbol the symbol itself
  Kind kind = Kind::kNone;
  uint8_t bits = 0;  ///< width for integers (32 for IPv4, 128 for IPv6, 16 for ports); 0 if unknown

  static Value Int(u128 v, uint8_t bits) { Value x; x.kind = Kind::kInt; x.num = v; x.bits = bits; return x; }
  static Value Str(std::string_view s) { Value x; x.kind = Kind::kString; x.str = s; return x; }
  bool operator==(const Value& o) const { return kind == o.kind && num == o.num && str == o.str; }
  bool operator<(const Value& o) const {
    if (kind != o.kind) return kind < o.kind;
    if (num != o.num) return num < o.num;
    return str < o.str;
  }
};

}  // namespace nftc
