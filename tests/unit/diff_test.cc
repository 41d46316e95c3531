// diff / verify: semantic comparison by owner, ignoring handles, counters and element order.
#include <catch2/catch.hpp>

#include <regex>

#include "diff/ruleset_diff.h"
#include "load/load_json.h"
#include "nftc/error.h"
#include "nftc/owners.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

Ruleset FromJson(const std::string& text) {
  Ruleset rs;
  LoadNftJson(text, "t.json", rs);
  AttributeOwners(rs);
  return rs;
}

const char* kF2b = R"({"nftables": [
 {"table": {"family": "inet", "name": "f2b-table", "handle": 1}},
 {"chain": {"family": "inet", "table": "f2b-table", "name": "f2b-chain", "handle": 1, "type": "filter", "hook": "input", "prio": -1, "policy": "accept"}},
 {"set": {"family": "inet", "name": "addr-set-sshd", "table": "f2b-table", "type": "ipv4_addr", "handle": 2, "elem": [ELEMS]}},
 {"rule": {"family": "inet", "table": "f2b-table", "chain": "f2b-chain", "handle": HANDLE, "expr": [
   {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}},
   {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@addr-set-sshd"}},
   {"counter": {"packets": PKTS, "bytes": 0}}, {"reject": null}]}}]})";

std::string F2b(const std::string& elems, int handle, int pkts) {
  std::string s = kF2b;
  s = std::regex_replace(s, std::regex("ELEMS"), elems);
  s = std::regex_replace(s, std::regex("HANDLE"), std::to_string(handle));
  return std::regex_replace(s, std::regex("PKTS"), std::to_string(pkts));
}

}  // namespace

TEST_CASE("handles, counters and set element order are not differences") {
  Ruleset a = FromJson(F2b(R"("192.0.2.10", "192.0.2.11")", 4, 0));
  Ruleset b = FromJson(F2b(R"("192.0.2.11", "192.0.2.10")", 77, 1234));
  CHECK(DiffRulesets(a, b).empty());
}

TEST_CASE("a changed ban list is a set-elements change of fail2ban, which an allow list can accept") {
  Ruleset a = FromJson(F2b(R"("192.0.2.10")", 4, 0));
  Ruleset b = FromJson(F2b(R"("192.0.2.10", "192.0.2.66")", 4, 0));
  auto changes = DiffRulesets(a, b);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].object == "set-elements");
  CHECK(changes[0].owner == "fail2ban");
  CHECK(changes[0].where == "inet f2b-table addr-set-sshd");
  CHECK(changes[0].detail == "1 -> 2 elements (+1 -0)");
  auto allow = ParseAllowList("# bans come and go\nset-elements owner=fail2ban\n", "allow.txt");
  CHECK(ApplyAllowList(changes, allow) == 0);
  CHECK(changes[0].allowed);
  auto other = ParseAllowList("set-elements owner=docker\n", "allow.txt");
  changes[0].allowed = false;
  CHECK(ApplyAllowList(changes, other) == 1);
}

TEST_CASE("allow lists reject malformed lines with file and line") {
  try {
    ParseAllowList("set-elements owner=fail2ban\nrule colour=red\n", "allow.txt");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.Describe(), Catch::Contains("allow.txt:2") && Catch::Contains("unknown key \"colour\""));
  }
  CHECK(GlobMatch("inet f2b-*", "inet f2b-table addr-set-sshd"));
  CHECK_FALSE(GlobMatch("ip f2b-*", "inet f2b-table"));
}

TEST_CASE("publishing a container port shows up as docker's three new rules") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("skipped: ../shared is absent");
    return;
  }
  // captures/README.md: the portmap capture adds DNAT in nat-prerouting-and-output, a
  // DROP DIRECT ACCESS rule in raw-PREROUTING and a port accept in filter-forward-in__docker0.
  Ruleset a = test::Load(*shared + "/captures/firewalld-docker29-nft");
  Ruleset b = test::Load(*shared + "/captures/firewalld-docker29-nft-portmap");
  AttributeOwners(a);
  AttributeOwners(b);
  DiffOptions o;
  o.findings = false;
  o.sysctl = false;
  auto changes = DiffRulesets(a, b, o);
  std::vector<std::string> docker_rules;
  for (const auto& c : changes) {
    if (c.object == "rule") {
      CHECK(c.owner == "docker");
      CHECK(c.kind == Change::Kind::kAdded);
      docker_rules.push_back(c.where + ": " + c.detail);
    }
  }
  REQUIRE(docker_rules.size() == 3);
  CHECK_THAT(docker_rules[0], Catch::Contains("ip docker-bridges filter-forward-in__docker0") &&
                                  Catch::Contains("ip daddr 172.17.0.2 tcp dport 80"));
  CHECK_THAT(docker_rules[1], Catch::Contains("nat-prerouting-and-output") && Catch::Contains("dnat to 172.17.0.2:80"));
  CHECK_THAT(docker_rules[2], Catch::Contains("raw-PREROUTING") && Catch::Contains("DROP DIRECT ACCESS"));
}
