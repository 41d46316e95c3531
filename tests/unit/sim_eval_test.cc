// Simulator: expression and verdict kinds (marks, ct marks, bit operations, concatenated
// sets, maps, goto/return, forks) and the rule printer.
#include <catch2/catch.hpp>

#include "model/rule_print.h"
#include "sim/domain.h"
#include "sim_fixture.h"

using namespace nftc;
using namespace nftc::test;
using V = std::vector<std::string>;

namespace {

Ruleset MarksHost() {
  Ruleset rs = SimData("marks");
  AddIf(rs, "lo", "127.0.0.1", 8);
  AddIf(rs, "eth0", "198.51.100.10", 24);
  AddIf(rs, "eth1", "10.0.0.254", 24);
  rs.host.sysctl["net.ipv4.ip_forward"] = "1";
  rs.host.have_sysctl = true;
  return rs;
}

}  // namespace

TEST_CASE("sim: marks set then read, map DNAT, goto and implicit return", "[sim]") {
  Ruleset rs = MarksHost();
  TraceResult r = Simulate(rs, Tcp("eth1", "10.0.0.7", "198.51.100.10", 40000, 443));
  REQUIRE(r.outcomes.size() == 1);
  const Outcome& o = r.outcomes[0];
  CHECK(o.verdict == "accept");
  CHECK(o.delivered == "eth1");
  CHECK(o.final.dst == "10.0.0.1");
  // mark |= 0x4000 and ct mark |= 0x1000 were set in prerouting and read in forward:
  // jump marked, the != test fails, goto sink; sink's end returns to fw, not to marked.
  CHECK(Steps(o) == V{"prerouting inet m pre rule continue", "prerouting inet m pre rule continue",
                      "prerouting inet m pre policy accept", "prerouting inet m nat-pre rule accept",
                      "forward inet m fw rule jump marked", "forward inet m marked rule goto sink",
                      "forward inet m sink rule continue", "forward inet m fw rule accept"});
}

TEST_CASE("sim: unmarked packets skip the marked chain", "[sim]") {
  Ruleset rs = MarksHost();
  TraceResult r = Simulate(rs, Tcp("eth0", "192.0.2.1", "10.0.0.2", 40000, 8443));
  REQUIRE(r.outcomes.size() == 1);
  CHECK(Steps(r.outcomes[0]) == V{"prerouting inet m pre policy accept", "prerouting inet m nat-pre policy accept",
                                  "forward inet m fw rule accept"});
}

TEST_CASE("sim: a concatenated set lookup forks on an unknown port", "[sim]") {
  Ruleset rs = MarksHost();
  PacketQuery q = Tcp("eth0", "192.0.2.1", "10.0.0.2", 40000, 1);
  q.dport.reset();
  TraceResult r = Simulate(rs, q);
  CHECK(r.verdict == "depends");
  bool accepted_8443 = false, dropped = false;
  for (const auto& o : r.outcomes) {
    if (o.verdict == "accept" && o.final.dport == "8443") accepted_8443 = true;
    if (o.verdict == "drop") {
      dropped = true;
      CHECK(Steps(o).back() == "forward inet m fw policy drop");
    }
  }
  CHECK(accepted_8443);
  CHECK(dropped);
}

TEST_CASE("sim: an unknown mark forks on a mask test and stays consistent", "[sim]") {
  Ruleset rs = MarksHost();
  PacketQuery q = Tcp("eth0", "192.0.2.1", "10.0.0.1", 40000, 443);
  q.ct_mark.reset();
  q.mark.reset();
  TraceResult r = Simulate(rs, q);
  // ct mark & 0x1000 decides whether fw jumps to marked; there mark & 0x4000 decides
  // return or goto. Every path ends accepted by @svc (10.0.0.1 . 443).
  CHECK(r.verdict == "accept");
  CHECK(r.outcomes.size() == 3);
}

TEST_CASE("sim: number sets", "[sim]") {
  using sim::NumSet;
  NumSet a = NumSet::Range(10, 20).Union(NumSet::Range(30, 40));
  CHECK(a.Count() == 22);
  CHECK(a.Subtract(NumSet::Range(15, 35)).Count() == 10);
  CHECK(a.Intersect(NumSet::Range(18, 31)).Count() == 5);
  CHECK(NumSet::Full(32).Subtract(NumSet::Single(0)).Count() == 0xffffffffull);
  NumSet adj = NumSet::Range(1, 2).Union(NumSet::Range(3, 4));
  CHECK(adj.intervals().size() == 1);
  sim::IfDom d;
  CHECK(d.Decide("veth*") == -1);
  d.Refine("veth*", true);
  CHECK(d.Decide("docker0") == 0);
  CHECK(d.Decide("veth1") == -1);
  d.Refine("veth1", false);
  CHECK(d.Decide("veth1") == 0);
}

TEST_CASE("rule printer: nft syntax as the kernel trace prints it", "[sim][print]") {
  Ruleset rs = SimData("portmap");
  const Table* t = nullptr;
  for (const auto& x : rs.tables)
    if (x.name == "docker") t = &x;
  REQUIRE(t);
  auto rule = [&](const std::string& chain, size_t i) {
    for (const auto& c : t->chains)
      if (c.name == chain) return RuleToString(c.rules.at(i));
    return std::string();
  };
  // The texts of kernel-results firewalld-docker29-nft-portmap (d01, d03).
  CHECK(rule("nat-prerouting-and-output", 0) == "iifname != \"docker0\" tcp dport 8082 counter dnat to 172.17.0.2:80 comment \"DNAT\"");
  CHECK(rule("raw-PREROUTING", 0) == "ip daddr 172.17.0.2 iifname != \"docker0\" counter drop comment \"DROP DIRECT ACCESS\"");
  CHECK(rule("nat-PREROUTING", 0) == "fib daddr type local counter jump nat-prerouting-and-output");
  CHECK(rule("filter-FORWARD", 1) == "oifname vmap @fwd-in");
  CHECK(rule("nat-POSTROUTING", 0) == "oifname != \"docker0\" ip saddr 172.17.0.0/16 counter masquerade");
  CHECK(rule("fwd-in-docker0", 0) == "ip daddr 172.17.0.2 tcp dport 80 counter accept");
}
