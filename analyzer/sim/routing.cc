#include "sim/routing.h"

#include <algorithm>

namespace nftc::sim {
namespace {

NumSet Prefix(u128 addr, uint8_t plen, bool v6) {
  uint8_t bits = v6 ? 128 : 32;
  if (plen > bits) plen = bits;
  u128 host = plen >= bits ? 0 : MaxOf(uint8_t(bits - plen));
  return NumSet::Range(addr & ~host, (addr & ~host) | host);
}

bool LinkLocal6(u128 a) { return (a >> 118) == 0x3fa; }  // fe80::/10

bool BridgeLike(const std::string& n) {
  static const char* kPrefixes[] = {"docker", "virbr", "br-", "cni", "podman", "incusbr", "lxdbr",
                                    "veth", "vnet", "tap", "tun", "lo"};
  for (const char* p : kPrefixes)
    if (n.rfind(p, 0) == 0) return true;
  return false;
}

}  // namespace

std::string BaseIfName(const std::string& n) {
  auto at = n.find('@');
  return at == std::string::npos ? n : n.substr(0, at);
}

NumSet LocalAddrs(const HostContext& h, bool v6, const std::string* dev) {
  NumSet s;
  if (!dev) {
    if (v6) s.Add(1, 1);
    else s = Prefix(u128(127) << 24, 8, false);
  }
  for (const Interface& i : h.interfaces) {
    if (dev && BaseIfName(i.name) != *dev) continue;
    for (const HostAddr& a : i.addrs)
      if (a.v6 == v6) s.Add(a.addr, a.addr);
  }
  return s;
}

NumSet BroadcastAddrs(const HostContext& h, bool v6) {
  NumSet s;
  if (v6) return s;
  s.Add(0xffffffff, 0xffffffff);
  for (const Interface& i : h.interfaces)
    for (const HostAddr& a : i.addrs)
      if (!a.v6 && a.plen < 31) {
        u128 host = MaxOf(uint8_t(32 - a.plen));
        s.Add(a.addr | host, a.addr | host);
      }
  return s;
}

NumSet MulticastAddrs(bool v6) {
  if (v6) return NumSet::Range(u128(0xff) << 120, MaxOf(128));
  return NumSet::Range(u128(0xe0000000), u128(0xefffffff));
}

std::optional<u128> PrimaryAddr(const HostContext& h, const std::string& dev, bool v6) {
  std::optional<u128> fallback;
  for (const Interface& i : h.interfaces) {
    if (BaseIfName(i.name) != dev) continue;
    for (const HostAddr& a : i.addrs) {
      if (a.v6 != v6) continue;
      if (v6 && LinkLocal6(a.addr)) {
        if (!fallback) fallback = a.addr;
        continue;
      }
      return a.addr;
    }
  }
  return fallback;
}

std::string DefaultDev(const HostContext& h, std::vector<std::string>& warnings) {
  for (const Route& r : h.routes)
    if (r.plen == 0 && !r.dev.empty()) return r.dev;
  std::vector<std::string> cands;
  for (const Interface& i : h.interfaces) {
    std::string n = BaseIfName(i.name);
    if (BridgeLike(n) || !i.master.empty() || i.state == "DOWN") continue;
    bool global = false;
    for (const HostAddr& a : i.addrs)
      if (!a.v6 || !LinkLocal6(a.addr)) global = true;
    if (global) cands.push_back(n);
  }
  if (cands.size() == 1) {
    warnings.push_back("no default route captured: assuming it leaves through " + cands[0]);
    return cands[0];
  }
  return "";
}

std::optional<bool> ForwardingOn(const HostContext& h, bool v6) {
  auto it = h.sysctl.find(v6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward");
  if (it == h.sysctl.end()) return std::nullopt;
  return it->second != "0";
}

std::vector<RouteHop> RoutePartition(const World& w, bool v6, const NumSet& dom) {
  const HostContext& h = *w.host;
  std::vector<RouteHop> out;
  NumSet rest = dom;
  NumSet local = LocalAddrs(h, v6, nullptr).Union(BroadcastAddrs(h, v6)).Union(MulticastAddrs(v6));
  NumSet l = rest.Intersect(local);
  if (!l.Empty()) {
    RouteHop hop;
    hop.dst = l;
    hop.local = true;
    hop.dev = "lo";
    out.push_back(hop);
    rest = rest.Subtract(local);
  }
  // Captured routes and connected subnets, longest prefix first.
  struct R { NumSet dst; uint8_t plen; std::string dev, type; };
  std::vector<R> routes;
  for (const Route& r : h.routes)
    if (r.v6 == v6) routes.push_back({Prefix(r.dst, r.plen, v6), r.plen, r.dev, r.type});
  for (const Interface& i : h.interfaces)
    for (const HostAddr& a : i.addrs)
      if (a.v6 == v6 && !(v6 && LinkLocal6(a.addr)) && BaseIfName(i.name) != "lo")
        routes.push_back({Prefix(a.addr, a.plen, v6), a.plen, BaseIfName(i.name), "unicast"});
  std::stable_sort(routes.begin(), routes.end(), [](const R& a, const R& b) { return a.plen > b.plen; });
  for (const R& r : routes) {
    if (rest.Empty()) break;
    NumSet part = rest.Intersect(r.dst);
    if (part.Empty()) continue;
    RouteHop hop;
    hop.dst = part;
    hop.dev = r.dev;
    hop.type = r.type;
    out.push_back(hop);
    rest = rest.Subtract(r.dst);
  }
  if (!rest.Empty()) {
    RouteHop hop;
    hop.dst = rest;
    hop.dev = w.default_dev;
    hop.assumed = true;
    out.push_back(hop);
  }
  return out;
}

}  // namespace nftc::sim
