// NC3002 published-port-bypasses-host-firewall: a DNAT'ed port is reachable from an outside
// interface although the host's input hook would drop a packet to that port.
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"
#include "path_probes.h"

namespace nftc {
namespace {

Location StepAt(const RuleContext& ctx, const TraceStep& s) {
  if (s.rule_ref) return ctx.At(*s.table_ref, *s.chain_ref, *s.rule_ref);
  return ctx.At(*s.table_ref, *s.chain_ref);
}

class PublishedPortBypassesHostFirewallRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    std::set<std::pair<uint8_t, uint16_t>> seen;
    SimOptions until_accept = ctx.SimOpts();
    until_accept.stop_at = "accept";
    for (const probes::DnatPort& d : probes::FindDnatPorts(rs)) {
      if (!seen.insert({d.proto, d.port}).second) continue;
      std::vector<std::string> open_on;
      std::string shown_note;
      const Outcome* shown = nullptr;
      const TraceStep* dnat = nullptr;
      TraceResult shown_fwd, shown_in;
      for (const probes::OutsideIf& i : probes::OutsideInterfaces(rs)) {
        // The real path: from outside to the host's address on this interface.
        TraceResult fwd = Simulate(rs, probes::InboundQuery(i, d.proto, d.port,
                                                            u128{0xC0000263}),  // 192.0.2.99
                                  ctx.SimOpts());
        const Outcome* o = probes::ForwardedAfterDnat(fwd);
        if (!o) continue;
        const TraceStep* dn = probes::DnatStep(*o);
        if (!dn || !dn->rule_ref || !dn->table_ref || !dn->chain_ref) continue;
        // What the host's input hook would do with the same packet from any source (the
        // first accepting path answers it).
        TraceResult in = SimulateHook(rs, Hook::kInput, probes::InboundQuery(i, d.proto, d.port), until_accept);
        // A cut run (more forks than max_outcomes) cannot show that every path drops.
        if (in.outcomes.empty() || in.truncated) continue;
        bool all_drop = true;
        for (const Outcome& io : in.outcomes)
          if (io.verdict == "accept") all_drop = false;
        if (!all_drop) continue;
        const TraceStep* inp = in.outcomes.front().decided_by();
        if (!inp || !inp->table_ref || !inp->chain_ref) continue;
        // The table that DNATs also decided about the input hook (firewalld's forward-port
        // next to its zone): the same program's configuration, intended.
        if (inp->table_ref->Id() == dn->table_ref->Id()) continue;
        open_on.push_back(i.name);
        if (!shown) {
          shown_note = probes::AssumedNote(i);
          shown_fwd = std::move(fwd);
          shown_in = std::move(in);
          shown = probes::ForwardedAfterDnat(shown_fwd);
          dnat = probes::DnatStep(*shown);
        }
      }
      if (!shown || !dnat) continue;
      std::string ifs;
      for (const std::string& n : open_on) ifs += (ifs.empty() ? "" : ", ") + n;
      std::string port = probes::ProtoName(d.proto) + "/" + std::to_string(d.port);
      ReportBuilder b = ctx.Report(StepAt(ctx, *dnat),
                                   "published port " + port + " (" + shown->dnat +
                                       ") is reachable from " + ifs +
                                       " through the forward hook, although the input hook would drop it");
      b.Witness(probes::ProtoName(d.proto) + " 192.0.2.99:40000 -> " + shown->original.dst + ":" +
                std::to_string(d.port) + " iif " + open_on.front() + ": sent out " + shown->delivered +
                shown_note);
      for (const ChainVerdict& cv : ChainVerdicts(*shown, Hook::kForward)) {
        if (cv.verdict != "accept" || !cv.step || !cv.step->table_ref || !cv.step->chain_ref) continue;
        b.Related(StepAt(ctx, *cv.step), cv.by_policy ? "forward chain's policy accepts the DNAT'ed packet"
                                                      : "accepts the DNAT'ed packet on the forward hook");
      }
      const TraceStep* inp = shown_in.outcomes.front().decided_by();
      b.Related(StepAt(ctx, *inp), "the input hook would " + shown_in.outcomes.front().verdict +
                                       " " + port + " (the host firewall the user relies on)");
      b.Hint("DNAT'ed packets take the forward path and never pass the input hook; filter "
             "published ports in the forward hook (Docker: DOCKER-USER chain), or publish only "
             "on 127.0.0.1");
      b.Key(port);
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakePublishedPortBypassesHostFirewallRule() {
  return std::make_unique<PublishedPortBypassesHostFirewallRule>();
}

}  // namespace nftc
