// NC5001, NC5003, NC5005, NC5006 (rules6): hand-made rulesets for each situation and its
// false-positive traps, and the real captures where the situation exists (the expected
// findings live in tests/expected/*.expected; these tests check what the findings say).
#include <catch2/catch.hpp>

#include <chrono>

#include "load/load_json.h"
#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

// An nft JSON ruleset from object lines ("{"table": ...}", ...).
Ruleset Json(const std::vector<std::string>& objs) {
  std::string s = R"({"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}})";
  for (const std::string& o : objs) s += ",\n" + o;
  s += "]}";
  Ruleset rs;
  LoadNftJson(s, "test.json", rs);
  return rs;
}

std::string TableJ(const std::string& name = "t", const std::string& fam = "inet") {
  return R"({"table": {"family": ")" + fam + R"(", "name": ")" + name + R"(", "handle": 1}})";
}
std::string Base(const std::string& chain, const std::string& hook, const std::string& policy,
                 const std::string& table = "t", const std::string& fam = "inet", int prio = 0) {
  return R"({"chain": {"family": ")" + fam + R"(", "table": ")" + table + R"(", "name": ")" + chain +
         R"(", "handle": 1, "type": "filter", "hook": ")" + hook + R"(", "prio": )" + std::to_string(prio) +
         R"(, "policy": ")" + policy + R"("}})";
}
std::string Regular(const std::string& chain, const std::string& table = "t", const std::string& fam = "inet") {
  return R"({"chain": {"family": ")" + fam + R"(", "table": ")" + table + R"(", "name": ")" + chain +
         R"(", "handle": 2}})";
}
int g_handle = 100;
std::string RuleJ(const std::string& chain, const std::string& expr, const std::string& table = "t",
                  const std::string& fam = "inet") {
  return R"({"rule": {"family": ")" + fam + R"(", "table": ")" + table + R"(", "chain": ")" + chain +
         R"(", "handle": )" + std::to_string(++g_handle) + R"(, "expr": [)" + expr + "]}}";
}
std::string Dport(int p) {
  return R"({"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": )" +
         std::to_string(p) + "}}";
}
std::string Saddr(const std::string& rhs, const std::string& op = "==") {
  return R"({"match": {"op": ")" + op + R"(", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": )" +
         rhs + "}}";
}
std::string Iifname(const std::string& rhs, const std::string& op = "==") {
  return R"({"match": {"op": ")" + op + R"(", "left": {"meta": {"key": "iifname"}}, "right": )" + rhs + "}}";
}
std::string CtState(const std::string& rhs, const std::string& op = "in") {
  return R"({"match": {"op": ")" + op + R"(", "left": {"ct": {"key": "state"}}, "right": )" + rhs + "}}";
}
const std::string kAccept = R"({"accept": null})";
const std::string kDrop = R"({"drop": null})";
std::string Jump(const std::string& c) { return R"({"jump": {"target": ")" + c + R"("}})"; }
std::string Prefix(const std::string& a, int len) {
  return R"({"prefix": {"addr": ")" + a + R"(", "len": )" + std::to_string(len) + "}}";
}

size_t Count(const Ruleset& rs, const char* id) { return test::CountFindings(rs, id); }

}  // namespace

// ---------------------------------------------------------------- NC5001 shadowed-rule

TEST_CASE("NC5001: a prefix-and-port rule after a port rule is shadowed; the reverse order is not") {
  auto rs = Json({TableJ(), Base("input", "input", "drop"), RuleJ("input", Dport(22) + "," + kAccept),
                  RuleJ("input", Saddr(Prefix("192.0.2.0", 24)) + "," + Dport(22) + "," + kDrop)});
  auto f = test::RunRule(rs, "NC5001");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("tcp dport 22 accept") != std::string::npos);
  REQUIRE(f[0].related.size() == 1);  // the deciding rule
  CHECK(f[0].related[0].chain == "input");
  auto rev = Json({TableJ(), Base("input", "input", "drop"),
                   RuleJ("input", Saddr(Prefix("192.0.2.0", 24)) + "," + Dport(22) + "," + kDrop),
                   RuleJ("input", Dport(22) + "," + kAccept)});
  CHECK(Count(rev, "NC5001") == 0);
}

TEST_CASE("NC5001: values, prefixes, sets, negation and wildcards are compared exactly") {
  auto base = std::vector<std::string>{TableJ(), Base("input", "input", "accept")};
  auto with = [&](const std::string& first, const std::string& second) {
    auto v = base;
    v.push_back(RuleJ("input", first + "," + kDrop));
    v.push_back(RuleJ("input", second + "," + kAccept));
    return Count(Json(v), "NC5001");
  };
  CHECK(with(Saddr(Prefix("10.0.0.0", 8)), Saddr(R"("10.1.2.3")")) == 1);
  CHECK(with(Saddr(Prefix("10.0.0.0", 8)), Saddr(R"("11.1.2.3")")) == 0);
  CHECK(with(Saddr(R"({"set": ["10.0.0.1", "10.0.0.2"]})"), Saddr(R"("10.0.0.2")")) == 1);
  CHECK(with(Saddr(R"("10.0.0.2")"), Saddr(R"({"set": ["10.0.0.1", "10.0.0.2"]})")) == 0);
  CHECK(with(Iifname(R"("veth*")"), Iifname(R"("veth12")")) == 1);
  CHECK(with(Iifname(R"("veth12")"), Iifname(R"("veth*")")) == 0);
  CHECK(with(Iifname(R"("lo")", "!="), Iifname(R"("eth0")")) == 1);
  CHECK(with(Iifname(R"("lo")", "!="), Iifname(R"("lo")")) == 0);
  CHECK(with(Iifname(R"("eth*")", "!="), Iifname(R"("docker0")")) == 1);
  CHECK(with(CtState(R"(["established", "related"])"), CtState(R"("established")", "==")) == 1);
  CHECK(with(CtState(R"("established")", "=="), CtState(R"(["established", "related"])")) == 0);
  // A named set changes at run time (fail2ban bans): it covers only itself.
  auto sets = base;
  sets.insert(sets.begin() + 1, R"({"set": {"family": "inet", "name": "ban", "table": "t", "type": "ipv4_addr", "handle": 3, "elem": ["10.0.0.1"]}})");
  auto v1 = sets;
  v1.push_back(RuleJ("input", Saddr(R"("@ban")") + "," + kDrop));
  v1.push_back(RuleJ("input", Saddr(R"("10.0.0.1")") + "," + kAccept));
  CHECK(Count(Json(v1), "NC5001") == 0);
  auto v2 = sets;
  v2.push_back(RuleJ("input", Saddr(R"("@ban")") + "," + kDrop));
  v2.push_back(RuleJ("input", Saddr(R"("@ban")") + "," + Dport(22) + "," + kAccept));
  CHECK(Count(Json(v2), "NC5001") == 1);
}

TEST_CASE("NC5001: limits, unknown matches and packet changes in between keep later rules live") {
  auto base = std::vector<std::string>{TableJ(), Base("input", "input", "accept")};
  auto v = base;  // a limit may not match
  v.push_back(RuleJ("input", Dport(22) + R"(,{"limit": {"rate": 3, "per": "minute"}},)" + kAccept));
  v.push_back(RuleJ("input", Dport(22) + "," + kDrop));
  CHECK(Count(Json(v), "NC5001") == 0);
  v = base;  // the mark set in between may make the later rule match what the first did not
  v.push_back(RuleJ("input", R"({"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1}},)" + kDrop));
  v.push_back(RuleJ("input", R"({"mangle": {"key": {"meta": {"key": "mark"}}, "value": 1}})"));
  v.push_back(RuleJ("input", R"({"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1}},)" + kAccept));
  CHECK(Count(Json(v), "NC5001") == 0);
  v = base;  // an iptables match without arguments is unknown
  v.push_back(RuleJ("input", R"({"xt": {"type": "match", "name": "conntrack"}},)" + kAccept));
  v.push_back(RuleJ("input", Dport(22) + "," + kDrop));
  CHECK(Count(Json(v), "NC5001") == 0);
}

TEST_CASE("NC5001: through a jump tree, but not past a return") {
  auto v = std::vector<std::string>{TableJ(), Base("input", "input", "accept"), Regular("zone"),
                                    RuleJ("input", Iifname(R"("eth0")") + "," + Jump("zone")),
                                    RuleJ("input", Iifname(R"("eth0")") + "," + Dport(80) + "," + kAccept),
                                    RuleJ("zone", Dport(22) + "," + kAccept),
                                    RuleJ("zone", R"({"reject": null})")};
  auto f = test::RunRule(Json(v), "NC5001");
  REQUIRE(f.size() == 1);
  CHECK(f[0].related.size() == 2);  // the reject in 'zone' and the jump
  CHECK(f[0].message.find("'zone'") != std::string::npos);
  auto w = v;  // a return before the reject sends some packets back
  w.insert(w.begin() + 5, RuleJ("zone", Saddr(R"("10.0.0.1")") + R"(,{"return": null})"));
  CHECK(Count(Json(w), "NC5001") == 0);
}

TEST_CASE("NC5001: thousands of ban rules are checked per chain with indexes, not pairwise") {
  std::vector<std::string> v{TableJ("f2b", "ip"), Base("INPUT", "input", "accept", "f2b", "ip")};
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    std::string a = "\"10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) + "." +
                    std::to_string(i % 256) + "\"";
    v.push_back(RuleJ("INPUT", Saddr(a) + "," + kDrop, "f2b", "ip"));
  }
  v.push_back(RuleJ("INPUT", Saddr("\"10.0.0.7\"") + "," + Dport(22) + "," + kAccept, "f2b", "ip"));  // shadowed
  Ruleset rs = Json(v);
  auto t0 = std::chrono::steady_clock::now();
  auto f = test::RunRule(rs, "NC5001");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(f.size() == 1);
  CHECK(secs < 10.0);  // pairwise would be 2e8 comparisons
}

TEST_CASE("NC5001: firewalld's rich rule behind the ssh service (firewalld-nftables capture)") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipped");
    return;
  }
  auto f = test::RunRule(test::Load(*shared + "/captures/firewalld-nftables"), "NC5001");
  REQUIRE(f.size() == 1);
  CHECK(f[0].where.chain == "filter_IN_public_allow");
  CHECK(f[0].message.find("tcp dport 22 accept") != std::string::npos);
}

// ---------------------------------------------------------------- NC5003 unreachable-chain

TEST_CASE("NC5003: unreached chains, and chains reached only from them; jumps, gotos and vmaps count") {
  auto v = std::vector<std::string>{TableJ(), Base("input", "input", "accept"), Regular("a"), Regular("b"),
                                    Regular("c"), Regular("d"),
                                    RuleJ("input", Dport(1) + R"(,{"goto": {"target": "c"}})"),
                                    RuleJ("input", R"({"vmap": {"key": {"meta": {"key": "iifname"}}, "data": {"set": [["eth0", {"jump": {"target": "d"}}]]}}})"),
                                    RuleJ("a", Dport(2) + "," + Jump("b")), RuleJ("b", Dport(3) + "," + kAccept),
                                    RuleJ("c", Dport(4) + "," + kAccept), RuleJ("d", Dport(5) + "," + kAccept)};
  auto f = test::RunRule(Json(v), "NC5003");
  REQUIRE(f.size() == 2);
  std::string all = f[0].where.chain + " " + f[1].where.chain;
  CHECK(all.find('a') != std::string::npos);
  CHECK(all.find('b') != std::string::npos);
  for (const Diagnostic& d : f)
    if (d.where.chain == "b") {
      CHECK(d.message.find("(a)") != std::string::npos);
      REQUIRE(d.related.size() == 1);
      CHECK(d.related[0].chain == "a");
    }
}

TEST_CASE("NC5003: quiet on kube-proxy (dynamic verdict maps) and ufw's skeleton chains") {
  std::string c = test::ProjectDir() + "/corpora/";
  CHECK(Count(test::Load(c + "kube-proxy-nft-firewalld"), "NC5003") == 0);  // reject-chain: no-endpoint-services map
  CHECK(Count(test::Load(c + "ufw-real-dockerd-ipt"), "NC5003") == 0);      // ufw-user-limit, ufw-skip-to-policy-*
  CHECK(Count(test::Load(c + "netavark-ufw"), "NC5003") == 0);              // + NETAVARK-ISOLATION-2/3 (empty)
}

// ---------------------------------------------------------------- NC5005 unused-set

TEST_CASE("NC5005: sets used by matches, verdict maps or dynamic updates count; unused maps are reported") {
  std::string set = R"({"set": {"family": "inet", "name": "seen", "table": "t", "type": "ipv4_addr", "handle": 3, "flags": ["dynamic"]}})";
  std::string map = R"({"map": {"family": "inet", "name": "ports", "table": "t", "type": "inet_service", "handle": 4, "map": "verdict", "elem": [[22, {"accept": null}]]}})";
  auto v = std::vector<std::string>{TableJ(), set, map, Base("input", "input", "accept"),
                                    RuleJ("input", R"({"set": {"op": "update", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "set": "@seen"}})")};
  auto f = test::RunRule(Json(v), "NC5005");
  REQUIRE(f.size() == 1);
  CHECK(f[0].where.set == "ports");
  CHECK(f[0].message.find("verdict map 'ports'") != std::string::npos);
  v.push_back(RuleJ("input", R"({"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}}, "data": "@ports"}})"));
  CHECK(Count(Json(v), "NC5005") == 0);
}

TEST_CASE("NC5005: a set named only by a statement the model does not understand (a meter) counts as used") {
  std::string set = R"({"set": {"family": "inet", "name": "flood", "table": "t", "type": "ipv4_addr", "handle": 3, "flags": ["dynamic"]}})";
  auto v = std::vector<std::string>{
      TableJ(), set, Base("input", "input", "accept"),
      RuleJ("input", R"({"meter": {"name": "flood", "key": {"payload": {"protocol": "ip", "field": "saddr"}}, "stmt": {"limit": {"rate": 10, "per": "second"}}}},)" + kDrop)};
  CHECK(Count(Json(v), "NC5005") == 0);
}

// ------------------------------------------------------ NC5006 drop-policy-without-established

TEST_CASE("NC5006: another table's established accept does not help; a jump to one that accepts does") {
  auto other = std::vector<std::string>{TableJ("fw"), Base("in", "input", "accept", "fw", "inet", -10),
                                        RuleJ("in", CtState(R"(["established", "related"])") + "," + kAccept, "fw"),
                                        TableJ(), Base("input", "input", "drop", "t", "inet", 0),
                                        RuleJ("input", Dport(22) + "," + kAccept)};
  auto f = test::RunRule(Json(other), "NC5006");
  REQUIRE(f.size() == 1);
  CHECK(f[0].where.table == "t");
  REQUIRE(f[0].related.size() == 1);
  CHECK(f[0].related[0].table == "fw");  // the accept that is not final
  auto jumped = std::vector<std::string>{TableJ(), Base("input", "input", "drop"), Regular("est"),
                                         RuleJ("input", Jump("est")),
                                         RuleJ("est", CtState(R"("established")", "==") + "," + kAccept)};
  CHECK(Count(Json(jumped), "NC5006") == 0);
}

TEST_CASE("NC5006: ct state vmaps, != new, and unreadable iptables matches count as letting back") {
  auto vmap = std::vector<std::string>{
      TableJ(), Base("input", "input", "drop"),
      RuleJ("input", R"({"vmap": {"key": {"ct": {"key": "state"}}, "data": {"set": [["established", {"accept": null}], ["invalid", {"drop": null}]]}}})")};
  CHECK(Count(Json(vmap), "NC5006") == 0);
  auto ne = std::vector<std::string>{TableJ(), Base("input", "input", "drop"),
                                     RuleJ("input", CtState(R"("new")", "!=") + "," + kAccept)};
  CHECK(Count(Json(ne), "NC5006") == 0);
  auto xt = std::vector<std::string>{TableJ("filter", "ip"), Base("FORWARD", "forward", "drop", "filter", "ip"),
                                     RuleJ("FORWARD", R"({"xt": {"type": "match", "name": "conntrack"}},)" + kAccept, "filter", "ip")};
  CHECK(Count(Json(xt), "NC5006") == 0);
  auto only_new = std::vector<std::string>{TableJ(), Base("output", "output", "drop"),
                                           RuleJ("output", CtState(R"("new")", "==") + "," + kAccept)};
  CHECK(Count(Json(only_new), "NC5006") == 1);
}

TEST_CASE("NC5006: the stale legacy FORWARD of the combined capture; Docker's own FORWARD is fine") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipped");
    return;
  }
  auto f = test::RunRule(test::Load(*shared + "/captures/combined-firewalld-fail2ban-iptnft-legacy"), "NC5006");
  REQUIRE(f.size() == 2);
  for (const Diagnostic& d : f) {
    CHECK(d.where.backend == Backend::kIptablesLegacy);
    CHECK(d.where.chain == "FORWARD");
  }
  // dockerd-real: FORWARD policy drop with -o docker0 --ctstate RELATED,ESTABLISHED -j ACCEPT.
  CHECK(Count(test::Load(*shared + "/captures/dockerd-real"), "NC5006") == 0);
}
