// NC3004 accept-not-final: a flow that one program explicitly accepts on the forward hook is
// dropped by another table's base chain on the same hook (accept ends only its own base
// chain; drop is final).
#include <optional>
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"
#include "path_probes.h"

namespace nftc {
namespace {

struct Probe {
  std::string what;  // witness text
  bool full_path = false;
  PacketQuery q;     // full path
  std::string iif, oif;  // forward pair
  Hook hook = Hook::kForward;  // where the accept and the drop are looked for
};

std::string TableKey(const Table& t) { return t.Id(); }

// addr + 49 when it stays inside the prefix (192.168.122.1/24 -> 192.168.122.50).
std::optional<u128> Neighbour(const HostAddr& a) {
  if (a.v6 || a.plen > 24) return std::nullopt;
  u128 mask = (u128{0xFFFFFFFF} << (32 - a.plen)) & u128{0xFFFFFFFF};
  u128 n = a.addr + 49;
  if ((n & mask) != (a.addr & mask) || n == (a.addr | (~mask & u128{0xFFFFFFFF}))) return std::nullopt;
  return n;
}

std::string GuestAddr(const Interface& b) {
  for (const HostAddr& a : b.addrs)
    if (auto n = Neighbour(a)) return FormatIpAddress(*n, false);
  return "192.168.122.50";
}

// An address beyond the outside interface: on its subnet, else TEST-NET-3 (default route).
std::string OutsideAddr(const Ruleset& rs, const probes::OutsideIf& e) {
  if (const Interface* i = rs.host.FindInterface(e.name))
    for (const HostAddr& a : i->addrs)
      if (auto n = Neighbour(a)) return FormatIpAddress(*n, false);
  return "203.0.113.80";
}

class AcceptNotFinalRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    std::vector<Probe> probes_;
    auto outside = probes::OutsideInterfaces(rs);
    std::set<uint16_t> seen_ports;
    for (const probes::DnatPort& d : probes::FindDnatPorts(rs)) {
      if (!seen_ports.insert(d.port).second) continue;
      for (const probes::OutsideIf& i : outside) {
        Probe p;
        p.full_path = true;
        p.q = probes::InboundQuery(i, d.proto, d.port, u128{0xC0000263});
        p.what = probes::ProtoName(d.proto) + " 192.0.2.99:40000 -> " +
                 (i.addr4 ? FormatIpAddress(*i.addr4, false) : i.name + "'s address") + ":" +
                 std::to_string(d.port) + " (published port) iif " + i.name +
                 probes::AssumedNote(i);
        probes_.push_back(p);
      }
    }
    for (const Interface& b : rs.host.interfaces) {
      if (!probes::IsGuestSideInterface(b.name) || b.name.rfind("lo", 0) == 0 ||
          b.name.rfind("veth", 0) == 0 || !b.master.empty())
        continue;
      bool v4 = false;
      for (const HostAddr& a : b.addrs) v4 = v4 || !a.v6;
      if (!v4) continue;
      for (const probes::OutsideIf& e : outside) {
        Probe p;
        p.iif = b.name;
        p.oif = e.name;
        // A concrete packet of the flow (tests/kernel/claims.py sends it): a guest address
        // on the bridge to an address on the outside interface's subnet.
        p.what = "tcp " + GuestAddr(b) + ":40000 -> " + OutsideAddr(rs, e) + ":443 iif " + b.name +
                 " oif " + e.name + " (new connection from " + b.name + " to " + e.name +
                 ", forward hook)";
        probes_.push_back(p);
      }
      // Guests' DNS to the host's address on their bridge (input hook).
      for (const HostAddr& a : b.addrs) {
        if (a.v6) continue;
        for (uint8_t proto : {uint8_t{17}, uint8_t{6}}) {
          Probe p;
          p.full_path = true;
          p.hook = Hook::kInput;
          p.q.iif = b.name;
          p.q.ipv6 = false;
          p.q.src = a.addr + 49;
          p.q.dst = a.addr;
          p.q.proto = proto;
          p.q.sport = 40000;
          p.q.dport = 53;
          p.q.ct_state = kCtNew;
          p.what = probes::ProtoName(proto) + " " + FormatIpAddress(a.addr + 49, false) + ":40000 -> " +
                   FormatIpAddress(a.addr, false) + ":53 iif " + b.name + " (a guest's DNS query to the host)";
          probes_.push_back(p);
        }
        break;
      }
    }
    std::set<std::string> reported;
    for (const Probe& p : probes_) Run(ctx, p, reported);
  }

 private:
  void Run(RuleContext& ctx, const Probe& p, std::set<std::string>& reported) const {
    // Droppers get neutralized in a copy, one at a time; the copy is made only when one is
    // found (issue 7: copying a 100k-rule model per probe doubled lint's peak memory).
    std::optional<Ruleset> copy;
    std::vector<std::pair<const Table*, const TraceStep*>> droppers;
    std::vector<TraceResult> keep;  // keeps the steps of earlier runs alive
    keep.reserve(6);
    for (int round = 0; round < 5; ++round) {
      const Ruleset& cur = copy ? *copy : ctx.ruleset();
      keep.push_back(p.full_path ? Simulate(cur, p.q, ctx.SimOpts())
                                   : SimulateForwardPair(cur, p.iif, p.oif, false, ctx.SimOpts()));
      const TraceResult& r = keep.back();
      const TraceStep* accept = nullptr;
      const TraceStep* drop = nullptr;
      for (const Outcome& o : r.outcomes) {
        // An explicit accept on the forward hook (a rule, not a policy), by a chain whose
        // table differs from the one that drops.
        const TraceStep* last = o.decided_by();
        bool died_fwd = o.verdict != "accept" && o.final_hook == p.hook && last &&
                        last->table_ref && probes::CatchAllDrop(o, *last);
        for (const TraceStep& s : o.steps) {
          if (s.hook != p.hook || s.is_policy() || s.verdict != "accept" || !s.table_ref) continue;
          if (died_fwd && last->table_ref && TableKey(*last->table_ref) == TableKey(*s.table_ref)) continue;
          if (!droppers.empty() || died_fwd) {
            accept = &s;
            drop = died_fwd ? last : nullptr;
            break;
          }
        }
        if (accept) break;
      }
      if (accept) {
        if (drop) droppers.push_back({drop->table_ref, drop});
        for (auto& [t, d] : droppers) Report(ctx, p, *d, *accept, reported);
        return;
      }
      // No accept seen yet: find a catch-all drop at forward and neutralize its base chain.
      const TraceStep* dropper = nullptr;
      for (const Outcome& o : r.outcomes) {
        const TraceStep* last = o.decided_by();
        if (o.verdict != "accept" && o.final_hook == p.hook && last && last->table_ref &&
            probes::CatchAllDrop(o, *last)) {
          dropper = last;
          break;
        }
      }
      if (!dropper) return;
      droppers.push_back({dropper->table_ref, dropper});
      if (!copy) copy = ctx.ruleset();
      Table* t = copy->FindTable(dropper->table_ref->family, dropper->table_ref->name,
                                dropper->table_ref->backend);
      if (!t) return;
      Chain* c = t->FindChain(dropper->base_chain.empty() ? dropper->chain_ref->name.str() : dropper->base_chain);
      if (!c || !c->base) return;
      c->base = false;
      c->hook = Hook::kNone;
    }
  }

  void Report(RuleContext& ctx, const Probe& p, const TraceStep& drop, const TraceStep& accept,
              std::set<std::string>& reported) const {
    std::string key = drop.table_ref->Id() + "/" + drop.chain + "|" + accept.table_ref->Id() + "/" +
                      accept.chain + "|" + accept.rule;
    if (!reported.insert(key).second) return;
    const Ruleset& rs = ctx.ruleset();
    const Table* dt = rs.FindTable(drop.table_ref->family, drop.table_ref->name, drop.table_ref->backend);
    const Table* at = rs.FindTable(accept.table_ref->family, accept.table_ref->name, accept.table_ref->backend);
    if (!dt || !at) return;
    const Chain* dc = dt->FindChain(drop.chain);
    const Chain* ac = at->FindChain(accept.chain);
    if (!dc || !ac) return;
    // The finding sits on the base chain that drops (a catch-all rule in a chain it jumps
    // to, like ufw's ufw-skip-to-policy-input, is named as a related location).
    const Chain* base = drop.base_chain.empty() ? dc : dt->FindChain(drop.base_chain);
    if (!base) base = dc;
    Location where = ctx.At(*dt, *base);
    std::optional<Location> drop_rule;
    if (drop.rule_ref)
      for (const Rule& r : dc->rules)
        if (r.handle == drop.rule_ref->handle) {
          if (base == dc) where = ctx.At(*dt, *dc, r);
          else drop_rule = ctx.At(*dt, *dc, r);
        }
    Location other = ctx.At(*at, *ac);
    for (const Rule& r : ac->rules)
      if (accept.rule_ref && r.handle == accept.rule_ref->handle) other = ctx.At(*at, *ac, r);
    std::string what = drop.is_policy() ? "policy drop of " : "catch-all " + drop.verdict + " in ";
    std::string by = accept.owner == "unknown" ? "" : " (" + accept.owner + ")";
    ReportBuilder b = ctx.Report(where, what + drop.table_ref->Id() + " " + base->name + " drops a flow that " +
                          accept.table_ref->Id() + " " + accept.chain + by + " accepts" +
                          " on the same " + std::string(ToString(p.hook)) + " hook")
        .Related(other, "accepts this flow; accept ends only its own base chain")
        .Witness(p.what)
        .Hint("let the flow through in the dropping chain too (a matching accept rule before its "
              "drop), or remove the stale chain that drops it")
        .Key(accept.table_ref->Id() + " " + accept.chain);
    if (drop_rule) b.Related(*drop_rule, "the catch-all " + drop.verdict + " the base chain ends in");
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeAcceptNotFinalRule() { return std::make_unique<AcceptNotFinalRule>(); }

}  // namespace nftc
