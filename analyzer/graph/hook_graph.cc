#include "nftc/hook_graph.h"

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <tuple>

#include "nftc/priority.h"

namespace nftc {
namespace {

int HookOrder(Hook h) {
  switch (h) {
    case Hook::kIngress: return 0;
    case Hook::kPrerouting: return 1;
    case Hook::kInput: return 2;
    case Hook::kForward: return 3;
    case Hook::kOutput: return 4;
    case Hook::kPostrouting: return 5;
    case Hook::kEgress: return 6;
    case Hook::kNone: return 7;
  }
  return 7;
}

GraphEntry Marker(MarkerKind m, int32_t prio, std::string label, std::string note = {}) {
  GraphEntry e;
  e.kind = GraphEntry::Kind::kMarker;
  e.marker = m;
  e.prio = prio;
  e.label = std::move(label);
  e.note = std::move(note);
  return e;
}

/// The kernel's fixed points of an IPv4/IPv6 hook (nf_ip_hook_priorities; the IPv6 values
/// are the same). Other pipelines have none that matter here.
std::vector<GraphEntry> KernelMarkers(Pipeline p, Hook h) {
  std::vector<GraphEntry> m;
  if (p != Pipeline::kIpv4 && p != Pipeline::kIpv6) return m;
  const std::string selinux = "only with SELinux enabled";
  switch (h) {
    case Hook::kPrerouting:
      m.push_back(Marker(MarkerKind::kDefrag, -400, "defrag"));
      m.push_back(Marker(MarkerKind::kConntrack, -200, "conntrack"));
      m.push_back(Marker(MarkerKind::kNatCore, -100, "NAT core (dstnat)", "nat chains run here, first binding wins"));
      break;
    case Hook::kOutput:
      m.push_back(Marker(MarkerKind::kDefrag, -400, "defrag"));
      m.push_back(Marker(MarkerKind::kSelinuxFirst, -225, "SELinux", selinux));
      m.push_back(Marker(MarkerKind::kConntrack, -200, "conntrack"));
      m.push_back(Marker(MarkerKind::kNatCore, -100, "NAT core (dstnat)", "nat chains run here, first binding wins"));
      break;
    case Hook::kForward:
      m.push_back(Marker(MarkerKind::kSelinuxFirst, -225, "SELinux", selinux));
      break;
    case Hook::kInput:
      m.push_back(Marker(MarkerKind::kNatCore, 100, "NAT core (srcnat)", "nat chains run here, first binding wins"));
      m.push_back(Marker(MarkerKind::kConntrackHelper, 300, "conntrack helper"));
      m.push_back(Marker(MarkerKind::kConfirm, INT_MAX, "conntrack confirm"));
      break;
    case Hook::kPostrouting:
      m.push_back(Marker(MarkerKind::kNatCore, 100, "NAT core (srcnat)", "nat chains run here, first binding wins"));
      m.push_back(Marker(MarkerKind::kSelinuxLast, 225, "SELinux", selinux));
      m.push_back(Marker(MarkerKind::kConntrackHelper, 300, "conntrack helper"));
      m.push_back(Marker(MarkerKind::kConfirm, INT_MAX, "conntrack confirm"));
      break;
    default: break;
  }
  return m;
}

bool IsNatChain(const Table& t, const Chain& c) {
  if (c.type == ChainType::kNat) return true;
  // x_tables nat tables register through the NAT core as well, whatever the loader set.
  return t.backend == Backend::kIptablesLegacy && t.name == "nat" &&
         (t.family == Family::kIp || t.family == Family::kIp6);
}

int32_t ChainPrio(const Table& t, const Chain& c) {
  if (t.backend == Backend::kIptablesLegacy && c.prio == 0)
    if (auto p = ClassicPriority(t.family, t.name, c.name, t.backend)) return *p;
  return c.prio;
}

struct Key {
  Pipeline p;
  std::string dev;
  Hook h;
  bool operator<(const Key& o) const {
    return std::make_tuple(p, dev, HookOrder(h)) < std::make_tuple(o.p, o.dev, HookOrder(o.h));
  }
};

/// Orders the entries of one hook and finds its tie groups.
void Finish(HookView& v) {
  std::vector<GraphEntry> top, nat;
  for (auto& e : v.entries) (e.in_nat_slot ? nat : top).push_back(std::move(e));
  // Stable: chains keep their table order within equal priorities (as listed by nft).
  std::stable_sort(top.begin(), top.end(), [](const GraphEntry& a, const GraphEntry& b) { return a.prio < b.prio; });
  std::stable_sort(nat.begin(), nat.end(), [](const GraphEntry& a, const GraphEntry& b) { return a.prio < b.prio; });
  v.entries.clear();
  for (auto& e : top) {
    bool slot = e.kind == GraphEntry::Kind::kMarker && e.marker == MarkerKind::kNatCore;
    v.entries.push_back(std::move(e));
    if (slot)
      for (auto& n : nat) v.entries.push_back(std::move(n));
  }
  // Ties: consecutive entries at the same level with equal priority, at least one a chain.
  for (size_t i = 0; i < v.entries.size();) {
    size_t j = i + 1;
    while (j < v.entries.size() && v.entries[j].in_nat_slot == v.entries[i].in_nat_slot &&
           v.entries[j].prio == v.entries[i].prio)
      ++j;
    // A NAT slot marker and its nested chains are not at the same level; skip over them.
    size_t chains = 0;
    for (size_t k = i; k < j; ++k) chains += v.entries[k].IsChain();
    if (j - i >= 2 && chains >= 1) {
      TieGroup g;
      g.prio = v.entries[i].prio;
      g.in_nat_slot = v.entries[i].in_nat_slot;
      for (size_t k = i; k < j; ++k) {
        g.entries.push_back(k);
        v.entries[k].tie = static_cast<int>(v.ties.size());
      }
      v.ties.push_back(std::move(g));
    }
    i = j;
  }
}

}  // namespace

std::string_view ToString(Pipeline p) {
  switch (p) {
    case Pipeline::kIpv4: return "ipv4";
    case Pipeline::kIpv6: return "ipv6";
    case Pipeline::kBridge: return "bridge";
    case Pipeline::kArp: return "arp";
    case Pipeline::kNetdev: return "netdev";
  }
  return "?";
}

std::string_view ToString(MarkerKind m) {
  switch (m) {
    case MarkerKind::kDefrag: return "defrag";
    case MarkerKind::kSelinuxFirst: return "selinux-first";
    case MarkerKind::kConntrack: return "conntrack";
    case MarkerKind::kNatCore: return "nat-core";
    case MarkerKind::kSelinuxLast: return "selinux-last";
    case MarkerKind::kConntrackHelper: return "conntrack-helper";
    case MarkerKind::kConfirm: return "conntrack-confirm";
    case MarkerKind::kFlowtable: return "flowtable";
  }
  return "?";
}

std::string_view GraphEntry::Owner() const {
  if (kind == Kind::kMarker && marker == MarkerKind::kFlowtable && table) return table->owner.owner;
  if (kind == Kind::kMarker || !chain) return "kernel";
  return chain->owner.owner;
}

size_t HookView::ChainCount() const {
  return std::count_if(entries.begin(), entries.end(), [](const GraphEntry& e) { return e.IsChain(); });
}

std::vector<Pipeline> PipelinesOf(Family family, Hook hook) {
  if (hook == Hook::kIngress || hook == Hook::kEgress) return {Pipeline::kNetdev};
  switch (family) {
    case Family::kIp: return {Pipeline::kIpv4};
    case Family::kIp6: return {Pipeline::kIpv6};
    case Family::kInet: return {Pipeline::kIpv4, Pipeline::kIpv6};
    case Family::kBridge: return {Pipeline::kBridge};
    case Family::kArp: return {Pipeline::kArp};
    case Family::kNetdev: return {Pipeline::kNetdev};
  }
  return {};
}

HookGraph HookGraph::Build(const Ruleset& rs) {
  std::map<Key, HookView> views;
  for (const auto& t : rs.tables) {
    for (const auto& c : t.chains) {
      if (!c.base || c.hook == Hook::kNone) continue;
      for (Pipeline p : PipelinesOf(t.family, c.hook)) {
        std::vector<std::string> devs{""};
        if (p == Pipeline::kNetdev && !c.devices.empty()) devs = c.devices;
        for (const auto& d : devs) {
          HookView& v = views[Key{p, d, c.hook}];
          v.pipeline = p;
          v.device = d;
          v.hook = c.hook;
          GraphEntry e;
          e.table = &t;
          e.chain = &c;
          e.prio = ChainPrio(t, c);
          e.in_nat_slot = (p == Pipeline::kIpv4 || p == Pipeline::kIpv6) && IsNatChain(t, c) &&
                          c.hook != Hook::kForward;
          v.entries.push_back(e);
        }
      }
    }
  }
  // Flowtables hook ingress of their devices: shown as markers of those netdev pipelines.
  for (const auto& t : rs.tables) {
    for (const auto& ft : t.flowtables) {
      for (const auto& d : ft.devices) {
        HookView& v = views[Key{Pipeline::kNetdev, d, Hook::kIngress}];
        v.pipeline = Pipeline::kNetdev;
        v.device = d;
        v.hook = Hook::kIngress;
        GraphEntry e = Marker(MarkerKind::kFlowtable, ft.prio, "flowtable " + t.Id() + " " + ft.name,
                              "offloaded flows skip prerouting, forward and postrouting of every table");
        e.table = &t;
        e.flowtable = &ft;
        v.entries.push_back(std::move(e));
      }
    }
  }
  HookGraph g;
  for (auto& [k, v] : views) {
    for (auto& m : KernelMarkers(v.pipeline, v.hook)) v.entries.push_back(std::move(m));
    Finish(v);
    g.hooks_.push_back(std::move(v));
  }
  return g;
}

const HookView* HookGraph::Find(Pipeline p, Hook h, std::string_view device) const {
  for (const auto& v : hooks_)
    if (v.pipeline == p && v.hook == h && v.device == device) return &v;
  return nullptr;
}

std::vector<PriorityClash> HookGraph::Clashes() const {
  std::vector<PriorityClash> out;
  for (const auto& v : hooks_) {
    for (const auto& tie : v.ties) {
      PriorityClash c;
      c.hook = &v;
      c.tie = &tie;
      std::set<std::string> owners, tables;
      for (size_t i : tie.entries) {
        const GraphEntry& e = v.entries[i];
        if (!e.IsChain()) continue;
        c.chains.push_back(&e);
        owners.insert(std::string(e.Owner()));
        tables.insert(e.table->Id());
      }
      if (c.chains.size() < 2 || (owners.size() < 2 && tables.size() < 2)) continue;
      c.owners_differ = owners.size() >= 2;
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace nftc
