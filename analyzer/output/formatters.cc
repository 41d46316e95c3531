// The table of output formats, and LintReport helpers shared by all of them.
#include <functional>

#include "nftc/formatter.h"
#include "output/formatters.h"

namespace nftc {

size_t LintReport::FailingCount() const {
  if (!fail_on) return 0;
  size_t n = 0;
  for (const InputReport& in : inputs)
    for (const Diagnostic& d : in.findings)
      if (AtOrAbove(d.severity, *fail_on)) ++n;
  return n;
}

namespace {

struct FormatEntry {
  const char* name;
  std::unique_ptr<Formatter> (*make)(const FormatOptions&);
};

const std::vector<FormatEntry>& Formats() {
  static const std::vector<FormatEntry> kFormats = {
      {"text", output::MakeTextFormatter},
      {"json", output::MakeJsonFormatter},
      {"sarif", output::MakeSarifFormatter},
      {"junit", output::MakeJunitFormatter},
  };
  return kFormats;
}

}  // namespace

std::unique_ptr<Formatter> MakeFormatter(std::string_view name, const FormatOptions& opts) {
  for (const FormatEntry& f : Formats())
    if (name == f.name) return f.make(opts);
  return nullptr;
}

std::vector<std::string> FormatterNames() {
  std::vector<std::string> out;
  for (const FormatEntry& f : Formats()) out.push_back(f.name);
  return out;
}

namespace output {

SeverityCounts Count(const std::vector<Diagnostic>& ds) {
  SeverityCounts c;
  for (const Diagnostic& d : ds) {
    if (d.severity == Severity::kError) ++c.error;
    else if (d.severity == Severity::kWarning) ++c.warning;
    else ++c.info;
  }
  return c;
}

std::vector<const RuleEntry*> FiredRules(const LintReport& r) {
  std::vector<const RuleEntry*> out;
  for (const RuleEntry& e : Registry()) {
    bool fired = false;
    for (const InputReport& in : r.inputs)
      for (const Diagnostic& d : in.findings) fired = fired || d.id == e.id;
    if (fired) out.push_back(&e);
  }
  return out;
}

}  // namespace output
}  // namespace nftc
