#include "live/snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "live/netlink.h"
#include "live/nft_api.h"
#include "live/spawn.h"
#include "model/host_config.h"
#include "nftc/error.h"

namespace nftc::live {
namespace {

constexpr size_t kMaxConfigFile = 1u << 20;

// Reads a small kernel or configuration file; nullopt when absent or not a regular file
// (procfs files are regular). Follows symlinks: /etc/sysctl.d/99-sysctl.conf is one on
// Debian, and systemd-sysctl follows it too.
std::optional<std::string> ReadSmallFile(const std::string& path, size_t limit = kMaxConfigFile) {
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return std::nullopt;
  }
  std::string s;
  char buf[16384];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0 && s.size() < limit) s.append(buf, static_cast<size_t>(n));
  close(fd);
  if (n < 0) return std::nullopt;
  if (s.size() > limit) s.resize(limit);
  return s;
}

std::string TrimNl(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

using Names = std::map<std::string, std::string>;

Names ReadLegacyNames() {
  Names n;
  for (const char* fam : {"ip", "ip6", "arp"}) {
    n[fam] = ReadSmallFile(std::string("/proc/net/") + fam + "_tables_names").value_or("");
  }
  return n;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    std::string l = s.substr(pos, nl - pos);
    if (!l.empty()) out.push_back(l);
    pos = nl + 1;
  }
  return out;
}

bool SafeTableName(const std::string& t) {
  if (t.empty() || t.size() > 31 || t[0] == '-') return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Families (ip / ip6) that hold a table iptables-nft could own, from the JSON listing.
std::pair<bool, bool> IptablesNftFamilies(const std::string& json) {
  bool v4 = false, v6 = false;
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("nftables") || !j["nftables"].is_array()) return {false, false};
  for (const auto& o : j["nftables"]) {
    if (!o.is_object() || !o.contains("table") || !o["table"].is_object()) continue;
    const auto& t = o["table"];
    std::string fam = t.value("family", ""), name = t.value("name", "");
    bool ipt = name == "filter" || name == "nat" || name == "mangle" || name == "raw" || name == "security";
    if (ipt && fam == "ip") v4 = true;
    if (ipt && fam == "ip6") v6 = true;
  }
  return {v4, v6};
}

std::string NftVersion(const std::string& json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("nftables") || !j["nftables"].is_array()) return "unknown";
  for (const auto& o : j["nftables"]) {
    if (o.is_object() && o.contains("metainfo") && o["metainfo"].is_object()) {
      return o["metainfo"].value("version", "unknown");
    }
  }
  return "unknown";
}

// The ruleset part of the read: what the generation id protects.
void ReadRulesets(bool with_text, FileMap& f, std::string& warnings) {
  NftResult r = NftListRuleset(true);
  if (!r.ok()) {
    std::string why = TrimNl(r.err);
    if (geteuid() != 0) why += " (reading the live ruleset needs root / CAP_NET_ADMIN)";
    throw InputError("cannot list the live ruleset via libnftables: " + why, SourceRef{"live"});
  }
  f["ruleset.json"] = r.out;
  if (with_text) {
    NftResult t = NftListRuleset(false);
    f["ruleset.nft"] = t.out;
    if (!t.err.empty()) f["nft-stderr.txt"] = t.err;
  }
  auto [v4, v6] = IptablesNftFamilies(r.out);
  auto save = [&](const std::vector<std::string>& argv, const char* file) {
    ProgramResult p = RunProgram(argv);
    if (!p.found) {
      warnings += argv[0] + " is not installed; " + file + " not read\n";
    } else if (!p.ok()) {
      warnings += argv[0] + " failed (exit " + std::to_string(p.exit_code) + "): " + TrimNl(p.err) + "\n";
    }
    if (p.found) f[file] += p.out;
  };
  if (v4) save({"iptables-nft-save"}, "iptables-nft-save.txt");
  if (v6) save({"ip6tables-nft-save"}, "ip6tables-nft-save.txt");
  Names names = ReadLegacyNames();
  for (const auto& [fam, text] : names) {
    f[fam + "_tables_names.txt"] = text;
    if (fam == "arp") {
      if (!text.empty()) warnings += "arp legacy tables exist (" + TrimNl(text) + "); no arptables-legacy-save: not read\n";
      continue;
    }
    std::string prog = fam == "ip" ? "iptables-legacy-save" : "ip6tables-legacy-save";
    std::string file = fam == "ip" ? "iptables-legacy-save.txt" : "ip6tables-legacy-save.txt";
    // Only tables the kernel lists: `-t T` for a missing table would create it.
    for (const std::string& t : SplitLines(text)) {
      if (!SafeTableName(t)) {
        warnings += "skipping odd legacy table name '" + t + "'\n";
        continue;
      }
      save({prog, "-t", t}, file.c_str());
    }
  }
}

void ReadSysctls(FileMap& f) {
  static const char* kKeys[] = {
      "net.ipv4.ip_forward",
      "net.ipv6.conf.all.forwarding",
      "net.ipv6.conf.default.forwarding",
      "net.ipv4.conf.all.rp_filter",
      "net.ipv4.conf.default.rp_filter",
      "net.bridge.bridge-nf-call-iptables",
      "net.bridge.bridge-nf-call-ip6tables",
      "net.bridge.bridge-nf-call-arptables",
  };
  std::string out;
  for (const char* k : kKeys) {
    std::string path = "/proc/sys/" + std::string(k);
    std::replace(path.begin() + 10, path.end(), '.', '/');
    if (auto v = ReadSmallFile(path, 4096)) out += std::string(k) + "=" + TrimNl(*v) + "\n";
  }
  f["sysctl.txt"] = out;
}

void ReadLinks(FileMap& f, std::string& warnings) {
  auto run = [&](const std::vector<std::string>& argv) -> std::optional<std::string> {
    ProgramResult p = RunProgram(argv);
    if (p.ok()) return p.out;
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    warnings += cmd + (p.found ? " failed: " + TrimNl(p.err) : std::string(": ip is not installed")) + "\n";
    return std::nullopt;
  };
  if (auto s = run({"ip", "-br", "addr"})) f["interfaces.txt"] = *s;
  if (auto s = run({"ip", "-j", "addr"})) f["interfaces.json"] = *s;
  auto r4 = run({"ip", "route"});
  auto r6 = run({"ip", "-6", "route"});
  if (r4 || r6) f["routes.txt"] = "# ip route\n" + r4.value_or("") + "# ip -6 route\n" + r6.value_or("");
}

// Configuration that decides the next boot. Read from the host's filesystem (the mount
// namespace does not change with --netns).
void ReadConfig(FileMap& f) {
  auto copy = [&](const std::string& abs) {
    if (auto s = ReadSmallFile(abs)) f[abs.substr(1)] = *s;
  };
  copy("/etc/docker/daemon.json");
  copy("/etc/sysctl.conf");
  copy("/etc/firewalld/firewalld.conf");
  copy("/etc/nftables.conf");
  copy("/etc/ufw/ufw.conf");
  copy("/etc/ufw/sysctl.conf");
  for (const char* dir : {"/etc/sysctl.d", "/usr/lib/sysctl.d"}) {
    DIR* d = opendir(dir);
    if (!d) continue;
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".conf") names.push_back(n);
    }
    closedir(d);
    for (const std::string& n : names) copy(std::string(dir) + "/" + n);
  }
}

bool Exists(const std::string& p) {
  struct stat st{};
  return lstat(p.c_str(), &st) == 0;
}

// Which firewall-relevant units start at boot, from the enablement symlinks; nothing is
// asked of systemd and nothing is started.
void ReadServices(FileMap& f) {
  std::vector<std::string> wants;
  if (DIR* d = opendir("/etc/systemd/system")) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 6 && n.substr(n.size() - 6) == ".wants") wants.push_back(n);
    }
    closedir(d);
  }
  std::sort(wants.begin(), wants.end());
  std::string out = "# unit state [wanted-by]  (from /etc/systemd/system/*.wants; nothing was started)\n";
  for (std::string_view unit : kBootUnits) {
    std::string u(unit);
    std::string state, by;
    char target[64] = {};
    ssize_t n = readlink(("/etc/systemd/system/" + u).c_str(), target, sizeof target - 1);
    if (n > 0 && std::string(target, static_cast<size_t>(n)) == "/dev/null") {
      state = "masked";
    } else {
      for (const std::string& w : wants) {
        if (Exists("/etc/systemd/system/" + w + "/" + u)) by += (by.empty() ? "" : ",") + w.substr(0, w.size() - 6);
      }
      if (!by.empty()) state = "enabled";
      else if (Exists("/etc/systemd/system/" + u) || Exists("/lib/systemd/system/" + u) ||
               Exists("/usr/lib/systemd/system/" + u)) state = "disabled";
      else state = "not-installed";
    }
    out += u + " " + state + (by.empty() ? "" : " " + by) + "\n";
  }
  f["services.txt"] = out;
}

std::string MetaText(const SnapshotOptions& o, const FileMap& f, uint32_t genid, bool have_genid, int attempts) {
  utsname u{};
  uname(&u);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  char date[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  auto js = f.find("ruleset.json");
  std::string m;
  m += "tool: nft-coexist " NFTC_VERSION "\n";
  m += "nft: " + (js == f.end() ? std::string("unknown") : NftVersion(js->second)) + " (libnftables)\n";
  m += std::string("kernel: ") + u.sysname + " " + u.release + " " + u.version + " " + u.machine + "\n";
  m += std::string("date: ") + date + "\n";
  m += std::string("hostname: ") + host + "\n";
  m += "netns: " + (o.target.mode == NsTarget::Mode::kJoin ? o.target.spec + " (" + o.target.path + ")" : std::string("(current)")) + "\n";
  m += "nft-genid: " + (have_genid ? std::to_string(genid) : std::string("unavailable")) + "\n";
  m += "read-attempts: " + std::to_string(attempts) + "\n";
  return m;
}

FileMap ReadAll(const SnapshotOptions& o) {
  FileMap f;
  std::string warnings;
  uint32_t genid = 0;
  bool have_genid = false;
  int attempt = 0;
  for (;;) {
    ++attempt;
    std::string gerr;
    std::optional<uint32_t> g1 = ReadNftGenId(&gerr);
    Names n1 = ReadLegacyNames();
    FileMap part;
    std::string part_warn;
    ReadRulesets(o.with_text, part, part_warn);
    std::optional<uint32_t> g2 = ReadNftGenId(&gerr);
    Names n2 = ReadLegacyNames();
    if (g1 == g2 && n1 == n2) {
      for (auto& [k, v] : part) f[k] = std::move(v);
      warnings += part_warn;
      have_genid = g1.has_value();
      genid = g1.value_or(0);
      if (!have_genid) warnings += "nf_tables generation id unavailable (" + gerr + "); read once without a consistency check\n";
      break;
    }
    if (attempt >= o.max_attempts) {
      throw InputError("the ruleset kept changing while it was read (" + std::to_string(attempt) +
                       " attempts); try again", SourceRef{"live"});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
  }
  ReadSysctls(f);
  ReadLinks(f, warnings);
  ReadConfig(f);
  ReadServices(f);
  f["meta.txt"] = MetaText(o, f, genid, have_genid, attempt);
  if (!warnings.empty()) f["capture-warnings.txt"] = warnings;
  return f;
}

}  // namespace

FileMap TakeSnapshot(const SnapshotOptions& opts) {
  return RunInNamespace(opts.target, [&] { return ReadAll(opts); });
}

}  // namespace nftc::live
