#include "audit/migrate_audit.h"

#include <nlohmann/json.hpp>

#include "model/host_config.h"
#include "model/rule_print.h"

namespace nftc {

namespace {

bool IsIptables(const Table& t) { return t.backend != Backend::kNftables; }

/// The iptables command that manages a table: iptables / ip6tables, -legacy or not.
std::string IptCmd(const Table& t) {
  std::string c = t.family == Family::kIp6 ? "ip6tables" : "iptables";
  if (t.backend == Backend::kIptablesLegacy) c += "-legacy";
  return c;
}

bool IsBuiltin(const Chain& c) { return c.base; }

/// "-A FORWARD -j DOCKER-USER" -> "-D FORWARD -j DOCKER-USER".
std::string DeleteSpec(const Rule& r) {
  std::string l = r.ipt_line;
  if (l.rfind("-A ", 0) == 0) return "-D " + l.substr(3);
  return "";
}

/// An IPv4 forward-hook chain of another owner that ends in an unconditional drop/reject.
const Chain* OtherForwardGuard(const Ruleset& rs, std::string* who) {
  for (const auto& t : rs.tables) {
    if (t.family != Family::kIp && t.family != Family::kInet) continue;
    for (const auto& c : t.chains) {
      if (!c.base || c.hook != Hook::kForward || c.owner.owner == "docker" || t.owner.owner == "docker") continue;
      bool guard = c.policy == Policy::kDrop && !IsIptables(t);
      if (!c.rules.empty()) {
        const Rule& last = c.rules.back();
        bool uncond = true, final_drop = false;
        for (const auto& s : last.stmts) {
          if (s.kind == StmtKind::kMatch || s.kind == StmtKind::kXt || s.kind == StmtKind::kUnknown) uncond = false;
          if (s.kind == StmtKind::kReject || (s.kind == StmtKind::kVerdict && s.verdict.kind == VerdictKind::kDrop))
            final_drop = true;
        }
        guard = guard || (uncond && final_drop);
      }
      if (guard) {
        *who = t.Id() + " " + c.name + " (" + t.owner.owner + ")";
        return &c;
      }
    }
  }
  return nullptr;
}

}  // namespace

std::string_view ToString(AuditItem::Status s) {
  switch (s) {
    case AuditItem::Status::kOk: return "ok";
    case AuditItem::Status::kInfo: return "info";
    case AuditItem::Status::kAction: return "action";
    case AuditItem::Status::kWarning: return "warning";
    case AuditItem::Status::kBlocker: return "blocker";
  }
  return "?";
}

std::vector<AuditItem> AuditDockerToNftables(const Ruleset& rs) {
  using S = AuditItem::Status;
  std::vector<AuditItem> items;
  const HostContext& h = rs.host;

  // 1. The configured backend.
  const DaemonConfig daemon = ReadDaemonConfig(h);
  const std::string backend = daemon.firewall_backend.value_or("");
  bool docker_nft = rs.FindTable(Family::kIp, "docker-bridges") != nullptr;
  std::vector<const Chain*> ipt_chains;
  std::vector<std::pair<const Table*, const Rule*>> ipt_rules;  // docker rules in builtin chains
  std::vector<std::pair<const Table*, const Chain*>> chain_tables;
  for (const auto& t : rs.tables) {
    if (!IsIptables(t)) continue;
    for (const auto& c : t.chains) {
      if (!IsBuiltin(c) && c.owner.owner == "docker") chain_tables.push_back({&t, &c});
      if (IsBuiltin(c))
        for (const auto& r : c.rules)
          if (r.owner.owner == "docker") ipt_rules.push_back({&t, &r});
    }
  }
  {
    AuditItem it;
    it.topic = "backend";
    if (backend == "nftables") {
      it.status = S::kOk;
      it.title = "daemon.json already asks for the nftables backend";
    } else {
      it.status = S::kAction;
      it.title = "Switch Docker to the nftables backend (experimental in Docker 29)";
      it.details.push_back(daemon.present ? "daemon.json has no \"firewall-backend\": \"nftables\""
                                       : "no /etc/docker/daemon.json in the capture (Docker defaults to iptables)");
      it.commands.push_back("edit /etc/docker/daemon.json: { \"firewall-backend\": \"nftables\" }");
      it.commands.push_back("systemctl restart docker && docker info | grep 'Firewall Backend'");
    }
    if (daemon.parse_error)
      it.details.push_back(daemon.file + " is not a JSON object: dockerd refuses to start with it");
    if (daemon.iptables == false)
      it.details.push_back("daemon.json sets \"iptables\": false: Docker writes no firewall rules at all");
    items.push_back(std::move(it));
  }

  // 2. Forwarding: Docker's nftables backend does not enable it and refuses to start without it.
  {
    AuditItem it;
    it.topic = "ip-forward";
    bool off_in_daemon = daemon.ip_forward == false;
    auto now = h.Sysctl("net.ipv4.ip_forward");
    auto setting = PersistedSysctl(h, "net.ipv4.ip_forward");
    bool persisted = setting && setting->value == "1";
    if (off_in_daemon) {
      it.status = S::kWarning;
      it.title = "daemon.json sets \"ip-forward\": false: containers lose basic networking";
      it.details.push_back("the seed article and Docker's docs: forwarding must stay on");
    } else if (persisted) {
      it.status = S::kOk;
      it.title = "net.ipv4.ip_forward=1 is persisted (" + setting->file + ":" + std::to_string(setting->line) + ")";
    } else {
      it.status = S::kAction;
      it.title = "Persist IP forwarding: the nftables backend does not enable it and fails to start without it";
      it.details.push_back("net.ipv4.ip_forward is " + (now ? *now : std::string("unknown")) + " now, but " +
                           (setting ? setting->file + ":" + std::to_string(setting->line) + " sets it to " + setting->value
                                    : std::string("no sysctl file of the capture sets it")) +
                           " (the iptables backend set it itself)");
      it.commands.push_back("printf 'net.ipv4.ip_forward=1\\nnet.ipv6.conf.all.forwarding=1\\n' > /etc/sysctl.d/99-docker.conf");
      it.commands.push_back("sysctl --system");
    }
    items.push_back(std::move(it));
  }

  // 3. Leftovers: iptables chains and rules of Docker stay until a reboot or a flush.
  {
    AuditItem it;
    it.topic = "leftovers";
    if (chain_tables.empty() && ipt_rules.empty()) {
      it.status = S::kOk;
      it.title = "no iptables chains or rules of Docker";
    } else {
      it.status = S::kAction;
      it.title = "Docker's iptables rules become leftovers until a reboot (they keep filtering)";
      for (const auto& [t, r] : ipt_rules) {
        it.details.push_back(t->Id() + ": " + (r->ipt_line.empty() ? RuleToString(*r) : r->ipt_line));
        std::string d = DeleteSpec(*r);
        if (!d.empty()) it.commands.push_back(IptCmd(*t) + " -t " + t->name + " " + d);
      }
      for (const auto& [t, c] : chain_tables) {
        it.details.push_back(t->Id() + " chain " + c->name + " (" + std::to_string(c->rules.size()) + " rules)");
        it.commands.push_back(IptCmd(*t) + " -t " + t->name + " -F " + c->name);
      }
      for (const auto& [t, c] : chain_tables) it.commands.push_back(IptCmd(*t) + " -t " + t->name + " -X " + c->name);
      it.commands.push_back("# or simply reboot after the switch, as the seed article recommends");
    }
    items.push_back(std::move(it));
  }

  // 4. DOCKER-USER has no nftables counterpart.
  {
    AuditItem it;
    it.topic = "docker-user";
    for (const auto& [t, c] : chain_tables) {
      if (c->name != "DOCKER-USER") continue;
      for (const auto& r : c->rules) {
        bool only_return = r.stmts.size() == 1 && r.stmts[0].kind == StmtKind::kVerdict &&
                           r.stmts[0].verdict.kind == VerdictKind::kReturn;
        if (only_return) continue;
        it.details.push_back(t->Id() + " DOCKER-USER: " + (r.ipt_line.empty() ? RuleToString(r) : r.ipt_line) +
                             "   ->   nft: " + RuleToString(r));
      }
    }
    if (it.details.empty()) {
      it.status = S::kOk;
      it.title = "no DOCKER-USER rules to carry over";
    } else {
      it.status = S::kAction;
      it.title = "DOCKER-USER rules have no nftables counterpart: recreate them in a table of your own";
      it.commands.push_back("nft add table ip my-docker-user");
      it.commands.push_back(
          "nft add chain ip my-docker-user forward '{ type filter hook forward priority filter - 1; policy accept; }'");
      it.commands.push_back("nft add rule ip my-docker-user forward <each rule above, in nft syntax>");
    }
    items.push_back(std::move(it));
  }

  // 5. Forwarding without a drop policy.
  {
    AuditItem it;
    it.topic = "forward-policy";
    const Table* filter = rs.FindTable(Family::kIp, "filter", Backend::kIptablesNft);
    if (!filter) filter = rs.FindTable(Family::kIp, "filter", Backend::kIptablesLegacy);
    const Chain* fwd = filter ? filter->FindChain("FORWARD") : nullptr;
    std::string who;
    const Chain* guard = OtherForwardGuard(rs, &who);
    if (fwd && fwd->policy == Policy::kDrop) {
      it.details.push_back("today " + filter->Id() + " FORWARD has policy DROP (set by dockerd when it enabled forwarding)");
      it.details.push_back("Docker's nftables chains keep policy accept: after the switch only other owners decide what else is forwarded");
    }
    if (guard) {
      it.status = S::kOk;
      it.title = "forwarding stays guarded by " + who;
    } else {
      it.status = S::kWarning;
      it.title = "After the switch nothing drops forwarded traffic between other interfaces (e.g. eth0 -> eth1)";
      it.details.push_back("no forward-hook chain of another owner ends in a drop or reject");
      it.commands.push_back("firewall-cmd --permanent --new-policy block-fwd && firewall-cmd --permanent --policy block-fwd "
                            "--add-ingress-zone ANY --add-egress-zone ANY --set-target DROP   # firewalld hosts");
      it.commands.push_back("nft add table inet fwd-guard && nft add chain inet fwd-guard forward '{ type filter hook forward "
                            "priority filter + 20; policy drop; }' && nft add rule inet fwd-guard forward ct state "
                            "established,related accept   # then accept what you mean to forward");
    }
    items.push_back(std::move(it));
  }

  // 6. Swarm overlay networks.
  {
    AuditItem it;
    it.topic = "swarm";
    bool swarm = h.FindInterface("docker_gwbridge") != nullptr;
    for (const auto& t : rs.tables)
      for (const auto& c : t.chains)
        if (c.name.find("DOCKER-INGRESS") != std::string::npos) swarm = true;
    if (swarm) {
      it.status = S::kBlocker;
      it.title = "Docker Swarm overlay networks are in use: the nftables backend does not create overlay rules";
      it.details.push_back("found DOCKER-INGRESS chains or the docker_gwbridge interface");
    } else {
      it.status = S::kOk;
      it.title = "no Swarm overlay networks (DOCKER-INGRESS, docker_gwbridge) found";
    }
    items.push_back(std::move(it));
  }

  // 7. libvirt and firewalld interplay.
  {
    AuditItem it;
    it.topic = "libvirt";
    bool libvirt_nft = rs.FindTable(Family::kIp, "libvirt_network") != nullptr;
    const Table* filter = rs.FindTable(Family::kIp, "filter", Backend::kIptablesNft);
    const Chain* fwd = filter ? filter->FindChain("FORWARD") : nullptr;
    if (libvirt_nft && fwd && fwd->policy == Policy::kDrop) {
      it.status = S::kInfo;
      it.title = "libvirt (nftables) guests are cut off today by ip filter FORWARD policy DROP; the switch fixes it";
      it.details.push_back("libvirt_network's accept is not final: the iptables FORWARD policy drops the guests' traffic (moby#52612)");
      it.details.push_back("after the switch and a reboot, Docker and libvirt cooperate (seed article)");
    } else if (libvirt_nft) {
      it.status = S::kOk;
      it.title = "libvirt uses its nftables backend: nothing to change";
    } else {
      it.status = S::kOk;
      it.title = "no libvirt nftables table";
    }
    items.push_back(std::move(it));
    AuditItem fw;
    fw.topic = "firewalld";
    if (rs.FindTable(Family::kInet, "firewalld")) {
      fw.status = S::kInfo;
      fw.title = "firewalld: Docker keeps its zone 'docker' and policy 'docker-forwarding'; nothing to re-apply after a reload";
      if (docker_nft) fw.details.push_back("docker-bridges is already present");
    } else {
      fw.status = S::kOk;
      fw.title = "no firewalld table";
    }
    items.push_back(std::move(fw));
  }

  // 8. Reboot.
  {
    AuditItem it;
    it.topic = "reboot";
    it.status = chain_tables.empty() && ipt_rules.empty() ? S::kOk : S::kAction;
    it.title = it.status == S::kOk ? "nothing of Docker's iptables state to clear"
                                   : "Reboot after the switch so that no old iptables rule of Docker survives";
    if (it.status == S::kAction) {
      it.commands.push_back("systemctl reboot");
      it.commands.push_back("nft-coexist lint   # afterwards: no NC4002 stale-iptables-chains finding expected");
    }
    items.push_back(std::move(it));
  }
  return items;
}

void FormatAuditText(const std::vector<AuditItem>& items, std::ostream& out) {
  out << "Pre-migration audit: Docker iptables backend -> nftables backend\n\n";
  for (const auto& it : items) {
    bool done = it.status == AuditItem::Status::kOk || it.status == AuditItem::Status::kInfo;
    out << (done ? "[x] " : "[ ] ") << it.title << "  (" << ToString(it.status) << ")\n";
    for (const auto& d : it.details) out << "      " << d << "\n";
    for (const auto& c : it.commands) out << "      $ " << c << "\n";
  }
}

void FormatAuditJson(const std::vector<AuditItem>& items, std::ostream& out) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;
  j["migration"] = "docker-to-nftables";
  auto& arr = j["items"] = nlohmann::ordered_json::array();
  for (const auto& it : items) {
    nlohmann::ordered_json e;
    e["topic"] = it.topic;
    e["status"] = std::string(ToString(it.status));
    e["title"] = it.title;
    e["details"] = it.details;
    e["commands"] = it.commands;
    arr.push_back(std::move(e));
  }
  out << j.dump(2) << "\n";
}

}  // namespace nftc
