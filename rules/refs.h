// Shared by the NC5xxx hygiene rules (NC5001, NC5003, NC5005, NC5006): what a rule refers
// to (chains it jumps or goes to, sets and maps it names) and which chains of a table the
// base chains reach.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nftc/model.h"

namespace nftc::refs {

/// Calls fn for every verdict a rule can take: its verdict statement and the verdicts of
/// anonymous verdict maps (`vmap { ... : jump X }`). Named verdict maps are resolved through
/// `t` (their elements' verdicts), when t is given.
void RuleVerdicts(const Rule& r, const Table* t, const std::function<void(const Verdict&)>& fn);

/// The chains a rule jumps or goes to (directly, through anonymous or named verdict maps).
std::vector<std::string> JumpTargets(const Table& t, const Rule& r);

/// The names of the sets and maps a rule refers to: `@name` in any expression (matches,
/// lookups, verdict maps, NAT maps) and `add/update @name` statements.
std::vector<std::string> SetRefs(const Rule& r);

/// Per chain of `t` (same index as t.chains): true when a base chain of t reaches it
/// through jumps and gotos (base chains reach themselves).
std::vector<bool> ReachableChains(const Table& t);

/// For each chain of `t`, the indexes of the chains whose rules jump or go to it.
std::vector<std::vector<size_t>> Referrers(const Table& t);

}  // namespace nftc::refs
