#include "next_boot.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "load/host_context.h"

namespace nftc::next_boot {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

UnitState ParseState(std::string_view s) {
  if (s == "enabled" || s == "enabled-runtime" || s == "generated" || s == "alias") return UnitState::kEnabled;
  if (s == "disabled" || s == "static" || s == "indirect") return UnitState::kDisabled;
  if (s == "masked" || s == "masked-runtime") return UnitState::kMasked;
  if (s == "not-installed" || s == "not-found") return UnitState::kMissing;
  return UnitState::kUnknown;
}

// services.txt: "<unit> <state> [wanted-by]" lines, '#' comments.
void ReadServices(const std::string& text, BootConfig& bc) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line = Trim(std::string_view(text).substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find_first_of(" \t");
    std::string unit(line.substr(0, sp));
    UnitState st = UnitState::kUnknown;
    if (sp != std::string_view::npos) {
      std::string_view rest = Trim(line.substr(sp));
      st = ParseState(rest.substr(0, rest.find_first_of(" \t")));
    }
    bc.units[unit] = st;
  }
}

// Applies one sysctl file to `out`, later assignments winning.
void ApplySysctlFile(const std::string& name, const std::string& text,
                     std::map<std::string, SysctlSetting>& out) {
  int n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++n;
    for (auto& [k, v] : ParseSysctlText(line)) {
      if (k.find('*') != std::string::npos) continue;  // globs: not the keys we look at
      out[NormaliseSysctlKey(k)] = SysctlSetting{v, name, n};
    }
  }
}

// systemd-sysctl (sysctl.d(5)): every *.conf of the sysctl.d folders, sorted by file name,
// a file in /etc hiding one of the same name in /run or /usr/lib; later settings win.
// /etc/sysctl.conf last (procps' `sysctl --system`; Debian and Fedora link it in as
// /etc/sysctl.d/99-sysctl.conf).
void ReadSysctlFiles(const std::map<std::string, std::string>& files, BootConfig& bc) {
  static const char* kDirs[] = {"etc/sysctl.d/", "run/sysctl.d/", "usr/local/lib/sysctl.d/",
                                "usr/lib/sysctl.d/", "lib/sysctl.d/"};
  std::map<std::string, const std::pair<const std::string, std::string>*> by_name;
  for (const char* dir : kDirs) {
    for (const auto& f : files) {
      if (!StartsWith(f.first, dir) || !EndsWith(f.first, ".conf")) continue;
      std::string base = f.first.substr(std::string_view(dir).size());
      if (base.find('/') != std::string::npos) continue;
      by_name.emplace(base, &f);  // first folder in kDirs order wins
    }
  }
  for (const auto& [base, f] : by_name) ApplySysctlFile(f->first, f->second, bc.sysctl);
  auto conf = files.find("etc/sysctl.conf");
  if (conf != files.end()) ApplySysctlFile(conf->first, conf->second, bc.sysctl);
}

void ReadDaemonJson(const std::string& text, BootConfig& bc) {
  bc.have_daemon_json = true;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    bc.daemon_json_error = "not a JSON object";
    return;
  }
  if (auto it = j.find("firewall-backend"); it != j.end() && it->is_string())
    bc.docker_backend = it->get<std::string>() == "nftables" ? "nftables" : "iptables";
  if (auto it = j.find("iptables"); it != j.end() && it->is_boolean()) bc.docker_rules = it->get<bool>();
  if (auto it = j.find("ip-forward"); it != j.end() && it->is_boolean()) bc.docker_ip_forward = it->get<bool>();
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

std::string NormaliseSysctlKey(std::string key) {
  if (key == "net.ipv4.conf.all.forwarding") return "net.ipv4.ip_forward";
  return key;
}

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
    if (StartsWith(name, "etc/") || StartsWith(name, "usr/lib/sysctl.d/")) bc.captured = true;
  }
  if (auto it = files.find("services.txt"); it != files.end()) {
    bc.captured = bc.have_services = true;
    ReadServices(it->second, bc);
  }
  if (!bc.captured) return bc;
  ReadSysctlFiles(files, bc);
  if (auto it = files.find("etc/docker/daemon.json"); it != files.end()) ReadDaemonJson(it->second, bc);
  if (auto it = files.find("etc/firewalld/firewalld.conf"); it != files.end()) {
    bc.have_firewalld_conf = true;
    if (auto v = ShellVar(it->second, "FirewallBackend")) bc.firewalld_backend = Lower(*v);
  }
  if (auto it = files.find("etc/ufw/ufw.conf"); it != files.end()) {
    auto v = ShellVar(it->second, "ENABLED");
    bc.ufw_enabled = v && Lower(*v) == "yes";
  }
  if (auto it = files.find("etc/ufw/sysctl.conf"); it != files.end())
    ApplySysctlFile(it->first, it->second, bc.ufw_sysctl);
  return bc;
}

bool IptablesTableOf(const Table& t, std::string_view owner, bool skip_direct) {
  if (t.backend == Backend::kNftables) return false;
  for (const Chain& c : t.chains) {
    if (skip_direct && EndsWith(c.name, "_direct")) continue;
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
