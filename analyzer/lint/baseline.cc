// Baseline read, match and write.
#include "lint/baseline.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nftc/error.h"

namespace nftc {

using nlohmann::ordered_json;

Baseline ReadBaseline(const std::string& path) {
  SourceRef where;
  where.file = path;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError("cannot read baseline file", where);
  std::stringstream ss;
  ss << f.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded()) throw InputError("baseline is not valid JSON", where);
  const nlohmann::json* list = &j;
  if (j.is_object()) {
    if (!j.contains("schema_version") || j["schema_version"] != 1)
      throw InputError("baseline: unsupported or missing schema_version (expected 1)", where);
    if (!j.contains("findings") || !j["findings"].is_array())
      throw InputError("baseline: \"findings\" must be an array", where);
    list = &j["findings"];
  } else if (!j.is_array()) {
    throw InputError("baseline must be an object or an array of fingerprints", where);
  }
  Baseline b;
  for (size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& e = (*list)[i];
    const nlohmann::json* fp = &e;
    if (e.is_object() && e.contains("fingerprint")) fp = &e["fingerprint"];
    if (!fp->is_string())
      throw InputError("baseline: entry " + std::to_string(i) + " has no fingerprint string",
                       where);
    ++b.counts[fp->get<std::string>()];
  }
  return b;
}

size_t ApplyBaseline(const Baseline& b, std::vector<Diagnostic>& findings) {
  std::map<std::string, size_t> left = b.counts;
  size_t before = findings.size();
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Diagnostic& d) {
                                  auto it = left.find(d.fingerprint);
                                  if (it == left.end() || it->second == 0) return false;
                                  --it->second;
                                  return true;
                                }),
                 findings.end());
  return before - findings.size();
}

std::string BaselineText(const LintReport& report) {
  std::vector<const Diagnostic*> all;
  for (const InputReport& in : report.inputs)
    for (const Diagnostic& d : in.findings) all.push_back(&d);
  std::sort(all.begin(), all.end(), [](const Diagnostic* a, const Diagnostic* b) {
    if (a->fingerprint != b->fingerprint) return a->fingerprint < b->fingerprint;
    return DiagnosticLess(*a, *b);
  });
  ordered_json j;
  j["schema_version"] = 1;
  j["tool"] = "nft-coexist";
  j["findings"] = ordered_json::array();
  for (const Diagnostic* d : all) {
    ordered_json e;
    e["fingerprint"] = d->fingerprint;
    e["id"] = d->id;
    e["where"] = d->where.Describe();
    e["message"] = d->message;
    j["findings"].push_back(std::move(e));
  }
  return j.dump(2) + "\n";
}

}  // namespace nftc
