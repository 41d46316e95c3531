// Where a model object came from, for diagnostics.
#pragma once

#include <cstdint>
#include <string>

#include "nftc/istr.h"

namespace nftc {

/// Where one object of the model was read from. Every table, chain, rule, set and
/// element carries one, so that a diagnostic can point at the input.
struct SourceRef {
  IStr file;               ///< input path ("-" for stdin, "live" or "live:netns" for the kernel)
  int64_t json_index = -1; ///< position in the top-level "nftables" array (/nftables/N), or -1
  int64_t line = -1;       ///< 1-based line for text inputs (iptables-save), or -1

  /// "file:/nftables/17" or "file:42"; just the file when neither is known.
  std::string ToString() const {
    std::string s = file;
    if (json_index >= 0) s += ":/nftables/" + std::to_string(json_index);
    else if (line >= 0) s += ":" + std::to_string(line);
    return s;
  }
};

}  // namespace nftc
