// NC4004 empty-leftover-chains: empty iptables user chains (iptables-nft or iptables-legacy)
// of a program that has no rule left anywhere: what an uninstalled or stopped program leaves
// behind. Chains NC4002 reports (the program has a native nftables table) are left to it.
#include <map>
#include <set>

#include "legacy_commands.h"
#include "nftc/lint_rule.h"
#include "nftc/owners.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class EmptyLeftoverChainsRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    std::set<std::string> active;  // programs with at least one rule or a native table
    std::set<std::string> referenced;  // "table-id/chain" that some rule jumps to
    ctx.ForEachTable([&](const Table& t) {
      if (t.backend == Backend::kNftables && !IsGenericOwner(t.owner.owner)) active.insert(t.owner.owner);
    });
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      if (!IsGenericOwner(r.owner.owner)) active.insert(r.owner.owner);
      if (!IsGenericOwner(c.owner.owner)) active.insert(c.owner.owner);
      for (const Stmt& s : r.stmts)
        if (s.kind == StmtKind::kVerdict && !s.verdict.chain.empty()) referenced.insert(t.Id() + "/" + s.verdict.chain);
    });
    ctx.ForEachChain([&](const Table& t, const Chain& c) {
      if (!legacy_cmd::IsIptables(t) || c.base || !c.rules.empty()) return;
      const std::string& owner = c.owner.owner;
      if (IsGenericOwner(owner) || active.count(owner)) return;
      if (referenced.count(t.Id() + "/" + c.name)) return;
      std::string backend = t.backend == Backend::kIptablesLegacy ? "iptables-legacy" : "iptables-nft";
      ctx.Report(ctx.At(t, c), "empty " + backend + " chain '" + c.name + "' left over by " + owner +
                                   ", which has no rule left anywhere (uninstalled or stopped)")
          .Hint("harmless, but it hides what is really in use; delete it")
          .Fix(legacy_cmd::RemoveChain(t, c));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeEmptyLeftoverChainsRule() { return std::make_unique<EmptyLeftoverChainsRule>(); }

}  // namespace nftc
