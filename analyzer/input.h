// Every way to get a ruleset: live kernel, nft JSON file, capture folder, .nft text.
#pragma once

#include <string>

#include "nftc/model.h"

namespace nftc {

/// What the user named as input. An empty path means the live kernel.
struct InputSpec {
  std::string path;   ///< file or capture folder; empty = live
  std::string netns;  ///< live only: network namespace name or path (/run/netns/X, /proc/PID/ns/net)
};

/// Loads one input into a complete Ruleset (tables, iptables-save merge, legacy tables,
/// host context, owners attributed). Throws InputError on unusable input.
Ruleset LoadInput(const InputSpec& spec);

}  // namespace nftc
