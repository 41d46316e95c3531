// Hook chain lists in kernel order, and the stages of a packet's path (hooks, routing).
#include <algorithm>
#include <tuple>

#include "sim/routing.h"
#include "sim/walk.h"

namespace nftc::sim {
namespace {

std::optional<Hook> LegacyHookOf(const std::string& chain) {
  if (chain == "PREROUTING") return Hook::kPrerouting;
  if (chain == "INPUT") return Hook::kInput;
  if (chain == "FORWARD") return Hook::kForward;
  if (chain == "OUTPUT") return Hook::kOutput;
  if (chain == "POSTROUTING") return Hook::kPostrouting;
  return std::nullopt;
}

int32_t LegacyPrio(const std::string& table) {
  if (table == "raw") return -300;
  if (table == "mangle") return -150;
  if (table == "security") return 50;
  return 0;  // filter; nat runs in the NAT slot
}

int32_t NatSlot(Hook h) { return h == Hook::kPrerouting || h == Hook::kOutput ? -100 : 100; }

bool Dormant(const Table& t) {
  return std::find(t.flags.begin(), t.flags.end(), "dormant") != t.flags.end();
}

bool ExprUsesCt(const Expr& x) {
  if (x.kind == ExprKind::kCt) return true;
  if (x.kind == ExprKind::kUnknown && x.json.find("\"ct\"") != std::string::npos) return true;
  for (const Expr& k : x.kids)
    if (ExprUsesCt(k)) return true;
  return false;
}

// Does this statement make the kernel enable conntrack (nf_ct_netns_get in its init)?
bool StmtUsesCt(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::kNat: case StmtKind::kFlowAdd: return true;
    case StmtKind::kXt: {
      if (!s.xt) return false;
      static const char* kCtXt[] = {"conntrack", "state", "connmark", "connbytes", "connlimit", "connlabel",
                                    "helper", "cluster", "ipvs", "CONNMARK", "CONNSECMARK", "CT", "NOTRACK",
                                    "MASQUERADE", "SNAT", "DNAT", "REDIRECT", "NETMAP"};
      for (const char* n : kCtXt)
        if (s.xt->name == n) return true;
      return false;
    }
    case StmtKind::kOther:
      if (s.text.rfind("ct ", 0) == 0 || s.text == "synproxy") return true;
      break;
    case StmtKind::kUnknown:
      if (s.text.rfind("ct ", 0) == 0 || s.json.find("\"ct\"") != std::string::npos) return true;
      break;
    default:
      break;
  }
  for (const Expr& x : s.e)
    if (ExprUsesCt(x)) return true;
  return false;
}

void FindConntrackUsers(HookPlan& w) {
  w.conntrack[0] = w.conntrack[1] = false;
  for (const Table& t : w.rs->tables) {
    if (t.backend == Backend::kIptablesLegacy && !w.include_legacy) continue;
    bool v4 = t.family == Family::kIp || t.family == Family::kInet || t.family == Family::kBridge;
    bool v6 = t.family == Family::kIp6 || t.family == Family::kInet || t.family == Family::kBridge;
    if ((!v4 || w.conntrack[0]) && (!v6 || w.conntrack[1])) continue;
    bool uses = false;
    for (const Chain& ch : t.chains) {
      for (const Rule& r : ch.rules) {
        for (const Stmt& s : r.stmts)
          if (StmtUsesCt(s)) uses = true;
        if (uses) break;
      }
      if (uses) break;
    }
    if (!uses) continue;
    if (v4) w.conntrack[0] = true;
    if (v6) w.conntrack[1] = true;
  }
}

}  // namespace

std::shared_ptr<const HookPlan> BuildPlan(const Ruleset& rs, bool include_legacy) {
  auto plan = std::make_shared<HookPlan>();
  HookPlan& w = *plan;
  w.rs = &rs;
  w.include_legacy = include_legacy;
  FindConntrackUsers(w);
  static const Hook kHooks[] = {Hook::kPrerouting, Hook::kInput, Hook::kForward, Hook::kOutput,
                                Hook::kPostrouting};
  // The chains that can be on a hook, found in one pass (issue 7: a pass over every chain
  // per family and hook cost 10x the chain count per simulated packet).
  std::vector<std::vector<size_t>> hookable(w.rs->tables.size());
  for (size_t ti = 0; ti < w.rs->tables.size(); ++ti) {
    const Table& t = w.rs->tables[ti];
    bool legacy = t.backend == Backend::kIptablesLegacy;
    for (size_t ci = 0; ci < t.chains.size(); ++ci) {
      const Chain& ch = t.chains[ci];
      if ((ch.base && ch.hook != Hook::kNone) || (legacy && LegacyHookOf(ch.name))) hookable[ti].push_back(ci);
    }
  }
  for (int fam = 0; fam < 2; ++fam) {
    for (Hook h : kHooks) {
      struct Keyed {
        HookEntry e;
        size_t ti, ci;
      };
      std::vector<Keyed> list;
      for (size_t ti = 0; ti < w.rs->tables.size(); ++ti) {
        const Table& t = w.rs->tables[ti];
        bool fam_ok = t.family == Family::kInet || t.family == (fam ? Family::kIp6 : Family::kIp);
        if (!fam_ok || Dormant(t)) continue;
        bool legacy = t.backend == Backend::kIptablesLegacy;
        if (legacy && !w.include_legacy) continue;
        for (size_t ci : hookable[ti]) {
          const Chain& ch = t.chains[ci];
          HookEntry e;
          e.table = &t;
          e.chain = &ch;
          e.legacy = legacy;
          if (legacy) {
            auto lh = ch.base && ch.hook != Hook::kNone ? std::optional<Hook>(ch.hook) : LegacyHookOf(ch.name);
            if (!lh || *lh != h) continue;
            e.nat = t.name == "nat";
            e.prio = e.nat ? NatSlot(h) : LegacyPrio(t.name);
          } else {
            if (!ch.base || ch.hook != h) continue;
            e.nat = ch.type == ChainType::kNat;
            e.prio = ch.prio;
          }
          e.hook = h;
          e.slot = e.nat ? NatSlot(h) : e.prio;
          list.push_back({e, ti, ci});
        }
      }
      // Kernel order: by slot; at the NAT slot plain chains before the NAT core; NAT chains
      // among themselves by priority; ties: nftables before legacy, then the chain that
      // was registered last (listed last) first.
      auto key = [](const Keyed& k) {
        return std::make_tuple(k.e.slot, k.e.nat ? 1 : 0, k.e.prio, k.e.legacy ? 1 : 0);
      };
      std::stable_sort(list.begin(), list.end(), [&](const Keyed& a, const Keyed& b) {
        if (key(a) != key(b)) return key(a) < key(b);
        if (a.ti != b.ti) return a.ti > b.ti;
        return a.ci > b.ci;
      });
      std::vector<HookEntry> out;
      for (size_t i = 0; i < list.size(); ++i) {
        HookEntry e = list[i].e;
        for (size_t j = 0; j < list.size(); ++j) {
          if (i == j) continue;
          const HookEntry& o = list[j].e;
          bool same = o.slot == e.slot && o.nat == e.nat && o.prio == e.prio;
          bool at_slot = o.nat != e.nat && o.slot == e.slot;  // plain chain at the NAT slot
          if (same || at_slot) e.tie = true;
        }
        out.push_back(e);
      }
      w.hooks[{h, fam}] = std::move(out);
    }
  }
  return plan;
}

void EnterHook(World& w, Ctx& c, Hook hook) {
  static const std::vector<HookEntry> kNone;
  c.hook = hook;
  auto it = w.plan->hooks.find({hook, c.v6 ? 1 : 0});
  c.entries = it == w.plan->hooks.end() ? &kNone : &it->second;
  c.entry = 0;
  c.stack.clear();
}

namespace {

// Splits path c by the routing decision for its destination. Each resulting path gets
// `apply(path, hop)`.
void Route(World& w, Ctx& c, std::vector<Ctx>& extra, void (*apply)(World&, Ctx&, const RouteHop&)) {
  std::vector<RouteHop> hops = RoutePartition(w, c.v6, c.fd(F::kDaddr).set);
  if (hops.empty()) {  // no destination left (contradiction): cannot happen, be safe
    c.notes.push_back("no destination address possible");
    Finish(c, "drop");
    return;
  }
  for (size_t i = 1; i < hops.size(); ++i) {
    Ctx o = c;
    o.fd(F::kDaddr).set = hops[i].dst;
    o.conds.push_back(hops[i].local ? "daddr is local" : "daddr routed via " + (hops[i].dev.empty() ? std::string("?") : hops[i].dev));
    apply(w, o, hops[i]);
    extra.push_back(std::move(o));
  }
  if (hops.size() > 1) {
    c.fd(F::kDaddr).set = hops[0].dst;
    c.conds.push_back(hops[0].local ? "daddr is local" : "daddr routed via " + (hops[0].dev.empty() ? std::string("?") : hops[0].dev));
  }
  apply(w, c, hops[0]);
}

bool RouteDrops(Ctx& c, const RouteHop& hop) {
  if (hop.type != "unicast") {
    c.notes.push_back("route type " + hop.type + ": dropped at routing");
    c.hook = Hook::kNone;
    Finish(c, "drop");
    return true;
  }
  if (hop.dev.empty()) {
    c.notes.push_back("route unknown: pass --oif");
    c.hook = Hook::kNone;
    Finish(c, "depends");
    return true;
  }
  if (hop.assumed) c.notes.push_back("routed via " + hop.dev + " (assumed default route)");
  return false;
}

void ArrivingRoute(World& w, Ctx& c, const RouteHop& hop) {
  if (hop.local) {
    c.local_dest = true;
    c.oif = IfDom::Absent();
    c.stage = Stage::kIn;
    EnterHook(w, c, Hook::kInput);
    return;
  }
  auto fwd = ForwardingOn(*w.host, c.v6);
  if (fwd && !*fwd) {
    c.notes.push_back(std::string("forwarding disabled (") +
                      (c.v6 ? "net.ipv6.conf.all.forwarding=0" : "net.ipv4.ip_forward=0") +
                      "): dropped at routing");
    c.hook = Hook::kNone;
    Finish(c, "drop");
    return;
  }
  if (!fwd) c.notes.push_back("forwarding sysctl not captured: assumed on");
  if (RouteDrops(c, hop)) return;
  c.oif = IfDom::Known(hop.dev);
  c.stage = Stage::kFwd;
  EnterHook(w, c, Hook::kForward);
}

void SetLocalSource(World& w, Ctx& c, const RouteHop& hop) {
  FieldDom& s = c.fd(F::kSaddr);
  if (s.set.IsSingle()) return;
  const NumSet& d = c.fd(F::kDaddr).set;
  if (hop.local && d.IsSingle()) s.set = d;  // to itself: the destination is the source
  else if (auto a = PrimaryAddr(*w.host, hop.dev, c.v6)) s.set = NumSet::Single(*a);
  c.fd(F::kOrigSaddr) = s;
}

void LocalOutRoute(World& w, Ctx& c, const RouteHop& hop) {
  if (!hop.local && RouteDrops(c, hop)) return;
  c.local_dest = hop.local;
  c.oif = IfDom::Known(hop.local ? "lo" : hop.dev);
  SetLocalSource(w, c, hop);
  c.stage = Stage::kOut;
  EnterHook(w, c, Hook::kOutput);
}

void Reroute(World& w, Ctx& c, const RouteHop& hop) {
  if (!hop.local && RouteDrops(c, hop)) return;
  c.local_dest = hop.local;
  c.oif = IfDom::Known(hop.local ? "lo" : hop.dev);
  c.stage = Stage::kPost;
  EnterHook(w, c, Hook::kPostrouting);
}

}  // namespace

void NextStage(World& w, Ctx& c, std::vector<Ctx>& extra) {
  switch (c.stage) {
    case Stage::kStart:
      if (c.local_out) {
        c.stage = Stage::kOutRoute;
        Route(w, c, extra, LocalOutRoute);
      } else {
        c.stage = Stage::kPre;
        EnterHook(w, c, Hook::kPrerouting);
      }
      return;
    case Stage::kPre:
      c.stage = Stage::kRoute;
      Route(w, c, extra, ArrivingRoute);
      return;
    case Stage::kIn:
      c.out.delivered = "host";
      Finish(c, "accept");
      return;
    case Stage::kFwd:
      c.stage = Stage::kPost;
      EnterHook(w, c, Hook::kPostrouting);
      return;
    case Stage::kOut:
      if (c.dnat) {  // DNAT at output: routed again for the new destination
        Route(w, c, extra, Reroute);
        return;
      }
      c.stage = Stage::kPost;
      EnterHook(w, c, Hook::kPostrouting);
      return;
    case Stage::kPost:
      if (c.local_out && c.local_dest) {
        // Looped back: received again on lo, with both NAT manips already set up.
        c.iif = IfDom::Known("lo");
        c.oif = IfDom::Absent();
        c.local_out = false;
        c.stage = Stage::kPre;
        EnterHook(w, c, Hook::kPrerouting);
        return;
      }
      c.out.delivered = c.oif.kind == IfDom::Kind::kKnown ? c.oif.name : "?";
      Finish(c, "accept");
      return;
    case Stage::kOnly:
      Finish(c, "accept");
      return;
    default:
      Finish(c, "depends");
      return;
  }
}

}  // namespace nftc::sim
