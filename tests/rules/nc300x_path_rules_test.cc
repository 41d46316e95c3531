// NC3002, NC3003, NC3004 on the real captures and corpora: the findings name both sides, and
// the claim each makes ("this packet reaches that container", "this packet dies there") is
// what the real kernel did (../shared/kernel-results, corpora/*/probes.txt).
#include <catch2/catch.hpp>

#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;
using test::HasRelated;

namespace {

// The kernel's record of one packet (a line of <scenario>.kernel.jsonl) as raw text.
std::string KernelLine(const std::string& file, const std::string& id) {
  std::string all = test::ReadFile(file);
  size_t at = all.find("{\"id\": \"" + id + "\"");
  if (at == std::string::npos) return "";
  return all.substr(at, all.find('\n', at) - at);
}

}  // namespace

TEST_CASE("NC3002: published 8082 reachable from eth0 past firewalld's public zone (portmap capture)") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipped");
    return;
  }
  std::string dir = *shared + "/captures/firewalld-docker29-nft-portmap";
  // The kernel: d01/d02 delivered to the container; d06 (a host port the zone does not open)
  // died on input in firewalld's public zone.
  std::string kr = *shared + "/kernel-results/firewalld-docker29-nft-portmap.kernel.jsonl";
  CHECK(KernelLine(kr, "d01-8082-published").find("\"to\": \"peer-docker0\"") != std::string::npos);
  CHECK(KernelLine(kr, "d02-8082-from-203.0.113.7").find("\"to\": \"peer-docker0\"") != std::string::npos);
  CHECK(KernelLine(kr, "d06-http-80-host-not-open").find("\"delivered\": null") != std::string::npos);

  auto f = test::RunRule(test::Load(dir), "NC3002");
  REQUIRE(f.size() == 1);
  const Diagnostic& d = f[0];
  CHECK(d.where.table == "docker-bridges");
  CHECK(d.where.chain == "nat-prerouting-and-output");
  CHECK(d.message.find("tcp/8082") != std::string::npos);
  CHECK(d.message.find("eth0") != std::string::npos);
  CHECK(d.message.find("172.17.0.2:80") != std::string::npos);
  CHECK(HasRelated(d, "docker-bridges", "filter-forward-in__docker0"));  // the forward accept
  bool input_side = false;
  for (const Location& l : d.related) input_side = input_side || (l.table == "firewalld" && l.chain.rfind("filter_IN", 0) == 0);
  CHECK(input_side);  // the zone rule the user relied on
}

TEST_CASE("NC3002: quiet where the input hook would accept the port or nothing is published") {
  std::string c = test::ProjectDir() + "/corpora/";
  CHECK(test::CountFindings(test::Load(c + "fail2ban-nft-docker-published"), "NC3002") == 0);  // no input drop
  CHECK(test::CountFindings(test::Load(c + "fedora43-seed"), "NC3002") == 0);  // 127.0.0.1 only
  CHECK(test::CountFindings(test::Load(c + "ufw-real-docker29-nft"), "NC3002") == 0);  // the port is dead
  CHECK(test::CountFindings(test::Load(c + "ufw-real-dockerd-ipt"), "NC3002") == 1);
}

TEST_CASE("NC3003: fail2ban's input bans miss the published 8080, sshd's ban is not reported") {
  auto f = test::RunRule(test::Load(test::ProjectDir() + "/corpora/fail2ban-nft-docker-published"), "NC3003");
  std::string all;
  for (const Diagnostic& d : f) {
    all += d.message + "\n";
    CHECK(d.where.chain == "f2b-chain");
    CHECK(HasRelated(d, "docker-bridges", "nat-prerouting-and-output"));
  }
  CHECK(all.find("addr-set-nginx-http-auth") != std::string::npos);
  CHECK(all.find("addr-set-recidive") != std::string::npos);
  CHECK(all.find("addr-set-sshd") == std::string::npos);
  CHECK(all.find("tcp/8080") != std::string::npos);
}

TEST_CASE("NC3003: sshguard's ban misses, CrowdSec's forward ban covers") {
  auto f = test::RunRule(test::Load(test::ProjectDir() + "/corpora/bans-crowdsec-sshguard-docker29"), "NC3003");
  REQUIRE(f.size() == 1);
  CHECK(f[0].where.table == "sshguard");
  CHECK(f[0].message.find("attackers") != std::string::npos);
}

TEST_CASE("NC3004: the stale legacy FORWARD drops what Docker and firewalld accept (combined capture)") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipped");
    return;
  }
  std::string kr = *shared + "/kernel-results/combined-firewalld-fail2ban-iptnft-legacy.kernel.jsonl";
  // The kernel: 8082 died in the legacy FORWARD policy.
  std::string c01 = KernelLine(kr, "c01-8082-docker-dnat");
  CHECK(c01.find("\"delivered\": null") != std::string::npos);
  CHECK(c01.find("\"chain\": \"FORWARD\", \"kind\": \"policy\"") != std::string::npos);
  auto f = test::RunRule(test::Load(*shared + "/captures/combined-firewalld-fail2ban-iptnft-legacy"), "NC3004");
  bool legacy = false;
  for (const Diagnostic& d : f)
    if (d.where.backend == Backend::kIptablesLegacy && d.where.chain == "FORWARD") {
      legacy = true;
      CHECK_FALSE(d.related.empty());
      CHECK_FALSE(d.witness.empty());
    }
  CHECK(legacy);
}

TEST_CASE("NC3004: libvirt's accept dropped by Docker's iptables FORWARD policy (moby#52612)") {
  auto f = test::RunRule(test::Load(test::ProjectDir() + "/corpora/libvirt-nft-docker-ipt-drop"), "NC3004");
  REQUIRE_FALSE(f.empty());
  CHECK(f[0].where.table == "filter");
  CHECK(f[0].where.chain == "FORWARD");
  CHECK(HasRelated(f[0], "libvirt_network", "guest_output"));
}

// A bare `nft -j list ruleset` has no interfaces: the probes then use lint's stand-in
// outside interface (eth0, 198.51.100.1, lint/assumed_host.h) and say so in the witness.
// Before it, a bare JSON input never produced an NC3002-NC3004 finding: the probe's unknown
// destination forked on every address-specific rule and no path was a definite claim.
TEST_CASE("NC3002-NC3004: a bare nft JSON (no interfaces) still finds the published-port problems") {
  std::string c = test::ProjectDir() + "/corpora/";
  // The same bans miss the same published port as with the capture folder.
  auto folder = test::RunRule(test::Load(c + "fail2ban-nft-docker-published"), "NC3003");
  auto bare = test::RunRule(test::Load(c + "fail2ban-nft-docker-published/ruleset.json"), "NC3003");
  REQUIRE(folder.size() == 2);
  REQUIRE(bare.size() == folder.size());
  for (size_t i = 0; i < bare.size(); ++i) {
    CHECK(bare[i].where.chain == folder[i].where.chain);
    CHECK(bare[i].where.handle == folder[i].where.handle);
    CHECK(bare[i].message.find("tcp/8080") != std::string::npos);
    CHECK(bare[i].witness.find("198.51.100.1:8080 iif eth0") != std::string::npos);
    CHECK(bare[i].witness.find("assumed: the input has no interfaces") != std::string::npos);
    CHECK(folder[i].witness.find("assumed") == std::string::npos);
  }
  // A stale legacy-style catch-all drop still kills a flow another table accepts.
  auto accept = test::RunRule(test::Load(c + "netavark-ufw/ruleset.json"), "NC3004");
  CHECK(accept.size() == 1);
  // The seed article's case on the real portmap capture, without its host files.
  if (auto shared = test::SharedDir()) {
    auto f = test::RunRule(test::Load(*shared + "/captures/firewalld-docker29-nft-portmap/ruleset.json"), "NC3002");
    REQUIRE(f.size() == 1);
    CHECK(f[0].message.find("tcp/8082") != std::string::npos);
    CHECK(f[0].message.find("172.17.0.2:80") != std::string::npos);
    CHECK(f[0].witness.find("assumed: the input has no interfaces") != std::string::npos);
  } else {
    WARN("../shared not found: the portmap part is skipped");
  }
}
