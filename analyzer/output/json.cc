// JSON output, schema_version 1. Keys are written in a fixed order and findings are sorted,
// so the same input always gives the same bytes.
//
// {"schema_version": 1, "tool": {"name", "version"}, "fail_on": "warning"|null,
//  "inputs": [{"input", "loaded", "error", "rules_run": [IDs],
//              "summary": {"error","warning","info","suppressed","baselined"},
//              "findings": [{"id","slug","severity","message","owner","location",
//                            "related": [location + "message"],"hint","fix","witness",
//                            "fingerprint"}]}],
//  "summary": {"findings", "failing"}}
// location: {"family","table","backend","chain","set","handle","source"}, absent parts null.
#include <nlohmann/json.hpp>
#include <ostream>

#include "output/formatters.h"

namespace nftc::output {
namespace {

using nlohmann::ordered_json;

ordered_json OrNull(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

ordered_json LocationJson(const Location& l) {
  ordered_json j;
  j["family"] = OrNull(l.family);
  j["table"] = OrNull(l.table);
  j["backend"] = l.empty() ? ordered_json(nullptr) : ordered_json(std::string(ToString(l.backend)));
  j["chain"] = OrNull(l.chain);
  j["set"] = OrNull(l.set);
  j["handle"] = l.handle ? ordered_json(*l.handle) : ordered_json(nullptr);
  j["source"] = OrNull(l.src.ToString());
  return j;
}

class JsonFormatter : public Formatter {
 public:
  void Write(const LintReport& report, std::ostream& out) const override {
    ordered_json j;
    j["schema_version"] = 1;
    j["tool"] = {{"name", "nft-coexist"}, {"version", report.tool_version}};
    j["fail_on"] = report.fail_on ? ordered_json(std::string(ToString(*report.fail_on)))
                                  : ordered_json(nullptr);
    j["inputs"] = ordered_json::array();
    size_t total = 0;
    for (const InputReport& in : report.inputs) {
      ordered_json ji;
      ji["input"] = in.input;
      ji["loaded"] = in.loaded;
      ji["error"] = OrNull(in.error);
      ji["rules_run"] = ordered_json::array();
      for (const RuleEntry* r : in.rules_run) ji["rules_run"].push_back(std::string(r->id));
      SeverityCounts c = Count(in.findings);
      ji["summary"] = {{"error", c.error},           {"warning", c.warning},
                       {"info", c.info},             {"suppressed", in.suppressed},
                       {"baselined", in.baselined}};
      ji["findings"] = ordered_json::array();
      for (const Diagnostic& d : in.findings) {
        ordered_json f;
        f["id"] = d.id;
        f["slug"] = d.slug;
        f["severity"] = std::string(ToString(d.severity));
        f["message"] = d.message;
        f["owner"] = d.owner;
        f["location"] = LocationJson(d.where);
        f["related"] = ordered_json::array();
        for (const Location& r : d.related) {
          ordered_json jr = LocationJson(r);
          jr["message"] = r.message;
          f["related"].push_back(std::move(jr));
        }
        f["hint"] = OrNull(d.hint);
        f["fix"] = OrNull(d.fix);
        f["witness"] = OrNull(d.witness);
        f["fingerprint"] = d.fingerprint;
        ji["findings"].push_back(std::move(f));
      }
      total += in.findings.size();
      j["inputs"].push_back(std::move(ji));
    }
    j["summary"] = {{"findings", total}, {"failing", report.FailingCount()}};
    out << j.dump(2) << "\n";
  }
};

}  // namespace

std::unique_ptr<Formatter> MakeJsonFormatter(const FormatOptions&) {
  return std::make_unique<JsonFormatter>();
}

}  // namespace nftc::output
