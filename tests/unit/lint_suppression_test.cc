// Inline directives in nft comments and config selectors.
#include <catch2/catch.hpp>

#include "lint/config.h"
#include "lint/engine.h"
#include "lint/suppression.h"
#include "rules/rule_testing.h"

using namespace nftc;
using namespace nftc::test;

TEST_CASE("inline: the directive syntax inside an nft comment") {
  CHECK(InlineDisabled("nft-coexist: disable=NC1001") == std::vector<std::string>{"NC1001"});
  CHECK(InlineDisabled("docker rule; nft-coexist: disable=NC1001,xt-without-arguments -- known") ==
        std::vector<std::string>{"NC1001", "NC1002"});
  CHECK(InlineDisabled("nft-coexist:disable=all") == std::vector<std::string>{"all"});
  CHECK(InlineDisabled("nft-coexist: disable=NC9999") .empty());  // unknown names are ignored
  CHECK(InlineDisabled("nft-coexist: enable=NC1001").empty());
  CHECK(InlineDisabled("just a comment").empty());
}

namespace {

// Table t with chain c (rule 1 and rule 2 both unknown) and chain d (rule 3 unknown).
Ruleset Scoped(std::string table_comment, std::string chain_comment, std::string rule_comment) {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kInet, "t", Backend::kNftables, std::move(table_comment));
  Chain& c = AddChain(t, "c", Hook::kInput, 0, Policy::kAccept, std::move(chain_comment));
  AddRule(c, 1, {UnknownStmt("frob")}, std::move(rule_comment));
  AddRule(c, 2, {UnknownStmt("frob")});
  AddRule(AddChain(t, "d", Hook::kForward), 3, {UnknownStmt("frob")});
  return rs;
}

size_t Reported(const Ruleset& rs, const LintOptions& o = {}) { return RunLint(rs, o).findings.size(); }

}  // namespace

TEST_CASE("inline: a rule comment covers that rule only") {
  Ruleset rs = Scoped("", "", "nft-coexist: disable=NC1001 -- checked by hand");
  auto out = RunLint(rs, {});
  CHECK(out.findings.size() == 2);
  REQUIRE(out.suppressed.size() == 1);
  CHECK(out.suppressed[0].where.handle == 1u);
}

TEST_CASE("inline: a chain comment covers its rules, a table comment everything in it") {
  CHECK(Reported(Scoped("", "nft-coexist: disable=NC1001", "")) == 1);
  CHECK(Reported(Scoped("nft-coexist: disable=unknown-expression", "", "")) == 0);
  CHECK(Reported(Scoped("nft-coexist: disable=NC1002", "", "")) == 3);  // other rule
}

TEST_CASE("inline: `inline=off` and --no-inline ignore the directives") {
  LintOptions o;
  o.config = ParseConfig("inline=off\n", "x.rc");
  CHECK(Reported(Scoped("nft-coexist: disable=all", "", ""), o) == 3);
}

TEST_CASE("selectors: table, chain, owner, backend and comment pick the findings to suppress") {
  Ruleset rs = Scoped("", "", "added by docker");
  rs.tables[0].chains[1].owner.owner = "libvirt";
  auto n = [&](const std::string& cfg) {
    LintOptions o;
    o.config = ParseConfig(cfg, "x.rc");
    return Reported(rs, o);
  };
  CHECK(n("disable=NC1001 table=t\n") == 0);
  CHECK(n("disable=NC1001 table=inet/t\n") == 0);
  CHECK(n("disable=NC1001 table=ip/t\n") == 3);
  CHECK(n("disable=NC1001 chain=c\n") == 1);
  CHECK(n("disable=NC1001 chain=?\n") == 0);  // shell wildcard
  CHECK(n("disable=NC1001 owner=libvirt\n") == 2);
  CHECK(n("disable=NC1001 backend=iptables-*\n") == 3);
  CHECK(n("disable=NC1001 comment=docker\n") == 2);
  CHECK(n("disable=NC1002 chain=c\n") == 3);  // selector for another rule
  CHECK(n("disable=NC1001 chain=c family=inet owner=libvirt\n") == 3);  // all must match
}
