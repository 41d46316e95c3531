// Baselines: written from today's findings, matched by fingerprint after handles change.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "lint/baseline.h"
#include "lint/engine.h"
#include "nftc/error.h"
#include "rules/rule_testing.h"

using namespace nftc;
using namespace nftc::test;

namespace {

// Rules as the kernel numbered them at one boot; `extra` adds a rule that is new.
Ruleset Host(uint64_t first_handle, bool extra = false) {
  Ruleset rs;
  Table& t = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  Chain& c = AddChain(t, "FORWARD", Hook::kForward, 0, Policy::kDrop);
  AddRule(c, first_handle, {XtStmt("conntrack"), VerdictStmt(VerdictKind::kAccept)});
  AddRule(c, first_handle + 1, {UnknownStmt("frob")});
  AddRule(c, first_handle + 2, {UnknownStmt("frob")});  // identical twin: needs its own entry
  if (extra) AddRule(c, first_handle + 3, {UnknownStmt("frob"), VerdictStmt(VerdictKind::kDrop)});
  return rs;
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("nftc-baseline-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

}  // namespace

TEST_CASE("baseline: findings of a renumbered ruleset match the baseline written before") {
  LintReport today;
  InputReport in;
  in.input = "host";
  in.findings = RunLint(Host(4), {}).findings;
  REQUIRE(in.findings.size() == 3);  // NC1002 at the chain, NC1001 twice
  today.inputs.push_back(in);
  std::string path = TempPath("a.json");
  std::ofstream(path) << BaselineText(today);

  Baseline b = ReadBaseline(path);
  auto after_reboot = RunLint(Host(1017), {}).findings;
  CHECK(ApplyBaseline(b, after_reboot) == 3);
  CHECK(after_reboot.empty());

  auto with_new_rule = RunLint(Host(2000, /*extra=*/true), {}).findings;
  REQUIRE(with_new_rule.size() == 4);  // NC1002 (unchanged: same xt rules) + NC1001 x3
  CHECK(ApplyBaseline(b, with_new_rule) == 3);
  REQUIRE(with_new_rule.size() == 1);
  CHECK(with_new_rule[0].where.handle == 2003u);
  std::filesystem::remove(path);
}

TEST_CASE("baseline: multiplicity counts, and a bare array of fingerprints is accepted") {
  auto f = RunLint(Host(4), {}).findings;
  std::string path = TempPath("b.json");
  std::ofstream(path) << "[\"" << f[1].fingerprint << "\"]";
  REQUIRE(f[1].fingerprint == f[2].fingerprint);  // the twins
  Baseline b = ReadBaseline(path);
  CHECK(ApplyBaseline(b, f) == 1);
  CHECK(f.size() == 2);
  std::filesystem::remove(path);
}

TEST_CASE("baseline: unreadable or malformed files are input errors") {
  CHECK_THROWS_AS(ReadBaseline("/nonexistent/baseline.json"), InputError);
  std::string path = TempPath("c.json");
  for (const char* bad : {"{", "{\"schema_version\": 2, \"findings\": []}", "{\"findings\": []}",
                          "[1, 2]", "\"x\"", "{\"schema_version\": 1, \"findings\": {}}"}) {
    std::ofstream(path) << bad;
    CHECK_THROWS_AS(ReadBaseline(path), InputError);
  }
  std::filesystem::remove(path);
}
