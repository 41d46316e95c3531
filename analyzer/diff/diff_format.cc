#include "diff/diff_format.h"

#include <nlohmann/json.hpp>

namespace nftc {

void FormatChangesText(const std::vector<Change>& changes, const std::string& a, const std::string& b,
                       std::ostream& out) {
  out << "--- " << a << "\n+++ " << b << "\n";
  if (changes.empty()) {
    out << "no differences\n";
    return;
  }
  std::string owner;
  for (const auto& c : changes) {
    if (c.owner != owner) {
      owner = c.owner;
      out << "\n[" << owner << "]\n";
    }
    char sign = c.kind == Change::Kind::kAdded ? '+' : c.kind == Change::Kind::kRemoved ? '-' : '~';
    out << "  " << sign << " " << c.object << " " << c.where;
    if (!c.detail.empty()) out << ": " << c.detail;
    if (c.allowed) out << "  (allowed)";
    out << "\n";
  }
}

void FormatChangesJson(const std::vector<Change>& changes, const std::string& a, const std::string& b,
                       std::ostream& out) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;
  j["a"] = a;
  j["b"] = b;
  auto& arr = j["changes"] = nlohmann::ordered_json::array();
  for (const auto& c : changes) {
    nlohmann::ordered_json e;
    e["kind"] = std::string(ToString(c.kind));
    e["object"] = c.object;
    e["owner"] = c.owner;
    e["where"] = c.where;
    e["detail"] = c.detail;
    e["allowed"] = c.allowed;
    arr.push_back(std::move(e));
  }
  out << j.dump(2) << "\n";
}

}  // namespace nftc
