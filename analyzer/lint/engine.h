// Runs the registered lint rules over one ruleset: rule selection (groups, config,
// command-line), severity overrides, suppression, fingerprints, order.
#pragma once

#include <string>
#include <vector>

#include "lint/config.h"
#include "nftc/diagnostic.h"
#include "nftc/lint_rule.h"
#include "nftc/model.h"

namespace nftc {

/// What to run and how to filter.
struct LintOptions {
  LintConfig config;  ///< config file directives, then command-line directives appended
  /// Tests: run only these rule IDs (even preview ones); empty = the normal selection.
  std::vector<std::string> only;
};

/// The result for one ruleset.
struct LintOutcome {
  std::vector<Diagnostic> findings;    ///< reported, sorted (DiagnosticLess), fingerprinted
  std::vector<Diagnostic> suppressed;  ///< removed by selectors or inline directives
  std::vector<const RuleEntry*> rules_run;  ///< in registry order
};

/// True if the rule runs under `opts` (stable, or enabled; not disabled without selectors).
bool RuleEnabled(const RuleEntry& r, const LintOptions& opts);
/// The rule's severity after global overrides (directives without selectors).
Severity EffectiveSeverity(const RuleEntry& r, const LintOptions& opts);

/// Lints one ruleset whose owners are attributed (LoadInput does that; a model built by hand
/// calls AttributeOwners first). An exception from a rule is a bug and propagates: turning it into a
/// quiet result would be a silent "clean".
LintOutcome RunLint(const Ruleset& rs, const LintOptions& opts);

}  // namespace nftc
