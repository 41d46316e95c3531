// SARIF 2.1.0: one run for all inputs. tool.driver.rules holds only the rules that fired,
// in ID order, with descriptions and help from their doc pages. Each result has a logical
// location per nft object (fullyQualifiedName "inet/firewalld/filter_FORWARD/#144"), the
// input file as physical location when there is one, relatedLocations for the other side
// of a conflict, and the stable fingerprint in partialFingerprints.
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "lint/rule_docs.h"
#include "output/formatters.h"

namespace nftc::output {
namespace {

using nlohmann::ordered_json;

const char* Level(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "note";
  }
  return "none";
}

// A URI reference for a file path: relative paths stay relative, absolute ones become
// file:// URIs; characters outside RFC 3986's unreserved set and '/' are percent-encoded.
std::string FileUri(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool IsFile(const std::string& f) {
  return !f.empty() && f != "-" && f != "live" && f.rfind("live:", 0) != 0;
}

ordered_json LocationJson(const Location& l, std::string_view fallback_file) {
  ordered_json j = ordered_json::object();
  std::string file = l.src.file.empty() ? std::string(fallback_file) : l.src.file.str();
  if (IsFile(file)) {
    ordered_json phys;
    phys["artifactLocation"] = {{"uri", FileUri(file)}};
    if (l.src.line > 0) phys["region"] = {{"startLine", l.src.line}};
    j["physicalLocation"] = std::move(phys);
  }
  ordered_json logical;
  logical["fullyQualifiedName"] = l.QualifiedName();
  logical["kind"] = "object";
  j["logicalLocations"] = ordered_json::array({logical});
  return j;
}

ordered_json RuleJson(const RuleEntry& r) {
  ordered_json j;
  j["id"] = std::string(r.id);
  j["name"] = std::string(r.slug);
  std::optional<RuleDoc> doc = LoadRuleDoc(r);
  std::string short_text = doc && !doc->message.empty() ? doc->message : std::string(r.slug);
  j["shortDescription"] = {{"text", short_text}};
  j["fullDescription"] = {{"text", doc && !doc->what.empty() ? doc->what : short_text}};
  if (doc) j["help"] = {{"text", doc->markdown}, {"markdown", doc->markdown}};
  j["defaultConfiguration"] = {{"level", Level(r.severity)}};
  j["properties"] = {{"tags", ordered_json::array({std::string(ToString(r.group))})}};
  return j;
}

class SarifFormatter : public Formatter {
 public:
  void Write(const LintReport& report, std::ostream& out) const override {
    ordered_json driver;
    driver["name"] = "nft-coexist";
    driver["version"] = report.tool_version;
    driver["rules"] = ordered_json::array();
    std::map<std::string, size_t> index;
    for (const RuleEntry* r : FiredRules(report)) {
      index[std::string(r->id)] = driver["rules"].size();
      driver["rules"].push_back(RuleJson(*r));
    }
    ordered_json results = ordered_json::array();
    for (const InputReport& in : report.inputs) {
      for (const Diagnostic& d : in.findings) {
        ordered_json res;
        res["ruleId"] = d.id;
        res["ruleIndex"] = index[d.id];
        res["level"] = Level(d.severity);
        std::string text = d.message;
        if (!d.hint.empty()) text += ". Hint: " + d.hint;
        res["message"] = {{"text", text}};
        res["locations"] = ordered_json::array({LocationJson(d.where, in.artifact)});
        if (!d.related.empty()) {
          ordered_json rel = ordered_json::array();
          for (size_t i = 0; i < d.related.size(); ++i) {
            ordered_json l = LocationJson(d.related[i], in.artifact);
            l["id"] = i + 1;
            l["message"] = {{"text", d.related[i].message}};
            rel.push_back(std::move(l));
          }
          res["relatedLocations"] = std::move(rel);
        }
        res["partialFingerprints"] = {{"nftCoexistFingerprint/v1", d.fingerprint}};
        ordered_json props;
        props["input"] = in.input;
        props["owner"] = d.owner;
        if (!d.fix.empty()) props["fixCommand"] = d.fix;
        if (!d.witness.empty()) props["witness"] = d.witness;
        res["properties"] = std::move(props);
        results.push_back(std::move(res));
      }
    }
    ordered_json run;
    run["tool"] = {{"driver", std::move(driver)}};
    bool ok = true;
    for (const InputReport& in : report.inputs) ok = ok && in.loaded;
    ordered_json inv;
    inv["executionSuccessful"] = ok;
    if (!ok) {
      ordered_json notes = ordered_json::array();
      for (const InputReport& in : report.inputs)
        if (!in.loaded)
          notes.push_back({{"level", "error"}, {"message", {{"text", in.input + ": " + in.error}}}});
      inv["toolExecutionNotifications"] = std::move(notes);
    }
    run["invocations"] = ordered_json::array({inv});
    run["results"] = std::move(results);
    run["columnKind"] = "unicodeCodePoints";
    ordered_json j;
    j["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    j["version"] = "2.1.0";
    j["runs"] = ordered_json::array({run});
    out << j.dump(2) << "\n";
  }
};

}  // namespace

std::unique_ptr<Formatter> MakeSarifFormatter(const FormatOptions&) {
  return std::make_unique<SarifFormatter>();
}

}  // namespace nftc::output
