// NC4003 iptables-forward-drop-cuts-forwarders: an iptables FORWARD chain (iptables-nft or
// iptables-legacy) with policy drop, while another table's forward chain accepts traffic
// that this FORWARD chain does not: that accept is not final (netfilter-semantics.md §1), so
// the other program's guests or containers are cut off (moby#52612, "Docker broke my VMs").
// With bridge-nf-call-iptables=1 it also warns that traffic bridged inside any bridge the
// chain does not accept dies at the policy (§4).
#include <map>
#include <set>

#include "iface_names.h"
#include "legacy_commands.h"
#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

bool IsBridgeName(const std::string& n) {
  for (const char* p : {"virbr", "docker", "br-", "br", "incusbr", "lxdbr", "podman", "cni", "cali", "flannel"})
    if (n.rfind(p, 0) == 0) return true;
  return false;
}

// True when the outcome died at `fwd`'s policy.
bool DiedAtPolicy(const Outcome& o, const Chain* fwd) {
  if (o.verdict != "drop" && o.verdict != "reject") return false;
  const TraceStep* d = o.decided_by();
  return d && d->is_policy() && d->chain_ref == fwd;
}

class IptablesForwardDropCutsForwardersRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    ctx.ForEachBaseChain([&](const Table& t, const Chain& c) {
      if (!legacy_cmd::IsIptables(t) || t.name != "filter" || c.name != "FORWARD") return;
      if (c.hook != Hook::kForward || c.policy != Policy::kDrop) return;
      if (t.family != Family::kIp && t.family != Family::kIp6) return;
      bool v6 = t.family == Family::kIp6;
      CheckCutOff(ctx, rs, t, c, v6);
      CheckBridged(ctx, rs, t, c, v6);
    });
  }

 private:
  static void CheckCutOff(RuleContext& ctx, const Ruleset& rs, const Table& t, const Chain& c, bool v6) {
    auto fwd = ctx.host().Sysctl(v6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward");
    if (fwd && *fwd != "1") return;
    // Interfaces other tables' rules name (where other programs forward), minus the ones
    // this FORWARD chain's own table names (their owner manages them through FORWARD).
    std::set<std::string> candidates, own;
    for (const Table& o : rs.tables)
      for (const Chain& oc : o.chains)
        for (const Rule& r : oc.rules)
          for (const Stmt& s : r.stmts) {
            std::set<std::string>& into = &o == &t ? own : candidates;
            iface::StmtNames(o, s, true, into);
            iface::StmtNames(o, s, false, into);
          }
    for (const std::string& n : own) candidates.erase(n);
    if (candidates.empty()) return;
    // Order-independent: simulate with this chain's policy set to accept; a connection that
    // another table accepts by a rule and that reaches this chain's policy dies in reality.
    Ruleset open = rs;
    Table* ot = open.FindTable(t.family, t.name, t.backend);
    Chain* oc = ot ? ot->FindChain(c.name) : nullptr;
    if (!oc) return;
    oc->policy = Policy::kAccept;
    std::set<std::string> peers = iface::HostInterfaces(ctx.host());
    peers.insert(candidates.begin(), candidates.end());
    peers.insert(iface::kOther);
    std::map<std::string, std::set<std::string>> cut;  // "X -> Y" -> accepting chains
    std::vector<std::pair<const Table*, const Chain*>> acceptors;
    std::string witness;
    for (const std::string& x : candidates) {
      if (x.empty() || x.back() == '*') continue;
      for (const std::string& y : peers) {
        if (y == x || y.empty() || y.back() == '*') continue;
        for (int dir = 0; dir < 2; ++dir) {
          const std::string& in = dir == 0 ? x : y;
          const std::string& out = dir == 0 ? y : x;
          TraceResult tr = SimulateForwardPair(open, in, out, v6);
          for (const Outcome& o : tr.outcomes) {
            if (o.verdict != "accept") continue;
            std::vector<ChainVerdict> cvs = ChainVerdicts(o, Hook::kForward);
            bool policy_here = false;
            for (const ChainVerdict& cv : cvs)
              if (cv.chain == oc && cv.by_policy) policy_here = true;
            if (!policy_here) continue;
            for (const ChainVerdict& cv : cvs) {
              if (cv.chain == oc || cv.by_policy || cv.verdict != "accept") continue;
              // Map back to the caller's ruleset (same position).
              const Table* rt = rs.FindTable(cv.table->family, cv.table->name, cv.table->backend);
              const Chain* rc = rt ? rt->FindChain(cv.chain->name) : nullptr;
              if (!rc) continue;
              std::string key = iface::Display(in) + " -> " + iface::Display(out);
              std::string who = std::string(ToString(rt->family)) + " " + rt->name + " " + rc->name;
              if (cut[key].insert(who).second && cut.size() == 1 && cut[key].size() == 1)
                witness = "new connection iif " + in + " oif " + out +
                          (o.condition.empty() ? "" : " (" + o.condition + ")");
              bool have = false;
              for (auto& a : acceptors) have |= a.second == rc;
              if (!have) acceptors.emplace_back(rt, rc);
            }
          }
        }
      }
    }
    if (cut.empty()) return;
    std::string pairs, forwarders;
    std::set<std::string> fwd_ifaces;
    size_t n = 0;
    for (const auto& [k, v] : cut) {
      if (n++ < 6) pairs += (pairs.empty() ? "" : ", ") + k;
      std::string in = k.substr(0, k.find(" -> ")), out = k.substr(k.find(" -> ") + 4);
      if (candidates.count(in)) fwd_ifaces.insert(in);
      if (candidates.count(out)) fwd_ifaces.insert(out);
    }
    if (cut.size() > 6) pairs += ", ...";
    std::set<std::string> owners;
    for (auto& a : acceptors) owners.insert(a.second->owner.owner);
    for (const std::string& o : owners) forwarders += (forwarders.empty() ? "" : ", ") + o;
    std::string backend = t.backend == Backend::kIptablesLegacy ? "iptables-legacy" : "iptables-nft";
    std::string fix;
    if (t.backend == Backend::kIptablesLegacy) {
      fix = legacy_cmd::Tool(t) + " -P FORWARD ACCEPT";
    } else {
      std::string into = t.FindChain("DOCKER-USER") ? "DOCKER-USER" : "FORWARD";
      for (const std::string& i : fwd_ifaces) {
        if (!fix.empty()) fix += " && ";
        fix += legacy_cmd::Tool(t) + " -I " + into + " -i " + i + " -j ACCEPT && " + legacy_cmd::Tool(t) +
               " -I " + into + " -o " + i + " -j ACCEPT";
      }
    }
    auto rb = ctx.Report(ctx.At(t, c),
                         backend + " FORWARD policy drop cuts off traffic that " + forwarders +
                             " accepts in its own forward chain (that accept is not final): " + pairs)
                  .Key(backend + " FORWARD drop cuts off " + forwarders)
                  .Witness(witness)
                  .Hint(t.backend == Backend::kIptablesLegacy
                            ? "the legacy FORWARD chain is not shown by nft; if it is a leftover, reset its "
                              "policy (or flush the legacy table, or reboot)"
                            : "accept the other program's interfaces in the iptables FORWARD path (Docker: "
                              "DOCKER-USER), or move every program to the same backend")
                  .Fix(fix);
    for (auto& a : acceptors) rb.Related(ctx.At(*a.first, *a.second), "accepts this traffic, but the accept is not final");
  }

  static void CheckBridged(RuleContext& ctx, const Ruleset& rs, const Table& t, const Chain& c, bool v6) {
    auto bnf = ctx.host().Sysctl(v6 ? "net.bridge.bridge-nf-call-ip6tables" : "net.bridge.bridge-nf-call-iptables");
    if (!bnf || *bnf != "1") return;
    TraceResult tr = SimulateForwardPair(rs, iface::kOther, iface::kOther, v6, ctx.SimOpts());
    bool dies = false;  // some new connection bridged inside an unknown bridge dies there
    for (const Outcome& o : tr.outcomes) dies |= DiedAtPolicy(o, &c);
    if (!dies) return;
    std::string bridges;
    for (const std::string& n : iface::HostInterfaces(ctx.host()))
      if (IsBridgeName(n)) {
        TraceResult b = SimulateForwardPair(rs, n, n, v6, ctx.SimOpts());
        bool ok = true;
        for (const Outcome& o : b.outcomes) ok &= !DiedAtPolicy(o, &c);
        if (ok) bridges += (bridges.empty() ? "" : ", ") + n;
      }
    std::string backend = t.backend == Backend::kIptablesLegacy ? "iptables-legacy" : "iptables-nft";
    auto rb = ctx.Report(ctx.At(t, c),
                         "with " + std::string(v6 ? "bridge-nf-call-ip6tables" : "bridge-nf-call-iptables") +
                             "=1, traffic bridged inside any bridge that this " + backend +
                             " FORWARD chain does not accept dies at its drop policy" +
                             (bridges.empty() ? "" : " (accepted today: " + bridges + ")"))
                  .Key(backend + " FORWARD drop and bridged traffic")
                  .Witness("frame bridged between two ports of a bridge br0 (iif br0 oif br0)")
                  .Hint("accept bridged traffic explicitly (e.g. `-m physdev --physdev-is-bridged -j ACCEPT`), or "
                        "set net.bridge.bridge-nf-call-iptables=0 if no bridge needs IP filtering")
                  .Fix(legacy_cmd::Tool(t) + " -I " + (t.FindChain("DOCKER-USER") ? "DOCKER-USER" : "FORWARD") +
                       " -m physdev --physdev-is-bridged -j ACCEPT");
    if (ctx.severity() == ctx.rule().severity) rb.Level(Severity::kWarning);
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeIptablesForwardDropCutsForwardersRule() {
  return std::make_unique<IptablesForwardDropCutsForwardersRule>();
}

}  // namespace nftc
