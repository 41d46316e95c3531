// The simulator's machinery: hook chain lists, chain walking and the stages of a path.
#pragma once

#include <vector>

#include "sim/state.h"

namespace nftc::sim {

/// Per hook and family the base chains in the order the kernel runs them, and where
/// conntrack is on.
std::shared_ptr<const HookPlan> BuildPlan(const Ruleset& rs, bool include_legacy);

/// Advances path c by one unit of work (a statement, a rule end, a chain start or end, or
/// a stage change). Forked paths are appended to `extra`.
void RunStep(World& w, Ctx& c, std::vector<Ctx>& extra);

/// Moves c to its next stage (routing, next hook, delivery) once a hook is done.
void NextStage(World& w, Ctx& c, std::vector<Ctx>& extra);
/// Starts running the base chains of `hook` on c.
void EnterHook(World& w, Ctx& c, Hook hook);

/// Ends path c with a verdict ("accept" also needs c.out.delivered set).
void Finish(Ctx& c, const std::string& verdict);

/// "192.0.2.1", "any", "10.0.0.0-10.0.0.255"... for reports.
std::string DomToText(const NumSet& s, bool addr, bool v6);

}  // namespace nftc::sim
