// Hook graph on hand-built rulesets: kernel order, inet in both pipelines, the NAT core slot
// (netfilter-semantics.md §3), tie groups (§1), legacy chains, netdev per device.
#include <catch2/catch.hpp>

#include <climits>
#include <sstream>

#include "graph/graph_format.h"
#include "nftc/hook_graph.h"
#include "nftc/owners.h"
#include "unit/hook_graph_build_helpers.h"

using namespace nftc;
using namespace nftc::test;

namespace {

/// "ip docker-bridges filter-FORWARD" for chains, "[conntrack]" for markers; "> " marks NAT
/// slot members and "tN " tie membership.
std::vector<std::string> Rows(const HookView& v) {
  std::vector<std::string> out;
  for (const auto& e : v.entries) {
    std::string s = e.tie >= 0 ? "t" + std::to_string(e.tie) + " " : "";
    if (e.in_nat_slot) s += "> ";
    s += e.IsChain() ? e.table->Id() + " " + e.chain->name : "[" + std::string(ToString(e.marker)) + "]";
    out.push_back(s);
  }
  return out;
}

Ruleset SeedLike() {
  Ruleset rs;
  {
    Table& t = AddTable(rs, Family::kInet, "firewalld");
    AddBase(t, "filter_FORWARD", ChainType::kFilter, Hook::kForward, 10);
    AddBase(t, "nat_PREROUTING", ChainType::kNat, Hook::kPrerouting, -90);
    AddBase(t, "mangle_PREROUTING", ChainType::kFilter, Hook::kPrerouting, -140);
  }
  {
    Table& t = AddTable(rs, Family::kIp, "docker-bridges");
    AddBase(t, "filter-FORWARD", ChainType::kFilter, Hook::kForward, 0);
    AddBase(t, "nat-PREROUTING", ChainType::kNat, Hook::kPrerouting, -100);
    AddBase(t, "raw-PREROUTING", ChainType::kFilter, Hook::kPrerouting, -300);
  }
  AddBase(AddTable(rs, Family::kIp, "libvirt_network"), "forward", ChainType::kFilter, Hook::kForward, 0);
  AttributeOwners(rs);
  return rs;
}

}  // namespace

TEST_CASE("IPv4 forward: docker and libvirt tie at 0, firewalld after at 10") {
  Ruleset rs = SeedLike();
  HookGraph g = HookGraph::Build(rs);
  const HookView* v = g.Find(Pipeline::kIpv4, Hook::kForward);
  REQUIRE(v);
  CHECK(Rows(*v) == std::vector<std::string>{"[selinux-first]", "t0 ip docker-bridges filter-FORWARD",
                                             "t0 ip libvirt_network forward", "inet firewalld filter_FORWARD"});
  REQUIRE(v->ties.size() == 1);
  CHECK(v->ties[0].prio == 0);
  CHECK(v->ties[0].entries == std::vector<size_t>{1, 2});
  // IPv6 forward only has the inet chain.
  const HookView* v6 = g.Find(Pipeline::kIpv6, Hook::kForward);
  REQUIRE(v6);
  CHECK(Rows(*v6) == std::vector<std::string>{"[selinux-first]", "inet firewalld filter_FORWARD"});
  CHECK(v6->ties.empty());
}

TEST_CASE("prerouting: markers in kernel order, NAT chains inside the NAT core slot") {
  Ruleset rs = SeedLike();
  // A filter chain at -120 runs before a nat chain declared at -150 (semantics §3, verified).
  AddBase(AddTable(rs, Family::kIp, "probe"), "early_nat", ChainType::kNat, Hook::kPrerouting, -150);
  AddBase(AddTable(rs, Family::kIp, "probe2"), "filter120", ChainType::kFilter, Hook::kPrerouting, -120);
  HookGraph g = HookGraph::Build(rs);
  const HookView* v = g.Find(Pipeline::kIpv4, Hook::kPrerouting);
  REQUIRE(v);
  CHECK(Rows(*v) == std::vector<std::string>{
                        "[defrag]", "ip docker-bridges raw-PREROUTING", "[conntrack]",
                        "inet firewalld mangle_PREROUTING", "ip probe2 filter120", "[nat-core]",
                        "> ip probe early_nat", "> ip docker-bridges nat-PREROUTING", "> inet firewalld nat_PREROUTING"});
  CHECK(v->ties.empty());
}

TEST_CASE("postrouting and input markers: NAT core at 100, helper, confirm last") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "nat", Backend::kIptablesNft);
  AddBase(t, "POSTROUTING", ChainType::kNat, Hook::kPostrouting, 100);
  AddBase(t, "INPUT", ChainType::kNat, Hook::kInput, 100);
  HookGraph g = HookGraph::Build(rs);
  const HookView* post = g.Find(Pipeline::kIpv4, Hook::kPostrouting);
  REQUIRE(post);
  CHECK(Rows(*post) == std::vector<std::string>{"[nat-core]", "> ip nat POSTROUTING", "[selinux-last]",
                                                "[conntrack-helper]", "[conntrack-confirm]"});
  CHECK(post->entries.back().prio == INT_MAX);
  const HookView* in = g.Find(Pipeline::kIpv4, Hook::kInput);
  REQUIRE(in);
  CHECK(Rows(*in) == std::vector<std::string>{"[nat-core]", "> ip nat INPUT", "[conntrack-helper]", "[conntrack-confirm]"});
  CHECK_FALSE(g.Find(Pipeline::kIpv6, Hook::kPostrouting));
}

TEST_CASE("NAT chains with equal priority tie inside the slot") {
  Ruleset rs;
  AddBase(AddTable(rs, Family::kIp, "docker-bridges"), "nat-POSTROUTING", ChainType::kNat, Hook::kPostrouting, 100);
  AddBase(AddTable(rs, Family::kIp, "libvirt_network"), "guest_nat", ChainType::kNat, Hook::kPostrouting, 100);
  AddBase(AddTable(rs, Family::kIp, "io.systemd.nat"), "postrouting", ChainType::kNat, Hook::kPostrouting, 101);
  AttributeOwners(rs);
  HookGraph g = HookGraph::Build(rs);
  const HookView* v = g.Find(Pipeline::kIpv4, Hook::kPostrouting);
  REQUIRE(v);
  CHECK(Rows(*v)[0] == "[nat-core]");
  CHECK(Rows(*v)[1] == "t0 > ip docker-bridges nat-POSTROUTING");
  CHECK(Rows(*v)[2] == "t0 > ip libvirt_network guest_nat");
  CHECK(Rows(*v)[3] == "> ip io.systemd.nat postrouting");
  REQUIRE(v->ties.size() == 1);
  CHECK(v->ties[0].in_nat_slot);
  auto clashes = g.Clashes();
  REQUIRE(clashes.size() == 1);
  CHECK(clashes[0].owners_differ);
  CHECK(clashes[0].chains.size() == 2);
}

TEST_CASE("a chain at a marker's priority ties with the kernel marker") {
  Ruleset rs;
  AddBase(AddTable(rs, Family::kIp, "t"), "at_ct", ChainType::kFilter, Hook::kPrerouting, -200);
  HookGraph g = HookGraph::Build(rs);
  const HookView* v = g.Find(Pipeline::kIpv4, Hook::kPrerouting);
  REQUIRE(v);
  CHECK(Rows(*v)[1] == "t0 ip t at_ct");
  CHECK(Rows(*v)[2] == "t0 [conntrack]");
  CHECK(g.Clashes().empty());  // one chain only: no clash between owners
}

TEST_CASE("iptables-legacy chains run at classic priorities next to nft chains") {
  Ruleset rs;
  AddBase(AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft), "FORWARD", ChainType::kFilter, Hook::kForward, 0);
  Table& lnat = AddTable(rs, Family::kIp, "nat", Backend::kIptablesLegacy);
  // A legacy nat chain whose loader left prio 0 and type filter: still in the NAT core at 100.
  AddBase(lnat, "POSTROUTING", ChainType::kFilter, Hook::kPostrouting, 0);
  AddBase(AddTable(rs, Family::kIp, "filter", Backend::kIptablesLegacy), "FORWARD", ChainType::kFilter,
          Hook::kForward, 0, Policy::kDrop);
  AttributeOwners(rs);
  HookGraph g = HookGraph::Build(rs);
  const HookView* fwd = g.Find(Pipeline::kIpv4, Hook::kForward);
  REQUIRE(fwd);
  CHECK(Rows(*fwd) == std::vector<std::string>{"[selinux-first]", "t0 ip filter FORWARD", "t0 ip filter (legacy) FORWARD"});
  auto clashes = g.Clashes();
  REQUIRE(clashes.size() == 1);
  CHECK(clashes[0].owners_differ);  // iptables-nft vs iptables-legacy
  const HookView* post = g.Find(Pipeline::kIpv4, Hook::kPostrouting);
  REQUIRE(post);
  CHECK(Rows(*post)[1] == "> ip nat (legacy) POSTROUTING");
  CHECK(post->entries[1].prio == 100);
}

TEST_CASE("netdev chains form one pipeline per device; bridge and arp are separate") {
  Ruleset rs;
  Chain& c = AddBase(AddTable(rs, Family::kNetdev, "nd"), "ing", ChainType::kFilter, Hook::kIngress, 0);
  c.devices = {"eth1", "eth0"};
  AddBase(AddTable(rs, Family::kBridge, "filter", Backend::kIptablesNft), "FORWARD", ChainType::kFilter, Hook::kForward, -200);
  AddBase(AddTable(rs, Family::kArp, "filter", Backend::kIptablesNft), "INPUT", ChainType::kFilter, Hook::kInput, 0);
  HookGraph g = HookGraph::Build(rs);
  REQUIRE(g.Find(Pipeline::kNetdev, Hook::kIngress, "eth0"));
  REQUIRE(g.Find(Pipeline::kNetdev, Hook::kIngress, "eth1"));
  CHECK(g.Find(Pipeline::kNetdev, Hook::kIngress, "eth0")->entries.size() == 1);
  const HookView* br = g.Find(Pipeline::kBridge, Hook::kForward);
  REQUIRE(br);
  CHECK(br->entries.size() == 1);  // no L3 kernel markers on the bridge pipeline
  REQUIRE(g.Find(Pipeline::kArp, Hook::kInput));
  CHECK_FALSE(g.Find(Pipeline::kIpv4, Hook::kInput));
  // Order of views: pipeline (ipv4, ipv6, bridge, arp, netdev), then device.
  std::vector<std::string> order;
  for (const auto& v : g.hooks()) order.push_back(std::string(ToString(v.pipeline)) + v.device);
  CHECK(order == std::vector<std::string>{"bridge", "arp", "netdeveth0", "netdeveth1"});
}

TEST_CASE("graph printers are deterministic and versioned") {
  Ruleset rs = SeedLike();
  HookGraph g = HookGraph::Build(rs);
  std::ostringstream a, b, j, d;
  FormatGraphText(g, a);
  FormatGraphText(HookGraph::Build(rs), b);
  CHECK(a.str() == b.str());
  CHECK(a.str().find("tie at 0, order undefined") != std::string::npos);
  FormatGraphJson(g, j);
  CHECK(j.str().find("\"schema_version\": 1") != std::string::npos);
  FormatGraphDot(g, d);
  CHECK(d.str().rfind("digraph", 0) == 0);
  CHECK(d.str().find("cluster_h0") != std::string::npos);
}

TEST_CASE("flowtables appear as markers at ingress of each of their devices") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kInet, "firewalld");
  AddBase(t, "filter_FORWARD", ChainType::kFilter, Hook::kForward, 10);
  Flowtable ft;
  ft.name = "fastpath";
  ft.prio = 10;
  ft.devices = {"eth0", "docker0"};
  t.flowtables.push_back(ft);
  AttributeOwners(rs);
  HookGraph g = HookGraph::Build(rs);
  for (const char* dev : {"eth0", "docker0"}) {
    INFO(dev);
    const HookView* v = g.Find(Pipeline::kNetdev, Hook::kIngress, dev);
    REQUIRE(v);
    REQUIRE(v->entries.size() == 1);
    CHECK(v->entries[0].marker == MarkerKind::kFlowtable);
    CHECK(v->entries[0].prio == 10);
    CHECK(v->entries[0].Owner() == "firewalld");
    CHECK(v->entries[0].flowtable == &rs.tables[0].flowtables[0]);
  }
}
