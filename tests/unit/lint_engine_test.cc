// The lint engine: stamping, rule selection, severity overrides, fingerprints, order.
#include <catch2/catch.hpp>

#include "lint/config.h"
#include "lint/engine.h"
#include "rules/rule_testing.h"

using namespace nftc;
using namespace nftc::test;

namespace {

// Two chains with one unknown statement each; handles as the kernel numbered them.
Ruleset TwoUnknowns(uint64_t h1, uint64_t h2) {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kInet, "t");
  t.owner.owner = "firewalld";
  Chain& a = AddChain(t, "a", Hook::kInput);
  AddRule(a, h1, {UnknownStmt("frob"), VerdictStmt(VerdictKind::kDrop)});
  Chain& b = AddChain(t, "b", Hook::kForward);
  b.owner.owner = "docker";
  AddRule(b, h2, {UnknownStmt("frob"), VerdictStmt(VerdictKind::kDrop)});
  return rs;
}

LintOptions WithConfig(const std::string& text) {
  LintOptions o;
  o.config = ParseConfig(text, "test.rc");
  return o;
}

}  // namespace

TEST_CASE("engine: Report stamps ID, slug, severity and the innermost owner") {
  Ruleset rs = TwoUnknowns(3, 9);
  rs.tables[0].chains[1].rules[0].owner.owner = "unknown";  // falls back to the chain's owner
  auto out = RunLint(rs, LintOptions{});
  REQUIRE(out.findings.size() == 2);
  CHECK(out.findings[0].id == "NC1001");
  CHECK(out.findings[0].slug == "unknown-expression");
  CHECK(out.findings[0].severity == Severity::kWarning);
  CHECK(out.findings[0].owner == "firewalld");  // chain a has no owner: the table's
  CHECK(out.findings[1].owner == "docker");
}

TEST_CASE("engine: stable rules run by default, removed never, `only` restricts") {
  LintOptions o;
  for (const RuleEntry& r : Registry())
    CHECK(RuleEnabled(r, o) == (r.group == RuleGroup::kStable));
  o.only = {"NC1002"};
  CHECK_FALSE(RuleEnabled(*FindRule("NC1001"), o));
  CHECK(RuleEnabled(*FindRule("NC1002"), o));
}

TEST_CASE("engine: a global disable stops the rule; the last directive wins") {
  Ruleset rs = TwoUnknowns(3, 9);
  auto out = RunLint(rs, WithConfig("disable=unknown-expression\n"));
  CHECK(out.findings.empty());
  CHECK(out.suppressed.empty());  // not run at all, not suppressed
  for (const RuleEntry* r : out.rules_run) CHECK(r->id != "NC1001");
  out = RunLint(rs, WithConfig("disable=all\nenable=NC1001\n"));
  CHECK(out.findings.size() == 2);
  REQUIRE(out.rules_run.size() == 1);
}

TEST_CASE("engine: severity overrides, global and by selector") {
  Ruleset rs = TwoUnknowns(3, 9);
  auto out = RunLint(rs, WithConfig("severity=NC1001:error\n"));
  REQUIRE(out.findings.size() == 2);
  CHECK(out.findings[0].severity == Severity::kError);
  CHECK(out.findings[1].severity == Severity::kError);
  out = RunLint(rs, WithConfig("severity=NC1001:info owner=docker\n"));
  REQUIRE(out.findings.size() == 2);
  CHECK(out.findings[0].severity == Severity::kWarning);  // chain a (firewalld)
  CHECK(out.findings[1].severity == Severity::kInfo);     // chain b (docker)
}

TEST_CASE("engine: fingerprints survive handle renumbering") {
  auto before = RunLint(TwoUnknowns(3, 9), LintOptions{}).findings;
  auto after = RunLint(TwoUnknowns(1044, 1050), LintOptions{}).findings;
  REQUIRE(before.size() == 2);
  REQUIRE(after.size() == 2);
  CHECK(before[0].where.handle != after[0].where.handle);
  CHECK(before[0].fingerprint == after[0].fingerprint);
  CHECK(before[1].fingerprint == after[1].fingerprint);
  CHECK(before[0].fingerprint != before[1].fingerprint);  // other chain
  CHECK(before[0].fingerprint.size() == 16);
}

TEST_CASE("engine: a rule with other content in the same place gets another fingerprint") {
  Ruleset a = TwoUnknowns(3, 9), b = TwoUnknowns(3, 9);
  b.tables[0].chains[0].rules[0].stmts[1] = VerdictStmt(VerdictKind::kAccept);
  auto fa = RunLint(a, LintOptions{}).findings, fb = RunLint(b, LintOptions{}).findings;
  CHECK(fa[0].fingerprint != fb[0].fingerprint);
  CHECK(fa[1].fingerprint == fb[1].fingerprint);
}

TEST_CASE("fingerprint ignores handles printed in the message") {
  Diagnostic d;
  d.id = "NC1001";
  d.message = "jumps to rule #12";
  Diagnostic e = d;
  e.message = "jumps to rule #4711";
  CHECK(Fingerprint(d) == Fingerprint(e));
  e.message = "jumps to rule #4711 twice";
  CHECK(Fingerprint(d) != Fingerprint(e));
}

TEST_CASE("engine: findings are sorted by location, then ID") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  Chain& c = AddChain(t, "FORWARD", Hook::kForward);
  AddRule(c, 8, {XtStmt("conntrack"), UnknownStmt("frob")});
  AddRule(c, 2, {UnknownStmt("frob")});
  Table& z = AddTable(rs, Family::kInet, "aaa");
  AddRule(AddChain(z, "x"), 1, {UnknownStmt("frob")});
  LintOptions o;
  o.only = {"NC1001", "NC1002"};  // (NC5003 also reports the unreached chain x)
  auto f = RunLint(rs, o).findings;
  REQUIRE(f.size() == 4);
  // inet < ip; within ip filter FORWARD: chain finding (position -1) first, then by position
  CHECK(f[0].where.family == "inet");
  CHECK(f[1].id == "NC1002");
  CHECK(f[2].where.handle == 8u);
  CHECK(f[3].where.handle == 2u);
}
