// NC4006 next-boot-backend-drift: the rules a program has loaded now are not the ones its
// persistent configuration makes it load at the next start or boot:
//   - Docker: /etc/docker/daemon.json "firewall-backend" (default iptables; "iptables":
//     false: no rules at all) vs the loaded iptables DOCKER chains / nftables docker-bridges.
//   - firewalld: /etc/firewalld/firewalld.conf FirewallBackend (default nftables) vs the
//     loaded inet firewalld table / iptables zone chains (*_direct chains exist with both).
//   - Enablement: docker, firewalld, ufw rules loaded while their unit does not start at
//     boot (services.txt), or firewalld/ufw enabled at boot with none of their rules loaded.
// Without persistent configuration in the input (plain JSON) the rule is silent.
#include <set>

#include "next_boot.h"
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

using next_boot::BootConfig;
using next_boot::UnitState;

std::string Join(const std::vector<std::string>& v, size_t max = 6) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += ", ... (" + std::to_string(v.size()) + " chains)";
  return out;
}

std::string BackendName(const Table& t) {
  return t.backend == Backend::kIptablesLegacy ? "iptables-legacy" : "iptables-nft";
}

class NextBootBackendDriftRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    BootConfig bc = next_boot::ReadBootConfig(ctx.ruleset());
    if (!bc.captured || bc.other_netns) return;
    const Ruleset& rs = ctx.ruleset();
    Docker(ctx, bc, rs);
    Firewalld(ctx, bc, rs);
    Ufw(ctx, bc, rs);
  }

 private:
  static bool NotAtBoot(const BootConfig& bc, std::initializer_list<std::string_view> units) {
    return bc.have_services && bc.NoneEnabled(units);
  }

  static std::string UnitsText(const BootConfig& bc, std::initializer_list<std::string_view> units) {
    std::string s;
    for (std::string_view u : units) {
      if (bc.Unit(u) == UnitState::kUnknown) continue;
      s += (s.empty() ? "" : ", ") + std::string(u) + " " + std::string(next_boot::ToString(bc.Unit(u)));
    }
    return s;
  }

  static void Docker(RuleContext& ctx, const BootConfig& bc, const Ruleset& rs) {
    if (!bc.have_services && !bc.have_daemon_json) return;
    if (!bc.daemon_json_error.empty()) return;
    std::vector<const Table*> ipt, nft;
    for (const Table& t : rs.tables) {
      if (t.backend == Backend::kNftables) {
        if (t.owner.owner == "docker") nft.push_back(&t);
      } else if (next_boot::IptablesTableOf(t, "docker")) {
        ipt.push_back(&t);
      }
    }
    if (ipt.empty() && nft.empty()) return;
    std::string cfg = bc.have_daemon_json ? "/etc/docker/daemon.json" : "no /etc/docker/daemon.json";
    if (NotAtBoot(bc, {"docker.service", "docker.socket"})) {
      for (const auto* list : {&ipt, &nft})
        for (const Table* t : *list)
          ctx.Report(ctx.At(*t), "Docker's rules in " + t->Id() + " are loaded, but Docker does not start at boot (" +
                                     UnitsText(bc, {"docker.service", "docker.socket"}) +
                                     "): after a reboot they are gone")
              .Hint("enable the daemon (systemctl enable docker) if containers must come back after "
                    "a reboot, or stop it now to see the state the next boot gives")
              .Key("docker not at boot " + t->Id());
      return;
    }
    std::string want = !bc.docker_rules ? "none" : bc.docker_backend;
    if (want == "nftables") {
      for (const Table* t : ipt) {
        std::vector<std::string> chains = next_boot::OwnedChains(*t, "docker");
        ReportBuilder b = ctx.Report(
            ctx.At(*t), cfg + " selects the nftables firewall backend, but Docker's " + BackendName(*t) +
                            " rules in " + t->Id() + " are loaded (" + Join(chains) +
                            "): Docker does not write them again, so after a reboot they are gone");
        for (const Table* n : nft)
          if (n->family == t->family) b.Related(ctx.At(*n), "Docker's nftables table, what the next boot has");
        const Chain* fwd = t->FindChain("FORWARD");
        std::string extra;
        if (fwd && fwd->base && fwd->policy == Policy::kDrop)
          extra = "; the FORWARD policy drop goes with them (traffic it drops now passes after the reboot)";
        if (t->FindChain("DOCKER-USER"))
          extra += "; rules in DOCKER-USER stop running (Docker's nftables backend has no DOCKER-USER)";
        b.Hint("the host runs on leftovers of the iptables backend until it reboots" + extra +
               ". Reboot, or remove them now to test the state the next boot gives");
        b.Key("docker nftables configured, iptables loaded " + t->Id());
      }
    } else if (want == "iptables") {
      for (const Table* t : nft) {
        ReportBuilder b = ctx.Report(
            ctx.At(*t), cfg + (bc.have_daemon_json ? " selects" : " means") +
                            " Docker's iptables firewall backend, but its nftables table " + t->Id() +
                            " is loaded: at the next start Docker writes iptables chains instead (FORWARD "
                            "policy drop, DOCKER-USER) and this table is gone after a reboot");
        for (const Table* i : ipt)
          if (i->family == t->family) b.Related(ctx.At(*i), "Docker's iptables rules");
        b.Hint("set \"firewall-backend\": \"nftables\" in /etc/docker/daemon.json to keep the nftables "
               "backend, or restart Docker now to see the iptables state the next boot gives");
        b.Key("docker iptables configured, nftables loaded " + t->Id());
      }
    } else {  // "iptables": false
      for (const auto* list : {&ipt, &nft})
        for (const Table* t : *list)
          ctx.Report(ctx.At(*t), cfg + " sets \"iptables\": false, but Docker's rules in " + t->Id() +
                                     " are loaded: after a reboot Docker creates none")
              .Hint("with \"iptables\": false published ports and container egress depend on "
                    "rules you write yourself")
              .Key("docker no rules configured " + t->Id());
    }
  }

  static void Firewalld(RuleContext& ctx, const BootConfig& bc, const Ruleset& rs) {
    std::vector<const Table*> ipt, nft;
    for (const Table& t : rs.tables) {
      if (t.backend == Backend::kNftables) {
        if (t.owner.owner == "firewalld") nft.push_back(&t);
      } else if (next_boot::IptablesTableOf(t, "firewalld", /*skip_direct=*/true)) {
        ipt.push_back(&t);
      }
    }
    UnitState unit = bc.Unit("firewalld.service");
    if (bc.have_services && unit != UnitState::kUnknown && unit != UnitState::kEnabled) {
      for (const auto* list : {&nft, &ipt})
        for (const Table* t : *list)
          ctx.Report(ctx.At(*t), "firewalld's rules in " + t->Id() + " are loaded, but firewalld.service is " +
                                     std::string(next_boot::ToString(unit)) +
                                     ": after a reboot the host has none of its zones or policies")
              .Hint("systemctl enable firewalld, if this firewall must survive a reboot")
              .Fix("systemctl enable firewalld")
              .Key("firewalld not at boot " + t->Id());
      return;
    }
    if (unit != UnitState::kEnabled) return;
    if (nft.empty() && ipt.empty()) {
      ctx.Report(ctx.AtRuleset(), "firewalld.service is enabled, but none of firewalld's rules are loaded: "
                                  "after a reboot its zones and policies apply (and may drop what passes now)")
          .Hint("firewalld is stopped or failed now; start it to see the state the next boot gives")
          .Key("firewalld enabled, not loaded");
      return;
    }
    std::string conf = bc.have_firewalld_conf ? "/etc/firewalld/firewalld.conf FirewallBackend=" + bc.firewalld_backend
                                              : "firewalld's default backend (nftables)";
    if (bc.firewalld_backend == "nftables") {
      for (const Table* t : ipt)
        ctx.Report(ctx.At(*t), conf + ", but firewalld's zone chains are loaded in " + BackendName(*t) + " " +
                                   t->Id() + " (" + Join(next_boot::OwnedChains(*t, "firewalld")) +
                                   "): after a reboot firewalld writes table inet firewalld instead")
            .Hint("firewalld's backend was changed without restarting it (firewall-cmd --reload does "
                  "not switch backends); restart firewalld to see the state the next boot gives")
            .Key("firewalld nftables configured, iptables loaded " + t->Id());
    } else if (bc.firewalld_backend == "iptables") {
      for (const Table* t : nft)
        ctx.Report(ctx.At(*t), conf + ", but firewalld's nftables table " + t->Id() +
                                   " is loaded: after a reboot firewalld writes iptables chains instead")
            .Hint("firewalld's backend was changed without restarting it; restart firewalld to see "
                  "the state the next boot gives")
            .Key("firewalld iptables configured, nftables loaded " + t->Id());
    }
  }

  static void Ufw(RuleContext& ctx, const BootConfig& bc, const Ruleset& rs) {
    std::vector<const Table*> ipt;
    for (const Table& t : rs.tables)
      if (next_boot::IptablesTableOf(t, "ufw")) ipt.push_back(&t);
    UnitState unit = bc.Unit("ufw.service");
    bool unit_off = bc.have_services && unit != UnitState::kUnknown && unit != UnitState::kEnabled;
    bool conf_off = bc.ufw_enabled.has_value() && !*bc.ufw_enabled;
    if (unit_off || conf_off) {
      std::string why = unit_off ? "ufw.service is " + std::string(next_boot::ToString(unit))
                                 : "/etc/ufw/ufw.conf has ENABLED=no";
      for (const Table* t : ipt)
        ctx.Report(ctx.At(*t), "ufw's rules in " + BackendName(*t) + " " + t->Id() + " are loaded, but " + why +
                                   ": after a reboot they are gone")
            .Hint("ufw enable (sets ENABLED=yes and enables the unit) if this firewall must survive a reboot")
            .Key("ufw not at boot " + t->Id());
      return;
    }
    if (unit == UnitState::kEnabled && bc.ufw_enabled.value_or(false) && ipt.empty()) {
      ctx.Report(ctx.AtRuleset(), "ufw is enabled at boot (ufw.service, ENABLED=yes), but none of its rules are "
                                  "loaded: after a reboot its default policies apply")
          .Hint("ufw is stopped now; `ufw reload` shows the state the next boot gives")
          .Key("ufw enabled, not loaded");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeNextBootBackendDriftRule() { return std::make_unique<NextBootBackendDriftRule>(); }

}  // namespace nftc
