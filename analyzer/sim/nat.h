// Statements that change the packet: NAT (dnat, snat, masquerade, redirect), mangle (marks,
// ct marks, payload), notrack, and xt targets whose arguments are unknown.
#pragma once

#include "sim/expr_eval.h"

namespace nftc::sim {

/// A kNat statement: translates and binds (the rule then ends with accept, as the kernel
/// traces show). A map lookup that finds nothing breaks the rule.
void EvalNat(Eval& e);
/// A kMangle statement (meta mark set, ct mark set, payload set).
void EvalMangle(Eval& e);
/// A kXt statement without arguments (JSON only, no iptables-save): targets act by name
/// where their effect is clear; matches fork.
void EvalXtNoArgs(Eval& e);
/// notrack: before conntrack it makes the packet untracked.
void EvalNotrack(Eval& e);

/// Text of an address/port pair for NAT summaries ("172.17.0.2:80", "any").
std::string AddrPort(const Ctx& c, F addr, F port);

}  // namespace nftc::sim
