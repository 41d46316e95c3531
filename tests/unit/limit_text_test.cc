// The `limit` statement reads the same whether the rule came from nft JSON or from
// iptables-save (so `diff` of the two input kinds does not see a change), and both read as
// nft's own text output of the same kernel ruleset (the capture's ruleset.nft).
#include <catch2/catch.hpp>

#include <set>

#include "iptables/save_parser.h"
#include "iptables/translate.h"
#include "load/load_json.h"
#include "model/rule_print.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

std::multiset<std::string> LimitTexts(const Ruleset& rs) {
  std::multiset<std::string> out;
  for (const Table& t : rs.tables)
    for (const Chain& c : t.chains)
      for (const Rule& r : c.rules)
        for (const Stmt& s : r.stmts)
          if (s.kind == StmtKind::kLimit) out.insert(StmtToString(s));
  return out;
}

}  // namespace

TEST_CASE("limit: JSON loader prints the burst as nft does", "[limit][load]") {
  const char* kJson = R"({"nftables": [
 {"table": {"family": "ip", "name": "filter", "handle": 1}},
 {"chain": {"family": "ip", "table": "filter", "name": "c", "handle": 1}},
 {"rule": {"family": "ip", "table": "filter", "chain": "c", "handle": 2, "expr": [{"limit": {"rate": 3, "burst": 10, "per": "minute"}}]}},
 {"rule": {"family": "ip", "table": "filter", "chain": "c", "handle": 3, "expr": [{"limit": {"rate": 3, "burst": 5, "per": "minute"}}]}},
 {"rule": {"family": "ip", "table": "filter", "chain": "c", "handle": 4, "expr": [{"limit": {"rate": 1, "burst": 0, "per": "second", "inv": true}}]}},
 {"rule": {"family": "ip", "table": "filter", "chain": "c", "handle": 5, "expr": [{"limit": {"rate": 1, "rate_unit": "mbytes", "per": "second", "burst": 5, "burst_unit": "mbytes"}}]}}
]})";
  Ruleset rs;
  LoadNftJson(kJson, "t.json", rs);
  const auto& rules = rs.tables.at(0).chains.at(0).rules;
  REQUIRE(rules.size() == 4);
  // nft 1.0.6 statement.c limit_stmt_print: packets show "burst N packets" unless N is 0 or 5.
  CHECK(StmtToString(rules[0].stmts.at(0)) == "limit rate 3/minute burst 10 packets");
  CHECK(StmtToString(rules[1].stmts.at(0)) == "limit rate 3/minute");
  CHECK(StmtToString(rules[2].stmts.at(0)) == "limit rate over 1/second");
  CHECK(StmtToString(rules[3].stmts.at(0)) == "limit rate 1 mbytes/second burst 5 mbytes");
}

TEST_CASE("limit: iptables-save and nft JSON of one capture give nft's text", "[limit][load][shared]") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("no shared dir: skipped");
    return;
  }
  const std::string dir = *shared + "/captures/ufw-iptables-nft/";
  Ruleset rs;
  LoadNftJsonFile(dir + "ruleset.json", rs);
  std::multiset<std::string> from_json = LimitTexts(rs);
  REQUIRE(!from_json.empty());
  const std::string nft_text = test::ReadFile(dir + "ruleset.nft");
  for (const std::string& t : from_json) CHECK(nft_text.find(t + " ") != std::string::npos);

  // The same rules from ip6tables-nft-save, translated.
  std::multiset<std::string> from_save;
  for (const char* f : {"iptables-nft-save.txt", "ip6tables-nft-save.txt"}) {
    ipt::ParsedSave save = ipt::ParseSaveFile(dir + f);
    for (const ipt::SaveTable& t : save.tables)
      for (const ipt::SaveChain& c : t.chains)
        for (const ipt::SaveRule& r : c.rules)
          for (const Stmt& s : ipt::TranslateRule(r, ipt::SaveFamily(save), &t).stmts)
            if (s.kind == StmtKind::kLimit) from_save.insert(StmtToString(s));
  }
  REQUIRE(!from_save.empty());
  CHECK(from_save == from_json);
  CHECK(from_save.count("limit rate 3/minute burst 10 packets") > 0);
  CHECK(from_save.count("limit rate 3/minute") > 0);  // --limit-burst 5 (ufw-user-limit)
}
