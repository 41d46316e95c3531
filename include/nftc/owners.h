// Owner attribution: which program made each table, chain, rule and set.
//
// The evidence is data: a table of patterns (analyzer/owners/patterns.cc), each a re2
// regex over one kind of object name (table, chain, set, rule comment, interface name
// used by a rule, address prefix used by a rule), with a family filter, a confidence and an
// evidence text. Adding a program means adding rows there.
//
// How it decides, in order:
//  1. Tables: a table pattern; else the backend (iptables-nft / iptables-legacy tables);
//     else "unknown".
//  2. Chains in a table owned by a program inherit that owner. In shared tables
//     (iptables-nft, iptables-legacy, unknown) chain-name patterns decide (DOCKER*,
//     LIBVIRT_*, ufw-*, f2b-*, ...); unmatched user chains stay with the table's owner.
//  3. Rules: comment patterns; a jump/goto/vmap to a chain owned by a program; a firewalld
//     --direct rule listed in the capture's firewalld direct-rules file; interface or
//     address patterns; else the chain's owner.
//  4. Built-in chains of shared tables (INPUT, FORWARD, ...) stay with iptables-nft or
//     iptables-legacy unless one program clearly owns them: every rule is that program's
//     and each rule hands off to its chains, or the program set the policy to drop.
//  5. Sets: set-name patterns, else the table's owner.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// Program ids used in Attribution::owner.
namespace owner {
inline constexpr std::string_view kUnknown = "unknown";
inline constexpr std::string_view kIptablesNft = "iptables-nft";
inline constexpr std::string_view kIptablesLegacy = "iptables-legacy";
}  // namespace owner

/// A program the attribution knows: its id (Attribution::owner) and a display name.
struct ProgramInfo {
  std::string_view id;    ///< "docker", "firewalld", "iptables-nft", "unknown", ...
  std::string_view name;  ///< "Docker", "firewalld", "iptables-nft", ...
};
/// Every program id the patterns can produce, plus iptables-nft, iptables-legacy and
/// unknown; in a fixed order (used for stable colours and listings).
const std::vector<ProgramInfo>& KnownPrograms();

/// True for the generic owners (unknown, iptables-nft, iptables-legacy): owners of a
/// shared container rather than a program that generated rules.
bool IsGenericOwner(std::string_view owner);

/// What a pattern is matched against.
enum class PatternKind : uint8_t {
  kTable,         ///< table name
  kTableComment,  ///< table comment ("rules for kube-proxy")
  kChain,         ///< chain name (in shared or unknown tables)
  kSet,           ///< set or map name
  kRuleComment,   ///< rule comment (nft comment; iptables -m comment)
  kRuleIface,     ///< an interface name a rule matches (iifname/oifname/iif/oif, -i/-o)
  kRuleAddr,      ///< an IPv4/IPv6 prefix a rule matches, rendered "a.b.c.d/len"
};
std::string_view ToString(PatternKind k);

/// One row of the pattern table.
struct OwnerPattern {
  std::string_view program;   ///< program id
  PatternKind kind;
  uint32_t families;          ///< bitmask of (1 << Family); 0 = any family
  std::string_view regex;     ///< re2, matched against the whole name (FullMatch)
  double confidence;          ///< 0..1
  std::string_view evidence;  ///< why this identifies the program
};
/// The pattern table (data; see analyzer/owners/patterns.cc).
const std::vector<OwnerPattern>& OwnerPatterns();

/// Fills the `owner` field of every table, chain, rule and set of `rs`. Idempotent. Uses
/// rs.host.files (a capture's firewalld direct-rules listing) when present.
void AttributeOwners(Ruleset& rs);

/// The owner of one table as the table patterns alone see it (no chain/rule context).
Attribution AttributeTable(const Table& t);

}  // namespace nftc
