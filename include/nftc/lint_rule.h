// The lint rule interface and the registry entry that binds a rule to its ID.
//
// Adding a rule: copy rules/TEMPLATE.cc and rules/TEMPLATE.md to rules/ncNNNN_slug.{cc,md},
// add one line to rules/registry.cc, add corpora/minimal/NCNNNN-pos.json and -neg.json.
// tests/rules/registry_test.cc checks the rest.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "nftc/diagnostic.h"

namespace nftc {

class RuleContext;

/// Lifecycle of a rule (ruff's RuleGroup). IDs are never reused: a retired rule stays in
/// the registry as kRemoved.
enum class RuleGroup : uint8_t {
  kStable,   ///< runs by default
  kPreview,  ///< runs only when enabled (`enable=` in the config, `--enable`)
  kRemoved,  ///< never runs; kept so its ID is not reused and `explain` still knows it
};
std::string_view ToString(RuleGroup g);

/// A lint rule: one class, one ID. Check() walks the model through the context and calls
/// ctx.Report(...) for each finding; it never types its own ID or severity.
class LintRule {
 public:
  virtual ~LintRule() = default;
  /// Runs the rule over one ruleset. Must be deterministic and must not throw for any
  /// ruleset the loaders can produce.
  virtual void Check(RuleContext& ctx) const = 0;
};

/// Creates a fresh rule instance (rules may keep per-run state).
using RuleFactory = std::unique_ptr<LintRule> (*)();

/// One row of the registry: the only place where an ID is bound to a rule.
struct RuleEntry {
  std::string_view id;    ///< "NC" + 4 digits; ranges by phase (see rules/README.md)
  std::string_view slug;  ///< kebab-case name; users may write it instead of the ID
  Severity severity;      ///< default severity
  RuleGroup group;
  RuleFactory factory;    ///< nullptr only for kRemoved rules
};

/// The registry, in ID order (defined in rules/registry.cc).
const std::vector<RuleEntry>& Registry();
/// Looks a rule up by ID (case-insensitive) or slug; nullptr if unknown.
const RuleEntry* FindRule(std::string_view id_or_slug);

}  // namespace nftc
