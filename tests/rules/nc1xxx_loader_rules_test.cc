// NC1001..NC1004: the loader-phase rules, on hand-built rulesets (one situation per case).
#include <catch2/catch.hpp>

#include "rules/rule_testing.h"

using namespace nftc;
using namespace nftc::test;

TEST_CASE("NC1001 fires on a rule with an unknown statement and names its kind") {
  Ruleset rs;
  Chain& c = AddChain(AddTable(rs, Family::kInet, "t"), "input", Hook::kInput);
  AddRule(c, 3, {UnknownStmt("frobnicate"), VerdictStmt(VerdictKind::kDrop)});
  auto ds = RunRule(rs, "NC1001");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].id == "NC1001");
  CHECK(ds[0].slug == "unknown-expression");
  CHECK(ds[0].severity == Severity::kWarning);
  CHECK(ds[0].where.chain == "input");
  CHECK(ds[0].where.handle == 3u);
  CHECK(ds[0].message.find("'frobnicate'") != std::string::npos);
  CHECK(ds[0].message.find("NC1001") == std::string::npos);  // messages never carry the ID
}

TEST_CASE("NC1001 fires on an unknown expression nested in a match") {
  Ruleset rs;
  Chain& c = AddChain(AddTable(rs, Family::kIp, "t"), "fwd", Hook::kForward);
  AddRule(c, 7, {UnknownExprMatch("tunnel"), VerdictStmt(VerdictKind::kAccept)});
  auto ds = RunRule(rs, "NC1001");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("expression 'tunnel'") != std::string::npos);
}

TEST_CASE("NC1001 is quiet on a ruleset of known expressions") {
  Ruleset rs;
  Chain& c = AddChain(AddTable(rs, Family::kInet, "t"), "input", Hook::kInput);
  AddRule(c, 3, {DportMatch(22), VerdictStmt(VerdictKind::kDrop)});
  CHECK(CountFindings(rs, "NC1001") == 0);
}

TEST_CASE("NC1001 does not report a rule twice when the loader also left a note for it") {
  Ruleset rs;
  Chain& c = AddChain(AddTable(rs, Family::kInet, "t"), "input", Hook::kInput);
  AddRule(c, 3, {UnknownStmt("frobnicate")});
  rs.notes.push_back({LoadNote::Kind::kUnknownExpr, "unknown statement 'frobnicate'", {}, "inet",
                      "t", "input", 3});
  CHECK(CountFindings(rs, "NC1001") == 1);
}

TEST_CASE("NC1001 reports an unknown-expression note that no rule of the model holds") {
  Ruleset rs;
  AddTable(rs, Family::kInet, "t");
  rs.notes.push_back({LoadNote::Kind::kUnknownExpr, "unknown expression 'x' in set element", {},
                      "inet", "t", "", 0});
  auto ds = RunRule(rs, "NC1001");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.table == "t");
}

TEST_CASE("NC1002 reports one finding per chain with every xt rule as related location") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  Chain& c = AddChain(t, "FORWARD", Hook::kForward, 0, Policy::kDrop);
  AddRule(c, 4, {XtStmt("conntrack"), VerdictStmt(VerdictKind::kAccept)});
  AddRule(c, 5, {XtStmt("addrtype"), XtStmt("DNAT", false, XtType::kTarget)});
  AddRule(c, 6, {DportMatch(80), VerdictStmt(VerdictKind::kAccept)});
  auto ds = RunRule(rs, "NC1002");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.chain == "FORWARD");
  CHECK_FALSE(ds[0].where.handle.has_value());
  CHECK(ds[0].message.find("2 rules") != std::string::npos);
  CHECK(ds[0].message.find("(DNAT, addrtype, conntrack)") != std::string::npos);
  REQUIRE(ds[0].related.size() == 2);
  CHECK(ds[0].related[0].handle == 4u);
  CHECK(ds[0].related[1].message == "xt match addrtype, target DNAT without arguments");
  CHECK(ds[0].hint.find("iptables-nft-save") != std::string::npos);
}

TEST_CASE("NC1002 is quiet once iptables-save arguments were merged") {
  Ruleset rs;
  Chain& c = AddChain(AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft), "FORWARD",
                      Hook::kForward);
  AddRule(c, 4, {XtStmt("conntrack", /*has_args=*/true), VerdictStmt(VerdictKind::kAccept)});
  CHECK(CountFindings(rs, "NC1002") == 0);
}

TEST_CASE("NC1003 turns each merge-mismatch note into an error at the chain it names") {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  AddChain(t, "FORWARD", Hook::kForward);
  rs.notes.push_back({LoadNote::Kind::kMergeMismatch, "FORWARD: 5 rules in iptables-save, 4 in nft",
                      {}, "ip", "filter", "FORWARD", 0});
  rs.notes.push_back({LoadNote::Kind::kUnsupported, "not a mismatch", {}, "ip", "filter", "", 0});
  auto ds = RunRule(rs, "NC1003");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].severity == Severity::kError);
  CHECK(ds[0].where.Describe() == "ip filter FORWARD");
  CHECK(ds[0].message.find("5 rules in iptables-save, 4 in nft") != std::string::npos);
}

TEST_CASE("NC1004 reports unsupported and other notes, not the ones NC1001-NC1003 cover") {
  Ruleset rs;
  rs.origin = "in.json";
  rs.notes.push_back({LoadNote::Kind::kUnsupported, "object 'synproxy' ignored", {}, "", "", "", 0});
  rs.notes.push_back({LoadNote::Kind::kOther, "iptables-legacy-save.txt missing", {}, "", "", "", 0});
  rs.notes.push_back({LoadNote::Kind::kUnknownExpr, "x", {}, "", "", "", 0});
  rs.notes.push_back({LoadNote::Kind::kXtNoArgs, "x", {}, "", "", "", 0});
  rs.notes.push_back({LoadNote::Kind::kMergeMismatch, "x", {}, "", "", "", 0});
  auto ds = RunRule(rs, "NC1004");
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].where.Describe() == "ruleset");
  CHECK(ds[0].where.src.file == "in.json");
}

TEST_CASE("NC1004 is quiet on a ruleset without load notes") {
  Ruleset rs;
  AddChain(AddTable(rs, Family::kInet, "t"), "input", Hook::kInput);
  CHECK(CountFindings(rs, "NC1004") == 0);
}
