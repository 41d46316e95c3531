// A lint finding: what a rule reports through RuleContext::Report and what every formatter
// prints. Plain data: no formatting, no JSON types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"
#include "nftc/source_ref.h"

namespace nftc {

/// How serious a finding is. Ordered: kError is the most severe. `--fail-on` and severity
/// overrides use the same scale.
enum class Severity : uint8_t { kError = 0, kWarning = 1, kInfo = 2 };

/// "error" / "warning" / "info".
std::string_view ToString(Severity s);
/// Parses "error", "warning", "info" (also "note" as an alias for info, SARIF's name).
std::optional<Severity> ParseSeverity(std::string_view s);
/// True when `s` is at least as severe as `threshold`.
inline bool AtOrAbove(Severity s, Severity threshold) {
  return static_cast<uint8_t>(s) <= static_cast<uint8_t>(threshold);
}

/// A place in the ruleset: a whole ruleset (all strings empty), a table, a chain, a rule
/// (handle set), a set or map (set non-empty). Locations are built by RuleContext::At*
/// so that the content digest that fingerprints use is always filled in.
struct Location {
  std::string family;   ///< "ip", "inet", ...; empty for a ruleset-wide finding
  std::string table;    ///< table name
  Backend backend = Backend::kNftables;
  std::string chain;    ///< chain name, if the location is a chain or a rule
  std::string set;      ///< set/map/flowtable name, if the location is one
  std::optional<uint64_t> handle;  ///< rule handle (legacy: 1-based position); unstable across reboots
  int32_t position = -1;  ///< rule index in its chain, -1 if not a rule
  SourceRef src;        ///< where the object was read from
  /// Handle-free identity of the object for fingerprints: a digest of a rule's statements
  /// and comment (or its iptables-save line). Empty for tables, chains and sets.
  std::string content;
  std::string message;  ///< related locations only: what this other side does

  /// "inet firewalld filter_FORWARD #144"; "ip filter (legacy) FORWARD #3"; "ruleset".
  std::string Describe() const;
  /// "inet/firewalld/filter_FORWARD/#144" (SARIF logicalLocations.fullyQualifiedName).
  std::string QualifiedName() const;
  /// True if the location names nothing (a ruleset-wide finding).
  bool empty() const { return family.empty() && table.empty(); }
};

/// One finding. `message` never contains the rule ID; formatters add `[NC2001 slug]`.
struct Diagnostic {
  std::string id;        ///< "NC2001", stamped by RuleContext from the registry
  std::string slug;      ///< "priority-clash", stamped likewise
  Severity severity = Severity::kWarning;  ///< after overrides
  std::string message;   ///< one sentence; no ID, no handle-dependent text if avoidable
  std::string owner;     ///< program that owns the primary object ("docker"), or "unknown"
  Location where;        ///< primary location
  std::vector<Location> related;  ///< other side(s) of a conflict, each with a message
  std::string hint;      ///< how to fix it, in words
  std::string fix;       ///< optional exact command that fixes it
  std::string witness;   ///< optional packet that shows the problem, as text
  /// Part of the fingerprint in place of the message when the message holds volatile text
  /// (counts, handles). Empty: the message with "#<digits>" removed is used.
  std::string stable_key;
  std::string fingerprint;  ///< 16 hex digits, filled by the engine (see Fingerprint)
};

/// The stable fingerprint of a finding: a 64-bit hash (hex) of the ID, family/table/chain/set
/// and content digest of the primary and related locations, and the stable key. Handles,
/// positions and source positions are not part of it, so it survives handle renumbering
/// across reboots and re-captures.
std::string Fingerprint(const Diagnostic& d);

/// Total order used by every output: location, then ID, then message.
bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b);

}  // namespace nftc
