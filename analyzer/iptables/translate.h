// One parsed iptables rule (or one of its extensions) -> model statements, following the
// conventions of include/nftc/model.h, so that legacy rules and merged iptables-nft rules
// evaluate like native nft rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iptables/save_parser.h"
#include "nftc/model.h"

namespace nftc::ipt {

/// What a rule is translated against.
struct RuleCtx {
  Family family = Family::kIp;  ///< kIp or kIp6 (kArp: only targets are understood)
  std::string protocol;         ///< the rule's "-p" value, lower case, "" if absent/negated
  std::string table;            ///< "filter", "nat", ... ("" if unknown)
  std::string chain;            ///< the chain the rule is in
  /// The parsed table, to tell "-j NAME" jumps to user chains from target extensions;
  /// without it a name that is not a known target is taken as a chain.
  const SaveTable* save_table = nullptr;
};

/// The statements of a rule or extension, and what could not be understood.
struct Translation {
  std::vector<Stmt> stmts;
  std::string comment;               ///< from "-m comment --comment"
  /// Options, modules or targets kept as StmtKind::kUnknown (the verdict may depend on
  /// them), e.g. "recent --update --seconds 30 ...". Empty when fully understood.
  std::vector<std::string> unknown;
  bool partial() const { return !unknown.empty(); }
};

/// Translates a whole rule: generic matches (-i -o -p -s -d -f), modules in order, target.
/// Never throws for unknown modules/options: they become kUnknown statements (see
/// Translation::unknown). Stray tokens of the parser count as unknown too.
Translation TranslateRule(const SaveRule& r, Family family, const SaveTable* table = nullptr);

/// Generic match -> statements (appended to out).
void TranslateGeneric(const GenericMatch& g, const RuleCtx& ctx, Translation& out);
/// "-m NAME opts" -> statements (appended to out). Unknown modules become kUnknown.
void TranslateModule(const Module& m, const RuleCtx& ctx, Translation& out);
/// "-j NAME opts" / "-g CHAIN" -> statements (appended to out).
void TranslateTarget(const Target& t, const RuleCtx& ctx, Translation& out);

/// True for targets that end the rule traversal like a verdict or NAT (used by merge to
/// check that a save rule and an nft rule agree).
bool IsBuiltinVerdict(std::string_view target);

}  // namespace nftc::ipt
