// nft JSON loader: structure, expressions, symbolic constants, errors with locations.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "load/load_json.h"
#include "load/symbols.h"
#include "nftc/error.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

Ruleset FromText(const std::string& text) {
  Ruleset rs;
  LoadNftJson(text, "test.json", rs);
  return rs;
}

const char* kSmall = R"({"nftables": [
 {"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
 {"table": {"family": "inet", "name": "t", "handle": 1}},
 {"chain": {"family": "inet", "table": "t", "name": "fwd", "handle": 1, "type": "filter", "hook": "forward", "prio": 10, "policy": "drop"}},
 {"chain": {"family": "inet", "table": "t", "name": "sub", "handle": 2}},
 {"set": {"family": "inet", "name": "blocklist", "table": "t", "type": "ipv4_addr", "handle": 3, "flags": ["interval"],
   "elem": [{"prefix": {"addr": "203.0.113.0", "len": 24}}, "192.0.2.7", {"range": ["198.51.100.1", "198.51.100.9"]}]}},
 {"map": {"family": "inet", "name": "jumps", "table": "t", "type": "ifname", "handle": 4, "map": "verdict",
   "elem": [["docker0", {"jump": {"target": "sub"}}]]}},
 {"rule": {"family": "inet", "table": "t", "chain": "fwd", "handle": 5, "expr": [
   {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}},
   {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}},
 {"rule": {"family": "inet", "table": "t", "chain": "fwd", "handle": 6, "expr": [
   {"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}},
   {"match": {"op": "==", "left": {"payload": {"protocol": "th", "field": "dport"}}, "right": {"set": [22, {"range": [8000, 8080]}]}}},
   {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@blocklist"}},
   {"drop": null}]}},
 {"rule": {"family": "inet", "table": "t", "chain": "fwd", "handle": 7, "expr": [
   {"vmap": {"key": {"meta": {"key": "oifname"}}, "data": "@jumps"}}]}},
 {"rule": {"family": "inet", "table": "t", "chain": "sub", "handle": 8, "expr": [
   {"match": {"op": "!=", "left": {"meta": {"key": "iifname"}}, "right": "veth*"}},
   {"dnat": {"family": "ip", "addr": "172.17.0.2", "port": 80}}, {"frobnicate": {"x": 1}}]}}
]})";

}  // namespace

TEST_CASE("a small ruleset loads into tables, chains, rules and sets") {
  Ruleset rs = FromText(kSmall);
  REQUIRE(rs.tables.size() == 1);
  const Table& t = rs.tables[0];
  CHECK(t.family == Family::kInet);
  REQUIRE(t.chains.size() == 2);
  const Chain& fwd = t.chains[0];
  CHECK(fwd.base);
  CHECK(fwd.hook == Hook::kForward);
  CHECK(fwd.prio == 10);
  CHECK(fwd.policy == Policy::kDrop);
  REQUIRE(fwd.rules.size() == 3);
  CHECK(fwd.rules[0].src.json_index == 6);
  CHECK(fwd.rules[0].src.ToString() == "test.json:/nftables/6");

  // ct state established,related is a flag list: mask 2|4.
  const Stmt& ct = fwd.rules[0].stmts[0];
  REQUIRE(ct.kind == StmtKind::kMatch);
  CHECK(ct.e[0].kind == ExprKind::kCt);
  CHECK(ct.e[1].kind == ExprKind::kFlags);
  CHECK(ct.e[1].value.num == 6);

  // "tcp" resolves through meta l4proto's datatype; the port set keeps a range.
  const Rule& r6 = fwd.rules[1];
  CHECK(r6.stmts[0].e[1].value.num == 6);
  REQUIRE(r6.stmts[1].e[1].kind == ExprKind::kSet);
  CHECK(r6.stmts[1].e[1].kids[1].kind == ExprKind::kRange);
  CHECK(r6.stmts[2].e[1].kind == ExprKind::kSetRef);
  CHECK(r6.stmts[2].e[1].name == "blocklist");

  // Set elements: prefix and range become lo/hi.
  const Set* bl = t.FindSet("blocklist");
  REQUIRE(bl);
  REQUIRE(bl->elems.size() == 3);
  CHECK(bl->elems[0].lo[0].num == *ParseIpAddress("203.0.113.0", nullptr));
  CHECK(bl->elems[0].hi[0].num == *ParseIpAddress("203.0.113.255", nullptr));
  CHECK(bl->elems[2].hi[0].num == *ParseIpAddress("198.51.100.9", nullptr));
  const Set* jm = t.FindSet("jumps");
  REQUIRE(jm);
  CHECK(jm->is_map);
  REQUIRE(jm->elems.size() == 1);
  CHECK(jm->elems[0].lo[0].str == "docker0");
  CHECK(jm->elems[0].verdict.kind == VerdictKind::kJump);
  CHECK(jm->elems[0].verdict.chain == "sub");

  // Unknown statements are kept and noted, never dropped.
  const Rule& r8 = t.chains[1].rules[0];
  REQUIRE(r8.stmts.size() == 3);
  CHECK(r8.stmts[0].op == MatchOp::kNe);
  CHECK(r8.stmts[0].e[1].value.str == "veth*");
  CHECK(r8.stmts[1].kind == StmtKind::kNat);
  CHECK(r8.stmts[1].e[0].value.num == *ParseIpAddress("172.17.0.2", nullptr));
  CHECK(r8.stmts[1].e[1].value.num == 80);
  CHECK(r8.stmts[2].kind == StmtKind::kUnknown);
  REQUIRE(rs.notes.size() == 1);
  CHECK(rs.notes[0].kind == LoadNote::Kind::kUnknownExpr);
  CHECK(rs.notes[0].chain == "sub");
  CHECK(rs.notes[0].handle == 8);
}

TEST_CASE("malformed input is rejected with a location") {
  auto msg = [](const std::string& text) {
    try {
      FromText(text);
    } catch (const InputError& e) {
      return e.Describe();
    }
    return std::string("no error");
  };
  CHECK_THAT(msg(""), Catch::Contains("empty file"));
  CHECK_THAT(msg(R"({"nftables": [{"table": {"family": "inet", "name": "t"}})"), Catch::Contains("malformed JSON at byte"));
  CHECK_THAT(msg("[1,2]"), Catch::Contains("top level is an array"));
  CHECK_THAT(msg(R"({"x": 1})"), Catch::Contains("no \"nftables\" array"));
  CHECK_THAT(msg(R"({"nftables": [{"metainfo": {"json_schema_version": 7}}]})"),
             Catch::Contains("unsupported json_schema_version 7"));
  CHECK_THAT(msg(R"({"nftables": [{"chain": {"family": "ip", "table": "nope", "name": "c"}}]})"),
             Catch::Contains("test.json:/nftables/0") && Catch::Contains("not defined"));
  CHECK_THAT(msg(R"({"nftables": [{"table": {"family": "ipx", "name": "t"}}]})"), Catch::Contains("unknown family"));
  std::string deep(200, '[');
  CHECK_THAT(msg(R"({"nftables": [)" + deep), Catch::Contains("nested deeper"));
}

TEST_CASE("every real capture and reference JSON loads with no chain lost") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("skipped: ../shared is absent");
    return;
  }
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(*shared)) {
    std::string p = e.path().string();
    bool is_capture = e.path().filename() == "ruleset.json";
    bool is_ref = p.find("/reference-rulesets/") != std::string::npos && e.path().extension() == ".json";
    if (!is_capture && !is_ref) continue;
    INFO(p);
    auto doc = nlohmann::json::parse(test::ReadFile(p));
    size_t chains = 0, rules = 0, sets = 0, elems = 0;
    for (const auto& item : doc["nftables"]) {
      if (item.contains("chain")) ++chains;
      if (item.contains("rule")) ++rules;
      if (item.contains("set") || item.contains("map")) {
        ++sets;
        const auto& s = item.contains("set") ? item["set"] : item["map"];
        if (s.contains("elem")) elems += s["elem"].size();
      }
    }
    Ruleset rs;
    LoadNftJsonFile(p, rs);
    CHECK(rs.ChainCount() == chains);
    CHECK(rs.RuleCount() == rules);
    size_t got_sets = 0, got_elems = 0;
    for (const auto& t : rs.tables) {
      got_sets += t.sets.size();
      for (const auto& s : t.sets) got_elems += s.elems.size();
    }
    CHECK(got_sets == sets);
    CHECK(got_elems == elems);
    ++files;
  }
  CHECK(files >= 30);
}
