// Every capture (../shared/captures/*) and corpus (corpora/*) has a hand-reviewed list of
// expected findings, tests/expected/<scenario>.expected: one `ID family table chain` per line
// ('-' for an empty part, legacy tables as `legacy:NAME`, '#' comments). Lint must report
// every expected line of the rules that take part, and no other line of those rules. A rule
// takes part when it is in the registry and at least one .expected file names it (so a rule
// whose author has not written its expectations yet does not fail every scenario; a rule with
// no expected line anywhere takes part through a "# takes-part: ID..." comment); lines of
// rules not (yet) in the registry are ignored, so the files can be written ahead.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "lint/engine.h"
#include "nftc/lint_rule.h"
#include "testlib/testlib.h"

using namespace nftc;
namespace fs = std::filesystem;

namespace {

std::string Part(const std::string& s) { return s.empty() ? "-" : s; }

std::string Line(const Diagnostic& d) {
  std::string table = d.where.table;
  if (!table.empty() && d.where.backend == Backend::kIptablesLegacy) table = "legacy:" + table;
  return d.id + " " + Part(d.where.family) + " " + Part(table) + " " + Part(d.where.chain);
}

// Registry IDs that some .expected file names.
const std::set<std::string>& Participating() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(fs::path(test::ProjectDir()) / "tests" / "expected")) {
      if (e.path().extension() != ".expected") continue;
      std::ifstream in(e.path());
      std::string id;
      for (std::string line; std::getline(in, line);) {
        // "# takes-part: NC5003 NC5005": rules with no expected line anywhere that must still
        // be checked (they must stay quiet in every scenario).
        if (size_t at = line.find("# takes-part:"); at != std::string::npos) {
          std::istringstream ids(line.substr(at + 13));
          while (ids >> id)
            if (FindRule(id)) out.insert(id);
          continue;
        }
        std::istringstream ss(line);
        if (ss >> id && id[0] != '#' && FindRule(id)) out.insert(id);
      }
    }
    return out;
  }();
  return ids;
}

std::set<std::string> ReadExpected(const std::string& path) {
  std::set<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (auto h = line.find('#'); h != std::string::npos) line.erase(h);
    std::istringstream ss(line);
    std::string id, fam, table, chain;
    if (!(ss >> id)) continue;
    ss >> fam >> table >> chain;
    if (!FindRule(id)) continue;  // a rule that does not exist yet
    out.insert(id + " " + Part(fam) + " " + Part(table) + " " + Part(chain));
  }
  return out;
}

void CheckScenario(const fs::path& dir) {
  std::string name = dir.filename().string();
  fs::path exp = fs::path(test::ProjectDir()) / "tests" / "expected" / (name + ".expected");
  INFO("scenario " << dir.string() << ", expected " << exp.string());
  REQUIRE(fs::exists(exp));
  std::set<std::string> want = ReadExpected(exp.string());
  std::set<std::string> got;
  for (const Diagnostic& d : RunLint(test::Load(dir.string()), LintOptions{}).findings)
    if (Participating().count(d.id)) got.insert(Line(d));
  std::set<std::string> missing, extra;
  for (const auto& w : want)
    if (!got.count(w)) missing.insert(w);
  for (const auto& g : got)
    if (!want.count(g)) extra.insert(g);
  std::string m, e;
  for (const auto& x : missing) m += "\n  " + x;
  for (const auto& x : extra) e += "\n  " + x;
  INFO("missing:" << m);
  INFO("unexpected:" << e);
  CHECK(missing.empty());
  CHECK(extra.empty());
}

std::vector<fs::path> Scenarios(const fs::path& root) {
  std::vector<fs::path> out;
  if (!fs::is_directory(root)) return out;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && fs::exists(e.path() / "ruleset.json") && e.path().filename() != "minimal")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("expected findings: every corpus", "[expected]") {
  for (const fs::path& d : Scenarios(fs::path(test::ProjectDir()) / "corpora")) {
    SECTION(d.filename().string()) { CheckScenario(d); }
  }
}

TEST_CASE("expected findings: every shared capture", "[expected]") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping the shared captures");
    return;
  }
  for (const fs::path& d : Scenarios(fs::path(*shared) / "captures")) {
    SECTION(d.filename().string()) { CheckScenario(d); }
  }
}
