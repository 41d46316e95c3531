// NC4005 next-boot-forwarding-drift: IP forwarding now differs from what the next boot
// gives: the sysctl.d files and the services enabled at boot that turn forwarding on.
//
// Next boot, per family: systemd-sysctl applies the sysctl.d files (rules/next_boot.cc),
// then services may turn forwarding on (never off):
//   - Docker with the iptables backend and "ip-forward" not false turns IPv4 forwarding on
//     when it starts (IPv6 when it has IPv6 networks); with the nftables backend it only
//     checks, and refuses to start when forwarding is off (Docker's nftables docs, "IP
//     forwarding").
//   - libvirt turns forwarding on when it starts a NAT or routed network (autostart networks
//     start with libvirtd / virtnetworkd; socket activation starts the daemon only when a
//     client connects).
//   - ufw applies /etc/ufw/sysctl.conf; incus and netavark turn it on for their bridges.
//   - firewalld does not.
// Runtime on, next boot off (no certain source) -> finding; runtime off, next boot on ->
// finding. Without persistent configuration in the input (plain JSON) the rule is silent.
#include <set>

#include "next_boot.h"
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

using next_boot::BootConfig;
using next_boot::SysctlOn;
using nftc::SysctlSetting;

struct Source {
  std::string what;
  bool certain = false;
};

struct FamilyKey {
  bool v6;
  const char* key;
};

class NextBootForwardingDriftRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    BootConfig bc = next_boot::ReadBootConfig(ctx.ruleset());
    if (!bc.captured || bc.other_netns || !bc.have_services || !ctx.host().have_sysctl) return;
    // Programs whose rules are loaded, per family (inet counts for both).
    std::map<std::string, const Table*> v4, v6;
    auto note = [](std::map<std::string, const Table*>& m, const std::string& o, const Table& t) {
      if (o.empty() || o == "unknown" || o == "iptables-nft" || o == "iptables-legacy") return;
      m.emplace(o, &t);
    };
    ctx.ForEachTable([&](const Table& t) {
      std::set<std::string> owners = {t.owner.owner};
      for (const Chain& c : t.chains) {
        owners.insert(c.owner.owner);
        for (const Rule& r : c.rules) owners.insert(r.owner.owner);
      }
      for (const std::string& o : owners) {
        if (t.family != Family::kIp6) note(v4, o, t);
        if (t.family != Family::kIp) note(v6, o, t);
      }
    });
    for (FamilyKey fk : {FamilyKey{false, "net.ipv4.ip_forward"}, FamilyKey{true, "net.ipv6.conf.all.forwarding"}}) {
      std::optional<std::string> live_s = ctx.host().Sysctl(fk.key);
      if (!live_s && !fk.v6) live_s = ctx.host().Sysctl("net.ipv4.conf.all.forwarding");
      if (!live_s) continue;
      std::optional<bool> live = SysctlOn(*live_s);
      if (!live) continue;
      const auto& loaded = fk.v6 ? v6 : v4;
      std::vector<Source> sources = Sources(bc, fk.v6, loaded, ctx.ruleset());
      const std::optional<SysctlSetting>& set = fk.v6 ? bc.ipv6_forwarding : bc.ip_forward;
      std::optional<bool> cfg;
      if (set) cfg = SysctlOn(set->value);
      bool certain = false;
      std::string certain_what, maybe;
      for (const Source& s : sources) {
        if (s.certain && !certain) {
          certain = true;
          certain_what = s.what;
        }
        if (!s.certain) maybe += (maybe.empty() ? "" : "; ") + s.what;
      }
      bool boot_on = cfg.value_or(false) || certain;
      if (*live == boot_on) continue;
      std::string key = fk.key;
      Location where = ctx.AtRuleset();
      // a capture's file, or for a live read the host's own path
      bool live_read = ctx.ruleset().origin == "live";
      if (set) {
        where.src.file = live_read ? "/" + set->file : ctx.ruleset().origin + "/" + set->file;
        where.src.line = set->line;
      } else if (live_read) {
        std::string path = "/proc/sys/" + key;
        for (size_t i = 10; i < path.size(); ++i)
          if (path[i] == '.') path[i] = '/';
        where.src.file = path;
      } else {
        where.src.file = ctx.ruleset().origin + "/sysctl.txt";
      }
      if (*live) {
        std::string why = set ? set->file + ":" + std::to_string(set->line) + " sets it to " + set->value
                              : "no sysctl.d file sets it";
        std::string msg = key + " is " + *live_s + " now, but the next boot leaves it at 0: " + why +
                          " and no service enabled at boot turns it on";
        if (!maybe.empty()) msg += " (only: " + maybe + ")";
        ReportBuilder b = ctx.Report(where, msg);
        AddDependents(ctx, b, loaded, bc);
        std::string fam = fk.v6 ? "IPv6" : "IPv4";
        b.Hint("persist it: forwarding was turned on at runtime (sysctl -w, or a service that "
               "is no longer configured to), so after a reboot " + fam +
               " forwarding is off: Docker's nftables backend refuses to start, published ports, "
               "container and VM traffic stop; add it to a file in /etc/sysctl.d/");
        b.Fix("printf '" + key + "=1\\n' >> /etc/sysctl.d/99-forwarding.conf && sysctl --system");
        b.Key(key + " on now, off after reboot");
      } else {
        std::string why = cfg.value_or(false)
                              ? set->file + ":" + std::to_string(set->line) + " sets it to " + set->value
                              : certain_what;
        ReportBuilder b = ctx.Report(where, key + " is " + *live_s + " now, but the next boot turns it on: " + why);
        b.Hint("forwarding was turned off at runtime only; after a reboot the host forwards "
               "between all its interfaces again unless a forward chain drops it. Remove the "
               "setting (or the service) if forwarding must stay off, or expect it on");
        b.Key(key + " off now, on after reboot");
      }
    }
  }

 private:
  static std::vector<Source> Sources(const BootConfig& bc, bool v6,
                                     const std::map<std::string, const Table*>& loaded, const Ruleset& rs) {
    std::vector<Source> out;
    using next_boot::UnitState;
    // Docker (iptables backend): IPv4 at start; IPv6 only with IPv6 networks. Docker creates
    // its ip6 DOCKER chains without them too; an IPv6 network shows as rules in the ip6
    // DOCKER-BRIDGE chain or Docker's MASQUERADE in ip6 nat POSTROUTING.
    bool docker_boot = bc.Unit("docker.service") == UnitState::kEnabled;
    bool docker_sock = !docker_boot && bc.Unit("docker.socket") == UnitState::kEnabled;
    if ((docker_boot || docker_sock) && bc.daemon_json_error.empty() && bc.docker_backend == "iptables" &&
        bc.docker_ip_forward) {
      bool v6_nets = false;
      for (const Table& t : rs.tables) {
        if (t.family != Family::kIp6 || t.backend == Backend::kNftables) continue;
        const Chain* br = t.name == "filter" ? t.FindChain("DOCKER-BRIDGE") : nullptr;
        if (br && !br->rules.empty()) v6_nets = true;
        const Chain* post = t.name == "nat" ? t.FindChain("POSTROUTING") : nullptr;
        if (post)
          for (const Rule& r : post->rules)
            if (r.owner.owner == "docker") v6_nets = true;
      }
      if (!v6 || v6_nets)
        out.push_back({docker_boot ? "docker.service (iptables backend) turns it on when it starts"
                                   : "Docker (iptables backend) when a client first connects to docker.socket",
                       docker_boot});
      else
        out.push_back({"Docker (iptables backend) only if it has an IPv6 network", false});
    }
    // libvirt: NAT/routed networks, when the network daemon starts them.
    if (loaded.count("libvirt")) {
      bool daemon = bc.AnyEnabled({"libvirtd.service", "virtnetworkd.service"});
      bool socket = bc.AnyEnabled({"libvirtd.socket", "virtnetworkd.socket"});
      if (daemon)
        out.push_back({v6 ? "libvirt, for networks with IPv6 addresses" : "libvirt starts its NAT networks at boot", !v6});
      else if (socket)
        out.push_back({"libvirt, only once a client activates its socket and it starts its networks", false});
    }
    if (loaded.count("incus") && bc.Unit("incus.service") == UnitState::kEnabled)
      out.push_back({"incus turns it on for its bridges", !v6});
    if (loaded.count("netavark") &&
        bc.AnyEnabled({"podman-restart.service", "podman.service", "podman.socket"}))
      out.push_back({"netavark, when podman starts a container on a bridge network", false});
    // ufw applies /etc/ufw/sysctl.conf when it starts.
    if (bc.Unit("ufw.service") == UnitState::kEnabled && bc.ufw_enabled.value_or(true)) {
      const std::optional<SysctlSetting>& u = v6 ? bc.ufw_ipv6_forwarding : bc.ufw_ip_forward;
      if (u && SysctlOn(u->value).value_or(false))
        out.push_back({"ufw applies " + u->file + ":" + std::to_string(u->line), true});
    }
    return out;
  }

  static void AddDependents(const RuleContext& ctx, ReportBuilder& b,
                            const std::map<std::string, const Table*>& loaded, const BootConfig& bc) {
    for (const char* o : {"docker", "libvirt", "netavark", "incus", "lxd", "kube-proxy"}) {
      auto it = loaded.find(o);
      if (it == loaded.end()) continue;
      std::string what = "rules of " + std::string(o) + ", which needs forwarding";
      if (std::string(o) == "docker" && bc.docker_backend == "nftables")
        what = "Docker's rules; with the nftables backend (daemon.json) Docker does not turn "
               "forwarding on and fails to start when it is off";
      b.Related(ctx.At(*it->second), what);
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeNextBootForwardingDriftRule() {
  return std::make_unique<NextBootForwardingDriftRule>();
}

}  // namespace nftc
