// Base chain priorities: the named priorities of nft(8) per family and hook, parsing of
// "filter + 10" / "dstnat - 10" / "-110", and rendering numbers back the way `nft list`
// prints them (nftables src/rule.c prio2str, std_prio_family_hook_compat).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// How `nft list` renders priorities. nft 1.0.9 (commit 8beafab7) also allows `dstnat` on
/// the output hook and `srcnat` on the input hook; 1.0.6 prints those as numbers.
enum class PriorityStyle : uint8_t { kNft106, kNft109 };

/// One named priority of a family: "filter" = 0, "dstnat" = -100, ...
struct NamedPriority {
  std::string_view name;
  int32_t value;
};

/// The standard priority names of `family` (nft(8) "CHAIN PRIORITIES"): ip/ip6/inet raw
/// -300, mangle -150, dstnat -100, filter 0, security 50, srcnat 100; bridge dstnat -300,
/// filter -200, out 100, srcnat 300; arp/netdev filter 0. In ascending order.
const std::vector<NamedPriority>& StandardPriorities(Family family);

/// True when nft accepts the standard priority `value` by name on `family`+`hook` (and so
/// prints it by name): `filter` everywhere; raw/mangle/security for ip/ip6/inet; dstnat
/// only at prerouting (and output with kNft109); srcnat only at postrouting (and input with
/// kNft109); bridge dstnat prerouting, out output, srcnat postrouting, filter any hook.
bool PriorityNameAllowed(Family family, Hook hook, int32_t value,
                         PriorityStyle style = PriorityStyle::kNft109);

/// Parses a priority as nft writes it: a number ("-110", "+5"), a name ("filter"), or a
/// name with an offset ("filter + 10", "dstnat - 10", "mangle+10"). Names are checked
/// against the family and hook as nft >= 1.0.9 does; std::nullopt for an unknown name, a
/// name not allowed there, or malformed text.
std::optional<int32_t> ParsePriority(Family family, Hook hook, std::string_view text);

/// Renders a priority the way `nft list ruleset` prints it: `<name>`, `<name> + N` or
/// `<name> - N` when the number lies within 10 of a standard priority whose name is allowed
/// for family+hook, else the plain number. Default: nft 1.0.6 (what the captures show).
std::string RenderPriority(Family family, Hook hook, int32_t prio,
                           PriorityStyle style = PriorityStyle::kNft106);

/// The priority at which iptables (legacy, or iptables-nft) registers the built-in chain
/// `chain` of `table` ("filter" INPUT -> 0, "nat" POSTROUTING -> 100, "mangle" -> -150,
/// "raw" -> -300, "security" -> 50 for legacy but 150 for iptables-nft; bridge filter
/// -200, bridge nat PREROUTING -300 / OUTPUT 100 / POSTROUTING 300; arp filter 0).
/// std::nullopt if the chain is not a built-in of that table.
std::optional<int32_t> ClassicPriority(Family family, std::string_view table, std::string_view chain,
                                       Backend backend);

}  // namespace nftc
