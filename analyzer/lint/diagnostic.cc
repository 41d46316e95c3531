// Severity names, location rendering, fingerprints and the output order of findings.
#include "nftc/diagnostic.h"

#include <cstdio>
#include <regex>
#include <tuple>

#include "lint/hash.h"

namespace nftc {

std::string_view ToString(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "?";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  if (s == "error") return Severity::kError;
  if (s == "warning") return Severity::kWarning;
  if (s == "info" || s == "note") return Severity::kInfo;
  return std::nullopt;
}

std::string Location::Describe() const {
  if (empty()) return "ruleset";
  std::string s = family + " " + table;
  if (backend == Backend::kIptablesLegacy) s += " (legacy)";
  if (!chain.empty()) s += " " + chain;
  if (!set.empty()) s += " @" + set;
  if (handle) s += " #" + std::to_string(*handle);
  return s;
}

std::string Location::QualifiedName() const {
  if (empty()) return "ruleset";
  std::string s = backend == Backend::kIptablesLegacy ? "legacy:" : "";
  s += family + "/" + table;
  if (!chain.empty()) s += "/" + chain;
  if (!set.empty()) s += "/@" + set;
  if (handle) s += "/#" + std::to_string(*handle);
  return s;
}

namespace {

// The parts of a location that do not change when the kernel renumbers handles.
void AddStableLocation(lint::Fnv64& h, const Location& l) {
  h.Add(l.family);
  h.Add(l.table);
  h.Add(std::to_string(static_cast<int>(l.backend)));
  h.Add(l.chain);
  h.Add(l.set);
  h.Add(l.content);
}

}  // namespace

std::string Fingerprint(const Diagnostic& d) {
  lint::Fnv64 h;
  h.Add(d.id);
  AddStableLocation(h, d.where);
  for (const Location& r : d.related) AddStableLocation(h, r);
  if (!d.stable_key.empty()) {
    h.Add(d.stable_key);
  } else {
    // Handles printed in a message ("#144") change across reboots: drop them.
    static const std::regex kHandle("#[0-9]+");
    h.Add(std::regex_replace(d.message, kHandle, "#"));
  }
  return h.Hex();
}

bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b) {
  auto key = [](const Diagnostic& d) {
    const Location& l = d.where;
    return std::tie(l.family, l.table, l.backend, l.chain, l.position, l.set, d.id, d.message);
  };
  auto ka = key(a), kb = key(b);
  if (ka != kb) return ka < kb;
  return a.fingerprint < b.fingerprint;
}

}  // namespace nftc
