#include "load/host_context.h"

#include <arpa/inet.h>

#include <nlohmann/json.hpp>

#include "model/text.h"
#include "nftc/error.h"

namespace nftc {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t b = line.find_first_not_of(" \t\r", pos);
    if (b == std::string_view::npos) break;
    size_t e = line.find_first_of(" \t\r", b);
    if (e == std::string_view::npos) e = line.size();
    out.push_back(line.substr(b, e - b));
    pos = e;
  }
  return out;
}

std::optional<u128> ParseAddr(std::string_view text, bool& v6) {
  std::string s(text);
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    v6 = false;
    return static_cast<u128>(ntohl(a4.s_addr));
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    v6 = true;
    u128 v = 0;
    for (unsigned char b : a6.s6_addr) v = (v << 8) | b;
    return v;
  }
  return std::nullopt;
}

// "@peer" is how `ip` shows the link partner of veth and the parent of VLANs.
std::string StripPeer(std::string_view name) {
  size_t at = name.find('@');
  return std::string(at == std::string_view::npos || at == 0 ? name : name.substr(0, at));
}

bool IsRouteType(std::string_view w) {
  for (const char* t : {"unicast", "local", "broadcast", "multicast", "blackhole", "unreachable",
                        "prohibit", "throw", "nat", "anycast"}) {
    if (w == t) return true;
  }
  return false;
}

}  // namespace

std::optional<HostAddr> ParseAddrPrefix(std::string_view text) {
  size_t slash = text.find('/');
  HostAddr h;
  std::optional<u128> a = ParseAddr(text.substr(0, slash), h.v6);
  if (!a) return std::nullopt;
  h.addr = *a;
  int max = h.v6 ? 128 : 32;
  h.plen = static_cast<uint8_t>(max);
  if (slash != std::string_view::npos) {
    std::string_view len = text.substr(slash + 1);
    if (len.empty() || len.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : len) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    if (v > max) return std::nullopt;
    h.plen = static_cast<uint8_t>(v);
  }
  return h;
}

std::map<std::string, std::string> ParseSysctlText(std::string_view text) {
  std::map<std::string, std::string> out;
  for (std::string_view line : Lines(text)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key(Trim(line.substr(0, eq)));
    for (char& c : key) if (c == '/') c = '.';
    if (!key.empty() && key[0] == '-') key.erase(0, 1);  // "-key=value": ignore errors
    if (!key.empty()) out[key] = std::string(Trim(line.substr(eq + 1)));
  }
  return out;
}

std::vector<Interface> ParseIpBriefAddr(std::string_view text) {
  std::vector<Interface> out;
  for (std::string_view line : Lines(text)) {
    std::vector<std::string_view> w = Words(line);
    if (w.empty()) continue;
    Interface ifc;
    ifc.name = StripPeer(w[0]);
    if (w.size() > 1) ifc.state = std::string(w[1]);
    for (size_t i = 2; i < w.size(); ++i) {
      if (auto a = ParseAddrPrefix(w[i])) ifc.addrs.push_back(*a);
    }
    out.push_back(std::move(ifc));
  }
  return out;
}

std::vector<Interface> ParseIpJsonAddr(std::string_view text, const std::string& origin) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) {
    throw InputError("not the JSON output of `ip -j addr` (expected an array)", SourceRef{origin});
  }
  std::vector<Interface> out;
  for (const auto& l : j) {
    if (!l.is_object() || !l.contains("ifname") || !l["ifname"].is_string()) continue;
    Interface ifc;
    ifc.name = l["ifname"].get<std::string>();
    if (l.contains("operstate") && l["operstate"].is_string()) ifc.state = l["operstate"].get<std::string>();
    if (l.contains("master") && l["master"].is_string()) ifc.master = l["master"].get<std::string>();
    if (l.contains("addr_info") && l["addr_info"].is_array()) {
      for (const auto& a : l["addr_info"]) {
        if (!a.is_object() || !a.contains("local") || !a["local"].is_string()) continue;
        std::string s = a["local"].get<std::string>();
        if (a.contains("prefixlen") && a["prefixlen"].is_number_unsigned()) {
          s += "/" + std::to_string(a["prefixlen"].get<unsigned>());
        }
        if (auto h = ParseAddrPrefix(s)) ifc.addrs.push_back(*h);
      }
    }
    out.push_back(std::move(ifc));
  }
  return out;
}

std::vector<Route> ParseIpRoutes(std::string_view text) {
  std::vector<Route> out;
  bool v6_section = false;
  for (std::string_view raw : Lines(text)) {
    std::string_view line = Trim(raw);
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.find("-6") != std::string_view::npos) v6_section = true;
      else if (line.find("route") != std::string_view::npos) v6_section = false;
      continue;
    }
    std::vector<std::string_view> w = Words(line);
    bool continuation = raw[0] == ' ' || raw[0] == '\t' || w[0] == "nexthop";
    if (continuation) {
      // multipath: "nexthop via X dev Y weight 1" fills the hop of the route above
      if (out.empty()) continue;
      Route& r = out.back();
      for (size_t i = 0; i + 1 < w.size(); ++i) {
        bool v6 = false;
        if (w[i] == "dev" && r.dev.empty()) r.dev = std::string(w[i + 1]);
        if (w[i] == "via" && !r.via) {
          std::string_view g = w[i + 1] == "inet6" || w[i + 1] == "inet" ? (i + 2 < w.size() ? w[i + 2] : "") : w[i + 1];
          if (auto a = ParseAddr(g, v6)) r.via = *a;
        }
      }
      continue;
    }
    Route r;
    r.v6 = v6_section;
    size_t i = 0;
    if (IsRouteType(w[0])) r.type = std::string(w[i++]);
    if (i >= w.size()) continue;
    bool dst_known = false;
    if (w[i] == "default") {
      r.plen = 0;
      ++i;
    } else if (auto a = ParseAddrPrefix(w[i])) {
      r.dst = a->addr;
      r.plen = a->plen;
      r.v6 = a->v6;
      dst_known = true;
      ++i;
    } else {
      continue;  // not a route line
    }
    for (; i + 1 < w.size(); ++i) {
      if (w[i] == "dev") r.dev = std::string(w[i + 1]);
      if (w[i] == "via") {
        std::string_view g = w[i + 1];
        if ((g == "inet6" || g == "inet") && i + 2 < w.size()) g = w[i + 2];
        bool v6 = false;
        if (auto a = ParseAddr(g, v6)) {
          r.via = *a;
          if (!dst_known) r.v6 = v6;
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> ParseTableNames(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view line : Lines(text)) {
    line = Trim(line);
    if (!line.empty()) out.emplace_back(line);
  }
  return out;
}

void FillHostContext(const std::map<std::string, std::string>& files, const std::string& origin,
                     HostContext& host) {
  auto find = [&](const char* name) -> const std::string* {
    auto it = files.find(name);
    return it == files.end() ? nullptr : &it->second;
  };
  if (const std::string* s = find("sysctl.txt")) {
    host.sysctl = ParseSysctlText(*s);
    host.have_sysctl = true;
  }
  if (const std::string* s = find("interfaces.json")) {
    host.interfaces = ParseIpJsonAddr(*s, origin + "/interfaces.json");
    host.have_interfaces = true;
  } else if (const std::string* s = find("interfaces.txt")) {
    host.interfaces = ParseIpBriefAddr(*s);
    host.have_interfaces = true;
  }
  if (const std::string* s = find("routes.txt")) {
    host.routes = ParseIpRoutes(*s);
    host.have_routes = true;
  }
  for (const char* fam : {"ip", "ip6", "arp"}) {
    if (const std::string* s = find((std::string(fam) + "_tables_names.txt").c_str())) {
      host.legacy_table_names[fam] = ParseTableNames(*s);
    }
  }
  for (const auto& [name, content] : files) {
    if (name == "ruleset.json" || name == "ruleset.nft" || name == "interfaces.json") continue;
    if (content.find('\0') != std::string::npos) continue;  // not text
    if (content.size() > kMaxContextFile) {
      host.files[name] = content.substr(0, kMaxContextFile) + "\n# [nft-coexist: truncated]\n";
    } else {
      host.files[name] = content;
    }
  }
}

}  // namespace nftc
