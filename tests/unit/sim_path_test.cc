// Simulator: hooks, priorities, verdicts, NAT and routing on small rulesets. Expectations
// come from the kernel: the verified facts of ../shared/docs/netfilter-semantics.md and the
// traces in ../shared/kernel-results (the portmap ruleset has the shapes of
// firewalld-docker29-nft-portmap, whose packets d01..d12 the kernel ran).
#include <catch2/catch.hpp>

#include "sim_fixture.h"

using namespace nftc;
using namespace nftc::test;
using V = std::vector<std::string>;

TEST_CASE("sim: accept ends only its chain, a later chain's drop is final", "[sim]") {
  // semantics §1, verified: ip a (0) accepts echo-request, ip b (10) drops it: ping fails.
  Ruleset rs = SimData("two_output_chains");
  CaptureHost(rs);
  PacketQuery q;
  q.local_out = true;
  q.dst = Ip("127.0.0.1");
  q.proto = 1;
  q.icmp_type = 8;
  TraceResult r = Simulate(rs, q);
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.verdict == "drop");
  CHECK(Steps(r.outcomes[0]) == V{"output ip a out rule accept", "output ip b out rule drop"});
  CHECK(r.outcomes[0].final_hook == Hook::kOutput);
}

TEST_CASE("sim: NAT chains run in the NAT slot, the first binding wins", "[sim]") {
  // semantics §3, verified: natearly (-150) ran after filt (-120); a connection natearly
  // redirected never reached natlate; one it did not translate did.
  Ruleset rs = SimData("nat_order");
  CaptureHost(rs);
  TraceResult r = Simulate(rs, Tcp("", "", "127.0.0.1", 40000, 8080));
  REQUIRE(r.outcomes.size() == 1);
  CHECK(Steps(r.outcomes[0]) ==
        V{"output ip t filt rule continue", "output ip t filt policy accept", "output ip t natearly rule accept"});
  CHECK(r.outcomes[0].final.dport == "7777");
  CHECK(r.outcomes[0].delivered == "host");

  TraceResult r2 = Simulate(rs, Tcp("", "", "127.0.0.1", 40000, 9090));
  REQUIRE(r2.outcomes.size() == 1);
  CHECK(Steps(r2.outcomes[0]) ==
        V{"output ip t filt rule continue", "output ip t filt policy accept", "output ip t natearly policy accept",
          "output ip t natlate rule continue", "output ip t natlate policy accept"});

  // NAT chains see only new connections.
  PacketQuery est = Tcp("", "", "127.0.0.1", 40000, 8080);
  est.ct_state = kCtEstablished;
  TraceResult r3 = Simulate(rs, est);
  REQUIRE(r3.outcomes.size() == 1);
  CHECK(Steps(r3.outcomes[0]) == V{"output ip t filt rule continue", "output ip t filt policy accept"});
}

TEST_CASE("sim: DNAT before routing sends a published port through forward", "[sim]") {
  // kernel-results d01: 8082 from eth0 is DNAT'ed at prerouting, forwarded to docker0 and
  // accepted by ct status dnat; the host's input chain never sees it.
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  TraceResult r = Simulate(rs, Tcp("eth0", "192.0.2.99", "198.51.100.10", 41001, 8082));
  REQUIRE(r.outcomes.size() == 1);
  const Outcome& o = r.outcomes[0];
  CHECK(o.verdict == "accept");
  CHECK(o.delivered == "docker0");
  CHECK(o.final.dst == "172.17.0.2");
  CHECK(o.final.dport == "80");
  CHECK(o.final.src == "192.0.2.99");
  CHECK(o.dnat == "198.51.100.10:8082 -> 172.17.0.2:80");
  CHECK(Steps(o) == V{"prerouting ip docker raw-PREROUTING policy accept",
                      "prerouting ip docker nat-PREROUTING rule jump nat-prerouting-and-output",
                      "prerouting ip docker nat-prerouting-and-output rule accept",
                      "forward ip docker filter-FORWARD rule jump fwd-in-docker0",
                      "forward ip docker fwd-in-docker0 rule accept",
                      "forward inet host forward rule accept",
                      "postrouting ip docker nat-POSTROUTING policy accept"});
  CHECK(PassedHook(o, Hook::kForward));
  auto cv = ChainVerdicts(o, Hook::kForward);
  REQUIRE(cv.size() == 2);
  CHECK(cv[0].chain->name == "filter-FORWARD");
  CHECK(cv[0].verdict == "accept");
  CHECK_FALSE(cv[0].by_policy);
}

TEST_CASE("sim: a ban in input misses the published port", "[sim]") {
  // kernel-results d02: 203.0.113.7 is in firewalld's blocklist, 8082 still reaches the
  // container: the ban hooks input only.
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  TraceResult fwd = Simulate(rs, Tcp("eth0", "203.0.113.7", "198.51.100.10", 41002, 8082));
  REQUIRE(fwd.outcomes.size() == 1);
  CHECK(fwd.outcomes[0].verdict == "accept");
  CHECK(fwd.outcomes[0].delivered == "docker0");
  TraceResult ssh = Simulate(rs, Tcp("eth0", "203.0.113.7", "198.51.100.10", 41002, 22));
  REQUIRE(ssh.outcomes.size() == 1);
  CHECK(ssh.verdict == "drop");
  CHECK(Steps(ssh.outcomes[0]).back() == "input inet host input rule drop");
  TraceResult ok = Simulate(rs, Tcp("eth0", "192.0.2.99", "198.51.100.10", 41005, 22));
  REQUIRE(ok.outcomes.size() == 1);
  CHECK(ok.outcomes[0].delivered == "host");
  // kernel-results d05: nat-PREROUTING jumps, nothing binds, its policy accepts.
  CHECK(Steps(ok.outcomes[0]) == V{"prerouting ip docker raw-PREROUTING policy accept",
                                   "prerouting ip docker nat-PREROUTING rule jump nat-prerouting-and-output",
                                   "prerouting ip docker nat-PREROUTING policy accept",
                                   "input inet host input rule accept"});
}

TEST_CASE("sim: direct access to the container dies in raw prerouting", "[sim]") {
  // kernel-results d03.
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  TraceResult r = Simulate(rs, Tcp("eth0", "192.0.2.99", "172.17.0.2", 41003, 80));
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.verdict == "drop");
  CHECK(Steps(r.outcomes[0]) == V{"prerouting ip docker raw-PREROUTING rule drop"});
  CHECK(r.outcomes[0].final_hook == Hook::kPrerouting);
}

TEST_CASE("sim: container traffic out is masqueraded to the uplink's address", "[sim]") {
  // kernel-results d07: 172.17.0.2 -> 8.8.8.8 leaves eth0 as 198.51.100.10.
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  PacketQuery q = Tcp("docker0", "172.17.0.2", "8.8.8.8", 41007, 53);
  q.proto = 17;
  q.oif = "eth0";  // no default route in the host context
  TraceResult r = Simulate(rs, q);
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.outcomes[0].delivered == "eth0");
  CHECK(r.outcomes[0].final.src == "198.51.100.10");
  CHECK(r.outcomes[0].snat == "172.17.0.2:41007 -> 198.51.100.10:41007");
  CHECK(Steps(r.outcomes[0]).back() == "postrouting ip docker nat-POSTROUTING rule accept");
}

TEST_CASE("sim: forwarding off drops at routing", "[sim]") {
  Ruleset rs = SimData("portmap");
  CaptureHost(rs, /*forwarding=*/false);
  TraceResult r = Simulate(rs, Tcp("eth0", "192.0.2.99", "198.51.100.10", 41001, 8082));
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.verdict == "drop");
  REQUIRE_FALSE(r.outcomes[0].notes.empty());
  CHECK(r.outcomes[0].notes.back().find("forwarding disabled") != std::string::npos);
}

TEST_CASE("sim: local out DNAT keeps the original oif for later output chains", "[sim]") {
  // semantics §3 (observed) and kernel-results d11: after output DNAT, postrouting sees the
  // new route (docker0) and the source stays the host's address.
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  TraceResult r = Simulate(rs, Tcp("", "", "198.51.100.10", 41011, 8082));
  REQUIRE(r.outcomes.size() == 1);
  // This ruleset has no output nat chain: no DNAT, delivered to the host itself via lo.
  CHECK(r.outcomes[0].delivered == "host");
  CHECK(r.outcomes[0].final.src == "198.51.100.10");
}

TEST_CASE("sim: an unspecified source forks on the set lookup", "[sim]") {
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  PacketQuery q = Tcp("eth0", "", "198.51.100.10", 40000, 22);
  q.src.reset();
  TraceResult r = Simulate(rs, q);
  CHECK(r.verdict == "depends");
  REQUIRE(r.outcomes.size() == 2);
  int drops = 0, accepts = 0;
  for (const auto& o : r.outcomes) {
    if (o.verdict == "drop") {
      ++drops;
      CHECK(o.condition.find("ip saddr @blocklist") != std::string::npos);
      CHECK(o.condition.find("not") == std::string::npos);
    } else {
      ++accepts;
      CHECK(o.condition.find("not (ip saddr @blocklist)") != std::string::npos);
    }
  }
  CHECK(drops == 1);
  CHECK(accepts == 1);
}

TEST_CASE("sim: forward pair helper for lint", "[sim]") {
  Ruleset rs = SimData("portmap");
  CaptureHost(rs);
  // eth0 -> eth1 (an interface no rule names): Docker's forward policy drops new connections.
  TraceResult r = SimulateForwardPair(rs, "eth0", "eth1");
  REQUIRE_FALSE(r.outcomes.empty());
  for (const auto& o : r.outcomes) CHECK_FALSE(PassedHook(o, Hook::kForward));
  // docker0 -> eth0 is accepted by Docker's chain and not dropped by the host's.
  TraceResult out = SimulateForwardPair(rs, "docker0", "eth0");
  bool any_pass = false;
  for (const auto& o : out.outcomes) any_pass = any_pass || PassedHook(o, Hook::kForward);
  CHECK(any_pass);
}

TEST_CASE("sim: output DNAT to a container; later output chains keep oif lo", "[sim]") {
  // kernel-results d11: nat-OUTPUT jumps, `iifname != "docker0"` matches at output (no input
  // device: the kernel reads ""), DNAT to 172.17.0.2:80; firewalld's filter_OUTPUT accepts
  // on oifname "lo"; postrouting sees oif docker0; delivered from 198.51.100.10.
  Ruleset rs = SimData("output_dnat");
  CaptureHost(rs);
  TraceResult r = Simulate(rs, Tcp("", "", "198.51.100.10", 41011, 8082));
  REQUIRE(r.outcomes.size() == 1);
  const Outcome& o = r.outcomes[0];
  CHECK(Steps(o) == V{"output ip d nat-OUTPUT rule jump pao", "output ip d pao rule accept",
                      "output inet f out rule accept", "postrouting inet f post rule continue",
                      "postrouting inet f post policy accept"});
  CHECK(o.delivered == "docker0");
  CHECK(o.final.src == "198.51.100.10");
  CHECK(o.final.dst == "172.17.0.2");
  CHECK(o.final.dport == "80");
}

TEST_CASE("sim: nat chains run only where some rule needs conntrack for the family", "[sim]") {
  // sim_data/ct_off.kernel.txt: the kernel ran ip nat POSTROUTING for a local ping to the
  // host's own address, but not ip6 nat POSTROUTING (only an ip table uses ct).
  Ruleset rs = SimData("ct_off");
  AddIf(rs, "lo", "127.0.0.1", 8);
  AddIf(rs, "lo", "::1", 128);
  AddIf(rs, "d0", "192.0.2.1", 24);
  AddIf(rs, "d0", "2001:db8::1", 64);
  auto ping = [&](const std::string& dst) {
    PacketQuery q;
    q.local_out = true;
    u128 a = 0;
    bool v6 = false;
    ParseIpAddress(dst, a, v6);
    q.src = a;
    q.dst = a;
    q.ipv6 = v6;
    q.proto = v6 ? 58 : 1;
    q.icmp_type = v6 ? 128 : 8;
    return Simulate(rs, q);
  };
  TraceResult v4 = ping("192.0.2.1"), v6 = ping("2001:db8::1");
  REQUIRE(v4.outcomes.size() == 1);
  REQUIRE(v6.outcomes.size() == 1);
  CHECK(Steps(v4.outcomes[0]) == std::vector<std::string>{"postrouting ip nat POSTROUTING rule continue",
                                                          "postrouting ip nat POSTROUTING policy accept"});
  CHECK(Steps(v6.outcomes[0]).empty());
  CHECK(v6.outcomes[0].verdict == "accept");
}

namespace {

// ip f in (input, policy drop): `ip saddr 10.N.0.0/16 tcp dport P accept` for
// (10.1, 80), (10.2, 22), (10.3, 22).
Ruleset SourceAccepts() {
  std::string rules;
  const std::pair<int, int> kRules[] = {{1, 80}, {2, 22}, {3, 22}};
  uint64_t h = 2;
  for (auto [net, port] : kRules)
    rules += R"(, {"rule": {"family": "ip", "table": "f", "chain": "in", "handle": )" + std::to_string(h++) +
             R"(, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
             "right": {"prefix": {"addr": "10.)" + std::to_string(net) + R"(.0.0", "len": 16}}}},
             {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": )" +
             std::to_string(port) + R"(}}, {"accept": null}]}})";
  std::string doc = R"({"nftables": [{"metainfo": {"json_schema_version": 1}},
    {"table": {"family": "ip", "name": "f", "handle": 1}},
    {"chain": {"family": "ip", "table": "f", "name": "in", "handle": 1, "type": "filter", "hook": "input",
               "prio": 0, "policy": "drop"}})" + rules + "]}";
  Ruleset rs;
  LoadNftJson(doc, "source-accepts", rs);
  ClassifyBackends(rs);
  CaptureHost(rs);
  return rs;
}

}  // namespace

TEST_CASE("sim: a rule whose port cannot match does not fork on its source", "[sim]") {
  // Any source to port 22: 10.2/16 and 10.3/16 are accepted, everything else meets the
  // policy drop (matches are a conjunction: the 10.1/16 rule for port 80 decides nothing).
  Ruleset rs = SourceAccepts();
  PacketQuery q = Tcp("eth0", "", "198.51.100.10", 40000, 22);
  q.src.reset();
  TraceResult r = SimulateHook(rs, Hook::kInput, q);
  REQUIRE(r.outcomes.size() == 3);
  int accepts = 0;
  for (const Outcome& o : r.outcomes) {
    if (o.verdict == "accept") ++accepts;
    CHECK(o.condition.find("10.1.0.0/16") == std::string::npos);  // no fork on the port-80 rule
  }
  CHECK(accepts == 2);
  CHECK(r.verdict == "depends");
  CHECK_FALSE(r.stopped);

  // "Is there an accepting path?": the run stops at the first one.
  SimOptions opt;
  opt.stop_at = "accept";
  TraceResult s = SimulateHook(rs, Hook::kInput, q, opt);
  REQUIRE_FALSE(s.outcomes.empty());
  CHECK(s.outcomes.back().verdict == "accept");
  CHECK(s.outcomes.size() < r.outcomes.size());
  CHECK(s.stopped);
}
