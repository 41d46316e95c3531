// NC4001 legacy-rules-beside-nftables: iptables-legacy (x_tables) tables that hold rules or a
// non-accept policy while nftables is in use. `nft list ruleset` never shows them, yet they
// run on the same hooks (netfilter-semantics.md §5).
#include "legacy_commands.h"
#include "nftc/lint_rule.h"
#include "nftc/owners.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class LegacyRulesBesideNftablesRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    // nftables in use: any table nft shows (native or iptables-nft) with a chain.
    std::string nft_tables;
    ctx.ForEachTable([&](const Table& t) {
      if (t.backend == Backend::kIptablesLegacy || t.chains.empty()) return;
      if (!nft_tables.empty()) nft_tables += ", ";
      nft_tables += std::string(ToString(t.family)) + " " + t.name;
    });
    if (nft_tables.empty()) return;
    ctx.ForEachTable([&](const Table& t) {
      if (t.backend != Backend::kIptablesLegacy) return;
      size_t rules = 0;
      std::string owners;  // programs whose chains these are
      for (const Chain& c : t.chains)
        if (!c.rules.empty() && !IsGenericOwner(c.owner.owner) && owners.find(c.owner.owner) == std::string::npos)
          owners += (owners.empty() ? "" : ", ") + c.owner.owner;
      std::string policies;  // "-P FORWARD ACCEPT" commands for builtins not accepting
      for (const Chain& c : t.chains) {
        rules += c.rules.size();
        if (c.base && c.policy == Policy::kDrop)
          policies += " && " + legacy_cmd::Tool(t) + " -t " + t.name + " -P " + c.name + " ACCEPT";
      }
      if (rules == 0 && policies.empty()) return;
      std::string what = std::to_string(rules) + (rules == 1 ? " rule" : " rules");
      if (!policies.empty()) what += " and a drop policy";
      std::string p = legacy_cmd::Prefix(t);
      ctx.Report(ctx.At(t),
                 "iptables-legacy table '" + std::string(ToString(t.family)) + " " + t.name +
                     "' holds " + what + " that `nft list ruleset` does not show, while nftables is in use (" +
                     nft_tables + "); they run on the same hooks")
          .Key("legacy table with rules beside nftables")
          .Owner(owners.empty() ? t.owner.owner.str() : owners)
          .Hint("these are usually leftovers of a program that moved to nftables (or to "
                "iptables-nft) without a reboot; check `" + legacy_cmd::Tool(t) + "-save -t " + t.name +
                "`, then remove them (a reboot also clears x_tables)")
          .Fix(p + " -F && " + p + " -X" + policies);
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeLegacyRulesBesideNftablesRule() {
  return std::make_unique<LegacyRulesBesideNftablesRule>();
}

}  // namespace nftc
