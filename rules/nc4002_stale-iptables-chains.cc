// NC4002 stale-iptables-chains: iptables-nft or iptables-legacy chains of a program that also
// has its native nftables table (DOCKER* beside docker-bridges, LIBVIRT_* beside
// libvirt_network, f2b-* beside f2b-table): leftovers of a migration without a reboot.
#include <map>
#include <set>

#include "legacy_commands.h"
#include "nftc/lint_rule.h"
#include "nftc/owners.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class StaleIptablesChainsRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    // Programs with a native nftables table, and the first such table (for the message).
    std::map<std::string, const Table*> native;
    ctx.ForEachTable([&](const Table& t) {
      if (t.backend != Backend::kNftables || IsGenericOwner(t.owner.owner)) return;
      native.emplace(t.owner.owner, &t);
    });
    if (native.empty()) return;
    ctx.ForEachChain([&](const Table& t, const Chain& c) {
      if (!legacy_cmd::IsIptables(t) || c.base) return;
      auto it = native.find(c.owner.owner);
      if (it == native.end()) return;
      const Table& nt = *it->second;
      std::string backend = t.backend == Backend::kIptablesLegacy ? "iptables-legacy" : "iptables-nft";
      ctx.Report(ctx.At(t, c),
                 backend + " chain '" + c.name + "' of " + c.owner.owner +
                     " is stale: the program now writes its native nftables table '" +
                     std::string(ToString(nt.family)) + " " + nt.name + "'" +
                     (c.rules.empty() ? "" : "; its " + std::to_string(c.rules.size()) +
                                                 (c.rules.size() == 1 ? " rule still runs" : " rules still run")))
          .Related(ctx.At(nt), "the program's current nftables table")
          .Hint("left over from before the switch to the nftables backend (the program does not "
                "remove its old iptables chains; a reboot or an explicit flush does)")
          .Fix(legacy_cmd::RemoveChain(t, c));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeStaleIptablesChainsRule() { return std::make_unique<StaleIptablesChainsRule>(); }

}  // namespace nftc
