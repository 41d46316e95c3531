#include "next_boot.h"

#include <algorithm>
#include <tuple>

#include "model/text.h"

namespace nftc::next_boot {
namespace {


UnitState ParseState(std::string_view s) {
  if (s == "enabled" || s == "enabled-runtime" || s == "generated" || s == "alias") return UnitState::kEnabled;
  if (s == "disabled" || s == "static" || s == "indirect") return UnitState::kDisabled;
  if (s == "masked" || s == "masked-runtime") return UnitState::kMasked;
  if (s == "not-installed" || s == "not-found") return UnitState::kMissing;
  return UnitState::kUnknown;
}

// The later of two settings in systemd-sysctl's order (file name; etc/sysctl.conf last; then
// line).
std::optional<SysctlSetting> Later(std::optional<SysctlSetting> a, std::optional<SysctlSetting> b) {
  if (!a) return b;
  if (!b) return a;
  auto key = [](const SysctlSetting& x) {
    bool conf = x.file == "etc/sysctl.conf";
    std::string base = x.file.substr(x.file.rfind('/') + 1);
    return std::make_tuple(conf, conf ? std::string() : base, x.line);
  };
  return key(*b) > key(*a) ? b : a;
}

std::optional<SysctlSetting> Forwarding(const HostContext& h, bool v6) {
  if (v6) return PersistedSysctl(h, "net.ipv6.conf.all.forwarding");
  return Later(PersistedSysctl(h, "net.ipv4.ip_forward"), PersistedSysctl(h, "net.ipv4.conf.all.forwarding"));
}

// KEY=VALUE files (firewalld.conf, ufw.conf): the last assignment of `key`, unquoted.
std::optional<std::string> ShellVar(const std::string& text, std::string_view key) {
  std::optional<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line = Trim(std::string_view(text).substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || Trim(line.substr(0, eq)) != key) continue;
    std::string v(Trim(line.substr(eq + 1)));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    out = v;
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::optional<bool> SysctlOn(std::string_view value) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  for (char c : value)
    if (c < '0' || c > '9') return std::nullopt;
  return value.find_first_not_of('0') != std::string_view::npos;
}

UnitState BootConfig::Unit(std::string_view unit) const {
  auto it = units.find(std::string(unit));
  return it == units.end() ? UnitState::kUnknown : it->second;
}

bool BootConfig::AnyEnabled(std::initializer_list<std::string_view> us) const {
  for (std::string_view u : us)
    if (Unit(u) == UnitState::kEnabled) return true;
  return false;
}

bool BootConfig::NoneEnabled(std::initializer_list<std::string_view> us) const {
  for (std::string_view u : us) {
    UnitState s = Unit(u);
    if (s == UnitState::kUnknown || s == UnitState::kEnabled) return false;
  }
  return true;
}

BootConfig ReadBootConfig(const Ruleset& rs) {
  BootConfig bc;
  const auto& files = rs.host.files;
  if (rs.origin.rfind("live:", 0) == 0) bc.other_netns = true;
  if (auto it = files.find("meta.txt"); it != files.end()) {
    // written by `nft-coexist capture`: "tool: nft-coexist ..." and "netns: NAME (PATH)" or
    // "netns: (current)"; the corpora scripts write their own meta.txt
    const std::string& m = it->second;
    size_t ns = m.find("\nnetns: ");
    if ((m.rfind("tool: nft-coexist", 0) == 0 || m.find("\ntool: nft-coexist") != std::string::npos) &&
        ns != std::string::npos && m.compare(ns + 8, 9, "(current)") != 0)
      bc.other_netns = true;
  }
  for (const auto& [name, text] : files) {
    if (std::string_view(name).starts_with("etc/") || std::string_view(name).starts_with("usr/lib/sysctl.d/")) bc.captured = true;
  }
  if (files.count("services.txt")) bc.captured = bc.have_services = true;
  if (!bc.captured) return bc;
  for (std::string_view u : kBootUnits)
    if (auto st = ServiceState(rs.host, u)) bc.units[std::string(u)] = ParseState(*st);
  bc.ip_forward = Forwarding(rs.host, false);
  bc.ipv6_forwarding = Forwarding(rs.host, true);
  DaemonConfig d = ReadDaemonConfig(rs.host);
  bc.have_daemon_json = d.present;
  if (d.parse_error) bc.daemon_json_error = "not a JSON object";
  if (d.firewall_backend) bc.docker_backend = *d.firewall_backend == "nftables" ? "nftables" : "iptables";
  if (d.iptables) bc.docker_rules = *d.iptables;
  if (d.ip_forward) bc.docker_ip_forward = *d.ip_forward;
  if (auto it = files.find("etc/firewalld/firewalld.conf"); it != files.end()) {
    bc.have_firewalld_conf = true;
    if (auto v = ShellVar(it->second, "FirewallBackend")) bc.firewalld_backend = Lower(*v);
  }
  if (auto it = files.find("etc/ufw/ufw.conf"); it != files.end()) {
    auto v = ShellVar(it->second, "ENABLED");
    bc.ufw_enabled = v && Lower(*v) == "yes";
  }
  if (auto it = files.find("etc/ufw/sysctl.conf"); it != files.end()) {
    // ufw's own file, read with the sysctl syntax of PersistedSysctl
    HostContext ufw;
    ufw.files["etc/sysctl.conf"] = it->second;
    for (bool v6 : {false, true}) {
      std::optional<SysctlSetting> s = Forwarding(ufw, v6);
      if (v6 && !s) s = PersistedSysctl(ufw, "net.ipv6.conf.default.forwarding");
      if (s) s->file = "etc/ufw/sysctl.conf";
      (v6 ? bc.ufw_ipv6_forwarding : bc.ufw_ip_forward) = s;
    }
  }
  return bc;
}

bool IptablesTableOf(const Table& t, std::string_view owner, bool skip_direct) {
  if (t.backend == Backend::kNftables) return false;
  for (const Chain& c : t.chains) {
    if (skip_direct && std::string_view(c.name).ends_with("_direct")) continue;
    if (c.owner.owner == owner) return true;
    for (const Rule& r : c.rules)
      if (r.owner.owner == owner) return true;
  }
  return false;
}

std::vector<std::string> OwnedChains(const Table& t, std::string_view owner) {
  std::vector<std::string> out;
  for (const Chain& c : t.chains) {
    bool mine = c.owner.owner == owner;
    for (const Rule& r : c.rules)
      if (r.owner.owner == owner) mine = true;
    if (mine) out.push_back(c.name);
  }
  return out;
}

std::string_view ToString(UnitState s) {
  switch (s) {
    case UnitState::kEnabled: return "enabled";
    case UnitState::kDisabled: return "disabled";
    case UnitState::kMasked: return "masked";
    case UnitState::kMissing: return "not installed";
    case UnitState::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace nftc::next_boot
