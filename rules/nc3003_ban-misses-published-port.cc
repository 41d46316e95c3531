// NC3003 ban-misses-published-port: a ban (a drop/reject of `saddr @set` on the input hook,
// as fail2ban, CrowdSec and sshguard write it) covers a port, but that port is DNAT'ed to a
// container or VM, so banned addresses still reach it through the forward hook.
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"
#include "path_probes.h"

namespace nftc {
namespace {

// The set a rule matches the source address against (`ip saddr @S`), or "".
std::string SaddrSet(const Rule& r) {
  for (const Stmt& s : r.stmts) {
    if (s.kind != StmtKind::kMatch || s.e.size() != 2 || s.op == MatchOp::kNe) continue;
    if (s.e[0].kind == ExprKind::kPayload && s.e[0].field() == Field::kIpSaddr &&
        s.e[1].kind == ExprKind::kSetRef)
      return s.e[1].name;
  }
  return "";
}

bool Bans(const Rule& r) {
  for (const Stmt& s : r.stmts) {
    if (s.kind == StmtKind::kReject) return true;
    if (s.kind == StmtKind::kVerdict && s.verdict.kind == VerdictKind::kDrop) return true;
  }
  return false;
}

// What the full path of one probe showed: the DNAT rule that sent it to a container or VM
// and the witness text (only facts, no TraceResult: issue 7, kube-proxy's 10k services).
struct Forwarded {
  const Table* table = nullptr;
  const Chain* chain = nullptr;
  const Rule* rule = nullptr;
  std::string witness;
};

class BanMissesPublishedPortRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    auto dnats = probes::FindDnatPorts(rs);
    if (dnats.empty()) return;
    auto outside = probes::OutsideInterfaces(rs);
    // Simulations depend on (interface, protocol, port, banned address), not on the ban
    // rule: their results are shared by every ban rule (a firewalld zone has many blocklist
    // drops on one set; issue 7: one run per ban rule and port).
    using Probe = std::tuple<size_t, uint8_t, uint16_t, u128>;
    std::map<Probe, std::vector<const Rule*>> deciders;       // input hook: deciding rules
    std::map<Probe, std::optional<Forwarded>> forwarded;      // full path, when DNAT'ed out
    auto decided_by = [&](const Probe& key) -> const std::vector<const Rule*>& {
      auto [it, fresh] = deciders.try_emplace(key);
      if (!fresh) return it->second;
      auto [ii, proto, port, banned] = key;
      TraceResult in = SimulateHook(rs, Hook::kInput, probes::InboundQuery(outside[ii], proto, port, banned),
                                    ctx.SimOpts());
      for (const Outcome& o : in.outcomes)
        if (const TraceStep* s = o.decided_by(); s && s->rule_ref) it->second.push_back(s->rule_ref);
      return it->second;
    };
    auto forward = [&](const Probe& key) -> const std::optional<Forwarded>& {
      auto [it, fresh] = forwarded.try_emplace(key);
      if (!fresh) return it->second;
      auto [ii, proto, port, banned] = key;
      TraceResult full = Simulate(rs, probes::InboundQuery(outside[ii], proto, port, banned), ctx.SimOpts());
      const Outcome* o = probes::ForwardedAfterDnat(full);
      const TraceStep* dn = o ? probes::DnatStep(*o) : nullptr;
      if (!dn || !dn->rule_ref) return it->second;
      it->second = Forwarded{dn->table_ref, dn->chain_ref, dn->rule_ref,
                             probes::ProtoName(proto) + " " + FormatIpAddress(banned, false) + ":40000 -> " +
                                 o->original.dst + ":" + std::to_string(port) + " iif " + outside[ii].name +
                                 ": dnat " + o->dnat + ", sent out " + o->delivered +
                                 probes::AssumedNote(outside[ii])};
      return it->second;
    };
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      if (!Bans(r)) return;
      std::string set_name = SaddrSet(r);
      if (set_name.empty()) return;
      const Set* set = t.FindSet(set_name);
      if (!set || set->elems.empty() || set->elems.front().lo.empty()) return;
      if (set->key.empty() || set->key.front() != DataType::kIpv4Addr) return;
      u128 banned = set->elems.front().lo.front().num;
      std::set<uint16_t> missed_ports;
      std::vector<std::pair<const probes::DnatPort*, const Forwarded*>> missed;
      std::string witness;
      // Per interface and protocol, one run with any destination port first (issue 7: one
      // run per port of kube-proxy's 10k services per ban rule): when no path reaches the
      // ban, no port is covered; when every path ends in it, every port is. Only otherwise
      // (the ban or the rules before it depend on the port), or when the run was cut, each
      // port is checked on its own.
      std::map<std::pair<size_t, uint8_t>, int> any_port;  // (interface, proto) -> 0 none, 1 all, -1 per port
      auto coverage = [&](size_t ii, uint8_t proto) {
        auto [it, fresh] = any_port.try_emplace({ii, proto}, -1);
        if (!fresh) return it->second;
        PacketQuery q = probes::InboundQuery(outside[ii], proto, 0, banned);
        q.dport.reset();
        TraceResult in = SimulateHook(rs, Hook::kInput, q, ctx.SimOpts());
        bool cut = in.truncated, some = false, all = !in.outcomes.empty();
        for (const Outcome& o : in.outcomes) {
          for (const std::string& n : o.notes) cut = cut || n.find("cut to") != std::string::npos;
          const TraceStep* s = o.decided_by();
          bool here = s && s->rule_ref == &r;
          some = some || here;
          all = all && here;
        }
        if (!cut) it->second = !some ? 0 : all ? 1 : -1;
        return it->second;
      };
      for (const probes::DnatPort& d : dnats) {
        if (missed_ports.count(d.port)) continue;
        for (size_t ii = 0; ii < outside.size(); ++ii) {
          int any = coverage(ii, d.proto);
          if (any == 0) continue;
          Probe key{ii, d.proto, d.port, banned};
          // Would the ban stop this packet if the port were the host's own?
          bool covered = any == 1;
          if (!covered)
            for (const Rule* by : decided_by(key)) covered = covered || by == &r;
          if (!covered) continue;
          const std::optional<Forwarded>& f = forward(key);
          if (!f) continue;
          missed_ports.insert(d.port);
          missed.push_back({&d, &*f});
          if (witness.empty()) witness = f->witness;
          break;
        }
      }
      if (missed.empty()) return;
      std::string ports;
      for (const auto& [d, f] : missed)
        ports += (ports.empty() ? "" : ", ") + probes::ProtoName(d->proto) + "/" + std::to_string(d->port);
      ReportBuilder b = ctx.Report(ctx.At(t, c, r),
                                   "ban on set '" + set_name + "' hooks input and misses the published " +
                                       (missed.size() == 1 ? "port " : "ports ") + ports +
                                       ": banned addresses reach it through the forward hook");
      b.Related(ctx.AtSet(t, *set), "the banned addresses");
      for (const auto& [d, f] : missed)
        b.Related(ctx.At(*f->table, *f->chain, *f->rule),
                  "DNATs " + probes::ProtoName(d->proto) + "/" + std::to_string(d->port) +
                      " to a container or VM (forward path)");
      b.Witness(witness);
      b.Hint("also drop the banned set on the forward hook (or in prerouting before DNAT), "
             "e.g. fail2ban's chain = FORWARD / DOCKER-USER, CrowdSec's forward chain");
      b.Key(set_name + " " + ports);
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeBanMissesPublishedPortRule() {
  return std::make_unique<BanMissesPublishedPortRule>();
}

}  // namespace nftc
