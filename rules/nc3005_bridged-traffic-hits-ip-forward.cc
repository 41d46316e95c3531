// NC3005 bridged-traffic-hits-ip-forward: with br_netfilter and
// net.bridge.bridge-nf-call-iptables=1, frames bridged inside one Linux bridge (VM to VM,
// container to container) traverse the ip/inet forward hook with iif and oif both the
// bridge; a forward chain that drops everything it does not know cuts the bridge's guests
// off from each other (moby#48365).
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"
#include "path_probes.h"

namespace nftc {
namespace {

bool IsBridgeName(const std::string& n) {
  static const char* kPrefixes[] = {"docker", "br", "virbr", "incusbr", "lxdbr", "podman", "cni"};
  for (const char* p : kPrefixes)
    if (n.rfind(p, 0) == 0) return true;
  return false;
}

bool IsPortName(const std::string& n) {
  return n.rfind("veth", 0) == 0 || n.rfind("vnet", 0) == 0 || n.rfind("tap", 0) == 0;
}

// Bridge name -> its known ports: interfaces whose master it is; else ports whose IPv6
// link-local address is the bridge's (a bridge takes the MAC address of a port).
std::vector<std::pair<std::string, std::vector<std::string>>> Bridges(const HostContext& h) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  std::set<std::string> masters;
  for (const Interface& i : h.interfaces)
    if (!i.master.empty()) masters.insert(i.master);
  for (const Interface& b : h.interfaces) {
    if (!masters.count(b.name) && (!IsBridgeName(b.name) || IsPortName(b.name))) continue;
    std::vector<std::string> ports;
    for (const Interface& p : h.interfaces)
      if (p.master == b.name) ports.push_back(p.name);
    if (ports.empty())
      for (const Interface& p : h.interfaces) {
        if (!IsPortName(p.name)) continue;
        bool same = false;
        for (const HostAddr& a : p.addrs)
          for (const HostAddr& ba : b.addrs)
            same = same || (a.v6 && ba.v6 && (a.addr >> 112) == 0xfe80 && a.addr == ba.addr);
        if (same) ports.push_back(p.name);
      }
    out.push_back({b.name, ports});
  }
  return out;
}

bool HasRoutableV6(const HostContext& h, const std::string& name) {
  const Interface* i = h.FindInterface(name);
  if (!i) return false;
  for (const HostAddr& a : i->addrs)
    if (a.v6 && (a.addr >> 118) != (u128{0xfe80} >> 6)) return true;
  return false;
}

class BridgedTrafficHitsIpForwardRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    std::set<std::string> reported;
    for (bool v6 : {false, true}) {
      auto on = ctx.host().Sysctl(v6 ? "net.bridge.bridge-nf-call-ip6tables" : "net.bridge.bridge-nf-call-iptables");
      if (!on || *on != "1") continue;  // not captured, or bridged frames skip the ip hooks
      for (const auto& [bridge, ports] : Bridges(ctx.host())) {
        // IPv6 only on bridges with an IPv6 network (a global or ULA address): guests of an
        // IPv4-only network have at most link-local IPv6 between them.
        if (v6 && !HasRoutableV6(ctx.host(), bridge)) continue;
        Probe(ctx, rs, bridge, ports, v6, reported);
      }
    }
  }

 private:
  void Probe(RuleContext& ctx, const Ruleset& rs, const std::string& bridge, const std::vector<std::string>& ports,
             bool v6, std::set<std::string>& reported) const {
    Ruleset copy = rs;  // droppers get neutralized here, one at a time, to find the next one
    std::vector<TraceResult> keep;
    keep.reserve(5);
    std::string family = v6 ? "IPv6" : "IPv4";
    std::vector<std::pair<const Outcome*, const TraceStep*>> droppers;
    for (int round = 0; round < 4; ++round) {
      // A new TCP connection between two guests (ports and addresses any): a probe without a
      // protocol would fork on ICMP types that firewalls accept on purpose.
      PacketQuery q;
      q.iif = bridge;
      q.oif = bridge;
      q.ipv6 = v6;
      q.proto = 6;
      q.ct_state = kCtNew;
      keep.push_back(SimulateHook(copy, Hook::kForward, q));
      const TraceResult& r = keep.back();
      // Only a definite claim: every outcome dies on forward, in a catch-all drop (a policy, or
      // a drop that ends the chain), not in a rule that names this traffic on purpose (Docker's
      // `-i docker0 -o docker0 -j DROP` of icc=false).
      const TraceStep* drop = nullptr;
      const Outcome* dead = nullptr;
      for (const Outcome& o : r.outcomes) {
        const TraceStep* last = o.decided_by();
        if (o.verdict == "accept" || o.final_hook != Hook::kForward || !last || !last->table_ref ||
            !probes::CatchAllDrop(o, *last)) {
          drop = nullptr;
          break;
        }
        if (!drop) {
          drop = last;
          dead = &o;
        }
      }
      if (!drop) break;
      droppers.push_back({dead, drop});
      // Set the dropping chain aside and run again: another chain may drop too, and the
      // accepts of programs whose chains ran after it become visible.
      Table* t = copy.FindTable(drop->table_ref->family, drop->table_ref->name, drop->table_ref->backend);
      if (!t) break;
      Chain* c = t->FindChain(drop->base_chain.empty() ? drop->chain : drop->base_chain);
      if (!c || !c->base) break;
      c->base = false;
      c->hook = Hook::kNone;
    }
    // The other side: rules that accept the bridged traffic on the forward hook, in any run.
    std::vector<const TraceStep*> accepts;
    std::set<std::string> seen;
    for (const TraceResult& r : keep)
      for (const Outcome& o : r.outcomes)
        for (const TraceStep& st : o.steps) {
          if (st.hook != Hook::kForward || st.is_policy() || st.verdict != "accept" || !st.table_ref ||
              !st.chain_ref || !st.rule_ref)
            continue;
          if (seen.insert(st.table_ref->Id() + "/" + st.chain + "/" + std::to_string(st.rule_ref->handle)).second)
            accepts.push_back(&st);
        }
    for (auto [dead, drop] : droppers) Report(ctx, rs, bridge, ports, family, *dead, *drop, accepts, reported);
  }

  void Report(RuleContext& ctx, const Ruleset& rs, const std::string& bridge, const std::vector<std::string>& ports,
              const std::string& family, const Outcome& o, const TraceStep& drop,
              const std::vector<const TraceStep*>& accepts, std::set<std::string>& reported) const {
    const Table* dt = rs.FindTable(drop.table_ref->family, drop.table_ref->name, drop.table_ref->backend);
    if (!dt) return;
    const Chain* base = dt->FindChain(drop.base_chain.empty() ? drop.chain : drop.base_chain);
    const Chain* dc = dt->FindChain(drop.chain);
    if (!base || !dc) return;
    if (!reported.insert(dt->Id() + "/" + base->name + "/" + bridge + "/" + family).second) return;
    std::string p1 = ports.size() > 0 ? ports[0] : "a port of " + bridge;
    std::string p2 = ports.size() > 1 ? ports[1] : "another port of " + bridge;
    std::string what = drop.is_policy() ? "policy drop of " : "catch-all " + drop.verdict + " in ";
    std::string plist;
    for (const std::string& p : ports) plist += (plist.empty() ? "" : ", ") + p;
    ReportBuilder b =
        ctx.Report(ctx.At(*dt, *base),
                   "bridge-nf-call-" + std::string(family == "IPv6" ? "ip6tables" : "iptables") + "=1: " + family +
                       " frames bridged between ports of " + bridge + (plist.empty() ? "" : " (" + plist + ")") +
                       " traverse the forward hook as iif/oif " + bridge + ", and " + what + dt->Id() + " " +
                       base->name + " drops them: guests on " + bridge + " cannot reach each other")
            .Witness(family + " new TCP connection bridged " + p1 + " -> " + p2 + " on " + bridge +
                     " (forward hook: iif " + bridge + " oif " + bridge + "): " + o.verdict)
            .Hint("accept bridged traffic in this chain (`iifname " + bridge + " oifname " + bridge +
                  " accept`, iptables: `-i " + bridge + " -o " + bridge + " -j ACCEPT`), or turn "
                  "net.bridge.bridge-nf-call-iptables off when nothing needs to filter bridged frames")
            .Key(dt->Id() + " " + base->name + " " + bridge + " " + family);
    if (dc != base && drop.rule_ref)
      for (const Rule& r : dc->rules)
        if (r.handle == drop.rule_ref->handle) b.Related(ctx.At(*dt, *dc, r), "the catch-all " + drop.verdict);
    for (const TraceStep* a : accepts)
      if (a->table_ref->Id() != dt->Id())
        b.Related(ctx.At(*a->table_ref, *a->chain_ref, *a->rule_ref),
                  "accepts the bridged traffic, but accept ends only its own base chain");
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeBridgedTrafficHitsIpForwardRule() {
  return std::make_unique<BridgedTrafficHitsIpForwardRule>();
}

}  // namespace nftc
