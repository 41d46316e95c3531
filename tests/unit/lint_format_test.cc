// Output formats: golden files for text, json, sarif and junit on a small hand-built
// corpus (reviewed by hand; regenerate with NFTC_UPDATE_GOLDEN=1 and review the diff),
// SARIF validation with Microsoft's SARIF Multitool, and format invariants.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "lint/engine.h"
#include "nftc/formatter.h"
#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;
using namespace nftc::test;

namespace {

// The corpus: Docker's iptables-nft FORWARD seen through nft JSON alone (xt without
// arguments), a native table with an unknown statement (one of them suppressed inline),
// and two loader notes.
Ruleset SmallCorpus() {
  Ruleset rs;
  rs.origin = "corpus/small.json";
  Table& f = AddTable(rs, Family::kIp, "filter", Backend::kIptablesNft);
  f.owner.owner = "docker";
  Chain& fwd = AddChain(f, "FORWARD", Hook::kForward, 0, Policy::kDrop);
  AddRule(fwd, 4, {XtStmt("conntrack"), VerdictStmt(VerdictKind::kAccept)}).src.json_index = 7;
  AddRule(fwd, 5, {DportMatch(80), VerdictStmt(VerdictKind::kAccept)}).src.json_index = 8;
  AddRule(fwd, 6, {XtStmt("REJECT", false, XtType::kTarget)}).src.json_index = 9;
  fwd.src.json_index = 3;
  Table& t = AddTable(rs, Family::kInet, "host", Backend::kNftables, "hand-written <host> rules");
  t.owner.owner = "admin";
  Chain& in = AddChain(t, "input", Hook::kInput);
  in.src.json_index = 11;
  AddRule(in, 12, {UnknownStmt("frobnicate"), VerdictStmt(VerdictKind::kDrop)}).src.json_index = 12;
  AddRule(in, 13, {UnknownStmt("frobnicate")}, "nft-coexist: disable=NC1001 -- only counts");
  rs.notes.push_back({LoadNote::Kind::kMergeMismatch, "FORWARD: 4 rules in iptables-save, 3 in nft",
                      {"corpus/iptables-nft-save.txt", -1, 9}, "ip", "filter", "FORWARD", 0});
  rs.notes.push_back({LoadNote::Kind::kUnsupported, "object \"synproxy\" ignored",
                      {"corpus/small.json", 20, -1}, "", "", "", 0});
  return rs;
}

LintReport SmallReport() {
  LintReport r;
  r.tool_version = "<VERSION>";
  r.fail_on = Severity::kWarning;
  InputReport in;
  in.input = "corpus/small.json";
  in.artifact = "corpus/small.json";
  LintOutcome lo = RunLint(SmallCorpus(), {});
  in.findings = lo.findings;
  in.suppressed = lo.suppressed.size();
  in.rules_run = lo.rules_run;
  r.inputs.push_back(in);
  InputReport bad;
  bad.input = "corpus/missing.json";
  bad.loaded = false;
  bad.error = "corpus/missing.json: cannot open input: No such file or directory";
  r.inputs.push_back(bad);
  return r;
}

std::string Render(const LintReport& r, const std::string& fmt, bool color = false) {
  FormatOptions o;
  o.color = color;
  std::ostringstream ss;
  MakeFormatter(fmt, o)->Write(r, ss);
  return ss.str();
}

void CheckGolden(const std::string& name, const std::string& actual) {
  std::string path = ProjectDir() + "/tests/golden/lint/" + name;
  if (const char* u = std::getenv("NFTC_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("updated " << path);
    return;
  }
  REQUIRE(std::filesystem::exists(path));
  CHECK(ReadFile(path) == actual);
}

}  // namespace

TEST_CASE("golden: small corpus in every format") {
  LintReport r = SmallReport();
  for (const std::string& fmt : FormatterNames()) {
    INFO("format " << fmt);
    CheckGolden("small." + fmt, Render(r, fmt));
  }
}

TEST_CASE("text: colour only when asked, and the compiler-style first line") {
  LintReport r = SmallReport();
  std::string plain = Render(r, "text"), colored = Render(r, "text", true);
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(colored.find("\x1b[1;31merror\x1b[0m") != std::string::npos);
  CHECK(plain.find("warning: inet host input #12: rule uses statement 'frobnicate'") !=
        std::string::npos);
  CHECK(plain.find("[NC1001 unknown-expression]\n  owner: admin\n") != std::string::npos);
}

TEST_CASE("json: versioned, deterministic, parseable") {
  LintReport r = SmallReport();
  std::string a = Render(r, "json"), b = Render(SmallReport(), "json");
  CHECK(a == b);
  auto j = nlohmann::json::parse(a);
  CHECK(j["schema_version"] == 1);
  CHECK(j["inputs"][0]["summary"]["suppressed"] == 1);
  CHECK(j["inputs"][0]["findings"].size() == r.inputs[0].findings.size());
  CHECK(j["inputs"][1]["loaded"] == false);
  CHECK(j["summary"]["failing"] == r.FailingCount());
}

TEST_CASE("sarif: rules that fired only, levels, logical and related locations") {
  auto j = nlohmann::json::parse(Render(SmallReport(), "sarif"));
  CHECK(j["version"] == "2.1.0");
  const auto& run = j["runs"][0];
  std::vector<std::string> ids;
  for (const auto& rule : run["tool"]["driver"]["rules"]) ids.push_back(rule["id"]);
  CHECK(ids == std::vector<std::string>{"NC1001", "NC1002", "NC1003", "NC1004"});
  CHECK(run["tool"]["driver"]["rules"][2]["defaultConfiguration"]["level"] == "error");
  bool saw_related = false;
  for (const auto& res : run["results"]) {
    CHECK(res["partialFingerprints"]["nftCoexistFingerprint/v1"].get<std::string>().size() == 16);
    if (res["ruleId"] == "NC1002") {
      saw_related = true;
      CHECK(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "ip/filter/FORWARD");
      CHECK(res["relatedLocations"].size() == 2);
      CHECK(res["relatedLocations"][0]["logicalLocations"][0]["fullyQualifiedName"] ==
            "ip/filter/FORWARD/#4");
    }
  }
  CHECK(saw_related);
  CHECK(run["invocations"][0]["executionSuccessful"] == false);  // one input did not load
}

TEST_CASE("sarif: Microsoft SARIF Multitool validates the output") {
  // Install: npm install -g @microsoft/sarif-multitool   (binary: sarif-multitool)
  if (std::system("command -v sarif-multitool >/dev/null 2>&1") != 0) {
    WARN("sarif-multitool not installed (npm install -g @microsoft/sarif-multitool): skipped");
    return;
  }
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("nftc-sarif-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "small.sarif", log = dir / "validate.txt";
  LintReport r = SmallReport();
  r.tool_version = NFTC_VERSION;  // the golden masks it; the validator wants a number
  std::ofstream(file) << Render(r, "sarif");
  std::string cmd = "sarif-multitool validate '" + file.string() + "' > '" + log.string() + "' 2>&1";
  int rc = std::system(cmd.c_str());
  std::string out = ReadFile(log.string());
  INFO(out);
  CHECK(rc == 0);
  CHECK(out.find("Analysis completed successfully") != std::string::npos);
  CHECK(out.find(": error ") == std::string::npos);
  // Warnings are guidance, not schema violations. Two are known and accepted: SARIF2005
  // (no informationUri: the project has no public web page yet) and SARIF2017 (no region:
  // nft JSON has no line numbers; the JSON position is in the logical location instead).
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(": warning ") == std::string::npos) continue;
    bool known = line.find("SARIF2017") != std::string::npos ||
                 (line.find("SARIF2005") != std::string::npos &&
                  line.find("informationUri") != std::string::npos);
    if (!known) FAIL_CHECK("unexpected validator warning: " << line);
  }
  fs::remove_all(dir);
}

TEST_CASE("junit: one testcase per rule and input, failures at or above fail-on") {
  std::string x = Render(SmallReport(), "junit");
  CHECK(x.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
  CHECK(x.find("<testcase classname=\"corpus/small.json\" name=\"NC1003 iptables-merge-mismatch\">") !=
        std::string::npos);
  CHECK(x.find("<failure message=\"1 finding\" type=\"NC1001\">") != std::string::npos);
  CHECK(x.find("<error message=\"corpus/missing.json: cannot open input") != std::string::npos);
}
