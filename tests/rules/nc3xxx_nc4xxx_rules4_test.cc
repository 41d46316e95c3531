// NC3001 too-broad-forwarding and NC4001..NC4004 (legacy leftovers), on the corpora and
// shared captures whose NOTES.md / README describe the situation (the acceptance examples
// of issue 4).
#include <catch2/catch.hpp>

#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;
using namespace nftc::test;

TEST_CASE("NC3001: docker29-nft-eth0-eth1 is flagged for eth0 -> eth1 (IPv4 and IPv6)") {
  auto ds = RunRule(Load(ProjectDir() + "/corpora/docker29-nft-eth0-eth1"), "NC3001");
  REQUIRE(ds.size() == 2);
  for (const auto& d : ds) {
    CHECK(d.where.table == "docker-bridges");
    CHECK(d.where.chain == "filter-FORWARD");
    CHECK(d.message.find("eth0") != std::string::npos);
    CHECK(d.message.find("eth1") != std::string::npos);
    CHECK(d.fix.find("iifname \"eth0\" oifname \"eth1\" drop") != std::string::npos);
  }
  // Docker's own flows are not reported: docker0 -> uplink is named by its rules.
  CHECK(ds[0].message.find("docker0 ->") == std::string::npos);
}

TEST_CASE("NC3001: quiet without forwarding, and on the fixtures' negative case") {
  Ruleset rs = Load(ProjectDir() + "/corpora/docker29-nft-eth0-eth1");
  rs.host.sysctl["net.ipv4.ip_forward"] = "0";
  rs.host.sysctl["net.ipv6.conf.all.forwarding"] = "0";
  CHECK(CountFindings(rs, "NC3001") == 0);
  CHECK(CountFindings(Load(ProjectDir() + "/corpora/minimal/NC3001-neg"), "NC3001") == 0);
}

TEST_CASE("NC4001/NC4002: stale-legacy-docker29 reports the legacy tables and the stale DOCKER chains") {
  Ruleset rs = Load(ProjectDir() + "/corpora/stale-legacy-docker29");
  auto l = RunRule(rs, "NC4001");
  CHECK(l.size() == 2);  // legacy filter and nat
  for (const auto& d : l) {
    CHECK(d.where.backend == Backend::kIptablesLegacy);
    CHECK(d.owner == "docker");
    CHECK(d.fix.find("iptables-legacy -t " + d.where.table + " -F") == 0);
  }
  auto s = RunRule(rs, "NC4002");
  bool docker = false;
  for (const auto& d : s)
    if (d.where.table == "filter" && d.where.chain == "DOCKER") {
      docker = true;
      CHECK(d.fix.find("iptables-legacy -t filter -F DOCKER && iptables-legacy -t filter -X DOCKER") != std::string::npos);
      CHECK(d.fix.find("iptables-legacy -t filter -D FORWARD -o docker0 -j DOCKER") != std::string::npos);
    }
  CHECK(docker);
}

TEST_CASE("NC4001: the legacy-only capture is not 'beside nftables'; the combined one is") {
  auto shared = SharedDir();
  if (!shared) { WARN("no ../shared"); return; }
  CHECK(CountFindings(Load(*shared + "/captures/iptables-legacy-docker-libvirt"), "NC4001") == 0);
  CHECK(CountFindings(Load(*shared + "/captures/combined-firewalld-fail2ban-iptnft-legacy"), "NC4001") >= 1);
}

TEST_CASE("NC4003: moby#52612 corpus: libvirt guests cut off by Docker's FORWARD drop") {
  auto ds = RunRule(Load(ProjectDir() + "/corpora/libvirt-nft-docker-ipt-drop"), "NC4003");
  bool cut = false;
  for (const auto& d : ds)
    if (d.severity == Severity::kError && d.message.find("libvirt") != std::string::npos &&
        d.message.find("virbr0") != std::string::npos)
      cut = true;
  CHECK(cut);
}

TEST_CASE("NC4003: iptables-nft-docker-libvirt: no cut-off claim, but the bridged-traffic warning") {
  auto shared = SharedDir();
  if (!shared) { WARN("no ../shared"); return; }
  auto ds = RunRule(Load(*shared + "/captures/iptables-nft-docker-libvirt"), "NC4003");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].severity == Severity::kWarning);
  CHECK(ds[0].message.find("bridge-nf-call-iptables=1") != std::string::npos);
  CHECK(ds[0].message.find("virbr0") != std::string::npos);  // accepted today
}

TEST_CASE("NC4004: empty chain of a program with no rule left; quiet when referenced") {
  auto pos = RunRule(Load(ProjectDir() + "/corpora/minimal/NC4004-pos"), "NC4004");
  CHECK(pos.size() == 2);
  for (const auto& d : pos) CHECK(d.fix.find("iptables-legacy -t filter -X ufw-user-") != std::string::npos);
  CHECK(RunRule(Load(ProjectDir() + "/corpora/minimal/NC4004-neg"), "NC4004").empty());
}
