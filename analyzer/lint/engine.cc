// The lint run: select rules, run them, re-grade, suppress, fingerprint, sort.
#include "lint/engine.h"



#include <algorithm>

#include "lint/session.h"
#include "lint/suppression.h"
#include "nftc/rule_context.h"

namespace nftc {

namespace {

bool Names(const ConfigDirective& d, std::string_view id) {
  return std::any_of(d.rules.begin(), d.rules.end(),
                     [&](const std::string& r) { return r == "all" || r == id; });
}

}  // namespace

bool RuleEnabled(const RuleEntry& r, const LintOptions& opts) {
  if (r.group == RuleGroup::kRemoved || r.factory == nullptr) return false;
  if (!opts.only.empty())
    return std::find(opts.only.begin(), opts.only.end(), r.id) != opts.only.end();
  bool on = r.group == RuleGroup::kStable;
  for (const ConfigDirective& d : opts.config.directives) {
    if (!d.sel.empty() || !Names(d, r.id)) continue;
    if (d.action == ConfigDirective::Action::kDisable) on = false;
    // `enable=all` turns on preview rules too: the user asked for everything.
    if (d.action == ConfigDirective::Action::kEnable) on = true;
  }
  return on;
}

Severity EffectiveSeverity(const RuleEntry& r, const LintOptions& opts) {
  Severity s = r.severity;
  for (const ConfigDirective& d : opts.config.directives)
    if (d.sel.empty() && d.action == ConfigDirective::Action::kSeverity && Names(d, r.id))
      s = d.severity;
  return s;
}

LintOutcome RunLint(const Ruleset& rs, const LintOptions& opts) {
  LintOutcome out;
  LintSession session(rs);
  std::vector<Diagnostic> raw;
  for (const RuleEntry& r : Registry()) {
    if (!RuleEnabled(r, opts)) continue;
    out.rules_run.push_back(&r);
    RuleContext ctx(session, r, EffectiveSeverity(r, opts), &raw);
    r.factory()->Check(ctx);
  }
  for (Diagnostic& d : raw) {
    d.fingerprint = Fingerprint(d);
    bool suppressed = false;
    // Directives with selectors apply in file order; the last matching one decides.
    for (const ConfigDirective& dir : opts.config.directives) {
      if (dir.sel.empty() || !Names(dir, d.id) || !SelectorMatches(dir.sel, rs, d)) continue;
      if (dir.action == ConfigDirective::Action::kDisable) suppressed = true;
      if (dir.action == ConfigDirective::Action::kSeverity) d.severity = dir.severity;
    }
    if (!suppressed && opts.config.inline_directives) suppressed = SuppressedInline(rs, d);
    (suppressed ? out.suppressed : out.findings).push_back(std::move(d));
  }
  std::sort(out.findings.begin(), out.findings.end(), DiagnosticLess);
  std::sort(out.suppressed.begin(), out.suppressed.end(), DiagnosticLess);
  return out;
}

}  // namespace nftc
