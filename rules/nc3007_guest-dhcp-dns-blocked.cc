// NC3007 guest-dhcp-dns-blocked: libvirt's nftables backend (libvirt >= 10.4) adds no input
// rules, so an input drop (firewalld, ufw, NixOS, a custom chain) blocks the guests' DHCP and
// DNS to the host's address on the libvirt bridge.
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/packet_path.h"
#include "nftc/rule_context.h"
#include "path_probes.h"

namespace nftc {
namespace {

bool IsLibvirtNftTable(const Table& t) {
  return t.backend == Backend::kNftables && t.name == "libvirt_network" &&
         (t.family == Family::kIp || t.family == Family::kIp6 || t.family == Family::kInet);
}

class GuestDhcpDnsBlockedRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    const Table* libvirt = nullptr;
    for (const Table& t : rs.tables)
      if (IsLibvirtNftTable(t) && t.family == Family::kIp) libvirt = &t;
    if (!libvirt) return;
    // The bridges libvirt's rules name ("virbr0"), as interfaces with an IPv4 address.
    std::set<std::string> seen;
    for (const Interface& b : rs.host.interfaces) {
      if (b.name.rfind("virbr", 0) != 0) continue;
      std::optional<u128> addr;
      for (const HostAddr& a : b.addrs)
        if (!a.v6) {
          addr = a.addr;
          break;
        }
      if (!addr) continue;
      struct Svc { uint8_t proto; uint16_t port; const char* what; };
      const Svc kSvcs[] = {{17, 53, "DNS"}, {6, 53, "DNS"}, {17, 67, "DHCP"}};
      std::vector<std::string> blocked;
      const TraceStep* by = nullptr;
      TraceResult keep[3];
      for (size_t i = 0; i < 3; ++i) {
        PacketQuery q;
        q.iif = b.name;
        q.ipv6 = false;
        q.src = *addr + 49;
        q.dst = *addr;
        q.proto = kSvcs[i].proto;
        q.sport = kSvcs[i].port == 67 ? 68 : 40000;
        q.dport = kSvcs[i].port;
        q.ct_state = kCtNew;
        keep[i] = SimulateHook(rs, Hook::kInput, q, ctx.SimOpts());
        // Every outcome dies, and no rule of another program explicitly accepted it first
        // (that is NC3004's case).
        bool all_die = !keep[i].outcomes.empty();
        for (const Outcome& o : keep[i].outcomes) {
          if (o.verdict == "accept") all_die = false;
          for (const TraceStep& s : o.steps)
            if (!s.is_policy() && s.verdict == "accept") all_die = false;
        }
        if (!all_die) continue;
        blocked.push_back(probes::ProtoName(kSvcs[i].proto) + "/" + std::to_string(kSvcs[i].port) +
                          " (" + kSvcs[i].what + ")");
        if (!by) by = keep[i].outcomes.front().decided_by();
      }
      if (blocked.empty() || !by || !by->table_ref || !by->chain_ref) continue;
      std::string list;
      for (const std::string& s : blocked) list += (list.empty() ? "" : ", ") + s;
      Location where = by->rule_ref ? ctx.At(*by->table_ref, *by->chain_ref, *by->rule_ref)
                                    : ctx.At(*by->table_ref, *by->chain_ref);
      std::string key = where.table + "/" + where.chain + "/" + b.name;
      if (!seen.insert(key).second) continue;
      ctx.Report(where, "guests on " + b.name + " cannot reach the host's " + list + " at " +
                            FormatIpAddress(*addr, false) + ": libvirt's nftables backend adds no input "
                            "rules and this input chain drops them")
          .Related(ctx.At(*libvirt), "libvirt's nftables table: forward and NAT rules only, nothing on input")
          .Witness("udp " + FormatIpAddress(*addr + 49, false) + ":40000 -> " +
                   FormatIpAddress(*addr, false) + ":53 iif " + b.name + ": " +
                   keep[0].outcomes.front().verdict)
          .Hint("allow udp 67 and udp/tcp 53 in on " + b.name +
                " in the host firewall (firewalld: put it in the libvirt zone; NixOS: "
                "networking.firewall.interfaces." + b.name + ")")
          .Key(b.name + " " + list);
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeGuestDhcpDnsBlockedRule() { return std::make_unique<GuestDhcpDnsBlockedRule>(); }

}  // namespace nftc
