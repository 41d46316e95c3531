// Owner attribution on hand-built rulesets that mirror the real captures' shapes
// (generators.md; captures/README.md).
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <set>

#include "nftc/owners.h"
#include "unit/hook_graph_build_helpers.h"

using namespace nftc;
using namespace nftc::test;

TEST_CASE("every owner pattern compiles and names a known program") {
  std::set<std::string_view> ids;
  for (const auto& p : KnownPrograms()) ids.insert(p.id);
  for (const auto& p : OwnerPatterns()) {
    INFO(p.program << " " << p.regex);
    CHECK(RE2(std::string(p.regex), RE2::Quiet).ok());
    CHECK(ids.count(p.program));
    CHECK(p.confidence > 0.0);
    CHECK(p.confidence <= 1.0);
    CHECK_FALSE(p.evidence.empty());
  }
}

TEST_CASE("nftables-native programs own their tables, chains and sets") {
  Ruleset rs;
  AddBase(AddTable(rs, Family::kIp, "docker-bridges"), "filter-FORWARD", ChainType::kFilter, Hook::kForward, 0);
  AddBase(AddTable(rs, Family::kIp6, "libvirt_network"), "forward", ChainType::kFilter, Hook::kForward, 0);
  AddBase(AddTable(rs, Family::kInet, "firewalld"), "filter_FORWARD", ChainType::kFilter, Hook::kForward, 10);
  {
    Table& t = AddTable(rs, Family::kInet, "f2b-table");
    AddBase(t, "f2b-chain", ChainType::kFilter, Hook::kInput, -1);
    t.sets.push_back(Set{});
    t.sets.back().name = "addr-set-sshd";
  }
  AddTable(rs, Family::kIp, "kube-proxy");
  AddTable(rs, Family::kInet, "netavark");
  AddTable(rs, Family::kIp, "nm-shared-wlan0");
  AddTable(rs, Family::kIp6, "io.systemd.nat");
  AddTable(rs, Family::kIp, "wg-quick-wg0");
  AddTable(rs, Family::kInet, "proxmox-firewall");
  AddTable(rs, Family::kBridge, "proxmox-firewall-guests");
  AddTable(rs, Family::kIp, "sshguard");
  AddTable(rs, Family::kIp6, "crowdsec6");
  AddTable(rs, Family::kInet, "incus");
  AddTable(rs, Family::kInet, "lxd");
  AddTable(rs, Family::kInet, "filter");  // Debian's /etc/nftables.conf: nobody we know
  {
    Table& t = AddTable(rs, Family::kIp, "k8s-custom");
    t.comment = "rules for kube-proxy";
  }
  AttributeOwners(rs);
  auto owner = [&](Family f, const char* n) { return rs.FindTable(f, n)->owner.owner; };
  CHECK(owner(Family::kIp, "docker-bridges") == "docker");
  CHECK(owner(Family::kIp6, "libvirt_network") == "libvirt");
  CHECK(owner(Family::kInet, "firewalld") == "firewalld");
  CHECK(owner(Family::kInet, "f2b-table") == "fail2ban");
  CHECK(owner(Family::kIp, "kube-proxy") == "kube-proxy");
  CHECK(owner(Family::kInet, "netavark") == "netavark");
  CHECK(owner(Family::kIp, "nm-shared-wlan0") == "networkmanager");
  CHECK(owner(Family::kIp6, "io.systemd.nat") == "systemd-networkd");
  CHECK(owner(Family::kIp, "wg-quick-wg0") == "wg-quick");
  CHECK(owner(Family::kInet, "proxmox-firewall") == "proxmox");
  CHECK(owner(Family::kBridge, "proxmox-firewall-guests") == "proxmox");
  CHECK(owner(Family::kIp, "sshguard") == "sshguard");
  CHECK(owner(Family::kIp6, "crowdsec6") == "crowdsec");
  CHECK(owner(Family::kInet, "incus") == "incus");
  CHECK(owner(Family::kInet, "lxd") == "lxd");
  CHECK(owner(Family::kInet, "filter") == "unknown");
  CHECK(owner(Family::kIp, "k8s-custom") == "kube-proxy");
  const Table* f2b = rs.FindTable(Family::kInet, "f2b-table");
  CHECK(f2b->chains[0].owner.owner == "fail2ban");
  CHECK(f2b->sets[0].owner.owner == "fail2ban");
  CHECK_FALSE(f2b->owner.evidence.empty());
  CHECK(rs.FindTable(Family::kIp, "docker-bridges")->chains[0].owner.owner == "docker");
}

// The combined capture's ip filter: Docker's classic chains next to a firewalld --direct
// rule in INPUT (captures/combined-firewalld-fail2ban-iptnft-legacy).
Ruleset CombinedFilter() {
  Ruleset rs;
  rs.host.files["firewalld-direct-rules.txt"] = "ipv4 filter INPUT 0 -s 198.51.100.0/24 -p tcp --dport 9100 -j ACCEPT\n";
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  AddBase(t, "INPUT", ChainType::kFilter, Hook::kInput, 0);
  AddUser(t, "DOCKER");
  AddUser(t, "DOCKER-ISOLATION-STAGE-1");
  AddUser(t, "DOCKER-ISOLATION-STAGE-2");
  AddBase(t, "FORWARD", ChainType::kFilter, Hook::kForward, 0, Policy::kDrop);
  AddUser(t, "DOCKER-USER");
  AddRule(*t.FindChain("INPUT"), {SaddrPrefix(0xC6336400, 24), VerdictStmt(VerdictKind::kAccept)}, "",
          "-A INPUT -s 198.51.100.0/24 -p tcp -m tcp --dport 9100 -j ACCEPT");
  Chain& fwd = *t.FindChain("FORWARD");
  Jump(fwd, "DOCKER-USER");
  Jump(fwd, "DOCKER-ISOLATION-STAGE-1");
  AddRule(fwd, {IfaceMatch(MetaKey::kOifname, "docker0"), VerdictStmt(VerdictKind::kAccept)});
  AddRule(fwd, {IfaceMatch(MetaKey::kOifname, "docker0"), VerdictStmt(VerdictKind::kJump, "DOCKER")});
  AddRule(fwd, {IfaceMatch(MetaKey::kIifname, "docker0"), VerdictStmt(VerdictKind::kAccept)});
  AddRule(*t.FindChain("DOCKER-USER"), {VerdictStmt(VerdictKind::kReturn)});
  return rs;
}

TEST_CASE("shared iptables-nft filter table: per chain and per rule") {
  Ruleset rs = CombinedFilter();
  AttributeOwners(rs);
  const Table& t = rs.tables[0];
  CHECK(t.owner.owner == "iptables-nft");
  for (const char* n : {"DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"}) {
    INFO(n);
    CHECK(t.FindChain(n)->owner.owner == "docker");
  }
  // The direct rule is firewalld's, by the capture's direct-rules listing; INPUT itself
  // stays iptables-nft's (firewalld neither set its policy nor hands off from it).
  const Chain& in = *t.FindChain("INPUT");
  CHECK(in.rules[0].owner.owner == "firewalld");
  CHECK(in.rules[0].owner.evidence.find("firewalld-direct-rules.txt") != std::string::npos);
  CHECK(in.owner.owner == "iptables-nft");
  CHECK(in.owner.evidence.find("firewalld") != std::string::npos);
  // FORWARD: every rule is Docker's and the policy is drop, as Docker sets it.
  const Chain& fwd = *t.FindChain("FORWARD");
  for (const auto& r : fwd.rules) CHECK(r.owner.owner == "docker");
  CHECK(fwd.rules[0].owner.evidence.find("DOCKER-USER") != std::string::npos);
  CHECK(fwd.owner.owner == "docker");
  CHECK(t.FindChain("DOCKER-USER")->rules[0].owner.owner == "docker");
}

TEST_CASE("without the direct-rules listing the INPUT rule has no owner program") {
  Ruleset rs = CombinedFilter();
  rs.host.files.clear();
  AttributeOwners(rs);
  CHECK(rs.tables[0].FindChain("INPUT")->rules[0].owner.owner == "iptables-nft");
}

TEST_CASE("a built-in chain used by two programs stays iptables-nft's") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  AddBase(t, "FORWARD", ChainType::kFilter, Hook::kForward, 0, Policy::kDrop);
  AddUser(t, "LIBVIRT_FWX");
  AddUser(t, "DOCKER-USER");
  Jump(*t.FindChain("FORWARD"), "LIBVIRT_FWX");
  Jump(*t.FindChain("FORWARD"), "DOCKER-USER");
  AttributeOwners(rs);
  const Chain& fwd = *rs.tables[0].FindChain("FORWARD");
  CHECK(fwd.owner.owner == "iptables-nft");
  CHECK(fwd.rules[0].owner.owner == "libvirt");
  CHECK(fwd.rules[1].owner.owner == "docker");
  CHECK(rs.tables[0].FindChain("LIBVIRT_FWX")->owner.owner == "libvirt");
}

TEST_CASE("ufw owns INPUT when it set policy drop and every rule jumps to ufw chains") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp6, "filter", Backend::kIptablesNft);
  AddBase(t, "INPUT", ChainType::kFilter, Hook::kInput, 0, Policy::kDrop);
  AddBase(t, "OUTPUT", ChainType::kFilter, Hook::kOutput, 0);
  AddUser(t, "ufw6-before-input");
  AddUser(t, "ufw6-after-input");
  AddUser(t, "ufw6-before-output");
  Jump(*t.FindChain("INPUT"), "ufw6-before-input");
  Jump(*t.FindChain("INPUT"), "ufw6-after-input");
  Jump(*t.FindChain("OUTPUT"), "ufw6-before-output");
  AttributeOwners(rs);
  CHECK(rs.tables[0].FindChain("INPUT")->owner.owner == "ufw");
  CHECK(rs.tables[0].FindChain("OUTPUT")->owner.owner == "ufw");
  CHECK(rs.tables[0].FindChain("ufw6-after-input")->owner.owner == "ufw");
}

TEST_CASE("legacy tables: owner iptables-legacy, leftover program chains keep their program") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesLegacy);
  AddBase(t, "INPUT", ChainType::kFilter, Hook::kInput, 0);
  AddUser(t, "f2b-sshd");
  AddUser(t, "mychain");
  Jump(*t.FindChain("INPUT"), "f2b-sshd");
  AddRule(*t.FindChain("mychain"), {VerdictStmt(VerdictKind::kAccept)});
  AttributeOwners(rs);
  const Table& lt = rs.tables[0];
  CHECK(lt.owner.owner == "iptables-legacy");
  CHECK(lt.FindChain("f2b-sshd")->owner.owner == "fail2ban");
  CHECK(lt.FindChain("INPUT")->rules[0].owner.owner == "fail2ban");
  CHECK(lt.FindChain("mychain")->owner.owner == "iptables-legacy");
  CHECK(lt.FindChain("mychain")->rules[0].owner.owner == "iptables-legacy");
}

TEST_CASE("rule comments and addresses identify programs in shared tables") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "mangle", Backend::kIptablesNft);
  AddBase(t, "PREROUTING", ChainType::kFilter, Hook::kPrerouting, -150);
  AddRule(*t.FindChain("PREROUTING"), {VerdictStmt(VerdictKind::kAccept)}, "wg-quick(8) rule for wg0");
  Table& n = AddTable(rs, Family::kIp, "nat", Backend::kIptablesNft);
  AddBase(n, "POSTROUTING", ChainType::kNat, Hook::kPostrouting, 100);
  AddRule(*n.FindChain("POSTROUTING"), {SaddrPrefix(0xAC110000, 16)});  // 172.17.0.0/16 MASQUERADE
  AddRule(*n.FindChain("POSTROUTING"), {SaddrPrefix(0xC0A87A00, 24)});  // 192.168.122.0/24
  AddRule(*n.FindChain("POSTROUTING"), {SaddrPrefix(0x0A000000, 8)});
  AttributeOwners(rs);
  CHECK(rs.tables[0].chains[0].rules[0].owner.owner == "wg-quick");
  const Chain& post = rs.tables[1].chains[0];
  CHECK(post.rules[0].owner.owner == "docker");
  CHECK(post.rules[0].owner.evidence.find("172.17.0.0/16") != std::string::npos);
  CHECK(post.rules[1].owner.owner == "libvirt");
  CHECK(post.rules[2].owner.owner == "iptables-nft");
  CHECK(post.owner.owner == "iptables-nft");
}

TEST_CASE("rules inside a program's table are the program's, whatever they match") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kInet, "firewalld");
  AddUser(t, "filter_FWD_docker");
  AddRule(t.chains[0], {IfaceMatch(MetaKey::kOifname, "docker0"), VerdictStmt(VerdictKind::kAccept)});
  AttributeOwners(rs);
  CHECK(rs.tables[0].chains[0].rules[0].owner.owner == "firewalld");
}

TEST_CASE("attribution is idempotent") {
  Ruleset rs = CombinedFilter();
  AttributeOwners(rs);
  Ruleset again = rs;
  AttributeOwners(again);
  for (size_t i = 0; i < rs.tables[0].chains.size(); ++i) {
    CHECK(rs.tables[0].chains[i].owner.owner == again.tables[0].chains[i].owner.owner);
    CHECK(rs.tables[0].chains[i].owner.evidence == again.tables[0].chains[i].owner.evidence);
  }
}
