// `rules` and `explain` output.
#include "lint/rule_catalog.h"

#include <nlohmann/json.hpp>

#include "lint/rule_docs.h"
#include "nftc/error.h"
#include "nftc/lint_rule.h"

namespace nftc {

namespace {

std::string Summary(const RuleEntry& r) {
  std::optional<RuleDoc> doc = LoadRuleDoc(r);
  return doc && !doc->message.empty() ? doc->message : "";
}

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

}  // namespace

std::optional<std::string> RenderRuleCatalog(std::string_view format) {
  std::string out;
  if (format == "text") {
    for (const RuleEntry& r : Registry()) {
      out += std::string(r.id) + "  " + Pad(std::string(r.slug), 26) + " " +
             Pad(std::string(ToString(r.severity)), 8) + Pad(std::string(ToString(r.group)), 8) +
             Summary(r) + "\n";
    }
    return out;
  }
  if (format == "json") {
    nlohmann::ordered_json j;
    j["schema_version"] = 1;
    j["rules"] = nlohmann::ordered_json::array();
    for (const RuleEntry& r : Registry()) {
      j["rules"].push_back({{"id", std::string(r.id)},
                            {"slug", std::string(r.slug)},
                            {"severity", std::string(ToString(r.severity))},
                            {"group", std::string(ToString(r.group))},
                            {"summary", Summary(r)},
                            {"doc", "rules/" + DocFileName(r)}});
    }
    return j.dump(2) + "\n";
  }
  if (format == "markdown") {
    out += "| ID | Name | Severity | Group | Summary |\n";
    out += "| --- | --- | --- | --- | --- |\n";
    for (const RuleEntry& r : Registry()) {
      std::string summary = Summary(r);
      for (size_t p = 0; (p = summary.find('|', p)) != std::string::npos; p += 2)
        summary.replace(p, 1, "\\|");
      out += "| " + std::string(r.id) + " | [" + std::string(r.slug) + "](" + DocFileName(r) +
             ") | " + std::string(ToString(r.severity)) + " | " + std::string(ToString(r.group)) +
             " | " + summary + " |\n";
    }
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> ExplainRule(std::string_view id_or_slug) {
  const RuleEntry* r = FindRule(id_or_slug);
  if (!r) return std::nullopt;
  std::optional<RuleDoc> doc = LoadRuleDoc(*r);
  if (!doc)
    throw InputError("documentation of " + std::string(r->id) + " not found in " + RuleDocsDir() +
                     " (set NFTC_RULES_DIR to the rules/ folder)");
  return doc->markdown;
}

}  // namespace nftc
