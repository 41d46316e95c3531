// A small stable hash for fingerprints and content digests. FNV-1a 64: the value must stay
// the same across builds and platforms because baselines store it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace nftc::lint {

/// FNV-1a 64 over length-prefixed fields, so ("ab","c") and ("a","bc") differ.
class Fnv64 {
 public:
  /// Adds one field.
  void Add(std::string_view s) {
    AddRaw(std::to_string(s.size()));
    AddRaw(":");
    AddRaw(s);
  }
  /// 16 lower-case hex digits.
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  void AddRaw(std::string_view s) {
    for (unsigned char c : s) {
      h_ ^= c;
      h_ *= 0x100000001b3ULL;
    }
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace nftc::lint
