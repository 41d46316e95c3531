// Simulator: `numgen ... mod N` (kube-proxy's endpoint selection) forks into one outcome per
// value with the condition "numgen = k", never a guess. Expectations from the kernel runs in
// tests/unit/sim_data/numgen.kernel.txt (every value reaches its element; a value without
// element misses and the next rule runs; the DNAT target decides local delivery or forward).
#include <catch2/catch.hpp>

#include <map>

#include "sim_fixture.h"

using namespace nftc;
using namespace nftc::test;
using V = std::vector<std::string>;

namespace {

Ruleset NumgenHost() {
  Ruleset rs = SimData("numgen");
  AddIf(rs, "lo", "127.0.0.1", 8);
  AddIf(rs, "eth0", "192.168.0.2", 24);
  AddIf(rs, "cni0", "10.180.0.1", 24);
  rs.host.sysctl["net.ipv4.ip_forward"] = "1";
  rs.host.have_sysctl = true;
  Route def;  // default via 192.168.0.1 dev eth0
  def.dev = "eth0";
  def.via = Ip("192.168.0.1");
  Route svc;  // 172.30.0.0/16 dev cni0 (where the service addresses would go without DNAT)
  svc.dst = Ip("172.30.0.0");
  svc.plen = 16;
  svc.dev = "cni0";
  rs.host.routes = {def, svc};
  rs.host.have_routes = true;
  return rs;
}

// condition -> outcome
std::map<std::string, const Outcome*> ByCondition(const TraceResult& r) {
  std::map<std::string, const Outcome*> out;
  for (const auto& o : r.outcomes) out[o.condition] = &o;
  return out;
}

}  // namespace

TEST_CASE("sim: numgen random vmap forks into one outcome per endpoint", "[sim][numgen]") {
  Ruleset rs = NumgenHost();
  TraceResult r = Simulate(rs, Tcp("eth0", "192.168.0.1", "172.30.0.41", 50000, 80));
  REQUIRE(r.outcomes.size() == 3);
  CHECK(r.verdict == "accept");  // every endpoint is reachable: the verdict does not depend on it
  auto by = ByCondition(r);
  REQUIRE(by.count("numgen = 0"));
  REQUIRE(by.count("numgen = 1"));
  REQUIRE(by.count("numgen = 2"));
  for (int k = 0; k < 3; ++k) {
    const Outcome& o = *by["numgen = " + std::to_string(k)];
    std::string ep = "ep" + std::to_string(k);
    CHECK(Steps(o).at(0) == "prerouting ip lb pre rule goto " + ep);
    CHECK(Steps(o).at(1) == "prerouting ip lb " + ep + " rule accept");
    CHECK(o.verdict == "accept");
    CHECK(o.delivered == "cni0");
    CHECK(o.final.dst == "10.180.0.1" + std::to_string(k));
    CHECK(o.final.dport == "8080");
  }
}

TEST_CASE("sim: numgen inc map in a DNAT: one translation per value", "[sim][numgen]") {
  Ruleset rs = NumgenHost();
  TraceResult r = Simulate(rs, Tcp("eth0", "192.168.0.1", "172.30.0.42", 51000, 80));
  REQUIRE(r.outcomes.size() == 2);
  auto by = ByCondition(r);
  REQUIRE(by.count("numgen = 0"));
  REQUIRE(by.count("numgen = 1"));
  // 10.180.0.1 is the host's own cni0 address: DNAT before routing makes it local.
  CHECK(by["numgen = 0"]->delivered == "host");
  CHECK(by["numgen = 0"]->final.dst == "10.180.0.1");
  CHECK(by["numgen = 1"]->delivered == "cni0");
  CHECK(by["numgen = 1"]->final.dst == "10.180.0.2");
}

TEST_CASE("sim: a numgen value without element misses the vmap", "[sim][numgen]") {
  Ruleset rs = NumgenHost();
  TraceResult r = Simulate(rs, Tcp("eth0", "192.168.0.1", "172.30.0.43", 52000, 80));
  REQUIRE(r.outcomes.size() == 2);
  CHECK(r.verdict == "depends");
  auto by = ByCondition(r);
  REQUIRE(by.count("numgen = 0"));
  REQUIRE(by.count("numgen = 1"));
  CHECK(Steps(*by["numgen = 0"]) == V{"prerouting ip lb pre rule goto ep0", "prerouting ip lb ep0 rule accept"});
  CHECK(by["numgen = 0"]->verdict == "accept");
  CHECK(Steps(*by["numgen = 1"]) == V{"prerouting ip lb pre rule drop"});
  CHECK(by["numgen = 1"]->verdict == "drop");
}

TEST_CASE("sim: kube-proxy's numgen random mod 1 decides the NodePort", "[sim][numgen]") {
  Ruleset rs = Load(ProjectDir() + "/corpora/kube-proxy-nft-firewalld");
  TraceResult r = Simulate(rs, Tcp("eth0", "192.168.0.1", "192.168.0.2", 44001, 30080));
  // corpora/kube-proxy-nft-firewalld/kernel.jsonl h-kp-01: delivered to the pod, masqueraded
  REQUIRE(r.outcomes.size() == 1);
  const Outcome& o = r.outcomes[0];
  CHECK(o.verdict == "accept");
  CHECK(o.delivered == "cni0");
  CHECK(o.final.dst == "10.180.0.10");
  CHECK(o.final.src == "10.180.0.1");
  CHECK(o.final.sport == "1024-65535");  // masquerade fully-random: the kernel picked 9277
}
