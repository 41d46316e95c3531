// Owners of every real capture and every reference ruleset, as their READMEs,
// PROVENANCE.md and generators.md describe them.
#include <catch2/catch.hpp>

#include <filesystem>

#include "iptables/legacy.h"
#include "iptables/merge.h"
#include "iptables/save_parser.h"
#include "nftc/owners.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

struct Expect {
  const char* path;   ///< relative to ../shared
  Family family;
  const char* table;
  Backend backend;
  const char* chain;  ///< nullptr: the table itself
  const char* owner;
};

constexpr Backend kNft = Backend::kNftables;
constexpr Backend kIpt = Backend::kIptablesNft;
constexpr Backend kLeg = Backend::kIptablesLegacy;

const Expect kExpect[] = {
    // captures/README.md: combined = firewalld + Docker classic via iptables-nft + fail2ban +
    // legacy leftovers (Docker chains, f2b-sshd); the --direct rule lands in ip filter INPUT.
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kInet, "firewalld", kNft, nullptr, "firewalld"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kInet, "f2b-table", kNft, nullptr, "fail2ban"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kInet, "f2b-table", kNft, "f2b-chain", "fail2ban"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kIpt, nullptr, "iptables-nft"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kIpt, "DOCKER", "docker"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kIpt, "DOCKER-USER", "docker"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kIpt, "DOCKER-ISOLATION-STAGE-1", "docker"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kIpt, "DOCKER-ISOLATION-STAGE-2", "docker"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kIpt, "INPUT", "iptables-nft"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "nat", kIpt, "DOCKER", "docker"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kLeg, nullptr, "iptables-legacy"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kLeg, "f2b-sshd", "fail2ban"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "filter", kLeg, "DOCKER", "docker"},
    {"captures/combined-firewalld-fail2ban-iptnft-legacy", Family::kIp, "nat", kLeg, "DOCKER", "docker"},
    {"captures/dockerd-real", Family::kIp, "filter", kIpt, "DOCKER-ISOLATION-STAGE-1", "docker"},
    {"captures/dockerd-real", Family::kIp, "filter", kIpt, "FORWARD", "docker"},  // Docker set policy drop
    {"captures/dockerd-real", Family::kIp, "nat", kIpt, "DOCKER", "docker"},
    {"captures/iptables-nft-docker", Family::kIp, "filter", kIpt, "DOCKER", "docker"},
    {"captures/fail2ban-nftables", Family::kInet, "f2b-table", kNft, "f2b-chain", "fail2ban"},
    {"captures/firewalld-nftables", Family::kInet, "firewalld", kNft, "filter_INPUT", "firewalld"},
    {"captures/firewalld-docker29-nft", Family::kIp, "docker-bridges", kNft, "filter-FORWARD", "docker"},
    {"captures/firewalld-docker29-nft", Family::kIp6, "docker-bridges", kNft, nullptr, "docker"},
    {"captures/firewalld-docker29-nft", Family::kInet, "firewalld", kNft, "filter_FORWARD", "firewalld"},
    {"captures/firewalld-docker29-nft-portmap", Family::kIp, "docker-bridges", kNft, "nat-prerouting-and-output", "docker"},
    {"captures/iptables-legacy-docker-libvirt", Family::kIp, "filter", kLeg, "DOCKER-USER", "docker"},
    {"captures/iptables-legacy-docker-libvirt", Family::kIp, "filter", kLeg, "LIBVIRT_FWX", "libvirt"},
    {"captures/iptables-legacy-docker-libvirt", Family::kIp, "nat", kLeg, "LIBVIRT_PRT", "libvirt"},
    {"captures/iptables-nft-docker-libvirt", Family::kIp, "filter", kIpt, "FORWARD", "iptables-nft"},  // shared
    {"captures/iptables-nft-docker-libvirt", Family::kIp, "filter", kIpt, "LIBVIRT_FWI", "libvirt"},
    {"captures/iptables-nft-docker-libvirt", Family::kIp, "filter", kIpt, "DOCKER", "docker"},
    {"captures/iptables-nft-docker-libvirt", Family::kIp, "mangle", kIpt, "LIBVIRT_PRT", "libvirt"},
    {"captures/iptables-nft-libvirt", Family::kIp6, "nat", kIpt, "LIBVIRT_PRT", "libvirt"},
    {"captures/libvirtd-real", Family::kIp, "filter", kIpt, "LIBVIRT_INP", "libvirt"},
    {"captures/ufw-iptables-nft", Family::kIp, "filter", kIpt, "ufw-before-input", "ufw"},
    {"captures/ufw-iptables-nft", Family::kIp, "filter", kIpt, "INPUT", "ufw"},  // ufw set policy drop
    {"captures/ufw-iptables-nft", Family::kIp, "filter", kIpt, "FORWARD", "ufw"},
    {"captures/ufw-iptables-nft", Family::kIp6, "filter", kIpt, "ufw6-user-input", "ufw"},
    // reference-rulesets (PROVENANCE.md)
    {"reference-rulesets/fail2ban/generated-nft-1.0.6__sshd+nginx+recidive.list.json", Family::kInet, "f2b-table", kNft, nullptr, "fail2ban"},
    {"reference-rulesets/firewalld/generated-firewalld-1.3.3-nft-1.0.6/default.list.json", Family::kInet, "firewalld", kNft, nullptr, "firewalld"},
    {"reference-rulesets/incus/generated-nft-1.0.6__incusbr0-nat-dualstack.list.json", Family::kInet, "incus", kNft, "fwd.incusbr0", "incus"},
    {"reference-rulesets/iptables-nft/all-builtin-chains.list.json", Family::kIp, "security", kIpt, "INPUT", "iptables-nft"},
    {"reference-rulesets/iptables-nft/all-builtin-chains.list.json", Family::kBridge, "nat", kIpt, "POSTROUTING", "iptables-nft"},
    {"reference-rulesets/kube-proxy/generated-nft-1.0.6/baseRules+svc1.list.json", Family::kIp, "kube-proxy", kNft, "services", "kube-proxy"},
    {"reference-rulesets/libvirt/generated-nft-1.0.6/nat-default-linux.list.json", Family::kIp, "libvirt_network", kNft, "guest_nat", "libvirt"},
    {"reference-rulesets/libvirt/generated-nft-1.0.6/iptables-backend__nat-default-linux.list.json", Family::kIp, "filter", kIpt, "LIBVIRT_FWO", "libvirt"},
    {"reference-rulesets/multi-tool/firewalld+docker+libvirt+fail2ban+kube-proxy.list.json", Family::kIp, "docker-bridges", kNft, nullptr, "docker"},
    {"reference-rulesets/multi-tool/firewalld+docker+libvirt+fail2ban+kube-proxy.list.json", Family::kIp, "kube-proxy", kNft, nullptr, "kube-proxy"},
    {"reference-rulesets/multi-tool/firewalld+docker+libvirt+fail2ban+kube-proxy.list.json", Family::kIp6, "libvirt_network", kNft, nullptr, "libvirt"},
    {"reference-rulesets/multi-tool/firewalld+docker+libvirt+fail2ban+kube-proxy.list.json", Family::kInet, "f2b-table", kNft, nullptr, "fail2ban"},
    {"reference-rulesets/multi-tool/firewalld+docker+libvirt+fail2ban+kube-proxy.list.json", Family::kInet, "firewalld", kNft, nullptr, "firewalld"},
    {"reference-rulesets/networkmanager/generated-nft-1.0.6__shared-wlan0.list.json", Family::kIp, "nm-shared-wlan0", kNft, "filter_forward", "networkmanager"},
    {"reference-rulesets/proxmox-firewall/generated-nft-1.0.6/inet-table-only.list.json", Family::kInet, "proxmox-firewall", kNft, "forward", "proxmox"},
    {"reference-rulesets/sshguard/generated-nft-1.0.6.list.json", Family::kIp6, "sshguard", kNft, "blacklist", "sshguard"},
    {"reference-rulesets/ufw/generated-nft-1.0.6__enabled-allow-22.list.json", Family::kIp, "filter", kIpt, "ufw-user-input", "ufw"},
    {"reference-rulesets/wg-quick/generated-nft-1.0.6__wg0-default-route.list.json", Family::kIp, "wg-quick-wg0", kNft, "preraw", "wg-quick"},
    {"reference-rulesets/docker-iptables/generated-nft-1.0.6/icc=true,masq=true,gwm=nat+DOCKER-USER.list.json", Family::kIp, "filter", kIpt, "DOCKER-FORWARD", "docker"},
};

/// Loads an input; for a capture folder whose *-save.txt files the capture loader did not
/// apply yet (no legacy table and no merged iptables line), applies them here the way
/// analyzer/load/capture_dir.cc is meant to.
Ruleset LoadFull(const std::string& path) {
  Ruleset rs = test::Load(path);
  namespace fs = std::filesystem;
  if (!fs::is_directory(path)) return rs;
  for (const auto& t : rs.tables) {
    if (t.backend == Backend::kIptablesLegacy) return rs;
    for (const auto& c : t.chains)
      for (const auto& r : c.rules)
        if (!r.ipt_line.empty()) return rs;
  }
  for (auto [file, fam] : {std::pair{"iptables-nft-save.txt", Family::kIp}, {"ip6tables-nft-save.txt", Family::kIp6}})
    if (fs::exists(path + "/" + file)) ipt::MergeIptablesNftSave(rs, ipt::ParseSaveFile(path + "/" + file), fam);
  for (auto [file, fam] : {std::pair{"iptables-legacy-save.txt", Family::kIp}, {"ip6tables-legacy-save.txt", Family::kIp6}})
    if (fs::exists(path + "/" + file)) ipt::AddLegacyTables(rs, ipt::ParseSaveFile(path + "/" + file), fam);
  return rs;
}

}  // namespace

TEST_CASE("owners of the real captures and reference rulesets match their documentation") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping");
    return;
  }
  std::map<std::string, Ruleset> loaded;
  for (const auto& e : kExpect) {
    INFO(e.path << ": " << ToString(e.family) << " " << e.table << " " << (e.chain ? e.chain : "(table)"));
    auto it = loaded.find(e.path);
    if (it == loaded.end()) {
      Ruleset rs = LoadFull(*shared + "/" + e.path);
      AttributeOwners(rs);
      it = loaded.emplace(e.path, std::move(rs)).first;
    }
    const Table* t = it->second.FindTable(e.family, e.table, e.backend);
    REQUIRE(t);
    if (e.chain) REQUIRE(t->FindChain(e.chain));
    const Attribution& a = e.chain ? t->FindChain(e.chain)->owner : t->owner;
    CHECK(a.owner == e.owner);
    CHECK_FALSE(a.evidence.empty());
  }
}

TEST_CASE("combined capture: the firewalld --direct rule in ip filter INPUT is firewalld's") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping");
    return;
  }
  Ruleset rs = LoadFull(*shared + "/captures/combined-firewalld-fail2ban-iptnft-legacy");
  AttributeOwners(rs);
  const Table* t = rs.FindTable(Family::kIp, "filter", Backend::kIptablesNft);
  REQUIRE(t);
  const Chain* in = t->FindChain("INPUT");
  REQUIRE(in);
  REQUIRE(in->rules.size() == 1);
  CHECK(in->rules[0].owner.owner == "firewalld");
  // FORWARD of iptables-nft: every rule is Docker's (jumps and docker0 matches).
  for (const auto& r : t->FindChain("FORWARD")->rules) CHECK(r.owner.owner == "docker");
  // Legacy INPUT jumps to the stale f2b-sshd chain.
  const Table* lt = rs.FindTable(Family::kIp, "filter", Backend::kIptablesLegacy);
  REQUIRE(lt);
  REQUIRE(lt->FindChain("INPUT"));
  CHECK(lt->FindChain("INPUT")->rules.at(0).owner.owner == "fail2ban");
}

TEST_CASE("no table or chain of a known program's ruleset is left unknown") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping");
    return;
  }
  namespace fs = std::filesystem;
  std::vector<std::string> inputs;
  for (const auto& d : fs::directory_iterator(*shared + "/captures"))
    if (d.is_directory()) inputs.push_back(d.path().string());
  for (const auto& f : fs::recursive_directory_iterator(*shared + "/reference-rulesets"))
    if (f.path().extension() == ".json") inputs.push_back(f.path().string());
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(inputs.size() >= 25);
  for (const auto& in : inputs) {
    INFO(in);
    Ruleset rs = LoadFull(in);
    AttributeOwners(rs);
    for (const auto& t : rs.tables) {
      INFO(t.Id());
      CHECK(t.owner.owner != "unknown");
      for (const auto& c : t.chains) {
        INFO(c.name);
        CHECK(c.owner.owner != "unknown");
        CHECK_FALSE(c.owner.evidence.empty());
        for (const auto& r : c.rules) CHECK_FALSE(r.owner.owner.empty());
      }
      for (const auto& s : t.sets) CHECK(s.owner.owner != "unknown");
    }
  }
}
