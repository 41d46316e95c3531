// NC4005 next-boot-forwarding-drift and NC4006 next-boot-backend-drift: the fixtures, the
// corpora whose NOTES.md describe next-boot drift, and hand-made variations of the persistent
// configuration (services.txt, sysctl.d, daemon.json, firewalld.conf, ufw.conf). The expected
// next-boot values follow Docker's nftables documentation ("IP forwarding", "Migrating from
// iptables to nftables"), libvirt's network driver and sysctl.d(5).
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;
using namespace nftc::test;

namespace {

Ruleset Fixture(const std::string& name) { return Load(ProjectDir() + "/corpora/minimal/" + name); }

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("NC4005: forwarding on now, nothing persists it, Docker's nftables backend does not set it") {
  auto ds = RunRule(Fixture("NC4005-pos"), "NC4005");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.empty());  // about the host, not a table
  CHECK(Has(ds[0].message, "net.ipv4.ip_forward is 1 now, but the next boot leaves it at 0"));
  CHECK(Has(ds[0].where.src.file, "sysctl.txt"));
  REQUIRE(ds[0].related.size() == 1);
  CHECK(ds[0].related[0].table == "docker-bridges");
  CHECK(Has(ds[0].related[0].message, "fails to start"));
  CHECK(Has(ds[0].fix, "net.ipv4.ip_forward=1"));
  CHECK(RunRule(Fixture("NC4005-neg"), "NC4005").empty());
}

TEST_CASE("NC4005/NC4006: plain nft JSON has no persistent configuration: both stay silent") {
  CHECK(RunRule(Load(ProjectDir() + "/corpora/minimal/NC4005-pos/ruleset.json"), "NC4005").empty());
  CHECK(RunRule(Load(ProjectDir() + "/corpora/minimal/NC4006-pos/ruleset.json"), "NC4006").empty());
  // a capture without services.txt and etc/ (the shared captures) is silent too
  Ruleset rs = Fixture("NC4005-pos");
  rs.host.files.erase("services.txt");
  rs.host.files.erase("etc/docker/daemon.json");
  CHECK(RunRule(rs, "NC4005").empty());
}

TEST_CASE("NC4005: Docker's iptables backend turns IPv4 forwarding on at start (no drift)") {
  Ruleset rs = Fixture("NC4005-pos");
  rs.host.files["etc/docker/daemon.json"] = "{}";
  CHECK(RunRule(rs, "NC4005").empty());
  rs.host.files["etc/docker/daemon.json"] = R"({"firewall-backend": "iptables"})";
  CHECK(RunRule(rs, "NC4005").empty());
  // ... unless "ip-forward": false, or the daemon does not start at boot
  rs.host.files["etc/docker/daemon.json"] = R"({"ip-forward": false})";
  CHECK(RunRule(rs, "NC4005").size() == 1);
  rs.host.files["etc/docker/daemon.json"] = "{}";
  rs.host.files["services.txt"] = "docker.service disabled\n";
  CHECK(RunRule(rs, "NC4005").size() == 1);
  // socket activation only: a possibility, named in the message, not a certainty
  rs.host.files["services.txt"] = "docker.service disabled\ndocker.socket enabled sockets.target\n";
  auto ds = RunRule(rs, "NC4005");
  REQUIRE(ds.size() == 1);
  CHECK(Has(ds[0].message, "only: Docker (iptables backend) when a client first connects to docker.socket"));
}

TEST_CASE("NC4005: sysctl.d order: later file names win, /etc hides /usr/lib, sysctl.conf last") {
  Ruleset rs = Fixture("NC4005-pos");
  rs.host.files["etc/sysctl.d/10-forward.conf"] = "net.ipv4.ip_forward = 1\n";
  CHECK(RunRule(rs, "NC4005").empty());
  rs.host.files["usr/lib/sysctl.d/50-default.conf"] = "# distribution default\nnet.ipv4.ip_forward=0\n";
  auto ds = RunRule(rs, "NC4005");
  REQUIRE(ds.size() == 1);
  CHECK(Has(ds[0].message, "usr/lib/sysctl.d/50-default.conf:2 sets it to 0"));
  CHECK(ds[0].where.src.line == 2);
  rs.host.files["etc/sysctl.d/50-default.conf"] = "net.ipv4.ip_forward=1\n";  // hides the /usr/lib one
  CHECK(RunRule(rs, "NC4005").empty());
  rs.host.files["etc/sysctl.conf"] = "net/ipv4/ip_forward=0\n";  // applied last, slash syntax
  CHECK(RunRule(rs, "NC4005").size() == 1);
  rs.host.files["etc/sysctl.conf"] = "net.ipv4.conf.all.forwarding=1\n";  // the same switch
  CHECK(RunRule(rs, "NC4005").empty());
}

TEST_CASE("NC4005: forwarding off now, the next boot turns it on") {
  Ruleset rs = Fixture("NC4005-neg");
  rs.host.sysctl["net.ipv4.ip_forward"] = "0";
  auto ds = RunRule(rs, "NC4005");
  REQUIRE(ds.size() == 1);
  CHECK(Has(ds[0].message, "is 0 now, but the next boot turns it on: etc/sysctl.d/99-docker.conf:2 sets it to 1"));
  CHECK(Has(ds[0].where.src.file, "etc/sysctl.d/99-docker.conf"));
}

TEST_CASE("NC4005: libvirt sets forwarding for its NAT network when its daemon starts at boot") {
  // libvirtd-real-firewalld: ip_forward=1 with no sysctl file; libvirtd.service is enabled
  Ruleset rs = Load(ProjectDir() + "/corpora/libvirtd-real-firewalld");
  CHECK(RunRule(rs, "NC4005").empty());
  rs.host.files["services.txt"] = "firewalld.service enabled\nlibvirtd.service disabled\nlibvirtd.socket enabled\n";
  auto ds = RunRule(rs, "NC4005");
  REQUIRE(ds.size() == 1);
  CHECK(Has(ds[0].message, "only: libvirt, only once a client activates its socket"));
}

TEST_CASE("NC4005: ufw applies /etc/ufw/sysctl.conf when it starts") {
  Ruleset rs = Fixture("NC4005-pos");
  rs.host.files["services.txt"] = "ufw.service enabled\n";
  rs.host.files["etc/ufw/ufw.conf"] = "ENABLED=yes\n";
  CHECK(RunRule(rs, "NC4005").size() == 1);
  rs.host.files["etc/ufw/sysctl.conf"] = "net/ipv4/ip_forward=1\n";
  CHECK(RunRule(rs, "NC4005").empty());
}

TEST_CASE("NC4005: the corpora: pre-migration (dockerd sets it), seed (sysctl.d) are consistent") {
  // fedora43-pre-migration NOTES: ip_forward=1 set by dockerd (iptables backend) at start; the
  // next boot does the same; IPv6 forwarding 0 and Docker has no IPv6 network.
  CHECK(RunRule(Load(ProjectDir() + "/corpora/fedora43-pre-migration"), "NC4005").empty());
  CHECK(RunRule(Load(ProjectDir() + "/corpora/fedora43-seed"), "NC4005").empty());
  // the same host after the switch to nftables without 99-docker.conf: the documented trap
  Ruleset rs = Load(ProjectDir() + "/corpora/fedora43-migrated-no-reboot");
  rs.host.files.erase("etc/sysctl.d/99-docker.conf");
  auto ds = RunRule(rs, "NC4005");
  REQUIRE(ds.size() == 2);  // IPv4 and IPv6
  for (const auto& d : ds) CHECK(Has(d.message, "the next boot leaves it at 0"));
}

TEST_CASE("NC4006: daemon.json selects nftables while Docker's iptables chains are loaded") {
  auto ds = RunRule(Fixture("NC4006-pos"), "NC4006");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.table == "filter");
  CHECK(ds[0].where.chain.empty());
  CHECK(Has(ds[0].message, "DOCKER-USER"));
  CHECK(Has(ds[0].hint, "FORWARD policy drop goes with them"));
  CHECK(RunRule(Fixture("NC4006-neg"), "NC4006").empty());
}

TEST_CASE("NC4006: fedora43-migrated-no-reboot and stale-legacy-docker29 (NOTES: leftovers until reboot)") {
  auto ds = RunRule(Load(ProjectDir() + "/corpora/fedora43-migrated-no-reboot"), "NC4006");
  std::set<std::string> where;
  for (const auto& d : ds) {
    where.insert(d.where.family + " " + d.where.table);
    CHECK(d.where.backend == Backend::kIptablesNft);
    REQUIRE(d.related.size() == 1);  // ip docker-bridges (only Docker's ip table is related)
  }
  CHECK(where == std::set<std::string>{"ip filter", "ip nat", "ip raw", "ip6 filter", "ip6 nat"});
  auto l = RunRule(Load(ProjectDir() + "/corpora/stale-legacy-docker29"), "NC4006");
  REQUIRE(l.size() == 2);
  for (const auto& d : l) CHECK(d.where.backend == Backend::kIptablesLegacy);
  CHECK(RunRule(Load(ProjectDir() + "/corpora/fedora43-pre-migration"), "NC4006").empty());
  CHECK(RunRule(Load(ProjectDir() + "/corpora/fedora43-seed"), "NC4006").empty());
}

TEST_CASE("NC4006: the reverse: iptables backend configured while docker-bridges is loaded") {
  Ruleset rs = Load(ProjectDir() + "/corpora/fedora43-seed");
  rs.host.files.erase("etc/docker/daemon.json");  // Docker's default: iptables
  auto ds = RunRule(rs, "NC4006");
  REQUIRE(ds.size() == 2);  // ip and ip6 docker-bridges
  for (const auto& d : ds) {
    CHECK(d.where.table == "docker-bridges");
    CHECK(Has(d.message, "no /etc/docker/daemon.json means Docker's iptables firewall backend"));
  }
  rs.host.files["etc/docker/daemon.json"] = R"({"firewall-backend": "nftables", "iptables": false})";
  ds = RunRule(rs, "NC4006");
  REQUIRE(ds.size() == 2);
  CHECK(Has(ds[0].message, "\"iptables\": false"));
}

TEST_CASE("NC4006: rules loaded by a unit that does not start at boot, and the reverse") {
  Ruleset rs = Load(ProjectDir() + "/corpora/fedora43-seed");
  rs.host.files["services.txt"] = "firewalld.service disabled\ndocker.service masked\ndocker.socket disabled\n";
  auto ds = RunRule(rs, "NC4006");
  std::set<std::string> tables;
  for (const auto& d : ds) tables.insert(d.where.family + " " + d.where.table);
  CHECK(tables == std::set<std::string>{"inet firewalld", "ip docker-bridges", "ip6 docker-bridges"});
  // firewalld enabled but not running: its zones apply after the reboot
  Ruleset none = Fixture("NC4006-neg");
  none.host.files["services.txt"] = "docker.service enabled\nfirewalld.service enabled\n";
  ds = RunRule(none, "NC4006");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.empty());
  CHECK(Has(ds[0].message, "firewalld.service is enabled, but none of firewalld's rules are loaded"));
}

TEST_CASE("NC4006: firewalld's FirewallBackend differs from the loaded backend") {
  Ruleset rs = Load(ProjectDir() + "/corpora/fedora43-seed");
  rs.host.files["etc/firewalld/firewalld.conf"] = "# firewalld.conf\nFirewallBackend=iptables\n";
  auto ds = RunRule(rs, "NC4006");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.table == "firewalld");
  CHECK(Has(ds[0].message, "FirewallBackend=iptables"));
  rs.host.files["etc/firewalld/firewalld.conf"] = "FirewallBackend=nftables\n";
  CHECK(RunRule(rs, "NC4006").empty());
}

TEST_CASE("NC4006: ufw's rules loaded while /etc/ufw/ufw.conf says ENABLED=no") {
  Ruleset rs = Load(ProjectDir() + "/corpora/ufw-real-dockerd-ipt");
  CHECK(RunRule(rs, "NC4006").empty());
  rs.host.files["etc/ufw/ufw.conf"] = "ENABLED=no\nLOGLEVEL=low\n";
  auto ds = RunRule(rs, "NC4006");
  REQUIRE_FALSE(ds.empty());
  for (const auto& d : ds) CHECK(Has(d.message, "ENABLED=no"));
}

TEST_CASE("NC4005: quiet on every corpus and shared capture (no .expected line names it)") {
  // Worked out by hand from each corpus' services.txt, etc/ and sysctl.txt: forwarding is
  // persisted in sysctl.d where it is on, or turned on by an enabled Docker (iptables
  // backend: ufw-real-dockerd-ipt, libvirt-nft-docker-ipt-drop, fedora43-pre-migration) or
  // libvirtd (libvirtd-real-firewalld, libvirt-nft-input-drop); IPv6 forwarding is off where
  // nothing persists it. The shared captures hold no persistent configuration.
  for (const auto& e : std::filesystem::directory_iterator(ProjectDir() + "/corpora")) {
    if (!e.is_directory() || e.path().filename() == "minimal") continue;
    INFO(e.path().string());
    CHECK(RunRule(Load(e.path().string()), "NC4005").empty());
  }
  auto shared = SharedDir();
  if (!shared) { WARN("no ../shared"); return; }
  for (const auto& e : std::filesystem::directory_iterator(*shared + "/captures")) {
    if (!e.is_directory()) continue;
    INFO(e.path().string());
    CHECK(RunRule(Load(e.path().string()), "NC4005").empty());
    CHECK(RunRule(Load(e.path().string()), "NC4006").empty());
  }
}

TEST_CASE("NC4005/NC4006: another network namespace is not what the host's boot configures") {
  // `capture --netns X` and live `--netns X` copy the host's /etc and units; the namespace's
  // sysctls and rules are not set up by the host's boot, so both rules stay silent.
  Ruleset rs = Fixture("NC4005-pos");
  rs.host.files["meta.txt"] = "tool: nft-coexist 0.1.0\nnetns: (current)\n";
  CHECK(RunRule(rs, "NC4005").size() == 1);
  rs.host.files["meta.txt"] = "tool: nft-coexist 0.1.0\nnetns: demo (/run/netns/demo)\n";
  CHECK(RunRule(rs, "NC4005").empty());
  Ruleset n = Fixture("NC4006-pos");
  n.origin = "live:demo";
  CHECK(RunRule(n, "NC4006").empty());
  // a corpus script's own meta.txt (no "tool: nft-coexist") does not count
  n = Fixture("NC4006-pos");
  n.host.files["meta.txt"] = "scenario: x\nnetns: nftcc-x (created with ip netns add, deleted after capture)\n";
  CHECK(RunRule(n, "NC4006").size() == 1);
}
