// Evaluation of match statements on a symbolic packet, forking where the packet's domain
// does not decide.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/state.h"

namespace nftc::sim {

/// What one path needs while evaluating a statement.
struct Eval {
  const World& w;
  Ctx& c;
  std::vector<Ctx>& extra;  ///< forked paths, to be continued by the driver
  const Table& table;       ///< the table of the rule (for named sets)
  const Stmt& stmt;         ///< the statement (its text is the fork condition)
};

/// A packet value an expression reads.
struct Ref {
  enum class K : uint8_t { kBreak, kField, kOther, kIif, kOif, kConst, kOpaque };
  K k = K::kOpaque;
  F field = F::kSaddr;
  std::string key;        ///< kOther: expression text
  uint8_t bits = 32;
  u128 value = 0;         ///< kConst
  std::optional<bool> need_v6;      ///< family the header belongs to
  std::vector<u128> need_proto;     ///< l4 protocols the header belongs to (empty: any)
  std::string dep_text;             ///< condition text of the protocol dependency
  std::string label;                ///< kOther read for conditions ("numgen"), else empty
};

/// Resolves the packet side of a match. kBreak: the kernel cannot load it on this path
/// (no such device, no conntrack): the rule does not match whatever the operator.
/// `numgen MODE mod N offset O` reads a new number in [O, O+N-1] each time it is evaluated:
/// it resolves to a kOther value whose domain Resolve resets to that range (so a lookup forks
/// into one path per value, never a guess). `jhash`/`symhash ... mod N` are a fixed unknown
/// function of the packet: the same range, kept for the rest of the path.
Ref Resolve(const Eval& e, const Expr& x);
/// Checks the implicit dependencies (family, l4 protocol). False: this path stops matching.
bool ApplyDeps(Eval& e, const Ref& r);
FieldDom& Dom(Ctx& c, const Ref& r);

/// Splits the current path on a condition. `decided`: 1 true, 0 false, -1 unknown. The
/// current path continues as the "true" side (narrowed by `narrow_true`); a clone narrowed
/// by `narrow_false` stops matching the rule. Returns whether the current path still matches.
bool Split(Eval& e, int decided, const std::string& cond,
           const std::function<void(Ctx&)>& narrow_true,
           const std::function<void(Ctx&)>& narrow_false);
/// Forks on a condition the simulator cannot evaluate, remembered by `key` so the same
/// condition later on the same path is decided the same way.
bool SplitOpaque(Eval& e, const std::string& key, const std::string& cond);

/// The constant side as a number set (value, prefix, range, anonymous or named set of
/// single values), for operator `op`. nullopt when it is not numeric.
std::optional<NumSet> RhsSet(const Eval& e, const Expr& rhs, MatchOp op, uint8_t bits);
/// The constant side as interface name patterns. nullopt when it is not names.
std::optional<std::vector<std::string>> RhsNames(const Eval& e, const Expr& rhs);

/// Evaluates a kMatch statement on e.c (forks go to e.extra).
void EvalMatch(Eval& e);
/// Evaluates a numeric membership x in S (negated when `neg`).
bool MatchNum(Eval& e, const Ref& r, const NumSet& s, bool neg, const std::string& cond);
/// Evaluates (x & mask) == val (negated when `neg`).
bool MatchMasked(Eval& e, const Ref& r, u128 mask, u128 val, bool neg, const std::string& cond);
/// Evaluates an interface name against patterns (any matches), negated when `neg`.
bool MatchNames(Eval& e, const Ref& r, const std::vector<std::string>& pats, bool neg,
                const std::string& cond);

/// fib expressions (fib_eval.cc).
void EvalFibMatch(Eval& e);
/// Set membership with concatenated keys (set_lookup.cc).
void EvalConcatMatch(Eval& e);

/// The value of a mangle/NAT operand when it is a constant.
std::optional<u128> ConstValue(const Expr& x);

}  // namespace nftc::sim
