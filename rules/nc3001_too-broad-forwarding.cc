// NC3001 too-broad-forwarding: with forwarding on, a new connection between two host
// interfaces (or "any other" interface) passes every forward-hook chain, per the simulator,
// although no rule on its way names either interface: the host routes between them
// (netfilter-semantics.md §4; Docker's docs: eth0 <-> eth1 with the nftables backend).
// Flows an owner means to forward (a rule on the accepting path names the pair's interface,
// e.g. Docker's docker0 -> uplink "OUTGOING" with masquerade) are not reported.
#include <map>
#include <set>

#include "iface_names.h"
#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

constexpr const char* kOther2 = "nftc-other1";  // a second interface of the class "any other"

// True when a rule on the outcome's path positively names `in` or `out`.
bool PathNames(const Outcome& o, const std::string& in, const std::string& out) {
  for (const TraceStep& s : o.steps) {
    if (s.hook != Hook::kForward || !s.rule_ref || !s.table_ref) continue;
    for (const Stmt& st : s.rule_ref->stmts) {
      std::set<std::string> ins, outs;
      iface::StmtNames(*s.table_ref, st, true, ins);
      iface::StmtNames(*s.table_ref, st, false, outs);
      if (ins.count(in) || outs.count(out)) return true;
    }
  }
  return false;
}

class TooBroadForwardingRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    std::set<std::string> named = iface::NamedInRules(rs);
    // Interfaces no rule names cannot be told apart: they form the class "any other".
    std::vector<std::string> classes(named.begin(), named.end());
    classes.push_back(iface::kOther);
    std::string members;  // host interfaces in the class "any other"
    for (const std::string& n : iface::HostInterfaces(ctx.host()))
      if (!named.count(n)) members += (members.empty() ? "" : ", ") + n;
    auto show = [&](const std::string& n) {
      if (n != iface::kOther && n != kOther2) return n;
      return std::string("any other interface") + (members.empty() ? "" : " (" + members + ")");
    };
    for (bool v6 : {false, true}) {
      auto fwd = ctx.host().Sysctl(v6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward");
      if (!fwd || *fwd != "1") continue;
      std::vector<std::string> pairs;
      std::vector<std::pair<std::string, std::string>> raw_pairs;
      std::map<const Chain*, const Table*> let_through;
      std::string witness;
      for (const std::string& a : classes)
        for (const std::string& b : classes) {
          if (a == b && a != iface::kOther) continue;
          // Two different interfaces of the class no rule names (eth0 -> eth1).
          const std::string b2 = a == b ? kOther2 : b;
          TraceResult tr = SimulateForwardPair(rs, a, b2, v6, ctx.SimOpts());
          for (const Outcome& o : tr.outcomes) {
            if (o.verdict != "accept") continue;
            // Unconditional, or accepted only by chain policies (a ban-list fork is no intent).
            bool by_policies = true;
            for (const ChainVerdict& cv : ChainVerdicts(o, Hook::kForward)) by_policies &= cv.by_policy;
            if (!o.condition.empty() && !by_policies) continue;
            if (PathNames(o, a, b2)) continue;
            pairs.push_back(show(a) + " -> " + show(b2));
            raw_pairs.emplace_back(a, b2);
            if (witness.empty())
              witness = std::string(v6 ? "IPv6" : "IPv4") + " new connection iif " + a + " oif " + b;
            for (const ChainVerdict& cv : ChainVerdicts(o, Hook::kForward))
              if (cv.chain && cv.verdict == "accept") let_through[cv.chain] = cv.table;
            break;
          }
        }
      if (pairs.empty()) continue;
      std::string list;
      for (size_t i = 0; i < pairs.size() && i < 8; ++i) list += (i ? ", " : "") + pairs[i];
      if (pairs.size() > 8) list += ", ... (" + std::to_string(pairs.size()) + " pairs)";
      std::string fix = "nft add table inet forward-guard && nft add chain inet forward-guard forward "
                        "'{ type filter hook forward priority filter; }'";
      std::set<std::string> host = iface::HostInterfaces(ctx.host());
      std::set<std::string> seen_rules;
      for (const auto& [a, b] : raw_pairs) {
        std::vector<std::string> as{a}, bs{b};
        if (a == iface::kOther || a == kOther2) { as.clear(); for (auto& h : host) if (!named.count(h)) as.push_back(h); }
        if (b == iface::kOther || b == kOther2) { bs.clear(); for (auto& h : host) if (!named.count(h)) bs.push_back(h); }
        for (auto& x : as)
          for (auto& y : bs)
            if (x != y && seen_rules.insert(x + ">" + y).second)
              fix += " && nft add rule inet forward-guard forward iifname \"" + x + "\" oifname \"" + y + "\" drop";
      }
      std::string fam = v6 ? "IPv6" : "IPv4";
      std::string msg = fam + " forwarding is on and new connections pass every forward chain between " + list;
      if (let_through.empty()) {
        ctx.Report(ctx.AtRuleset(), msg + " (no chain at the forward hook)")
            .Key(fam + " too broad forwarding, no forward chain")
            .Witness(witness)
            .Hint("add a forward chain that drops what no program means to route, or turn forwarding off")
            .Fix(fix);
        continue;
      }
      // Primary location: the chain that runs last (its accept is the one that lets them out).
      const Chain* last = nullptr;
      const Table* last_t = nullptr;
      for (auto& [c, t] : let_through)
        if (!last || c->prio > last->prio || (c->prio == last->prio && t->name > last_t->name)) {
          last = c;
          last_t = t;
        }
      auto rb = ctx.Report(ctx.At(*last_t, *last), msg + "; no rule on their way names these interfaces")
                    .Key(fam + " too broad forwarding")
                    .Witness(witness)
                    .Hint("drop forwarding between interfaces no program means to connect (Docker's docs: a "
                          "drop rule for iifname/oifname pairs in an own table), or a firewalld policy");
      rb.Fix(fix);
      for (auto& [c, t] : let_through)
        if (c != last) rb.Related(ctx.At(*t, *c), "lets these connections through too");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeTooBroadForwardingRule() { return std::make_unique<TooBroadForwardingRule>(); }

}  // namespace nftc
