// Printers of the hook graph: a text table, versioned JSON and Graphviz dot.
#pragma once

#include <ostream>

#include "nftc/hook_graph.h"

namespace nftc {

/// Version of the JSON document FormatGraphJson writes ({"schema_version": N, ...}).
inline constexpr int kGraphJsonSchemaVersion = 1;

/// Readable table: one block per pipeline and hook, rows in kernel order (priority, the
/// priority as nft 1.0.6 prints it, family, table, chain, type, policy, owner); kernel
/// markers as separator rows; NAT chains indented under their NAT core slot; tie groups
/// bracketed with '/', '|' and '\' in the first column.
void FormatGraphText(const HookGraph& g, std::ostream& out);

/// JSON: {"schema_version":1, "hooks":[{"pipeline","device","hook","entries":[...],
/// "ties":[...]}]}; deterministic order, no volatile fields.
void FormatGraphJson(const HookGraph& g, std::ostream& out);

/// Graphviz: one cluster per pipeline/hook, chains as ellipses coloured by owner, kernel
/// markers as grey boxes, edges in run order, tie groups in a dashed sub-cluster.
void FormatGraphDot(const HookGraph& g, std::ostream& out);

}  // namespace nftc
