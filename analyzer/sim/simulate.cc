// The simulator's entry points: build the initial symbolic packet, run every path to its
// end (forks included), collect the outcomes.
#include <arpa/inet.h>

#include <cstring>

#include "nftc/packet_path.h"
#include "sim/routing.h"
#include "sim/walk.h"

namespace nftc {
namespace sim {
namespace {

const char* ProtoName(u128 p) {
  switch (uint64_t(p)) {
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 58: return "icmpv6";
    case 132: return "sctp";
    default: return nullptr;
  }
}

PacketView View(const Ctx& c) {
  PacketView v;
  v.iif = c.iif.kind == IfDom::Kind::kKnown ? c.iif.name : c.iif.kind == IfDom::Kind::kAbsent ? "" : "any";
  v.oif = c.oif.kind == IfDom::Kind::kKnown ? c.oif.name : c.oif.kind == IfDom::Kind::kAbsent ? "" : "any";
  v.src = DomToText(c.fd(F::kSaddr).set, true, c.v6);
  v.dst = DomToText(c.fd(F::kDaddr).set, true, c.v6);
  const NumSet& p = c.fd(F::kL4proto).set;
  if (p.IsSingle()) v.proto = ProtoName(p.First()) ? ProtoName(p.First()) : std::to_string(uint64_t(p.First()));
  else v.proto = "any";
  v.sport = DomToText(c.fd(F::kSport).set, false, false);
  v.dport = DomToText(c.fd(F::kDport).set, false, false);
  return v;
}

Ctx Initial(const World& w, const PacketQuery& q) {
  Ctx c;
  c.v6 = q.ipv6.value_or(q.proto && *q.proto == 58);
  uint8_t ab = c.v6 ? 128 : 32;
  auto one = [](const auto& o, uint8_t bits) {
    return o ? NumSet::Single(u128(*o)) : NumSet::Full(bits);
  };
  c.fd(F::kSaddr).set = one(q.src, ab);
  c.fd(F::kDaddr).set = one(q.dst, ab);
  c.fd(F::kL4proto).set = one(q.proto, 8);
  c.fd(F::kSport).set = one(q.sport, 16);
  c.fd(F::kDport).set = one(q.dport, 16);
  c.fd(F::kIcmpType).set = one(q.icmp_type, 8);
  c.fd(F::kIcmpCode).set = one(q.icmp_code, 8);
  c.fd(F::kMark).set = one(q.mark, 32);
  c.fd(F::kCtMark).set = one(q.ct_mark, 32);
  c.fd(F::kCtState).set = q.ct_state ? NumSet::Single(*q.ct_state)
                                     : NumSet::Of({kCtInvalid, kCtEstablished, kCtRelated, kCtNew, kCtUntracked});
  bool is_new = q.ct_state && *q.ct_state == kCtNew;
  c.fd(F::kCtStatus).set = is_new ? NumSet::Single(0) : NumSet::Full(32);
  c.fd(F::kCtDir).set = is_new ? NumSet::Single(0) : NumSet::Of({0, 1});
  // pkttype: host unicast, unless the destination is a broadcast/multicast address.
  const HostContext& h = *w.host;
  NumSet bc = BroadcastAddrs(h, c.v6), mc = MulticastAddrs(c.v6);
  const NumSet& d = c.fd(F::kDaddr).set;
  std::vector<u128> pt;
  if (!d.Subtract(bc).Subtract(mc).Empty()) pt.push_back(0);
  if (!d.Intersect(bc).Empty()) pt.push_back(1);
  if (!d.Intersect(mc).Empty()) pt.push_back(2);
  c.fd(F::kPktType).set = NumSet::Of(pt);
  for (F f : {F::kOrigSaddr, F::kOrigDaddr, F::kOrigSport, F::kOrigDport}) c.fd(f).set = NumSet::Full(ab);
  c.local_out = q.local_out;
  c.iif = q.local_out ? IfDom::Absent() : q.iif ? IfDom::Known(*q.iif) : IfDom();
  c.oif = IfDom::Absent();
  c.budget = w.opt->max_rules;
  return c;
}

void Collect(World& w, Ctx&& c, TraceResult& r, const PacketView& orig) {
  Outcome o = std::move(c.out);
  o.steps = std::move(c.steps);
  for (size_t i = 0; i < c.conds.size(); ++i) o.condition += (i ? " and " : "") + c.conds[i];
  o.original = orig;
  o.final = View(c);
  o.dnat = c.dnat_text;
  o.snat = c.snat_text;
  o.notes = std::move(c.notes);
  r.outcomes.push_back(std::move(o));
}

TraceResult Run(World& w, Ctx start) {
  TraceResult r;
  PacketView orig = View(start);
  if (orig.iif.empty() && start.local_out) orig.iif = "";
  std::vector<Ctx> work;
  work.push_back(std::move(start));
  while (!work.empty()) {
    Ctx c = std::move(work.back());
    work.pop_back();
    std::vector<Ctx> extra;
    while (!c.done) {
      RunStep(w, c, extra);
      if (extra.empty()) continue;
      for (auto it = extra.rbegin(); it != extra.rend(); ++it) {
        if (r.outcomes.size() + work.size() + 1 >= w.opt->max_outcomes) {
          r.truncated = true;
          break;
        }
        work.push_back(std::move(*it));
      }
      extra.clear();
    }
    Collect(w, std::move(c), r, orig);
    if (!w.opt->stop_at.empty() && r.outcomes.back().verdict == w.opt->stop_at) {
      r.stopped = !work.empty();
      break;
    }
  }
  r.warnings = w.warnings;
  std::string v;
  for (const Outcome& o : r.outcomes) {
    if (v.empty()) v = o.verdict;
    else if (v != o.verdict) v = "depends";
  }
  r.verdict = v.empty() ? "depends" : v;
  return r;
}

World MakeWorld(const Ruleset& rs, const SimOptions& opt, const PacketQuery& q) {
  World w;
  w.rs = &rs;
  w.opt = &opt;
  w.host = opt.host ? opt.host.get() : &rs.host;
  // A plan made for this very ruleset and legacy choice is shared; else one is built.
  if (opt.plan && opt.plan->rs == &rs && opt.plan->include_legacy == opt.include_legacy) w.plan = opt.plan;
  else w.plan = BuildPlan(rs, opt.include_legacy);
  if (q.oif && !q.oif->empty()) w.default_dev = *q.oif;
  else w.default_dev = DefaultDev(*w.host, w.warnings);
  return w;
}

}  // namespace

std::string DomToText(const NumSet& s, bool addr, bool v6) {
  auto one = [&](u128 x) { return addr ? FormatIpAddress(x, v6) : std::to_string(uint64_t(x)); };
  if (s.Empty()) return "none";
  if (s.IsSingle()) return one(s.First());
  const auto& iv = s.intervals();
  if (iv.size() == 1 && iv[0].lo == 0 && iv[0].hi == MaxOf(addr ? (v6 ? 128 : 32) : 16)) return "any";
  if (iv.size() > 3) return "any of " + std::to_string(iv.size()) + " ranges";
  std::string out;
  for (const auto& i : iv) {
    if (!out.empty()) out += ",";
    out += i.lo == i.hi ? one(i.lo) : one(i.lo) + "-" + one(i.hi);
  }
  return out;
}

}  // namespace sim

std::shared_ptr<const sim::HookPlan> PlanHooks(const Ruleset& rs, bool include_legacy) {
  return sim::BuildPlan(rs, include_legacy);
}

const TraceStep* Outcome::decided_by() const { return steps.empty() ? nullptr : &steps.back(); }

TraceResult Simulate(const Ruleset& rs, const PacketQuery& q, const SimOptions& opt) {
  sim::World w = sim::MakeWorld(rs, opt, q);
  return sim::Run(w, sim::Initial(w, q));
}

TraceResult SimulateHook(const Ruleset& rs, Hook hook, const PacketQuery& q, const SimOptions& opt) {
  sim::World w = sim::MakeWorld(rs, opt, q);
  sim::Ctx c = sim::Initial(w, q);
  bool no_in = hook == Hook::kOutput, no_out = hook == Hook::kPrerouting || hook == Hook::kInput;
  c.iif = no_in || q.local_out ? sim::IfDom::Absent() : q.iif ? sim::IfDom::Known(*q.iif) : sim::IfDom();
  if (no_out || (q.oif && q.oif->empty())) c.oif = sim::IfDom::Absent();
  else c.oif = q.oif ? sim::IfDom::Known(*q.oif) : sim::IfDom();
  c.stage = sim::Stage::kOnly;
  sim::EnterHook(w, c, hook);
  return sim::Run(w, std::move(c));
}

TraceResult SimulateForwardPair(const Ruleset& rs, const std::string& iif, const std::string& oif,
                                bool ipv6, const SimOptions& opt) {
  PacketQuery q;
  q.iif = iif;
  q.oif = oif;
  q.ipv6 = ipv6;
  return SimulateHook(rs, Hook::kForward, q, opt);
}

std::vector<ChainVerdict> ChainVerdicts(const Outcome& o, Hook hook) {
  std::vector<ChainVerdict> out;
  for (size_t i = 0; i < o.steps.size(); ++i) {
    const TraceStep& s = o.steps[i];
    if (s.hook != hook) continue;
    bool last_of_chain = i + 1 == o.steps.size() || o.steps[i + 1].hook != hook ||
                         o.steps[i + 1].base_chain != s.base_chain || o.steps[i + 1].table_ref != s.table_ref;
    bool ends = s.is_policy() || s.verdict == "accept" || s.verdict == "drop" || s.verdict == "queue";
    if (!last_of_chain || !ends) continue;
    ChainVerdict v;
    v.table = s.table_ref;
    for (const Chain& ch : s.table_ref->chains)
      if (ch.name == s.base_chain) v.chain = &ch;
    v.verdict = s.verdict;
    v.by_policy = s.is_policy();
    v.step = &s;
    out.push_back(v);
  }
  return out;
}

bool PassedHook(const Outcome& o, Hook hook) {
  if (o.final_hook && *o.final_hook == hook) return false;
  if (o.verdict == "accept") return true;
  // Died later: it passed this hook if it reached a later one.
  for (const TraceStep& s : o.steps)
    if (s.hook == hook) return !(o.final_hook && *o.final_hook == hook);
  return false;
}

bool ParseIpAddress(const std::string& s, u128& out, bool& v6) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    v6 = false;
    out = (u128(buf[0]) << 24) | (u128(buf[1]) << 16) | (u128(buf[2]) << 8) | u128(buf[3]);
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    v6 = true;
    out = 0;
    for (int i = 0; i < 16; ++i) out = (out << 8) | buf[i];
    return true;
  }
  return false;
}

std::string FormatIpAddress(u128 a, bool v6) {
  char txt[INET6_ADDRSTRLEN];
  unsigned char buf[16];
  if (!v6) {
    for (int i = 0; i < 4; ++i) buf[i] = uint8_t(a >> (24 - 8 * i));
    inet_ntop(AF_INET, buf, txt, sizeof txt);
  } else {
    for (int i = 0; i < 16; ++i) buf[i] = uint8_t(a >> (120 - 8 * i));
    inet_ntop(AF_INET6, buf, txt, sizeof txt);
  }
  return txt;
}

}  // namespace nftc
