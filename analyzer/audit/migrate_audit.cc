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

using S = AuditItem::Status;

/// What the checks share: the ruleset, its host and Docker's state in iptables.
struct Facts {
  const Ruleset& rs;
  const HostContext& h;
  DaemonConfig daemon;
  bool docker_nft = false;  ///< Docker's nftables table docker-bridges exists
  std::vector<std::pair<const Table*, const Rule*>> ipt_rules;       ///< docker rules in builtin chains
  std::vector<std::pair<const Table*, const Chain*>> chain_tables;   ///< docker's own iptables chains
  bool HasIptablesState() const { return !chain_tables.empty() || !ipt_rules.empty(); }
};

Facts GatherFacts(const Ruleset& rs) {
  Facts f{rs, rs.host, ReadDaemonConfig(rs.host), rs.FindTable(Family::kIp, "docker-bridges") != nullptr, {}, {}};
  for (const auto& t : rs.tables) {
    if (!IsIptables(t)) continue;
    for (const auto& c : t.chains) {
      if (!IsBuiltin(c) && c.owner.owner == "docker") f.chain_tables.push_back({&t, &c});
      if (IsBuiltin(c))
        for (const auto& r : c.rules)
          if (r.owner.owner == "docker") f.ipt_rules.push_back({&t, &r});
    }
  }
  return f;
}

/// Settles an item: its status and title; `details` and `commands` are appended to what
/// the check already found.
void Decide(AuditItem& it, S status, std::string title, std::vector<std::string> details = {},
            std::vector<std::string> commands = {}) {
  it.status = status;
  it.title = std::move(title);
  for (auto& d : details) it.details.push_back(std::move(d));
  for (auto& c : commands) it.commands.push_back(std::move(c));
}

// 1. The configured backend.
void CheckBackend(const Facts& f, AuditItem& it) {
  const DaemonConfig& daemon = f.daemon;
  if (daemon.firewall_backend.value_or("") == "nftables") {
    Decide(it, S::kOk, "daemon.json already asks for the nftables backend");
  } else {
    Decide(it, S::kAction, "Switch Docker to the nftables backend (experimental in Docker 29)",
           {daemon.present ? "daemon.json has no \"firewall-backend\": \"nftables\""
                           : "no /etc/docker/daemon.json in the capture (Docker defaults to iptables)"},
           {"edit /etc/docker/daemon.json: { \"firewall-backend\": \"nftables\" }",
            "systemctl restart docker && docker info | grep 'Firewall Backend'"});
  }
  if (daemon.parse_error)
    it.details.push_back(daemon.file + " is not a JSON object: dockerd refuses to start with it");
  if (daemon.iptables == false)
    it.details.push_back("daemon.json sets \"iptables\": false: Docker writes no firewall rules at all");
}

// 2. Forwarding: Docker's nftables backend does not enable it and refuses to start without it.
void CheckIpForward(const Facts& f, AuditItem& it) {
  auto now = f.h.Sysctl("net.ipv4.ip_forward");
  auto setting = PersistedSysctl(f.h, "net.ipv4.ip_forward");
  if (f.daemon.ip_forward == false) {
    Decide(it, S::kWarning, "daemon.json sets \"ip-forward\": false: containers lose basic networking",
           {"the seed article and Docker's docs: forwarding must stay on"});
  } else if (setting && setting->value == "1") {
    Decide(it, S::kOk,
           "net.ipv4.ip_forward=1 is persisted (" + setting->file + ":" + std::to_string(setting->line) + ")");
  } else {
    Decide(it, S::kAction,
           "Persist IP forwarding: the nftables backend does not enable it and fails to start without it",
           {"net.ipv4.ip_forward is " + (now ? *now : std::string("unknown")) + " now, but " +
            (setting ? setting->file + ":" + std::to_string(setting->line) + " sets it to " + setting->value
                     : std::string("no sysctl file of the capture sets it")) +
            " (the iptables backend set it itself)"},
           {"printf 'net.ipv4.ip_forward=1\\nnet.ipv6.conf.all.forwarding=1\\n' > /etc/sysctl.d/99-docker.conf",
            "sysctl --system"});
  }
}

// 3. Leftovers: iptables chains and rules of Docker stay until a reboot or a flush.
void CheckLeftovers(const Facts& f, AuditItem& it) {
  if (!f.HasIptablesState()) return Decide(it, S::kOk, "no iptables chains or rules of Docker");
  Decide(it, S::kAction, "Docker's iptables rules become leftovers until a reboot (they keep filtering)");
  for (const auto& [t, r] : f.ipt_rules) {
    it.details.push_back(t->Id() + ": " + (r->ipt_line.empty() ? RuleToString(*r) : r->ipt_line.str()));
    std::string d = DeleteSpec(*r);
    if (!d.empty()) it.commands.push_back(IptCmd(*t) + " -t " + t->name + " " + d);
  }
  for (const auto& [t, c] : f.chain_tables) {
    it.details.push_back(t->Id() + " chain " + c->name + " (" + std::to_string(c->rules.size()) + " rules)");
    it.commands.push_back(IptCmd(*t) + " -t " + t->name + " -F " + c->name);
  }
  for (const auto& [t, c] : f.chain_tables) it.commands.push_back(IptCmd(*t) + " -t " + t->name + " -X " + c->name);
  it.commands.push_back("# or simply reboot after the switch, as the seed article recommends");
}

// 4. DOCKER-USER has no nftables counterpart.
void CheckDockerUser(const Facts& f, AuditItem& it) {
  for (const auto& [t, c] : f.chain_tables) {
    if (c->name != "DOCKER-USER") continue;
    for (const auto& r : c->rules) {
      bool only_return = r.stmts.size() == 1 && r.stmts[0].kind == StmtKind::kVerdict &&
                         r.stmts[0].verdict.kind == VerdictKind::kReturn;
      if (only_return) continue;
      it.details.push_back(t->Id() + " DOCKER-USER: " + (r.ipt_line.empty() ? RuleToString(r) : r.ipt_line.str()) +
                           "   ->   nft: " + RuleToString(r));
    }
  }
  if (it.details.empty()) return Decide(it, S::kOk, "no DOCKER-USER rules to carry over");
  Decide(it, S::kAction, "DOCKER-USER rules have no nftables counterpart: recreate them in a table of your own", {},
         {"nft add table ip my-docker-user",
          "nft add chain ip my-docker-user forward '{ type filter hook forward priority filter - 1; policy accept; }'",
          "nft add rule ip my-docker-user forward <each rule above, in nft syntax>"});
}

// 5. Forwarding without a drop policy.
void CheckForwardPolicy(const Facts& f, AuditItem& it) {
  const Table* filter = f.rs.FindTable(Family::kIp, "filter", Backend::kIptablesNft);
  if (!filter) filter = f.rs.FindTable(Family::kIp, "filter", Backend::kIptablesLegacy);
  const Chain* fwd = filter ? filter->FindChain("FORWARD") : nullptr;
  std::string who;
  const Chain* guard = OtherForwardGuard(f.rs, &who);
  if (fwd && fwd->policy == Policy::kDrop) {
    it.details.push_back("today " + filter->Id() + " FORWARD has policy DROP (set by dockerd when it enabled forwarding)");
    it.details.push_back("Docker's nftables chains keep policy accept: after the switch only other owners decide what else is forwarded");
  }
  if (guard) return Decide(it, S::kOk, "forwarding stays guarded by " + who);
  Decide(it, S::kWarning,
         "After the switch nothing drops forwarded traffic between other interfaces (e.g. eth0 -> eth1)",
         {"no forward-hook chain of another owner ends in a drop or reject"},
         {"firewall-cmd --permanent --new-policy block-fwd && firewall-cmd --permanent --policy block-fwd "
          "--add-ingress-zone ANY --add-egress-zone ANY --set-target DROP   # firewalld hosts",
          "nft add table inet fwd-guard && nft add chain inet fwd-guard forward '{ type filter hook forward "
          "priority filter + 20; policy drop; }' && nft add rule inet fwd-guard forward ct state "
          "established,related accept   # then accept what you mean to forward"});
}

// 6. Swarm overlay networks.
void CheckSwarm(const Facts& f, AuditItem& it) {
  bool swarm = f.h.FindInterface("docker_gwbridge") != nullptr;
  for (const auto& t : f.rs.tables)
    for (const auto& c : t.chains)
      if (c.name.find("DOCKER-INGRESS") != std::string::npos) swarm = true;
  if (!swarm) return Decide(it, S::kOk, "no Swarm overlay networks (DOCKER-INGRESS, docker_gwbridge) found");
  Decide(it, S::kBlocker, "Docker Swarm overlay networks are in use: the nftables backend does not create overlay rules",
         {"found DOCKER-INGRESS chains or the docker_gwbridge interface"});
}

// 7. libvirt and firewalld interplay.
void CheckLibvirt(const Facts& f, AuditItem& it) {
  bool libvirt_nft = f.rs.FindTable(Family::kIp, "libvirt_network") != nullptr;
  const Table* filter = f.rs.FindTable(Family::kIp, "filter", Backend::kIptablesNft);
  const Chain* fwd = filter ? filter->FindChain("FORWARD") : nullptr;
  if (libvirt_nft && fwd && fwd->policy == Policy::kDrop)
    Decide(it, S::kInfo,
           "libvirt (nftables) guests are cut off today by ip filter FORWARD policy DROP; the switch fixes it",
           {"libvirt_network's accept is not final: the iptables FORWARD policy drops the guests' traffic (moby#52612)",
            "after the switch and a reboot, Docker and libvirt cooperate (seed article)"});
  else if (libvirt_nft)
    Decide(it, S::kOk, "libvirt uses its nftables backend: nothing to change");
  else
    Decide(it, S::kOk, "no libvirt nftables table");
}

void CheckFirewalld(const Facts& f, AuditItem& it) {
  if (!f.rs.FindTable(Family::kInet, "firewalld")) return Decide(it, S::kOk, "no firewalld table");
  Decide(it, S::kInfo,
         "firewalld: Docker keeps its zone 'docker' and policy 'docker-forwarding'; nothing to re-apply after a reload");
  if (f.docker_nft) it.details.push_back("docker-bridges is already present");
}

// 8. Reboot.
void CheckReboot(const Facts& f, AuditItem& it) {
  if (!f.HasIptablesState()) return Decide(it, S::kOk, "nothing of Docker's iptables state to clear");
  Decide(it, S::kAction, "Reboot after the switch so that no old iptables rule of Docker survives", {},
         {"systemctl reboot", "nft-coexist lint   # afterwards: no NC4002 stale-iptables-chains finding expected"});
}

/// The checklist, in the order it is printed: each check fills the item of its topic.
struct Check {
  const char* topic;
  void (*fill)(const Facts&, AuditItem&);
};
constexpr Check kChecks[] = {
    {"backend", CheckBackend},       {"ip-forward", CheckIpForward}, {"leftovers", CheckLeftovers},
    {"docker-user", CheckDockerUser}, {"forward-policy", CheckForwardPolicy}, {"swarm", CheckSwarm},
    {"libvirt", CheckLibvirt},       {"firewalld", CheckFirewalld},  {"reboot", CheckReboot},
};

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
  const Facts facts = GatherFacts(rs);
  std::vector<AuditItem> items;
  for (const Check& c : kChecks) {
    AuditItem it;
    it.topic = c.topic;
    c.fill(facts, it);
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
