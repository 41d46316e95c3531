// NC3006 flowtable-bypasses-chains: a `flow add @ft` rule moves established flows to the
// flowtable fast path at ingress; their later packets skip the prerouting, forward and
// postrouting chains of every table, whoever owns them. The finding names those chains.
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

bool SkippedHook(Hook h) { return h == Hook::kPrerouting || h == Hook::kForward || h == Hook::kPostrouting; }

// Does a base chain of family `f` see the packets of a flowtable of family `ft`?
bool SeesFamily(Family ft, Family f) {
  if (ft == Family::kInet) return f == Family::kIp || f == Family::kIp6 || f == Family::kInet;
  if (f == Family::kInet) return ft == Family::kIp || ft == Family::kIp6;
  return f == ft;
}

// A chain whose rules would see later packets of a flow: not NAT (NAT chains see only the
// first packet of a connection), and with something to skip (a rule, or a drop policy).
bool Matters(const Chain& c) {
  return c.base && SkippedHook(c.hook) && c.type != ChainType::kNat &&
         (!c.rules.empty() || c.policy == Policy::kDrop);
}

class FlowtableBypassesChainsRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      for (const Stmt& s : r.stmts) {
        if (s.kind != StmtKind::kFlowAdd) continue;
        const Flowtable* ft = nullptr;
        for (const Flowtable& f : t.flowtables)
          if (f.name == s.text) ft = &f;
        if (!ft || ft->devices.empty()) continue;  // missing flowtable: nothing is offloaded
        std::string devs;
        for (const std::string& d : ft->devices) devs += (devs.empty() ? "" : ", ") + d;
        std::vector<std::pair<const Table*, const Chain*>> skipped;
        std::set<std::string> hooks;
        for (const Table& ot : rs.tables) {
          if (&ot == &t || !SeesFamily(t.family, ot.family)) continue;
          for (const Chain& oc : ot.chains)
            if (Matters(oc)) {
              skipped.push_back({&ot, &oc});
              hooks.insert(std::string(ToString(oc.hook)));
            }
        }
        bool own_later = r.position + 1 < static_cast<int32_t>(c.rules.size());
        if (skipped.empty() && !own_later) continue;
        std::string list;
        for (auto [ot, oc] : skipped) {
          list += (list.empty() ? "" : ", ") + ot->Id() + " " + oc->name;
          if (!IsGeneric(oc->owner.owner)) list += " (" + oc->owner.owner + ")";
        }
        std::string hl;
        for (const std::string& h : hooks) hl += (hl.empty() ? "" : "/") + h;
        std::string msg = "flow add @" + ft->name + " moves established flows between " + devs +
                          " to the flowtable fast path: their later packets skip ";
        if (!skipped.empty())
          msg += std::to_string(skipped.size()) + " " + hl + " chains of other tables (" + list + ")";
        if (own_later) msg += std::string(skipped.empty() ? "" : ", and ") + "the rules after it in " + c.name;
        Location ftloc = ctx.At(t);
        ftloc.set = ft->name;
        ftloc.src = ft->src;
        ReportBuilder b = ctx.Report(ctx.At(t, c, r), msg)
                              .Related(ftloc, "flowtable " + ft->name + " (ingress of " + devs +
                                                  "): offloaded packets are forwarded here")
                              .Hint("rules these chains add or change later (a firewalld reject, a "
                                    "Docker unpublish, a libvirt teardown) do not cut established "
                                    "offloaded flows, and their counters stop; offload only the flows "
                                    "every owner accepts (match iif/oif pairs in the flow add rule), "
                                    "or accept that the fast path decides them")
                              .Key(t.Id() + " " + c.name + " @" + ft->name);
        for (auto [ot, oc] : skipped)
          b.Related(ctx.At(*ot, *oc), std::string(ToString(oc->hook)) +
                                          " chain whose rules no longer see established packets of offloaded flows");
      }
    });
  }

 private:
  static bool IsGeneric(const std::string& owner) { return owner.empty() || owner == "unknown"; }
};

}  // namespace

std::unique_ptr<LintRule> MakeFlowtableBypassesChainsRule() { return std::make_unique<FlowtableBypassesChainsRule>(); }

}  // namespace nftc
