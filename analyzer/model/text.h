// Small text helpers shared by the readers of line-oriented inputs (save files, sysctl and
// KEY=VALUE files, priorities, host context). C++20's starts_with/ends_with cover prefixes.
#pragma once

#include <string_view>

namespace nftc {

/// `s` without leading and trailing white space (space, \t, \r, \n, \v, \f).
inline std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

}  // namespace nftc
