// NC3005 (bridged traffic through the ip forward hook) and NC3006 (flowtable fast path) on the
// corpora whose NOTES.md describe the situation (with the real packets of probes.txt), and on
// hand-made cases for the traps.
#include <catch2/catch.hpp>

#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;
using test::HasRelated;

TEST_CASE("NC3005: Docker's iptables FORWARD drop cuts VM-to-VM traffic on virbr0 (libvirt-nft-docker-ipt-drop)") {
  std::string dir = test::ProjectDir() + "/corpora/libvirt-nft-docker-ipt-drop";
  // probes.txt: the bridged VM-to-VM packet timed out in the real kernel (NOTES situation 2).
  auto f = test::RunRule(test::Load(dir), "NC3005");
  REQUIRE(f.size() == 1);
  const Diagnostic& d = f[0];
  CHECK(d.where.table == "filter");
  CHECK(d.where.chain == "FORWARD");
  CHECK(d.message.find("virbr0") != std::string::npos);
  CHECK(d.message.find("vnet0") != std::string::npos);  // the known port
  CHECK(d.message.find("policy drop") != std::string::npos);
  CHECK(d.witness.find("iif virbr0 oif virbr0") != std::string::npos);
  CHECK(HasRelated(d, "libvirt_network", "guest_cross"));  // libvirt's accept, not final
}

TEST_CASE("NC3005: quiet where every program accepts bridged frames, or the sysctl is off or unknown") {
  std::string c = test::ProjectDir() + "/corpora/";
  CHECK(test::CountFindings(test::Load(c + "fedora43-seed"), "NC3005") == 0);            // NOTES 6
  CHECK(test::CountFindings(test::Load(c + "libvirtd-real-firewalld"), "NC3005") == 0);  // LIBVIRT_FWX
  CHECK(test::CountFindings(test::Load(c + "ufw-real-dockerd-ipt"), "NC3005") == 0);     // -i docker0 -o docker0 ACCEPT
  Ruleset rs = test::Load(c + "minimal/NC3005-pos");
  REQUIRE(test::CountFindings(rs, "NC3005") == 1);
  rs.host.sysctl["net.bridge.bridge-nf-call-iptables"] = "0";
  CHECK(test::CountFindings(rs, "NC3005") == 0);
  rs.host.sysctl.erase("net.bridge.bridge-nf-call-iptables");
  CHECK(test::CountFindings(rs, "NC3005") == 0);
}

TEST_CASE("NC3005: a drop that names the bridged traffic (Docker icc=false) is deliberate") {
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/minimal/NC3005-neg");
  REQUIRE(test::CountFindings(rs, "NC3005") == 0);
  Table* t = rs.FindTable(Family::kIp, "filter");
  REQUIRE(t);
  Chain* c = t->FindChain("FORWARD");
  REQUIRE(c);
  // -i virbr0 -o virbr0 -j DROP instead of ACCEPT, in front of a policy accept.
  for (Stmt& s : c->rules.back().stmts)
    if (s.kind == StmtKind::kVerdict) s.verdict.kind = VerdictKind::kDrop;
  c->policy = Policy::kAccept;
  CHECK(test::CountFindings(rs, "NC3005") == 0);
}

TEST_CASE("NC3006: the admin's flowtable skips every other owner's filter chains (flowtable-seed-host)") {
  auto f = test::RunRule(test::Load(test::ProjectDir() + "/corpora/flowtable-seed-host"), "NC3006");
  REQUIRE(f.size() == 1);
  const Diagnostic& d = f[0];
  CHECK(d.where.table == "fastpath");
  CHECK(d.where.chain == "forward");
  CHECK(d.message.find("eth0, docker0, br-8c1f2e3a4b5d, virbr0") != std::string::npos);
  // NOTES situation 1: the chains whose later rules the offloaded flows skip.
  CHECK(HasRelated(d, "docker-bridges", "raw-PREROUTING"));
  CHECK(HasRelated(d, "docker-bridges", "filter-FORWARD"));
  CHECK(HasRelated(d, "libvirt_network", "forward"));
  CHECK(HasRelated(d, "firewalld", "filter_FORWARD"));
  CHECK(HasRelated(d, "firewalld", "mangle_PREROUTING"));
  // NAT chains see only first packets: not listed.
  CHECK_FALSE(HasRelated(d, "docker-bridges", "nat-POSTROUTING"));
  CHECK_FALSE(HasRelated(d, "firewalld", "nat_POSTROUTING"));
  bool ft = false;
  for (const Location& l : d.related) ft = ft || l.set == "ft";
  CHECK(ft);  // the flowtable itself
}

TEST_CASE("NC3006: quiet without flow add, and for a flowtable without devices") {
  CHECK(test::CountFindings(test::Load(test::ProjectDir() + "/corpora/fedora43-seed"), "NC3006") == 0);
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/minimal/NC3006-pos.json");
  REQUIRE(test::CountFindings(rs, "NC3006") == 1);
  rs.FindTable(Family::kInet, "fastpath")->flowtables[0].devices.clear();
  CHECK(test::CountFindings(rs, "NC3006") == 0);
}

TEST_CASE("NC3005: IPv6 only for bridges with a routable IPv6 network") {
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/minimal/NC3005-neg");
  REQUIRE(test::CountFindings(rs, "NC3005") == 0);
  Table& t = test::AddTable(rs, Family::kIp6, "filter", Backend::kIptablesNft);
  test::AddChain(t, "FORWARD", Hook::kForward, 0, Policy::kDrop);
  Interface* br = nullptr;
  for (Interface& i : rs.host.interfaces)
    if (i.name == "virbr0") br = &i;
  REQUIRE(br);
  br->addrs.push_back(HostAddr{true, (u128{0xfe80} << 112) | 1, 64});  // link-local only
  CHECK(test::CountFindings(rs, "NC3005") == 0);
  br->addrs.push_back(HostAddr{true, (u128{0xfd42} << 112) | 1, 64});  // a ULA network
  auto f = test::RunRule(rs, "NC3005");
  REQUIRE(f.size() == 1);
  CHECK(f[0].where.family == "ip6");
  CHECK(f[0].message.find("IPv6 frames bridged between ports of virbr0") != std::string::npos);
}
