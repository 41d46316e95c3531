// Semantic difference of two rulesets, by owner: what appeared, disappeared or changed.
// Handles, counters and set element order are ignored; rules are compared by their printed
// text, in chain order. Used by `diff` and by `verify` (post-reboot verification).
#pragma once

#include <string>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// One difference between ruleset A (before / expected) and B (after / actual).
struct Change {
  enum class Kind : uint8_t { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  /// What changed: "table", "chain", "priority", "policy", "hook", "rule", "set",
  /// "set-elements", "sysctl", "hook-order", "finding".
  std::string object;
  std::string owner;   ///< program owning the object (from B for added, A otherwise)
  std::string where;   ///< "inet firewalld filter_FORWARD", "ipv4 forward", "net.ipv4.ip_forward"
  std::string detail;  ///< rule text, "0 -> 10", "3 -> 5 elements (+2 -0)", finding message
  bool allowed = false;  ///< matched an allowed-changes pattern (verify)
};
std::string_view ToString(Change::Kind k);

struct DiffOptions {
  bool graph = true;     ///< compare the hook graphs (order of base chains per hook)
  bool findings = true;  ///< compare lint findings (by fingerprint)
  bool sysctl = true;    ///< compare captured forwarding / bridge sysctls
};

/// Compares two loaded rulesets (owners must already be attributed: AttributeOwners).
/// Changes are sorted by owner, then where, then object, then kind.
std::vector<Change> DiffRulesets(const Ruleset& a, const Ruleset& b, const DiffOptions& opts = {});

/// One pattern of an allowed-changes file, e.g. `set-elements owner=fail2ban` or
/// `rule where=inet\ f2b-table*`. Fields: the change object (or `*`), then optional
/// `owner=GLOB`, `where=GLOB`, `kind=added|removed|changed`.
struct AllowPattern {
  std::string object = "*";
  std::string owner = "*";
  std::string where = "*";
  std::string kind = "*";
  std::string line;  ///< the original line, for messages
};
/// Parses an allowed-changes file (one pattern per line, '#' comments). Throws InputError
/// with file:line on a malformed line.
std::vector<AllowPattern> ParseAllowList(const std::string& text, const std::string& origin);
/// Marks the changes that some pattern allows. Returns how many are not allowed.
size_t ApplyAllowList(std::vector<Change>& changes, const std::vector<AllowPattern>& allow);

/// Shell-style glob match ('*' and '?').
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace nftc
