#include "model/host_config.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/text.h"

namespace nftc {

namespace {

std::string NormalizeKey(std::string_view k) {
  k = Trim(k);
  if (!k.empty() && k.front() == '-') k.remove_prefix(1);
  std::string out(k);
  std::replace(out.begin(), out.end(), '/', '.');
  return out;
}

// Directories systemd-sysctl reads, in precedence order (sysctl.d(5)).
constexpr std::string_view kSysctlDirs[] = {"etc/sysctl.d/", "run/sysctl.d/", "usr/local/lib/sysctl.d/",
                                            "usr/lib/sysctl.d/"};

/// The sysctl files in the order systemd-sysctl applies them.
std::vector<const std::pair<const std::string, std::string>*> SysctlFiles(const HostContext& h) {
  std::map<std::string, const std::pair<const std::string, std::string>*> by_name;  // basename -> file
  for (std::string_view dir : kSysctlDirs) {
    for (const auto& entry : h.files) {
      const std::string& name = entry.first;
      if (name.size() <= dir.size() || name.compare(0, dir.size(), dir) != 0) continue;
      std::string base = name.substr(dir.size());
      if (base.find('/') != std::string::npos || base.size() < 6 || base.substr(base.size() - 5) != ".conf") continue;
      by_name.emplace(base, &entry);  // an earlier directory masks a later one
    }
  }
  std::vector<const std::pair<const std::string, std::string>*> out;
  for (const auto& [base, e] : by_name) out.push_back(e);
  auto conf = h.files.find("etc/sysctl.conf");
  if (conf != h.files.end()) out.push_back(&*conf);
  return out;
}

}  // namespace

DaemonConfig ReadDaemonConfig(const HostContext& h) {
  DaemonConfig d;
  for (const char* k : {"etc/docker/daemon.json", "daemon.json"}) {
    auto it = h.files.find(k);
    if (it == h.files.end()) continue;
    d.present = true;
    d.file = k;
    nlohmann::json j = nlohmann::json::parse(it->second, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      d.parse_error = true;
      return d;
    }
    if (auto b = j.find("firewall-backend"); b != j.end() && b->is_string()) d.firewall_backend = b->get<std::string>();
    if (auto f = j.find("ip-forward"); f != j.end() && f->is_boolean()) d.ip_forward = f->get<bool>();
    if (auto i = j.find("iptables"); i != j.end() && i->is_boolean()) d.iptables = i->get<bool>();
    return d;
  }
  return d;
}

std::optional<SysctlSetting> PersistedSysctl(const HostContext& h, std::string_view key) {
  const std::string want = NormalizeKey(key);
  std::optional<SysctlSetting> last;
  for (const auto* file : SysctlFiles(h)) {
    std::istringstream in(file->second);
    std::string raw;
    int lineno = 0;
    while (std::getline(in, raw)) {
      ++lineno;
      std::string_view line = Trim(raw);
      if (line.empty() || line.front() == '#' || line.front() == ';') continue;
      size_t eq = line.find('=');
      if (eq == std::string_view::npos || NormalizeKey(line.substr(0, eq)) != want) continue;
      last = SysctlSetting{std::string(Trim(line.substr(eq + 1))), file->first, lineno};
    }
  }
  return last;
}

bool HasSysctlConfig(const HostContext& h) { return !SysctlFiles(h).empty(); }

std::optional<std::string> ServiceState(const HostContext& h, std::string_view unit) {
  auto it = h.files.find("services.txt");
  if (it == h.files.end()) return std::nullopt;
  std::istringstream in(it->second);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string name, state;
    ls >> name >> state;
    if (name == unit && !state.empty()) return state;
  }
  return std::nullopt;
}

}  // namespace nftc
