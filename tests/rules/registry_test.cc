// The registry and everything derived from it: IDs, slugs, docs, README table, fixtures.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "lint/engine.h"
#include "lint/rule_catalog.h"
#include "lint/rule_docs.h"
#include "nftc/error.h"
#include "nftc/lint_rule.h"
#include "testlib/testlib.h"

using namespace nftc;
namespace fs = std::filesystem;

TEST_CASE("registry: IDs are NC+4 digits, unique, sorted; slugs kebab-case and unique") {
  const std::regex id_re("NC[1-9][0-9]{3}"), slug_re("[a-z0-9]+(-[a-z0-9]+)*");
  std::set<std::string_view> slugs;
  for (size_t i = 0; i < Registry().size(); ++i) {
    const RuleEntry& r = Registry()[i];
    INFO(r.id);
    CHECK(std::regex_match(std::string(r.id), id_re));
    CHECK(std::regex_match(std::string(r.slug), slug_re));
    CHECK(slugs.insert(r.slug).second);
    if (i > 0) CHECK(Registry()[i - 1].id < r.id);
    CHECK((r.group == RuleGroup::kRemoved || r.factory != nullptr));
    CHECK(FindRule(r.id) == &r);
    CHECK(FindRule(r.slug) == &r);
  }
  CHECK(FindRule("nc1001") == FindRule("NC1001"));
  CHECK(FindRule("NC0000") == nullptr);
}

TEST_CASE("registry: every rule has its doc page with the fixed sections") {
  const char* kSections[] = {"## What it detects", "## Why it matters", "## Problematic ruleset",
                             "## Fixed ruleset",   "## When to suppress", "## References"};
  for (const RuleEntry& r : Registry()) {
    INFO(r.id);
    fs::path p = fs::path(test::ProjectDir()) / "rules" / DocFileName(r);
    REQUIRE(fs::exists(p));
    RuleDoc doc = ParseRuleDoc(test::ReadFile(p.string()), p.string());
    CHECK(doc.title == std::string(r.id) + " " + std::string(r.slug));
    CHECK_FALSE(doc.message.empty());
    CHECK_FALSE(doc.what.empty());
    size_t last = 0;
    for (const char* s : kSections) {
      size_t at = doc.markdown.find(s);
      CHECK(at != std::string::npos);
      CHECK(at >= last);  // in this order
      if (at != std::string::npos) last = at;
    }
    CHECK(doc.markdown.find("netfilter-semantics.md") != std::string::npos);
    if (r.group != RuleGroup::kRemoved) {
      CHECK(doc.markdown.find("disable=" + std::string(r.id)) != std::string::npos);
    }
  }
}

TEST_CASE("registry: every rule source file is registered, every registered rule has one") {
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(test::ProjectDir()) / "rules")) {
    std::string n = e.path().filename().string();
    if (n.size() > 3 && n.rfind("nc", 0) == 0 && e.path().extension() == ".cc") files.insert(n);
  }
  std::set<std::string> expected;
  for (const RuleEntry& r : Registry()) {
    if (r.group == RuleGroup::kRemoved) continue;
    std::string doc = DocFileName(r);
    expected.insert(doc.substr(0, doc.size() - 3) + ".cc");
  }
  CHECK(files == expected);
}

TEST_CASE("registry: rules/README.md embeds the table `rules --format markdown` prints") {
  std::string readme = test::ReadFile(test::ProjectDir() + "/rules/README.md");
  const std::string begin = "<!-- rules-table:begin -->\n", end = "<!-- rules-table:end -->";
  size_t b = readme.find(begin), e = readme.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  std::string embedded = readme.substr(b + begin.size(), e - b - begin.size());
  CHECK(embedded == *RenderRuleCatalog("markdown"));
}

TEST_CASE("registry: explain prints the doc, for the ID and the slug") {
  auto a = ExplainRule("NC1001"), b = ExplainRule("unknown-expression");
  REQUIRE(a);
  CHECK(a == b);
  CHECK(a->rfind("# NC1001 unknown-expression\n", 0) == 0);
  CHECK_FALSE(ExplainRule("NC0000"));
}

namespace {

// corpora/minimal/<ID>-pos.json or the folder corpora/minimal/<ID>-pos/.
std::optional<std::string> Fixture(std::string_view id, const char* kind) {
  fs::path base = fs::path(test::ProjectDir()) / "corpora" / "minimal";
  std::string stem = std::string(id) + "-" + kind;
  if (fs::exists(base / (stem + ".json"))) return (base / (stem + ".json")).string();
  if (fs::is_directory(base / stem)) return (base / stem).string();
  return std::nullopt;
}

}  // namespace

TEST_CASE("registry: every rule's positive fixture fires it and its negative one does not") {
  for (const RuleEntry& r : Registry()) {
    if (r.group == RuleGroup::kRemoved) continue;
    INFO(r.id);
    auto pos = Fixture(r.id, "pos"), neg = Fixture(r.id, "neg");
    REQUIRE(pos);
    REQUIRE(neg);
    LintOptions only;
    only.only = {std::string(r.id)};
    try {
      CHECK_FALSE(RunLint(test::Load(*pos), only).findings.empty());
      CHECK(RunLint(test::Load(*neg), only).findings.empty());
    } catch (const InputError& e) {
      FAIL("fixture does not load: " << e.Describe());
    }
  }
}
