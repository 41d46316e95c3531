// A rule that cannot match a path is skipped before its statements fork it.
#pragma once

#include "sim/state.h"

namespace nftc::sim {

/// True when one of the rule's leading match statements is false for every packet of the
/// path (its domains as they are): the rule cannot match, and evaluating it statement by
/// statement would only fork on the earlier matches into paths that all fail. Matches are
/// pure, so skipping such a rule changes no verdict, only spares those forks (issue 7:
/// `ip saddr X tcp dport P accept` rules forked every probe of another port).
bool RuleCannotMatch(const World& w, Ctx& c, const Table& t, const Rule& r);

}  // namespace nftc::sim
