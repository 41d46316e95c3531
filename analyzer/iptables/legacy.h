// iptables-legacy (x_tables) tables as model tables: Backend::kIptablesLegacy, builtin chains
// as base chains at the classic x_tables priorities, rules translated from iptables-save.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "iptables/save_parser.h"
#include "nftc/model.h"

namespace nftc::ipt {

/// One builtin chain of an x_tables table: where the kernel hooks it.
struct BuiltinChain {
  std::string_view name;  ///< "PREROUTING", ...
  Hook hook;
  int32_t prio;           ///< enum nf_ip_hook_priorities (same numbers for IPv6)
  ChainType type;
};

/// The builtin chains a legacy table registers when it is loaded (all of them, with or
/// without rules): filter 0, security 50, raw -300, mangle -150 (OUTPUT type route), nat
/// -100 (PREROUTING, OUTPUT) / 100 (INPUT, POSTROUTING). arp filter: INPUT, OUTPUT, FORWARD
/// at 0. Empty for a table name x_tables does not have.
std::vector<BuiltinChain> LegacyBuiltins(Family family, std::string_view table);

/// Builds one legacy model table from a parsed save table: every builtin chain of the table
/// as a base chain (policy from the save text, accept if absent), user chains as regular
/// chains, rules translated in order with handle = 1-based position, ipt_line and SourceRef.
/// Rules only partly understood keep kUnknown statements and add a LoadNote to `notes`.
Table BuildLegacyTable(const SaveTable& t, Family family, const std::string& file,
                       std::vector<LoadNote>* notes);

/// Appends the legacy tables of a parsed iptables-legacy-save / ip6tables-legacy-save file to
/// rs.tables (family: kIp, kIp6 or kArp). A table name x_tables does not know is skipped with
/// a LoadNote kUnsupported.
void AddLegacyTables(Ruleset& rs, const ParsedSave& save, Family family);

/// A legacy table that /proc/net/*_tables_names lists but no save text describes: its
/// builtin chains with policy accept and no rules (what the kernel holds after loading it).
std::optional<Table> EmptyLegacyTable(Family family, std::string_view table, const std::string& file);

}  // namespace nftc::ipt
